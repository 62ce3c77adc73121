import { parsePlatform } from "../../grammar/index.js";
import { ATTESTATION_REFERENCE_DIGEST, ATTESTATION_REFERENCE_TYPE, formatBytes, type ImageStore } from "../oci/index.js";
import { ImageDiffError } from "./errors.js";
import type { ImageDiffLimits } from "./limits.js";

/** A content descriptor, as manifests and indexes hold them. */
export interface Descriptor {
  readonly mediaType?: string;
  readonly digest: string;
  readonly size?: number;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly platform?: { readonly os?: string; readonly architecture?: string; readonly variant?: string };
}

/** One platform's image: its manifest, config and layers, as read. */
export interface PlatformImage {
  /** `linux/amd64`, from the index's descriptor or else the config. */
  readonly platform: string;
  readonly digest: string;
  readonly manifest: Readonly<Record<string, unknown>>;
  readonly configDigest: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly layers: readonly Descriptor[];
  /** The layer's `rootfs.diff_ids` entry (the digest of its uncompressed tar), by position. */
  readonly diffIds: readonly (string | undefined)[];
  /** The attestation manifest BuildKit attaches to the image, when there is one. */
  readonly attestation?: { readonly digest: string; readonly manifest: Readonly<Record<string, unknown>> };
}

/** An image as `slipway diff` compares it: the content-addressed image index (if any) and every platform. */
export interface ImageTree {
  readonly description: string;
  /** The digest that names the image: the registry's answer, or the one index a layout's index.json points at. */
  readonly digest?: string;
  /** The image index, when the image is one (its manifest list is compared through `images`). */
  readonly index?: Readonly<Record<string, unknown>>;
  /** The platforms in the order the index lists them. */
  readonly images: readonly PlatformImage[];
}

const INDEX_TYPES = new Set(["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"]);
const MAX_DEPTH = 4;
/** Far above the 127 layers overlayfs stacks; layers are aligned pairwise, so their count is bounded. */
const MAX_LAYERS = 1000;

/**
 * Reads the structure of the image in `store`: index → (nested indexes) → one manifest per platform, each
 * with its config, layers and attestation manifest. A layout's own index.json (which only names the image)
 * is looked through: when it points at one image index, that index is the image. Every JSON document is
 * bounded by `limits.jsonBytes` and every digest is visited once.
 */
export async function readImageTree(store: ImageStore, limits: ImageDiffLimits): Promise<ImageTree> {
  const reader = new TreeReader(store, limits);
  let root;
  try {
    root = await store.root();
  } catch (e) {
    if (e instanceof SyntaxError) throw new ImageDiffError(store.description, "the manifest or index it names is not JSON");
    throw e;
  }
  let json = object(store.description, root.json, "the root of the image");
  let digest = root.digest;
  let contentAddressed = digest !== undefined;
  const top = descriptors(store.description, json, root.digest === undefined ? "index.json" : "the image index");
  if (root.digest === undefined && top.length === 1) {
    // A layout's index.json names one image: an index (looked through) or a single manifest.
    digest = top[0]!.digest;
    if (top[0]!.mediaType !== undefined && INDEX_TYPES.has(top[0]!.mediaType)) {
      json = await reader.json(top[0]!, "image index");
      contentAddressed = true;
    }
  }
  if (!Array.isArray(json.manifests)) {
    if (digest === undefined) throw new ImageDiffError(store.description, "the root is neither an image index nor an image manifest");
    return { description: store.description, digest, images: [await reader.image(digest, json, undefined)] };
  }
  const images: PlatformImage[] = [];
  const attestations = new Map<string, Descriptor>();
  await reader.walk(json, images, attestations, 0);
  const withAttestations = images.map((i) => {
    const a = attestations.get(i.digest);
    return a === undefined ? i : { ...i, attestation: { digest: a.digest, manifest: reader.attestationManifests.get(a.digest)! } };
  });
  if (withAttestations.length === 0) throw new ImageDiffError(store.description, "contains no image manifest");
  return { description: store.description, ...(digest !== undefined && { digest }), ...(contentAddressed && { index: json }), images: withAttestations };
}

class TreeReader {
  private readonly visited = new Set<string>();
  readonly attestationManifests = new Map<string, Readonly<Record<string, unknown>>>();

  constructor(
    private readonly store: ImageStore,
    private readonly limits: ImageDiffLimits,
  ) {}

  async walk(index: Readonly<Record<string, unknown>>, images: PlatformImage[], attestations: Map<string, Descriptor>, depth: number): Promise<void> {
    if (depth > MAX_DEPTH) throw new ImageDiffError(this.store.description, `image indexes nest more than ${MAX_DEPTH} deep`);
    for (const d of descriptors(this.store.description, index, "the image index")) {
      if (this.visited.has(d.digest)) continue;
      this.visited.add(d.digest);
      if (d.mediaType !== undefined && INDEX_TYPES.has(d.mediaType)) {
        await this.walk(await this.json(d, "image index"), images, attestations, depth + 1);
      } else if (d.annotations?.[ATTESTATION_REFERENCE_TYPE] === "attestation-manifest") {
        const subject = d.annotations[ATTESTATION_REFERENCE_DIGEST];
        if (subject === undefined) continue;
        attestations.set(subject, d);
        this.attestationManifests.set(d.digest, await this.json(d, "attestation manifest"));
      } else {
        images.push(await this.image(d.digest, await this.json(d, "image manifest"), d.platform));
      }
    }
  }

