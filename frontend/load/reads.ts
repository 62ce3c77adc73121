import { loadDeclaration, type FileRead, type LoadResult, type SourceFile } from "../../grammar/index.js";

/**
 * `file()` may read a path whose name depends on another file's content; this bounds that chain (a chain
 * of this many files is read; the next one is a located error).
 */
export const MAX_FILE_CHAIN = 8;

/**
 * Loads a declaration whose `file()` calls read from a build context that is only reachable
 * asynchronously (BuildKit's `context` local in the frontend, the disk in the CLI). The grammar's reader is
 * synchronous, so each evaluation answers unknown paths with "deferred" and records them; they are read
 * together (one transfer from BuildKit) and the declaration evaluated again, until nothing new is asked
 * for. Every path read is kept in `reads` (the BOM lists what the declaration read). A path still unknown
 * after `MAX_FILE_CHAIN` rounds is an error at its `file()` call, so the result always settles.
 */
export async function loadWithReads(
  file: SourceFile,
  vars: ReadonlyMap<string, string>,
  readMany: (paths: readonly string[]) => Promise<ReadonlyMap<string, FileRead>>,
): Promise<LoadResult & { readonly reads: ReadonlyMap<string, FileRead> }> {
  const reads = new Map<string, FileRead>();
  for (let round = 0; ; round++) {
    const last = round === MAX_FILE_CHAIN;
    const wanted = new Set<string>();
    const result = loadDeclaration(file, {
      vars,
      readFile: (path) => {
        const known = reads.get(path);
        if (known) return known;
        if (last) return TOO_DEEP;
        wanted.add(path);
        return { kind: "deferred" };
      },
    });
    if (wanted.size === 0) return { ...result, reads };
    const got = await readMany([...wanted].sort());
    for (const path of wanted) reads.set(path, got.get(path) ?? { kind: "error", message: `"${path}" could not be read` });
  }
}

const TOO_DEEP: FileRead = Object.freeze({
  kind: "error",
  message: `its name comes from files that were themselves named by file() reads, more than ${MAX_FILE_CHAIN} deep, which is slipway's limit`,
});
