/**
 * zstd frames written by hand (RFC 8878 §3.1): raw blocks carry their bytes as they are and RLE blocks
 * repeat one byte, so valid streams of any shape need no compressor. Tests of layer reading use them;
 * the e2e diff test reads real ones, written by BuildKit.
 */
export const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd] as const;
/** Frame header descriptor: no checksum, no dictionary, no content size, not single-segment. */
export const ZSTD_DESCRIPTOR = 0x00;
/** Window descriptor `exponent << 3 | mantissa`: the window is 2^(10 + exponent) (+ mantissa eighths). */
export const zstdWindow = (exponent: number) => exponent << 3;

export type ZstdBlock = { readonly raw: Uint8Array } | { readonly rle: number; readonly times: number };

export function zstdBlockHeader(last: boolean, type: 0 | 1 | 2 | 3, size: number): number[] {
  const h = (size << 3) | (type << 1) | (last ? 1 : 0);
  return [h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff];
}

/** One frame of `blocks`, after `header` (by default a 128 KiB window, enough for any block). */
export function zstdFrame(blocks: readonly ZstdBlock[], header: readonly number[] = [...ZSTD_MAGIC, ZSTD_DESCRIPTOR, zstdWindow(7)]): Uint8Array {
  const out: number[] = [...header];
  blocks.forEach((b, i) => {
    const last = i === blocks.length - 1;
    if ("raw" in b) out.push(...zstdBlockHeader(last, 0, b.raw.length), ...b.raw);
    else out.push(...zstdBlockHeader(last, 1, b.times), b.rle);
  });
  return Uint8Array.from(out);
}

/** `bytes` as one zstd frame of raw blocks (128 KiB at most each). */
export function rawZstd(bytes: Uint8Array): Uint8Array {
  const blocks: ZstdBlock[] = [];
  for (let i = 0; i < bytes.length || blocks.length === 0; i += 128 * 1024) blocks.push({ raw: bytes.subarray(i, i + 128 * 1024) });
  return zstdFrame(blocks);
}
