import { writeBomJson } from "./canonical.js";
import { BOM_FILES, ESTALEIRO_LABEL, type BomFormat } from "./names.js";
import type { Bom } from "./model.js";
import { writeCycloneDx } from "./write-cyclonedx.js";
import { writeEstaleiroYaml } from "./write-estaleiro.js";
import { writeSpdx } from "./write-spdx.js";

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
