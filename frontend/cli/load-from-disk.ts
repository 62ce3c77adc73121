import { dirname, relative, resolve, sep } from "node:path";
import { SourceFile, type FileRead, type LoadResult } from "../../grammar/index.js";
import { loadWithReads } from "../load/reads.js";
import { describeIoError, errorCode, type CliIO } from "./streams.js";

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

/** The largest file `file()` reads from the context in the CLI: keys and snippets, not archives. */
export const maxContextFileBytes = 16 * 1024 * 1024;

/**
 * The build context of a declaration read by the CLI: the directory it is in, as `docker build .` would
 * use. A path is confined to it by where it really is, every symbolic link followed (the grammar has
 * already refused paths that climb out by their text), and only a regular file of bounded size is read:
 * a link to /etc/passwd, a FIFO (which would block) or a device (which would never end) is an error.
 */
export function contextReader(arg: string, io: CliIO): (path: string) => Promise<FileRead> {
  const root = dirname(resolve(io.cwd, arg));
  const realRoot = io.inspect ? io.inspect(root).then((f) => f.realpath, () => root) : Promise.resolve(root);
  return async (path) => {
    try {
      const target = resolve(root, path);
      if (io.inspect) {
        const facts = await io.inspect(target);
        const base = await realRoot;
        const inside = relative(base, facts.realpath);
        if (inside === "" || inside === ".." || inside.startsWith(`..${sep}`) || resolve(base, inside) !== facts.realpath) {
          return { kind: "error", message: `it resolves to ${facts.realpath}, outside the build context ${base}; a symbolic link out of the context is not followed` };
        }
        if (facts.kind !== "file") return { kind: "error", message: facts.kind === "directory" ? "it is a directory" : "it is not a regular file (a device, FIFO or socket)" };
        if (facts.size > maxContextFileBytes) return { kind: "error", message: `it is ${facts.size} bytes; file() reads at most ${maxContextFileBytes} (16 MiB)` };
        return { kind: "text", text: await io.readFile(facts.realpath) };
      }
      return { kind: "text", text: await io.readFile(target) };
    } catch (e) {
      return errorCode(e) === "ENOENT" ? { kind: "missing" } : { kind: "error", message: describeIoError(e) };
    }
  };
}
