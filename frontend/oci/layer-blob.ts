import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { Decompress } from "fzstd";
import { formatBytes } from "./limits.js";

/**
 * A layer blob's bytes as the tar they hold. Layers are gzip, zstd or plain tar, and the bytes say which,
 * whatever the media type claims. Node 20 has no zstd, so zstd is decompressed by fzstd, in plain
 * JavaScript.
 */
export type LayerCompression = "gzip" | "zstd" | "none";

export interface LayerBlobOptions {
  /**
   * The largest zstd window (the history a decoder must keep, which fzstd allocates at once for each
   * frame). A frame header may ask for up to 2 GiB; above this it is refused before anything is
   * allocated. zstd's own decoder refuses windows above 128 MiB unless told otherwise
   * (ZSTD_WINDOWLOG_LIMIT_DEFAULT); BuildKit's encoder uses far less.
   */
  readonly maxZstdWindow: number;
}

export const DEFAULT_LAYER_BLOB_OPTIONS: Readonly<LayerBlobOptions> = Object.freeze({ maxZstdWindow: 128 * 1024 * 1024 });

/** The blob cannot be decompressed; `message` says why, for the caller to put after the layer's name. */
export class LayerBlobError extends Error {
  override readonly name = "LayerBlobError" as const;
}

const ZSTD_MAGIC = 0xfd2fb528;

export function layerCompression(bytes: Uint8Array): LayerCompression {
  if (bytes.length >= 4 && readU32(bytes, 0) === ZSTD_MAGIC) return "zstd";
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return "gzip";
  return "none";
}

/**
 * The tar a layer blob holds, as a stream of chunks. A zstd blob is checked frame by frame first (every
 * frame's window within `maxZstdWindow`, no dictionary, no bytes after the last frame) and then fed to
 * the decoder one block at a time, so a chunk is at most one block (128 KiB) however much a hostile blob
 * expands: the caller's limit on the total stops a bomb before memory grows.
 */
export async function* layerTar(bytes: Uint8Array, options: Partial<LayerBlobOptions> = {}): AsyncGenerator<Uint8Array> {
  const o = { ...DEFAULT_LAYER_BLOB_OPTIONS, ...options };
  switch (layerCompression(bytes)) {
    case "none":
      yield bytes;
      return;
    case "gzip":
      try {
        for await (const chunk of Readable.from([bytes]).pipe(createGunzip())) yield chunk as Uint8Array;
      } catch (e) {
        throw new LayerBlobError(`is not valid gzip (${e instanceof Error ? e.message : String(e)})`);
      }
      return;
    case "zstd":
      yield* zstdTar(bytes, o.maxZstdWindow);
  }
}

function* zstdTar(bytes: Uint8Array, maxWindow: number): Generator<Uint8Array> {
  const pieces = zstdPieces(bytes, maxWindow);
  const out: Uint8Array[] = [];
  const decoder = new Decompress((chunk) => {
    if (chunk.length > 0) out.push(chunk);
  });
  for (let i = 0; i < pieces.length; i++) {
    try {
      decoder.push(bytes.subarray(pieces[i]!, pieces[i + 1] ?? bytes.length), i === pieces.length - 1);
    } catch (e) {
      throw new LayerBlobError(`is not valid zstd (${e instanceof Error ? e.message : String(e)})`);
    }
    yield* out.splice(0);
  }
}

/**
 * Where each piece the decoder is given starts: a frame's header with its first block, then each further
 * block, each skippable frame whole. Reads only headers (RFC 8878 §3.1), bounds-checked.
 */
function zstdPieces(bytes: Uint8Array, maxWindow: number): number[] {
  const starts: number[] = [];
  let pos = 0;
  const need = (n: number, what: string) => {
    if (pos + n > bytes.length) throw new LayerBlobError(`is not valid zstd (it ends inside ${what} at byte ${pos})`);
  };
  while (pos < bytes.length) {
    need(4, "a frame's magic number");
    const magic = readU32(bytes, pos);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      need(8, "a skippable frame's header");
      starts.push(pos);
      pos += 8 + readU32(bytes, pos + 4);
      need(0, "a skippable frame");
      continue;
    }
    if (magic !== ZSTD_MAGIC) throw new LayerBlobError(`is not valid zstd (byte ${pos} starts no frame)`);
    starts.push(pos);
    need(5, "a frame header");
    const descriptor = bytes[pos + 4]!;
    if (descriptor & 0x08) throw new LayerBlobError(`is not valid zstd (a reserved bit is set in the frame header at byte ${pos})`);
    const singleSegment = (descriptor >> 5) & 1;
    const dictionaryBytes = [0, 1, 2, 4][descriptor & 3]!;
    const contentSizeBytes = [singleSegment, 2, 4, 8][descriptor >> 6]!;
    const frame = pos;
    pos += 5;
    let window = 0;
    if (!singleSegment) {
      need(1, "a frame header");
      const w = bytes[pos++]!;
      const base = 2 ** (10 + (w >> 3));
      window = base + (base / 8) * (w & 7);
    }
    need(dictionaryBytes + contentSizeBytes, "a frame header");
    const dictionary = readUnsigned(bytes, pos, dictionaryBytes);
    pos += dictionaryBytes;
    if (singleSegment) window = readUnsigned(bytes, pos, contentSizeBytes) + (contentSizeBytes === 2 ? 256 : 0);
    pos += contentSizeBytes;
    if (dictionary !== 0) throw new LayerBlobError(`is zstd with a dictionary (id ${dictionary}, frame at byte ${frame}), which a layer never needs; recompress it without one`);
    if (window > maxWindow) {
      throw new LayerBlobError(`is zstd with a window of ${formatBytes(window)} (frame at byte ${frame}), more than the ${formatBytes(maxWindow)} slipway decompresses; recompress it at a lower level`);
    }
    for (let first = true, last = false; !last; first = false) {
      need(3, "a block header");
      if (!first) starts.push(pos);
      const header = bytes[pos]! | (bytes[pos + 1]! << 8) | (bytes[pos + 2]! << 16);
      last = (header & 1) === 1;
      const type = (header >> 1) & 3;
      if (type === 3) throw new LayerBlobError(`is not valid zstd (a reserved block type at byte ${pos})`);
      pos += 3 + (type === 1 ? 1 : header >>> 3);
      need(0, "a block");
    }
    if ((descriptor >> 2) & 1) {
      need(4, "a frame checksum");
      pos += 4;
    }
  }
  if (starts.length === 0) throw new LayerBlobError("is not valid zstd (no frame)");
  return starts;
}

function readU32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

/** A little-endian unsigned integer of 0–8 bytes, exact up to 2^53 (larger only ever fails a limit). */
function readUnsigned(bytes: Uint8Array, at: number, size: number): number {
  let value = 0;
  for (let i = size - 1; i >= 0; i--) value = value * 256 + bytes[at + i]!;
  return value;
}
