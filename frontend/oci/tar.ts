import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { boundedGunzip } from "./bounded-gunzip.js";
import { DEFAULT_READ_LIMITS, formatBytes, type ReadLimits } from "./limits.js";

/**
 * Just enough of tar to find files in an image archive (`docker save`, `--output type=oci` / `type=docker`):
 * ustar and GNU headers, pax `path` records and GNU long names. Only regular files are indexed; contents
 * are read on demand, so a multi-gigabyte archive costs one pass over its headers. A gzip-compressed
 * archive is decompressed as a stream, within `ReadLimits` (a bomb stops early), keeping only its JSON
 * documents. A read larger than `jsonBytes` is refused: only documents are ever read from an archive.
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

/** What the first bytes say: a tar archive, a gzip stream (taken for a compressed tar), or neither. */
export async function tarKind(path: string): Promise<"tar" | "gzip" | undefined> {
  const handle = await open(path, "r");
  try {
    const head = new Uint8Array(BLOCK);
    const { bytesRead } = await handle.read(head, 0, BLOCK, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "gzip";
    return bytesRead === BLOCK && ascii(head, 257, 5) === "ustar" ? "tar" : undefined;
  } finally {
    await handle.close();
  }
}

export async function openTar(path: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<TarArchive> {
  const handle = await open(path, "r");
  const magic = new Uint8Array(2);
  await handle.read(magic, 0, 2, 0);
  if (magic[0] === 0x1f && magic[1] === 0x8b) {
    const { size } = await handle.stat();
    await handle.close();
    return openGzipTar(path, size, limits);
  }
  const readAt = async (offset: number, length: number) => {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
  };
  try {
    return fromIndex(await indexBlocks(readAt, limits), readAt, () => handle.close(), limits);
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/**
 * A gzip-compressed archive: one streaming pass, stopped once it has decompressed more than the limit,
 * keeping the regular files that are JSON documents (at most `jsonBytes` each, `gzipKeptBytes` in all).
 * Layers (gzip or tar bytes) are skipped as they stream past.
 */
async function openGzipTar(path: string, compressedSize: number, limits: ReadLimits): Promise<TarArchive> {
  const counted = boundedGunzip(
    path,
    compressedSize,
    { bytes: limits.gzipBytes, ratio: limits.gzipRatio },
    (budget) =>
      new TarFormatError(`it decompresses to more than ${formatBytes(budget)} (from ${formatBytes(compressedSize)}), past slipway's limit for a compressed archive; decompress it yourself if it is genuine`),
  );
  const kept = new Map<string, Uint8Array>();
  const names: string[] = [];
  let keptBytes = 0;
  try {
    for await (const entry of readTarStream(counted, (_name, size) => size <= limits.jsonBytes && keptBytes + size <= limits.gzipKeptBytes)) {
      if (entry.type !== "file") continue;
      if (names.length >= limits.tarEntries) throw new TarFormatError(`it has more than ${limits.tarEntries} entries`);
      names.push(entry.name);
      if (entry.data !== undefined && looksLikeJson(entry.data)) {
        kept.set(entry.name, entry.data);
        keptBytes += entry.data.length;
      }
    }
  } catch (e) {
    await counted.return(undefined);
    if (e instanceof TarFormatError) throw e;
    throw new TarFormatError(`it is not a readable gzip stream: ${(e as Error).message}`);
  }
  return {
    names,
    async read(name) {
      const key = normalise(name);
      const data = kept.get(key);
      if (data !== undefined) return data;
      if (!names.includes(key)) return undefined;
      throw new TarFormatError(`${key} is not a JSON document of at most ${formatBytes(limits.jsonBytes)}, or the compressed archive holds more documents than slipway keeps; decompress the archive first`);
    },
    close: async () => {},
  };
}

function looksLikeJson(data: Uint8Array): boolean {
  for (const b of data) {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    return b === 0x7b || b === 0x5b;
  }
  return false;
}

type ReadAt = (offset: number, length: number) => Promise<Uint8Array>;

async function fromIndex(index: Map<string, { offset: number; size: number }>, readAt: ReadAt, close: () => Promise<void>, limits: ReadLimits): Promise<TarArchive> {
  return {
    names: [...index.keys()],
    async read(name) {
      const entry = index.get(normalise(name));
      if (entry === undefined) return undefined;
      if (entry.size > limits.jsonBytes) throw new TarFormatError(`${normalise(name)} is ${formatBytes(entry.size)}, more than the ${formatBytes(limits.jsonBytes)} slipway reads of one document`);
      return readAt(entry.offset, entry.size);
    },
    close,
  };
}

async function indexBlocks(readAt: ReadAt, limits: ReadLimits): Promise<Map<string, { offset: number; size: number }>> {
  const index = new Map<string, { offset: number; size: number }>();
  let offset = 0;
  let longName: string | undefined;
  for (let headers = 0; ; headers++) {
    // Every header counts (directories and links too): each costs a read, and an OCI layout has few.
    if (headers >= limits.tarEntries) throw new TarFormatError(`more than ${limits.tarEntries} entries`);
    const header = await readAt(offset, BLOCK);
    if (header.length < BLOCK) {
      if (header.length === 0 && index.size > 0) return index;
      throw new TarFormatError(`truncated tar header at byte ${offset}`);
    }
    if (header.every((b) => b === 0)) return index;
    if (!checksumOk(header)) throw new TarFormatError(`bad tar header checksum at byte ${offset}`);
    const size = octal(header, 124, 12);
    if (!Number.isSafeInteger(size) || size < 0) throw new TarFormatError(`unreadable entry size at byte ${offset}`);
    const type = String.fromCharCode(header[156]!);
    const dataOffset = offset + BLOCK;
    let name = longName ?? joinName(ascii(header, 345, 155), ascii(header, 0, 100));
    longName = undefined;
    if (type === "x" || type === "L") {
      if (size > limits.tarMetaBytes) throw new TarFormatError(`a ${formatBytes(size)} extended header at byte ${offset}, more than ${formatBytes(limits.tarMetaBytes)}`);
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

/** One entry of a tar archive, as an image layer holds it. */
export interface TarEntry {
  /** The path inside the archive: no leading `./` or `/`, no trailing `/`. */
  readonly name: string;
  readonly type: "file" | "directory" | "symlink" | "hardlink" | "other";
  /** The target of a symbolic or hard link; empty otherwise. */
  readonly linkName: string;
  /** A regular file's size in bytes. */
  readonly size: number;
  /** A regular file's bytes, when `wantData` asked for them. */
  readonly data?: Uint8Array;
  /** The permission bits with setuid, setgid and sticky (`mode & 0o7777`). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Modification time in seconds since 1970 (fractional when a pax record says so). */
  readonly mtime: number;
  /** A regular file's sha256 (hex), when `wantDigest` asked for it: hashed as it streams past, never held. */
  readonly sha256?: string;
}

/**
 * Every entry of a tar stream, in archive order, with the links, directories and whiteout files that
 * `openTar`'s index of regular files leaves out (reading an image layer needs them). Only the files
 * `wantData` names have their bytes read into memory; the rest are skipped as they stream past, so a
 * layer of any size costs little more than its headers.
 */
export async function* readTarStream(
  chunks: AsyncIterable<Uint8Array>,
  wantData: (name: string, size: number) => boolean = () => false,
  wantDigest: (name: string) => boolean = () => false,
  metaLimit = DEFAULT_READ_LIMITS.tarMetaBytes,
): AsyncGenerator<TarEntry> {
  const input = new ChunkReader(chunks);
  let pax = new Map<string, string>();
  let longName: string | undefined;
  let longLink: string | undefined;
  for (;;) {
    const offset = input.position;
    const header = await input.read(BLOCK);
    if (header.length === 0) return;
    if (header.length < BLOCK) throw new TarFormatError(`truncated tar header at byte ${offset}`);
    if (header.every((b) => b === 0)) return;
    if (!checksumOk(header)) throw new TarFormatError(`bad tar header checksum at byte ${offset}`);
    const size = octal(header, 124, 12);
    if (!Number.isSafeInteger(size) || size < 0) throw new TarFormatError(`unreadable entry size at byte ${offset}`);
    const type = String.fromCharCode(header[156]!);
    const padding = Math.ceil(size / BLOCK) * BLOCK - size;
    const readData = async () => {
      const data = await input.read(size);
      if (data.length < size) throw new TarFormatError(`truncated tar entry at byte ${offset}`);
      await input.skip(padding);
      return data;
    };
    if (type === "x" || type === "g" || type === "L" || type === "K") {
      if (size > metaLimit) throw new TarFormatError(`a ${formatBytes(size)} extended header at byte ${offset}, more than ${formatBytes(metaLimit)}`);
      const data = await readData();
      if (type === "x") pax = paxRecords(data);
      else if (type !== "g") {
        const text = new TextDecoder().decode(data).replace(/\0.*$/s, "");
        if (type === "L") longName = text;
        else longLink = text;
      }
      continue;
    }
    const name = normalise(pax.get("path") ?? longName ?? joinName(ascii(header, 345, 155), ascii(header, 0, 100))).replace(/\/+$/, "");
    const linkName = pax.get("linkpath") ?? longLink ?? ascii(header, 157, 100);
    longName = longLink = undefined;
    const kind = type === "0" || type === "\0" || type === "7" ? "file" : type === "5" ? "directory" : type === "2" ? "symlink" : type === "1" ? "hardlink" : "other";
    const attributes = {
      mode: octal(header, 100, 8) & 0o7777,
      uid: paxNumber(pax, "uid") ?? octal(header, 108, 8),
      gid: paxNumber(pax, "gid") ?? octal(header, 116, 8),
      mtime: paxNumber(pax, "mtime") ?? octal(header, 136, 12),
    };
    pax = new Map();
    let data: Uint8Array | undefined;
    let sha256: string | undefined;
    if (kind === "file" && wantData(name, size)) data = await readData();
    else if (kind === "file" && wantDigest(name)) {
      const hash = createHash("sha256");
      if ((await input.skip(size, (chunk) => hash.update(chunk))) < size) throw new TarFormatError(`truncated tar entry at byte ${offset}`);
      await input.skip(padding);
      sha256 = hash.digest("hex");
    } else if ((await input.skip(size + padding)) < size) throw new TarFormatError(`truncated tar entry at byte ${offset}`);
    yield {
      name,
      type: kind,
      linkName: kind === "hardlink" ? normalise(linkName) : kind === "symlink" ? linkName : "",
      size: kind === "file" ? size : 0,
      ...attributes,
      ...(data && { data }),
      ...(sha256 !== undefined && { sha256 }),
    };
  }
}

/** Exact-length reads over a stream of chunks of any size. */
class ChunkReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private pending: Uint8Array = new Uint8Array(0);
  private done = false;
  position = 0;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.iterator = chunks[Symbol.asyncIterator]();
  }

  /** The next `length` bytes; fewer only at the end of the stream. */
  async read(length: number): Promise<Uint8Array> {
    if (this.pending.length >= length) return this.take(length);
    const parts = [this.pending];
    let have = this.pending.length;
    while (have < length && !this.done) {
      const next = await this.iterator.next();
      if (next.done) this.done = true;
      else {
        parts.push(next.value);
        have += next.value.length;
      }
    }
    const all = new Uint8Array(have);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    this.pending = all;
    return this.take(Math.min(length, have));
  }

  /** Skips `length` bytes without keeping them (`sink` sees each piece); returns how many there were. */
  async skip(length: number, sink?: (chunk: Uint8Array) => void): Promise<number> {
    let left = length;
    while (left > 0) {
      if (this.pending.length === 0) {
        if (this.done) break;
        const next = await this.iterator.next();
        if (next.done) {
          this.done = true;
          break;
        }
        this.pending = next.value;
      }
      const n = Math.min(left, this.pending.length);
      sink?.(this.pending.subarray(0, n));
      this.pending = this.pending.subarray(n);
      this.position += n;
      left -= n;
    }
    return length - left;
  }

  private take(length: number): Uint8Array {
    const out = this.pending.slice(0, length);
    this.pending = this.pending.subarray(length);
    this.position += length;
    return out;
  }
}

/** A numeric pax record (`mtime=1700000000.5`, `uid=70000`), when present and a number. */
function paxNumber(records: ReadonlyMap<string, string>, key: string): number | undefined {
  const value = records.get(key);
  const n = value === undefined ? NaN : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** pax extended header records (`LEN key=value\n`, LEN counting bytes), by key. */
function paxRecords(bytes: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  const decoder = new TextDecoder();
  let at = 0;
  while (at < bytes.length) {
    const space = bytes.indexOf(0x20, at);
    const length = Number(decoder.decode(bytes.subarray(at, space)));
    if (space < 0 || !Number.isInteger(length) || length <= 0) break;
    const record = decoder.decode(bytes.subarray(space + 1, at + length - 1));
    const eq = record.indexOf("=");
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return records;
}
