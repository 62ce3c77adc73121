import { writeBomJson } from "./canonical.js";
import type { Bom } from "./model.js";
import { writeCycloneDx } from "./write-cyclonedx.js";
import { writeEstaleiroYaml } from "./write-estaleiro.js";
import { writeSpdx } from "./write-spdx.js";

/** The BOM documents' file names in the side-tree (and in `bom { path = … }` inside the image). */
export const BOM_FILES = {
  estaleiro: "bom.yaml",
  spdx: "bom.spdx.json",
  cyclonedx: "bom.cdx.json",
  /** The model itself, lossless; what `slipway bom` reads back. */
  model: "bom.json",
} as const;

export type BomFormat = keyof typeof BOM_FILES;

/** in-toto predicate types. BuildKit skips its own SBOM scan when an SPDX one is present. */
export const PREDICATE_TYPES = {
  spdx: "https://spdx.dev/Document",
  cyclonedx: "https://cyclonedx.org/bom",
  model: "https://slipway.dev/bom/v1",
} as const;

/** estaleiro's image label: base64 of bom.yaml. */
export const ESTALEIRO_LABEL = "estaleiro.bom";

export interface BomDocument {
  readonly format: BomFormat;
  /** File name in the side-tree. */
  readonly name: string;
  /** UTF-8 text, trailing newline. */
  readonly content: string;
}

/** Every document, in a fixed order (bom.cdx.json, bom.json, bom.spdx.json, bom.yaml). */
export function writeBomDocuments(bom: Bom): readonly BomDocument[] {
  const documents: BomDocument[] = [
    { format: "cyclonedx", name: BOM_FILES.cyclonedx, content: writeCycloneDx(bom) },
    { format: "model", name: BOM_FILES.model, content: writeBomJson(bom) },
    { format: "spdx", name: BOM_FILES.spdx, content: writeSpdx(bom) },
    { format: "estaleiro", name: BOM_FILES.estaleiro, content: writeEstaleiroYaml(bom) },
  ];
  return documents;
}

/**
 * One in-toto attestation for the gateway's `Result.attestations[platform]`, as plain data: the lead
 * turns it into `pb.Attestation{kind: InToto, ref: <side-tree ref>, path, inTotoPredicateType, metadata}`.
 * `path` names a file in the side-tree holding the predicate JSON only (BuildKit wraps it in the
 * statement and adds the image as subject). No `sbom-core` metadata: BuildKit would then rewrite the SPDX
 * document with layer information, and the attested bytes would no longer be ours.
 */
export interface BomAttestation {
  readonly kind: "in-toto";
  readonly path: string;
  readonly predicateType: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * The attestations for one platform's BOM, for documents written at `directory` in the side-tree.
 * bom.yaml is not attested: a predicate must be JSON, and bom.json carries the same facts.
 */
export function bomAttestations(directory = "/"): readonly BomAttestation[] {
  const at = (name: string) => `${directory.replace(/\/+$/, "")}/${name}`;
  return [
    { kind: "in-toto", path: at(BOM_FILES.spdx), predicateType: PREDICATE_TYPES.spdx, metadata: { reason: "sbom" } },
    { kind: "in-toto", path: at(BOM_FILES.cyclonedx), predicateType: PREDICATE_TYPES.cyclonedx, metadata: { reason: "sbom" } },
    { kind: "in-toto", path: at(BOM_FILES.model), predicateType: PREDICATE_TYPES.model, metadata: { reason: "sbom" } },
  ];
}

/** The `estaleiro.bom` label value: standard base64 of bom.yaml's UTF-8 bytes. */
export function estaleiroLabelValue(bom: Bom): string {
  return Buffer.from(writeEstaleiroYaml(bom), "utf8").toString("base64");
}

/**
 * `labels` plus `estaleiro.bom`, for images that opted in. A label the user declared wins: estaleiro
 * replaced every label, slipway never replaces one.
 */
export function withEstaleiroLabel(labels: Readonly<Record<string, string>>, bom: Bom): Record<string, string> {
  if (Object.prototype.hasOwnProperty.call(labels, ESTALEIRO_LABEL)) return { ...labels };
  return { ...labels, [ESTALEIRO_LABEL]: estaleiroLabelValue(bom) };
}
