/**
 * The BOM's names: document files, predicate types, the estaleiro label, and the attestations that carry
 * the documents. Apart from the writers, so that the frontend, which only points BuildKit at the documents
 * the BOM worker wrote, does not load them.
 */

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
