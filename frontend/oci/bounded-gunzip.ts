import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";

/** How far a gzip file may expand: `bytes`, or `ratio` times its compressed size, whichever is more. */
export interface GunzipBudget {
  readonly bytes: number;
  readonly ratio: number;
}

/**
 * The decompressed bytes of the gzip file at `path` (`compressedSize` bytes long), as a stream that
 * stops with `refuse(budget)`'s error as soon as it has expanded past its budget: image layers are
 * compressed already, so a real archive expands little, and a bomb stops early, never held whole. A
 * damaged stream fails with zlib's own error (its `code` starts with `Z_`).
 */
export async function* boundedGunzip(path: string, compressedSize: number, budget: GunzipBudget, refuse: (budget: number) => Error): AsyncGenerator<Buffer> {
  const most = Math.max(budget.bytes, budget.ratio * compressedSize);
  const gunzip = createReadStream(path).pipe(createGunzip());
  let seen = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      seen += chunk.length;
      if (seen > most) throw refuse(most);
      yield chunk;
    }
  } finally {
    gunzip.destroy();
  }
}
