import { parsePlatform } from "../../grammar/index.js";
import { formatImageRef, isImageReadError, LayerBlobError, layerTar, parseImageRef, registryStore, type ImageStore } from "../oci/index.js";
import type { ImageFiles } from "../debian/index.js";
import { ImageFilesError } from "./errors.js";
import { layerFiles, type Layer, type LayerFilesOptions } from "./layers.js";

export interface RegistryImageOptions extends LayerFilesOptions {
  /** `os/arch[/variant]`: which manifest of a multi-platform image to read. */
  readonly platform: string;
  /** A registry mirror for docker.io images (`http://127.0.0.1:5000`); none by default. */
  readonly mirror: string | undefined;
  readonly fetch: typeof globalThis.fetch;
}

/** An image read from its registry: what the reference resolved to, and its root filesystem. */
export interface RegistryImage {
  /** The reference, normalised: `docker.io/library/debian:bookworm`. */
  readonly reference: string;
  /**
   * The digest the reference resolves to: the index's for a multi-platform image, as BuildKit's
   * ResolveImageConfig reports it, so a lock made here pins the base as a build does.
   */
  readonly digest: string;
  /** The digest of the platform's own manifest. */
  readonly manifestDigest: string;
  /** The platform read, normalised. */
  readonly platform: string;
  readonly files: ImageFiles;
}

const defaultOptions: Readonly<Omit<RegistryImageOptions, "keep">> = Object.freeze({
  platform: "linux/amd64",
  mirror: undefined,
  fetch: (...args: Parameters<typeof fetch>) => globalThis.fetch(...args),
});

const CREDENTIALS_ADVICE = "slipway lock reads registries anonymously; make the base image readable without logging in, or produce the lock with the `--target lock` build, which uses BuildKit's credentials";

/**
 * Reads `reference` from its registry (anonymously; plain http for localhost and 127.0.0.1; docker.io
 * through `mirror` when one is given): resolves it to the manifest for `platform` (index → manifest),
 * fetches every layer, checked against its digest, and gives the files those layers make.
 */
export async function readRegistryImage(reference: string, options: Partial<RegistryImageOptions> = {}): Promise<RegistryImage> {
  const o = { ...defaultOptions, ...options };
  const ref = parseImageRef(reference);
  if (!ref) throw new ImageFilesError(reference, "is not an image reference");
  const name = formatImageRef(ref);
  const wanted = normalisedPlatform(o.platform);
  if (!wanted) throw new ImageFilesError(name, `"${o.platform}" is not a platform (write os/arch[/variant], e.g. linux/amd64)`);
  try {
    const store = registryStore(name, { fetch: o.fetch, ...(o.mirror !== undefined && { mirror: o.mirror }), credentialsAdvice: CREDENTIALS_ADVICE, maxBlobBytes: Number.MAX_SAFE_INTEGER });
    const root = await store.root();
    if (root.digest === undefined) throw new ImageFilesError(name, "the registry did not say which digest the reference names");
    const manifestDigest = await platformManifest(store, name, root.json, root.digest, wanted);
    const manifest = (manifestDigest === root.digest ? root.json : await store.manifest(manifestDigest)) as ImageManifest;
    if (!Array.isArray(manifest.layers) || typeof manifest.config?.digest !== "string") {
      throw new ImageFilesError(name, `manifest ${manifestDigest} is not an image manifest (it has no config and layers)`);
    }
    const config = JSON.parse(new TextDecoder().decode(await store.blob(manifest.config.digest))) as { os?: string; architecture?: string; variant?: string };
    const actual = normalisedPlatform(`${config.os}/${config.architecture}${config.variant ? `/${config.variant}` : ""}`);
    if (actual !== wanted) throw new ImageFilesError(name, `is an image for ${actual ?? `${config.os}/${config.architecture}`}, not ${wanted}`);
    const layers = manifest.layers.map((d) => registryLayer(store, name, d));
    const files = await layerFiles(layers, { ...(options.keep && { keep: options.keep }) });
    return { reference: name, digest: root.digest, manifestDigest, platform: wanted, files };
  } catch (e) {
    if (isImageReadError(e)) throw new ImageFilesError(e.source, e.message.slice(e.source.length + 2));
    throw e;
  }
}

interface Descriptor {
  readonly mediaType?: string;
  readonly digest: string;
  readonly platform?: { readonly os?: string; readonly architecture?: string; readonly variant?: string };
}

interface ImageManifest {
  readonly config?: Descriptor;
  readonly layers?: readonly Descriptor[];
}

const INDEX_TYPES = new Set(["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"]);

/** The digest of the manifest for `platform`: the root itself when it is one, else the index's entry. */
async function platformManifest(store: ImageStore, name: string, json: unknown, digest: string, platform: string): Promise<string> {
  const offered: string[] = [];
  const found = await findInIndex(store, name, json, digest, platform, offered, 0);
  if (found !== undefined) return found;
  throw new ImageFilesError(name, `has no image for ${platform}; it has ${offered.length > 0 ? offered.join(", ") : "none"} (choose one with --platform)`);
}

async function findInIndex(store: ImageStore, name: string, json: unknown, digest: string, platform: string, offered: string[], depth: number): Promise<string | undefined> {
  const node = json as { manifests?: Descriptor[] };
  if (!Array.isArray(node?.manifests)) return depth === 0 ? digest : undefined;
  if (depth > 2) throw new ImageFilesError(name, "image indexes nest more than two deep");
  for (const d of node.manifests) {
    if (d.mediaType !== undefined && INDEX_TYPES.has(d.mediaType)) {
      const nested = await findInIndex(store, name, await store.manifest(d.digest), d.digest, platform, offered, depth + 1);
      if (nested !== undefined) return nested;
      continue;
    }
    const p = d.platform && normalisedPlatform(`${d.platform.os}/${d.platform.architecture}${d.platform.variant ? `/${d.platform.variant}` : ""}`);
    if (!p) continue; // attestation manifests say unknown/unknown
    if (p === platform) return d.digest;
    offered.push(p);
  }
  return undefined;
}

function registryLayer(store: ImageStore, name: string, d: Descriptor): Layer {
  const description = `${name} layer ${d.digest}`;
  // Kept compressed: a file the first pass did not keep is read from the same bytes again.
  let blob: Promise<Uint8Array> | undefined;
  return {
    description,
    async *tar() {
      const bytes = await (blob ??= store.blob(d.digest));
      yield* uncompressed(description, bytes);
    },
  };
}

/** The layer's tar (gzip, zstd or plain: `layerTar`). */
async function* uncompressed(description: string, bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  try {
    yield* layerTar(bytes);
  } catch (e) {
    if (e instanceof LayerBlobError) throw new ImageFilesError(description, e.message);
    throw e;
  }
}

function normalisedPlatform(text: string): string | undefined {
  return parsePlatform(text).value;
}
