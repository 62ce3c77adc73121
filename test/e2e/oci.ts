import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { must, scratchDir } from "./harness.js";

/**
 * Reads an OCI layout exported by `--output type=oci` the long way (the test does not trust slipway's own
 * reader): index → image index → the attestation manifest (annotation
 * `vnd.docker.reference.type: attestation-manifest`) → its layers, each an in-toto statement.
 */
export interface OciAttestation {
  readonly predicateType: string;
  readonly statement: { _type: string; predicateType: string; subject: { name: string; digest: Record<string, string> }[]; predicate: unknown };
}

interface Descriptor {
  mediaType: string;
  digest: string;
  annotations?: Record<string, string>;
  platform?: { os: string; architecture: string };
}

export function extractOci(tar: string): string {
  const dir = scratchDir("oci");
  mkdirSync(dir, { recursive: true });
  must("tar", ["-xf", tar, "-C", dir]);
  return dir;
}

function blob(dir: string, digest: string): Buffer {
  return readFileSync(join(dir, "blobs", ...digest.split(":")));
}

function json<T>(dir: string, digest: string): T {
  return JSON.parse(blob(dir, digest).toString("utf8")) as T;
}

export function ociAttestations(dir: string): { imageManifest: string; attestations: OciAttestation[] } {
  const top = JSON.parse(readFileSync(join(dir, "index.json"), "utf8")) as { manifests: Descriptor[] };
  let manifests = top.manifests;
  // BuildKit's OCI export nests the image index one level down.
  if (manifests.length === 1 && manifests[0]!.mediaType === "application/vnd.oci.image.index.v1+json") {
    manifests = json<{ manifests: Descriptor[] }>(dir, manifests[0]!.digest).manifests;
  }
  const att = manifests.find((m) => m.annotations?.["vnd.docker.reference.type"] === "attestation-manifest");
  if (!att) throw new Error(`no attestation manifest in ${dir}`);
  const image = att.annotations!["vnd.docker.reference.digest"]!;
  const manifest = json<{ layers: Descriptor[] }>(dir, att.digest);
  return {
    imageManifest: image,
    attestations: manifest.layers.map((l) => {
      const statement = json<OciAttestation["statement"]>(dir, l.digest);
      return { predicateType: l.annotations?.["in-toto.io/predicate-type"] ?? statement.predicateType, statement };
    }),
  };
}
