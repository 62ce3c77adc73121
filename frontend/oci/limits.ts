import { constants } from "node:fs";
import { open, stat } from "node:fs/promises";
import { ImageReadError } from "./errors.js";

/**
 * `slipway bom` reads images from anywhere, so every read is bounded: what it keeps in memory, what it
 * decompresses, how many entries and manifests it walks, and which files it opens. The figures are far
 * above what a real image needs (docs/cli.md, "Limits").
 */
export interface ReadLimits {
  /** Any JSON or YAML document read: index.json, a manifest, a config, an attestation, bom.json. */
  readonly jsonBytes: number;
  /**
   * A gzip-compressed archive is decompressed as a stream, up to this many bytes, or `gzipRatio` times its
   * compressed size if that is more. An image's layers are compressed already, so a real archive expands
   * little; a bomb expands a thousandfold.
   */
  readonly gzipBytes: number;
  readonly gzipRatio: number;
  /** What a compressed archive may keep in memory (its JSON documents; layers are never kept). */
  readonly gzipKeptBytes: number;
  /** Entries indexed in one tar archive. */
  readonly tarEntries: number;
  /** A pax header or GNU long name. */
  readonly tarMetaBytes: number;
  /** Manifests and indexes visited in one image (each digest once). */
  readonly manifests: number;
}

export const DEFAULT_READ_LIMITS: Readonly<ReadLimits> = Object.freeze({
  jsonBytes: 32 * 1024 * 1024,
  gzipBytes: 64 * 1024 * 1024,
  gzipRatio: 20,
  gzipKeptBytes: 64 * 1024 * 1024,
  tarEntries: 100_000,
  tarMetaBytes: 1024 * 1024,
  manifests: 1_000,
});

/** `12345678` → `11.8 MiB`, `4 GiB`: a size or a limit in a message, as the docs write it. */
export function formatBytes(n: number): string {
  for (const [unit, size] of [["GiB", 1024 ** 3], ["MiB", 1024 ** 2], ["KiB", 1024]] as const) if (n >= size) return `${Math.round((n / size) * 10) / 10} ${unit}`;
  return `${n} bytes`;
}

/** What is at `path`, following links, without opening it (a FIFO's open would block). */
export type PathKind = "file" | "directory" | "other" | "missing";

/** How `readRegularFile` treats what it opens. */
export interface RegularFileOptions {
  /**
   * Whether a symbolic link is followed. A layout `slipway diff` reads holds regular files only, so it
   * refuses a link rather than read whatever the link names.
   */
  readonly followLinks: boolean;
  /** What one file is called in the over-the-limit message: `document`, `blob`. */
  readonly noun: string;
}

const DEFAULT_REGULAR_FILE_OPTIONS: Readonly<RegularFileOptions> = Object.freeze({ followLinks: true, noun: "document" });

/**
 * Reads a regular file of at most `limit` bytes; undefined when it does not exist. Opened non-blocking
 * and checked on the open descriptor, so a FIFO, a device (or a link to one) is refused instead of
 * blocking or reading forever, and nothing can swap the file between the check and the read.
 */
export async function readRegularFile(
  description: string,
  path: string,
  name: string,
  limit: number,
  options: Partial<RegularFileOptions> = {},
): Promise<Uint8Array | undefined> {
  const o = { ...DEFAULT_REGULAR_FILE_OPTIONS, ...options };
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | (o.followLinks ? 0 : constants.O_NOFOLLOW));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    if (code === "ELOOP" && !o.followLinks) throw new ImageReadError(description, `${name} is a symbolic link; only regular files are read`);
    throw new ImageReadError(description, `cannot open ${name}: ${code ?? (e as Error).message}`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new ImageReadError(description, `${name} is not a regular file (${stats.isDirectory() ? "a directory" : "a device, FIFO or socket"}); only regular files are read`);
    const over = `more than the ${formatBytes(limit)} slipway reads of one ${o.noun}`;
    if (stats.size > limit) throw new ImageReadError(description, `${name} is ${formatBytes(stats.size)}, ${over}`);
    // Read at most limit + 1 bytes: a file that grows after the check is still caught.
    const buffer = new Uint8Array(Math.min(stats.size, limit) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > limit) throw new ImageReadError(description, `${name} grew past the ${formatBytes(limit)} slipway reads of one ${o.noun} while it was read`);
      if (length === buffer.length) break;
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/**
 * What a local path names, for readers that take a file, a directory or (when nothing is there) an image
 * reference: only files and directories are read, since a FIFO would block and a device never ends.
 */
export async function pathKind(path: string): Promise<"directory" | "file" | "other" | "missing"> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? "directory" : s.isFile() ? "file" : "other";
  } catch {
    return "missing";
  }
}
