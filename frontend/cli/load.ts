import { dirname, resolve } from "node:path";
import { loadDeclaration, SourceFile, type FileRead, type LoadResult } from "../../grammar/index.js";
import { describeIoError, errorCode, type CliIO } from "./io.js";

/** `file()` may read a path whose name depends on another file's content; this bounds that chain. */
const MAX_ROUNDS = 8;

/**
 * Loads a declaration whose `file()` calls read from a build context that is only reachable
 * asynchronously (the local disk here, BuildKit in the frontend). The grammar's reader is synchronous, so
 * the first evaluation answers every read with "deferred" and records the paths; they are then read and
 * the declaration evaluated again, until no new path is asked for.
 */
export async function loadWithContext(
  file: SourceFile,
  vars: ReadonlyMap<string, string>,
  readContext: (path: string) => Promise<FileRead>,
): Promise<LoadResult> {
  const reads = new Map<string, FileRead>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const wanted = new Set<string>();
    const result = loadDeclaration(file, {
      vars,
      readFile: (path) => {
        const known = reads.get(path);
        if (known) return known;
        wanted.add(path);
        return { kind: "deferred" };
      },
    });
    if (wanted.size === 0) return result;
    await Promise.all([...wanted].map(async (path) => reads.set(path, await readContext(path))));
  }
  throw new Error(`file() reads did not settle after ${MAX_ROUNDS} rounds`);
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
