import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bomAttestations, estaleiroLabelValue, PREDICATE_TYPES, writeBomDocuments, type Bom } from "../../frontend/bom/index.js";
import { sha256Of } from "./fixtures.js";

/** A content-addressed blob set, as an OCI layout or a registry holds it. */
export class Blobs {
  readonly byDigest = new Map<string, { bytes: Buffer; mediaType: string }>();

  add(content: string | Buffer, mediaType: string): { mediaType: string; digest: string; size: number } {
    const bytes = typeof content === "string" ? Buffer.from(content) : content;
    const digest = `sha256:${sha256Of(bytes)}`;
    this.byDigest.set(digest, { bytes, mediaType });
    return { mediaType, digest, size: bytes.length };
  }

  json(value: unknown, mediaType: string) {
    return this.add(JSON.stringify(value), mediaType);
  }
}

export interface PlatformImage {
  readonly platform: { os: string; architecture: string; variant?: string };
  readonly bom?: Bom;
  /** Attach the attestation manifest (as BuildKit does for an OCI export). */
  readonly attest?: boolean;
  /** Set the estaleiro.bom label in the image config. */
  readonly label?: boolean | string;
}

/**
 * Builds an image the way BuildKit exports one with attestations: index.json → an image index → one
 * manifest per platform plus, per platform, an attestation manifest whose layers are in-toto statements
 * (subject: the platform manifest; predicate: the document) annotated with their predicate type.
 */
export function buildImage(images: readonly PlatformImage[]): { blobs: Blobs; index: unknown; topIndexDigest: string } {
  const blobs = new Blobs();
  const manifests: unknown[] = [];
  for (const image of images) {
    const labels: Record<string, string> = { "org.example.user-label": "kept" };
    if (image.label === true && image.bom) labels["estaleiro.bom"] = estaleiroLabelValue(image.bom);
    if (typeof image.label === "string") labels["estaleiro.bom"] = Buffer.from(image.label).toString("base64");
    const config = blobs.json({ ...image.platform, config: { Labels: labels }, rootfs: { type: "layers", diff_ids: [] } }, "application/vnd.oci.image.config.v1+json");
    const layer = blobs.add(Buffer.from("not really a layer"), "application/vnd.oci.image.layer.v1.tar+gzip");
    const manifest = blobs.json({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config, layers: [layer] }, "application/vnd.oci.image.manifest.v1+json");
    manifests.push({ ...manifest, platform: image.platform });
    if (image.attest && image.bom) {
      const documents = new Map(writeBomDocuments(image.bom).map((d) => [`/${d.name}`, d.content]));
      const layers = bomAttestations().map((a) => {
        const statement = {
          _type: "https://in-toto.io/Statement/v0.1",
          predicateType: a.predicateType,
          subject: [{ name: "_", digest: { sha256: manifest.digest.slice("sha256:".length) } }],
          // BuildKit embeds the predicate file compacted (Go's json.RawMessage).
          predicate: JSON.parse(documents.get(a.path)!),
        };
        return { ...blobs.json(statement, "application/vnd.in-toto+json"), annotations: { "in-toto.io/predicate-type": a.predicateType } };
      });
      const attestationConfig = blobs.json({ architecture: "unknown", os: "unknown", config: {}, rootfs: { type: "layers", diff_ids: [] } }, "application/vnd.oci.image.config.v1+json");
      const attestation = blobs.json({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: attestationConfig, layers }, "application/vnd.oci.image.manifest.v1+json");
      manifests.push({
        ...attestation,
        platform: { architecture: "unknown", os: "unknown" },
        annotations: { "vnd.docker.reference.digest": manifest.digest, "vnd.docker.reference.type": "attestation-manifest" },
      });
    }
  }
  const top = blobs.json({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests }, "application/vnd.oci.image.index.v1+json");
  return { blobs, index: { schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [top] }, topIndexDigest: top.digest };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `slipway-bom-${prefix}-`));
}

/** Writes the image as an OCI layout directory and returns its path. */
export function writeLayoutDir(images: readonly PlatformImage[], dir = tempDir("layout")): string {
  const { blobs, index } = buildImage(images);
  mkdirSync(join(dir, "blobs", "sha256"), { recursive: true });
  writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(join(dir, "index.json"), JSON.stringify(index));
  for (const [digest, blob] of blobs.byDigest) writeFileSync(join(dir, "blobs", "sha256", digest.slice(7)), blob.bytes);
  return dir;
}

/** Packs a directory with the system tar (GNU or pax headers), entries named `./…` as exporters do. */
export function tarDirectory(dir: string, format: "gnu" | "pax", gzip = false): string {
  const out = join(tempDir("tar"), gzip ? "image.tar.gz" : "image.tar");
  execFileSync("tar", [`--format=${format}`, gzip ? "-czf" : "-cf", out, "-C", dir, "."]);
  return out;
}

export { PREDICATE_TYPES };
