import { ImageReadError } from "./errors.js";
import { DEFAULT_READ_LIMITS } from "./limits.js";

/**
 * Where image content comes from when reading a BOM: an OCI layout (directory or tarball) or a registry.
 * Both give the same three things, and `findBomInImage` needs nothing else.
 */
export interface ImageStore {
  /** Names the image in messages: a path, or a reference. */
  readonly description: string;
  /** The entry point: a layout's index.json, or the manifest (or index) a registry reference names. */
  root(): Promise<{ readonly json: unknown; readonly digest?: string }>;
  /** A manifest or index by digest, verified against it. */
  manifest(digest: string): Promise<unknown>;
  /** A blob by digest, verified against it. */
  blob(digest: string): Promise<Uint8Array>;
}

/** What an image says about its BOM: attested predicates by type, or the estaleiro label. */
export interface ImageBom {
  readonly platform: string;
  /** Predicate JSON text of each in-toto attestation attached to the platform's manifest, by predicate type. */
  readonly predicates: ReadonlyMap<string, string>;
  /** The `estaleiro.bom` label's value, base64-decoded, when the image config has one. */
  readonly estaleiroLabel?: string;
}

export const ATTESTATION_REFERENCE_TYPE = "vnd.docker.reference.type";
export const ATTESTATION_REFERENCE_DIGEST = "vnd.docker.reference.digest";
export const PREDICATE_TYPE_ANNOTATION = "in-toto.io/predicate-type";

interface Descriptor {
  readonly mediaType?: string;
  readonly digest: string;
  readonly platform?: { readonly os?: string; readonly architecture?: string; readonly variant?: string };
  readonly annotations?: Readonly<Record<string, string>>;
}

interface PlatformManifest {
  readonly digest: string;
  readonly platform: string;
}

/**
 * Finds the manifest for `platform` (or the only one), its attestation manifest (index → manifest
 * annotated `vnd.docker.reference.type: attestation-manifest` → layers annotated
 * `in-toto.io/predicate-type`, each an in-toto statement whose `predicate` is the document), and the
 * `estaleiro.bom` label of its config.
 */
export async function findBomInImage(store: ImageStore, platform: string | undefined, wantedPredicates: readonly string[]): Promise<ImageBom> {
  const root = await store.root();
  const images: PlatformManifest[] = [];
  const attestations = new Map<string, string>();
  await walk(store, root.json, root.digest, { images, attestations, visited: new Set(root.digest !== undefined ? [root.digest] : []) }, 0);
  let chosen = choosePlatform(store.description, images, platform);
  const config = await imageConfig(store, chosen.digest);
  if (chosen.platform === "unknown" && config?.os !== undefined && config.architecture !== undefined) {
    // A reference naming one manifest has no descriptor to say its platform; its config does.
    chosen = { digest: chosen.digest, platform: `${config.os}/${config.architecture}${config.variant ? `/${config.variant}` : ""}` };
    if (platform !== undefined && chosen.platform !== platform) throw new ImageReadError(store.description, `is an image for ${chosen.platform}, not ${platform}`);
  }

  const predicates = new Map<string, string>();
  const attestationDigest = attestations.get(chosen.digest);
  if (attestationDigest !== undefined) {
    // Every field below comes from the image: anything may be missing or of another type.
    const manifest = (await store.manifest(attestationDigest)) as { layers?: unknown } | null;
    const layers = Array.isArray(manifest?.layers) ? (manifest.layers as (Descriptor | null)[]) : [];
    for (const layer of layers) {
      const type = layer?.annotations?.[PREDICATE_TYPE_ANNOTATION];
      if (typeof type !== "string" || typeof layer?.digest !== "string" || !wantedPredicates.includes(type) || predicates.has(type)) continue;
      predicates.set(type, predicateOf(store.description, await store.blob(layer.digest), type, chosen.digest));
    }
  }
  const label: unknown = config?.config?.Labels?.["estaleiro.bom"];
  if (label !== undefined && typeof label !== "string") throw new ImageReadError(store.description, "the estaleiro.bom label is not a string");
  return {
    platform: chosen.platform,
    predicates,
    ...(label !== undefined ? { estaleiroLabel: Buffer.from(label, "base64").toString("utf8") } : {}),
  };
}

const INDEX_TYPES = new Set(["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"]);

interface Walk {
  readonly images: PlatformManifest[];
  readonly attestations: Map<string, string>;
  /** Digests of every index and manifest met, so that each is walked (and listed) once. */
  readonly visited: Set<string>;
}

/**
 * Collects the platform manifests and attestation manifests under an index. Each digest is visited once
 * and at most `DEFAULT_READ_LIMITS.manifests` in all: indexes that name one another many times over (a
 * fan-out of nested indexes) would otherwise be walked once per path to them.
 */
