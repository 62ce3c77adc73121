/**
 * `slipway diff`: why two images differ. Images are read from OCI layouts (directory or archive) or a
 * registry through oci/'s stores and tar reader, with bounds on everything a hostile image
 * could inflate; the comparison is a plain value (`ImageDiff`, the `--json` output) and its rendering.
 */
import { isImageReadError } from "../oci/index.js";
import { diffImages, type ImageDiff, type OpenedImage } from "./compare.js";
import { ImageDiffError } from "./errors.js";
import { DEFAULT_LIMITS, type ImageDiffLimits } from "./limits.js";
import { openImageSource } from "./source.js";
import { readImageTree } from "./tree.js";

export type { DiffSide, FileDiff, FileField, ImageDiff, LayerDiff, LayerRef, PlatformDiff } from "./compare.js";
export type { FieldChange } from "./json-changes.js";
export type { EntryState } from "./layer.js";
export { ImageDiffError, isImageDiffError, printable } from "./errors.js";
export { DEFAULT_LIMITS, type ImageDiffLimits } from "./limits.js";
export { renderImageDiff } from "./render.js";

export interface CompareOptions {
  /** Where relative paths start. */
  readonly cwd: string;
  readonly fetch: typeof globalThis.fetch;
  readonly limits: ImageDiffLimits;
  /** Compare only this platform (`linux/amd64`). */
  readonly platform?: string;
}

const defaults: Readonly<Omit<CompareOptions, "cwd">> = Object.freeze({
  fetch: (...args: Parameters<typeof fetch>) => globalThis.fetch(...args),
  limits: DEFAULT_LIMITS,
});

/**
 * Compares the images `a` and `b` (each a path or an image reference). Throws `ImageDiffError`, naming
 * the input, for anything that cannot be read as an image.
 */
export async function compareImages(a: string, b: string, options: Partial<CompareOptions> = {}): Promise<ImageDiff> {
  const o = { ...defaults, cwd: process.cwd(), ...options };
  const [ia, ib] = await Promise.allSettled([openImage(a, o), openImage(b, o)]);
  try {
    if (ia.status === "rejected") throw ia.reason;
    if (ib.status === "rejected") throw ib.reason;
    for (const image of [ia.value, ib.value]) {
      if (o.platform !== undefined && !image.tree.images.some((i) => i.platform === o.platform)) {
        throw new ImageDiffError(image.source, `has no image for ${o.platform}; it has ${image.tree.images.map((i) => i.platform).join(", ")}`);
      }
    }
    return await withSource(`${a} or ${b}`, () => diffImages(ia.value, ib.value, o.limits, o.platform));
  } finally {
    for (const r of [ia, ib]) if (r.status === "fulfilled") await r.value.close();
  }
}

async function openImage(input: string, o: CompareOptions): Promise<OpenedImage & { close(): Promise<void> }> {
  const source = await openImageSource(input, o);
  try {
    const tree = await withSource(input, () => readImageTree(source.store, o.limits));
    return { source: input, store: source.store, tree, close: () => source.close() };
  } catch (e) {
    await source.close();
    throw e;
  }
}

/** The stores report with `ImageReadError`; as an `ImageDiffError` it names the input the same way. */
async function withSource<T>(input: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (isImageReadError(e)) throw new ImageDiffError(e.source, e.message.slice(e.source.length + 2));
    throw e;
  }
}
