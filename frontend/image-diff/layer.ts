import { formatBytes, type ImageStore, LayerBlobError, layerTar, readTarStream, TarFormatError, type TarEntry } from "../oci/index.js";
import { ImageDiffError } from "./errors.js";
import type { ImageDiffLimits } from "./limits.js";

/** What `slipway diff` compares of one entry of a layer. */
export interface EntryState {
  readonly type: TarEntry["type"];
  /** Permission bits with setuid, setgid and sticky. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Seconds since 1970. */
  readonly mtime: number;
  /** A regular file's size and sha256 (hex). */
  readonly size?: number;
  readonly sha256?: string;
  /** A symbolic or hard link's target. */
  readonly link?: string;
}

/** A layer's entries by path (`/etc/hosts`), and the order the archive holds them in. */
export interface LayerEntries {
  readonly entries: ReadonlyMap<string, EntryState>;
  readonly order: readonly string[];
}

/**
 * Reads every entry of the layer `digest`: the blob is decompressed as a stream (gzip, zstd or none) up
 * to `limits.layerBytes`, and each regular file is hashed as it passes, so memory holds the compressed
 * blob and one record per entry, whatever the files weigh. A path given twice keeps its last
 * entry, as extracting the layer would.
 */
export async function readLayerEntries(store: ImageStore, digest: string, limits: ImageDiffLimits): Promise<LayerEntries> {
  const description = `${store.description} layer ${digest}`;
  const bytes = await store.blob(digest);
  const entries = new Map<string, EntryState>();
  const order: string[] = [];
  try {
    for await (const e of readTarStream(uncompressed(description, bytes, limits.layerBytes), () => false, () => true)) {
      if (order.length >= limits.layerEntries) throw new ImageDiffError(description, `has more than ${limits.layerEntries} entries`);
      const path = `/${e.name}`;
      order.push(path);
      entries.set(path, {
        type: e.type,
        mode: e.mode,
        uid: e.uid,
        gid: e.gid,
        mtime: e.mtime,
        ...(e.type === "file" && { size: e.size, ...(e.sha256 !== undefined && { sha256: e.sha256 }) }),
        ...((e.type === "symlink" || e.type === "hardlink") && { link: e.linkName }),
      });
    }
  } catch (e) {
    if (e instanceof TarFormatError) throw new ImageDiffError(description, `is not a readable tar archive (${e.message})`);
    throw e;
  }
  return { entries, order };
}

/** The layer's tar (gzip, zstd or plain: `layerTar`), stopped once it expands past `limit`. */
async function* uncompressed(description: string, bytes: Uint8Array, limit: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  try {
    for await (const chunk of layerTar(bytes)) {
      total += chunk.length;
      if (total > limit) throw new ImageDiffError(description, `expands to more than ${formatBytes(limit)}, the most slipway diff reads of one layer`);
      yield chunk;
    }
  } catch (e) {
    if (e instanceof LayerBlobError) throw new ImageDiffError(description, e.message);
    throw e;
  }
}