  async image(digest: string, manifest: Readonly<Record<string, unknown>>, platform: Descriptor["platform"]): Promise<PlatformImage> {
    const what = `image manifest ${digest}`;
    const configDescriptor = manifest.config as Descriptor | undefined;
    if (!isDescriptor(configDescriptor) || !Array.isArray(manifest.layers) || !manifest.layers.every(isDescriptor)) {
      throw new ImageDiffError(this.store.description, `${what} is not an image manifest (it needs a config and a list of layers)`);
    }
    if (manifest.layers.length > MAX_LAYERS) throw new ImageDiffError(this.store.description, `${what} lists ${manifest.layers.length} layers, more than the ${MAX_LAYERS} slipway diff reads`);
    const config = await this.json(configDescriptor, "image config", true);
    const rootfs = config.rootfs as { diff_ids?: unknown } | undefined;
    const diffIds = Array.isArray(rootfs?.diff_ids) ? rootfs.diff_ids.map((d) => (typeof d === "string" ? d : undefined)) : [];
    return {
      platform: formatPlatform(platform) ?? formatPlatform(config as Descriptor["platform"]) ?? "unknown",
      digest,
      manifest,
      configDigest: configDescriptor.digest,
      config,
      layers: manifest.layers as Descriptor[],
      diffIds: (manifest.layers as Descriptor[]).map((_, i) => diffIds[i]),
    };
  }

  /** A JSON document by descriptor, refused before it is read when it says it is too large. */
  async json(d: Descriptor, what: string, isBlob = false): Promise<Readonly<Record<string, unknown>>> {
    const name = `${what} ${d.digest}`;
    if (typeof d.size === "number" && d.size > this.limits.jsonBytes) {
      throw new ImageDiffError(this.store.description, `${name} is ${formatBytes(d.size)}, over the ${formatBytes(this.limits.jsonBytes)} a manifest or config may have`);
    }
    if (isBlob) return jsonBlob(this.store, d, this.limits.jsonBytes, what);
    let value: unknown;
    try {
      value = await this.store.manifest(d.digest);
    } catch (e) {
      if (e instanceof SyntaxError) throw new ImageDiffError(this.store.description, `${name} is not JSON`);
      throw e;
    }
    return object(this.store.description, value, name);
  }
}

/** A blob holding a JSON object (a config, an in-toto statement), refused past `limit` bytes. */
export async function jsonBlob(store: ImageStore, d: Descriptor, limit: number, what: string): Promise<Readonly<Record<string, unknown>>> {
  const name = `${what} ${d.digest}`;
  if (typeof d.size === "number" && d.size > limit) throw new ImageDiffError(store.description, `${name} is ${formatBytes(d.size)}, over the ${formatBytes(limit)} it may have`);
  const bytes = await store.blob(d.digest);
  if (bytes.length > limit) throw new ImageDiffError(store.description, `${name} is over the ${formatBytes(limit)} it may have`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ImageDiffError(store.description, `${name} is not JSON`);
  }
  return object(store.description, value, name);
}

function object(description: string, value: unknown, what: string): Readonly<Record<string, unknown>> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ImageDiffError(description, `${what} is not a JSON object`);
  if (nesting(value) > MAX_NESTING) throw new ImageDiffError(description, `${what} nests more than ${MAX_NESTING} levels deep`);
  return value as Record<string, unknown>;
}

/** Deeper than any manifest or config is written; the comparison recurses, so deeper input is refused. */
const MAX_NESTING = 64;

/** How deep a JSON value nests, counted without recursion (the value may be hostile). */
function nesting(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_NESTING) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function descriptors(description: string, index: Readonly<Record<string, unknown>>, what: string): Descriptor[] {
  if (index.manifests === undefined) return [];
  if (!Array.isArray(index.manifests) || !index.manifests.every(isDescriptor)) throw new ImageDiffError(description, `${what} has a "manifests" list that is not a list of descriptors`);
  return index.manifests as Descriptor[];
}

function isDescriptor(d: unknown): d is Descriptor {
  const x = d as Descriptor | undefined;
  return typeof x === "object" && x !== null && typeof x.digest === "string" && /^sha256:[0-9a-f]{64}$/.test(x.digest);
}

function formatPlatform(p: Descriptor["platform"]): string | undefined {
  if (typeof p?.os !== "string" || typeof p.architecture !== "string" || p.os === "unknown") return undefined;
  const text = `${p.os}/${p.architecture}${typeof p.variant === "string" && p.variant !== "" ? `/${p.variant}` : ""}`;
  // Normalised (linux/arm64/v8 is linux/arm64) so that two images name one platform alike.
  return parsePlatform(text).value ?? text;
}
