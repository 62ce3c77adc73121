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
  for (let round = 0; ; round++) {
    const wanted = new Set<string>();
    // The last round answers what is still unread with an error, which the grammar reports at the file()
    // call that asked for it, rather than reading on without end.
    const last = round === MAX_ROUNDS - 1;
    const result = loadDeclaration(file, {
      vars,
      readFile: (path) => {
        const known = reads.get(path);
        if (known) return known;
        if (last) return { kind: "error", message: `file() calls depend on one another more than ${MAX_ROUNDS - 1} deep (a path read from a file read from a file…); slipway stops there` };
        wanted.add(path);
        return { kind: "deferred" };
      },
    });
    if (wanted.size === 0) return { ...result, reads };
    const got = await readMany([...wanted].sort());
    for (const path of wanted) reads.set(path, got.get(path) ?? { kind: "error", message: `"${path}" could not be read` });
  }
}
