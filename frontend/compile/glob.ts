import { compileGlob } from "../../grammar/index.js";

/** estaleiro's `source_file` rule: Go `path.Match` of the label against the file's source path. */
export function globMatch(pattern: string, path: string): boolean {
  return compileGlob(pattern)?.test(path) ?? false;
}