async function walk(store: ImageStore, json: unknown, digest: string | undefined, w: Walk, depth: number): Promise<void> {
  if (depth > 4) throw new ImageReadError(store.description, "indexes nest more than four deep");
  const node = json as { mediaType?: string; manifests?: Descriptor[]; config?: unknown };
  if (Array.isArray(node?.manifests)) {
    for (const d of node.manifests) {
      if (typeof d?.digest !== "string" || w.visited.has(d.digest)) continue;
      w.visited.add(d.digest);
      if (w.visited.size > DEFAULT_READ_LIMITS.manifests) throw new ImageReadError(store.description, `names more than ${DEFAULT_READ_LIMITS.manifests} manifests and indexes; slipway reads images with fewer`);
      if (d.mediaType !== undefined && INDEX_TYPES.has(d.mediaType)) {
        await walk(store, await store.manifest(d.digest), d.digest, w, depth + 1);
      } else if (d.annotations?.[ATTESTATION_REFERENCE_TYPE] === "attestation-manifest") {
        const subject = d.annotations[ATTESTATION_REFERENCE_DIGEST];
        if (typeof subject === "string") w.attestations.set(subject, d.digest);
      } else {
        w.images.push({ digest: d.digest, platform: formatPlatform(d.platform) });
      }
    }
  } else if (node?.config !== undefined && digest !== undefined) {
    // A registry reference naming a single-platform manifest directly.
    w.images.push({ digest, platform: "unknown" });
  } else {
    throw new ImageReadError(store.description, "neither an image index nor an image manifest");
  }
}

function formatPlatform(p: Descriptor["platform"]): string {
  if (p?.os === undefined || p.architecture === undefined) return "unknown";
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ""}`;
}

function choosePlatform(description: string, images: readonly PlatformManifest[], platform: string | undefined): PlatformManifest {
  const known = images.filter((i) => i.platform !== "unknown/unknown");
  if (platform !== undefined) {
    const match = known.find((i) => i.platform === platform) ?? (known.length === 1 && known[0]!.platform === "unknown" ? known[0] : undefined);
    if (match !== undefined) return match;
    throw new ImageReadError(description, `no image for platform ${platform}; it has ${list(known)}`);
  }
  if (known.length === 1) return known[0]!;
  if (known.length === 0) throw new ImageReadError(description, "contains no image manifest");
  throw new ImageReadError(description, `holds images for ${list(known)}; choose one with --platform`);
}

function list(images: readonly PlatformManifest[]): string {
  return images.length === 0 ? "no images" : images.map((i) => i.platform).join(", ");
}

function predicateOf(description: string, bytes: Uint8Array, type: string, imageDigest: string): string {
  let statement: { predicateType?: unknown; subject?: { digest?: Record<string, string> }[]; predicate?: unknown };
  try {
    statement = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ImageReadError(description, `the ${type} attestation is not JSON`);
  }
  if (typeof statement !== "object" || statement === null) throw new ImageReadError(description, `the ${type} attestation is not an in-toto statement`);
  if (statement.predicateType !== type) throw new ImageReadError(description, `the ${type} attestation layer holds a ${JSON.stringify(statement.predicateType)} statement`);
  const hex = imageDigest.replace(/^sha256:/, "");
  const subjects: unknown = statement.subject ?? [];
  if (!Array.isArray(subjects)) throw new ImageReadError(description, `the ${type} attestation's subject is not a list`);
  if (subjects.length > 0 && !subjects.some((s: { digest?: Record<string, unknown> } | null) => s?.digest?.["sha256"] === hex)) {
    throw new ImageReadError(description, `the ${type} attestation is about another image (its subject is not ${imageDigest})`);
  }
  // BuildKit stored the predicate compacted; writers indent by two spaces, so this is the file as written.
  return `${JSON.stringify(statement.predicate, null, 2)}\n`;
}

interface ImageConfig {
  readonly os?: string;
  readonly architecture?: string;
  readonly variant?: string;
  readonly config?: { readonly Labels?: Readonly<Record<string, string>> };
}

async function imageConfig(store: ImageStore, manifestDigest: string): Promise<ImageConfig | undefined> {
  const manifest = (await store.manifest(manifestDigest)) as { config?: Descriptor } | null;
  if (typeof manifest?.config?.digest !== "string") return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(await store.blob(manifest.config.digest))) as ImageConfig;
  } catch (e) {
    if (e instanceof SyntaxError) throw new ImageReadError(store.description, `the image config ${manifest.config.digest} is not JSON`);
    throw e;
  }
}
