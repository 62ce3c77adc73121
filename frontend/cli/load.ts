import { dirname, resolve } from "node:path";
import { SourceFile, type FileRead, type LoadResult } from "../../grammar/index.js";
import { loadWithReads } from "../declaration-reads.js";
import { describeIoError, errorCode, type CliIO } from "./io.js";

/**
 * Loads a declaration, reading the files its `file()` calls name from the build context with
 * `readContext` (see `loadWithReads`, shared with the frontend).
 */
export async function loadWithContext(
  file: SourceFile,
  vars: ReadonlyMap<string, string>,
  readContext: (path: string) => Promise<FileRead>,
): Promise<LoadResult> {
  return loadWithReads(file, vars, async (paths) => new Map(await Promise.all(paths.map(async (p) => [p, await readContext(p)] as const))));
}

/** Reads the declaration `arg` (relative to the working directory); the error reason when it cannot. */
export async function readDeclaration(arg: string, io: CliIO): Promise<SourceFile | string> {
  try {
    return new SourceFile(arg, await io.readFile(resolve(io.cwd, arg)));
  } catch (e) {
    return `cannot read ${arg}: ${describeIoError(e)}`;
  }
}

/** The build context of a declaration read by the CLI: the directory it is in, as `docker build .` would use. */
export function contextReader(arg: string, io: CliIO): (path: string) => Promise<FileRead> {
  const root = dirname(resolve(io.cwd, arg));
  return async (path) => {
    try {
      return { kind: "text", text: await io.readFile(resolve(root, path)) };
    } catch (e) {
      return errorCode(e) === "ENOENT" ? { kind: "missing" } : { kind: "error", message: describeIoError(e) };
    }
  };
}
