/**
 * The bill of materials: one model (`Bom`, built from plain facts by `buildBom`), writers for every
 * document, the attestations that carry them, and the tooling that reads BOMs back and diffs them.
 */
export * from "./model.js";
export type * from "./inputs.js";
export { buildBom, parseDpkgSource } from "./assemble.js";
export { BomInputError, BomReadError, isBomInputError, isBomReadError } from "./errors.js";
export { bomContentId, bomCreated, readBomJson, writeBomJson } from "./canonical.js";
export { writeEstaleiroYaml } from "./write-estaleiro.js";
export { readEstaleiroYaml, isPlainEstaleiroYaml } from "./read-estaleiro.js";
export { writeSpdx } from "./write-spdx.js";
export { writeCycloneDx } from "./write-cyclonedx.js";
export { purl, debPurl, ociPurl, type PurlParts } from "./purl.js";
export { imagePackages, sourcePackagesOf, type ImagePackage, type SourcePackage } from "./image-packages.js";
export { BOM_FILES, ESTALEIRO_LABEL, PREDICATE_TYPES, bomAttestations, type BomAttestation, type BomFormat } from "./names.js";
export { estaleiroLabelValue, withEstaleiroLabel, writeBomDocuments, type BomDocument } from "./attest.js";
export {
  diffBoms,
  isEmptyDiff,
  type BomDiff,
  type Changes,
  type FileChange,
  type FileState,
  type PackageChange,
  type PackageState,
  type SourceChange,
  type SourceState,
} from "./diff.js";
export { renderBomDiff } from "./render-diff.js";
export { renderBomSummary } from "./render-summary.js";
export { readBomSource, bomDocument, type BomSource, type ReadBomOptions } from "./read.js";
export { compareStrings } from "./order.js";
