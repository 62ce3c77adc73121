import { loadDeclaration, type FileRead, type LoadResult, type SourceFile } from "../grammar/index.js";

/** `file()` may read a path whose name depends on another file's content; this bounds that chain. */
const MAX_ROUNDS = 8;

/**
 * Loads a declaration whose `file()` calls read from a build context that is only reachable
 * asynchronously (BuildKit's `context` local in the frontend, the disk in the CLI). The grammar's reader is
 * synchronous, so each evaluation answers unknown paths with "deferred" and records them; they are read
 * together (one transfer from BuildKit) and the declaration evaluated again, until nothing new is asked
 * for. Every path read is kept in `reads` (the BOM lists what the declaration read).
 */
export async function loadWithReads(
  file: SourceFile,
  vars: ReadonlyMap<string, string>,
  readMany: (paths: readonly string[]) => Promise<ReadonlyMap<string, FileRead>>,
): Promise<LoadResult & { readonly reads: ReadonlyMap<string, FileRead> }> {
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
    if (wanted.size === 0) return { ...result, reads };
    const got = await readMany([...wanted].sort());
    for (const path of wanted) reads.set(path, got.get(path) ?? { kind: "error", message: `"${path}" could not be read` });
  }
  throw new Error(`file() reads did not settle after ${MAX_ROUNDS} rounds`);
}
