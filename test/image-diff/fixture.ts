import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Blobs, tempDir } from "../bom/oci-fixture.js";
import { sha256Digest, tar, type TarSpec } from "../cli/registry-fixture.js";

/** One platform's image, for `slipway diff` tests: its layers as tar entries, and config fields. */
export interface TestImage {
  readonly platform?: string;
  readonly layers: readonly (readonly TarSpec[])[];
  /** Top-level config fields (created, history, config: {Env, Labels, …}) over the defaults. */
  readonly config?: Record<string, unknown>;
  /** Store layers uncompressed. */
  readonly plain?: boolean;
  /** In-toto statements by predicate type, attached in an attestation manifest as BuildKit does. */
  readonly attestations?: Readonly<Record<string, unknown>>;
}

const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

/**
 * Writes images as BuildKit exports them with `--output type=oci,tar=false`: index.json → an image index →
 * one manifest per platform → config and gzip layers. Returns the layout directory.
 */
export function writeLayout(images: readonly TestImage[], dir = tempDir("diff-layout")): string {
  const blobs = new Blobs();
  const manifests = images.flatMap((image) => {
    const [os, architecture, variant] = (image.platform ?? "linux/amd64").split("/");
    const tars = image.layers.map((entries) => tar(entries));
    const layers = tars.map((t) =>
      image.plain ? blobs.add(Buffer.from(t), "application/vnd.oci.image.layer.v1.tar") : blobs.add(gzipSync(t), "application/vnd.oci.image.layer.v1.tar+gzip"),
    );
    const config = blobs.json(
      {
        architecture,
        os,
        ...(variant && { variant }),
        created: "2023-11-14T22:13:20Z",
        config: { Env: ["PATH=/usr/bin:/bin"], Entrypoint: ["/app"] },
        history: tars.map(() => ({ created: "2023-11-14T22:13:20Z", created_by: "slipway" })),
        ...image.config,
        rootfs: { type: "layers", diff_ids: tars.map((t) => sha256Digest(t)) },
      },
      "application/vnd.oci.image.config.v1+json",
    );
    const manifest = blobs.json({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers }, OCI_MANIFEST);
    const platform = { ...manifest, platform: { os, architecture, ...(variant && { variant }) } };
    if (image.attestations === undefined) return [platform];
    const statements = Object.entries(image.attestations).map(([type, statement]) => ({
      ...blobs.json(statement, "application/vnd.in-toto+json"),
      annotations: { "in-toto.io/predicate-type": type },
    }));
    const attestationConfig = blobs.json({ architecture: "unknown", os: "unknown", rootfs: { type: "layers", diff_ids: [] } }, "application/vnd.oci.image.config.v1+json");
    const attestation = blobs.json({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: attestationConfig, layers: statements }, OCI_MANIFEST);
    return [
      platform,
      {
        ...attestation,
        platform: { architecture: "unknown", os: "unknown" },
        annotations: { "vnd.docker.reference.digest": manifest.digest, "vnd.docker.reference.type": "attestation-manifest" },
      },
    ];
  });
  const index = blobs.json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }, OCI_INDEX);
  mkdirSync(join(dir, "blobs", "sha256"), { recursive: true });
  writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ ...index, annotations: { "org.opencontainers.image.ref.name": "latest" } }] }));
  for (const [digest, blob] of blobs.byDigest) writeFileSync(join(dir, "blobs", "sha256", digest.slice(7)), blob.bytes);
  return dir;
}

/** The digest a layout's index.json points at: the image index. */
export function indexDigest(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, "index.json"), "utf8")) as { manifests: { digest: string }[] }).manifests[0]!.digest;
}
