import { open, readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";

/**
 * Just enough of tar to find files in an image archive (`docker save`, `--output type=oci` / `type=docker`):
 * ustar and GNU headers, pax `path` records and GNU long names. Only regular files are indexed; contents
 * are read on demand, so a multi-gigabyte archive costs one pass over its headers. A gzip-compressed
 * archive is decompressed in memory.
 */
export interface TarArchive {
  readonly names: readonly string[];
  read(name: string): Promise<Uint8Array | undefined>;
  close(): Promise<void>;
}

export class TarFormatError extends Error {
  override readonly name = "TarFormatError" as const;
}

const BLOCK = 512;

/** True when the first bytes look like a tar header or a gzip stream. */
export async function looksLikeTar(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const head = new Uint8Array(BLOCK);
    const { bytesRead } = await handle.read(head, 0, BLOCK, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return true;
    return bytesRead === BLOCK && ascii(head, 257, 5) === "ustar";
  } finally {
    await handle.close();
  }
}

export async function openTar(path: string): Promise<TarArchive> {
  const handle = await open(path, "r");
  const magic = new Uint8Array(2);
  await handle.read(magic, 0, 2, 0);
  if (magic[0] === 0x1f && magic[1] === 0x8b) {
    await handle.close();
    const bytes = gunzipSync(await readFile(path));
    return fromIndex(indexBlocks(async (offset, length) => bytes.subarray(offset, offset + length)), async (o, l) => bytes.slice(o, o + l), async () => {});
  }
  const readAt = async (offset: number, length: number) => {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
  };
  try {
    return fromIndex(indexBlocks(readAt), readAt, () => handle.close());
  } catch (e) {
    await handle.close();
    throw e;
  }
}

type ReadAt = (offset: number, length: number) => Promise<Uint8Array>;

async function fromIndex(indexing: Promise<Map<string, { offset: number; size: number }>>, readAt: ReadAt, close: () => Promise<void>): Promise<TarArchive> {
  const index = await indexing;
  return {
    names: [...index.keys()],
    async read(name) {
      const entry = index.get(normalise(name));
      return entry === undefined ? undefined : readAt(entry.offset, entry.size);
    },
    close,
  };
}

async function indexBlocks(readAt: ReadAt): Promise<Map<string, { offset: number; size: number }>> {
  const index = new Map<string, { offset: number; size: number }>();
  let offset = 0;
  let longName: string | undefined;
  for (;;) {
    const header = await readAt(offset, BLOCK);
    if (header.length < BLOCK) {
      if (header.length === 0 && index.size > 0) return index;
      throw new TarFormatError(`truncated tar header at byte ${offset}`);
    }
    if (header.every((b) => b === 0)) return index;
    if (!checksumOk(header)) throw new TarFormatError(`bad tar header checksum at byte ${offset}`);
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156]!);
    const dataOffset = offset + BLOCK;
    let name = longName ?? joinName(ascii(header, 345, 155), ascii(header, 0, 100));
    longName = undefined;
    if (type === "x" || type === "L") {
      const data = new TextDecoder().decode(await readAt(dataOffset, size));
      longName = type === "L" ? data.replace(/\0.*$/s, "") : paxPath(data);
    } else if (type === "0" || type === "\0" || type === "7") {
      name = normalise(name);
      index.set(name, { offset: dataOffset, size });
    }
    offset = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
  }
}

function paxPath(records: string): string | undefined {
  for (const record of records.split("\n")) {
    const m = /^\d+ path=(.*)$/.exec(record);
    if (m) return m[1];
  }
  return undefined;
}

function joinName(prefix: string, name: string): string {
  return prefix === "" ? name : `${prefix}/${name}`;
}

function normalise(name: string): string {
  return name.replace(/^(\.\/)+/, "").replace(/^\/+/, "");
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  const field = bytes.subarray(start, start + length);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
}

function octal(bytes: Uint8Array, start: number, length: number): number {
  if ((bytes[start]! & 0x80) !== 0) {
    // GNU base-256 for sizes over 8 GiB.
    let n = 0;
    for (let i = start + 1; i < start + length; i++) n = n * 256 + bytes[i]!;
    return n;
  }
  const text = ascii(bytes, start, length).trim();
  return text === "" ? 0 : parseInt(text, 8);
}

function checksumOk(header: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum === octal(header, 148, 8);
}
