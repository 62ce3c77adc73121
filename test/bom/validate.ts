import { readFileSync } from "node:fs";
import { Spec, Validation } from "@cyclonedx/cyclonedx-library";
import AjvModule from "ajv";
import addFormatsModule from "ajv-formats";

const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;

const SPDX_SCHEMA = new URL("../fixtures/schemas/spdx-2.3.schema.json", import.meta.url).pathname;

let spdxValidator: ReturnType<InstanceType<typeof Ajv>["compile"]> | undefined;

/**
 * Errors of an SPDX 2.3 JSON document: the official JSON schema (draft-07, with formats), then the rules
 * of the specification the schema cannot express. Empty when valid.
 */
export function spdxErrors(text: string): string[] {
  if (spdxValidator === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    spdxValidator = ajv.compile(JSON.parse(readFileSync(SPDX_SCHEMA, "utf8")) as object);
  }
  const doc = JSON.parse(text) as SpdxDoc;
  const errors: string[] = [];
  if (!spdxValidator(doc)) errors.push(...(spdxValidator.errors ?? []).map((e) => `schema: ${e.instancePath} ${e.message}`));

  // Specification rules outside the schema.
  const ids = new Set<string>(["SPDXRef-DOCUMENT"]);
  const idRule = /^SPDXRef-[A-Za-z0-9.-]+$/;
  for (const x of [...(doc.packages ?? []), ...(doc.files ?? [])]) {
    if (!idRule.test(x.SPDXID)) errors.push(`bad SPDXID ${x.SPDXID}`);
    if (ids.has(x.SPDXID)) errors.push(`duplicate SPDXID ${x.SPDXID}`);
    ids.add(x.SPDXID);
  }
  for (const r of doc.relationships ?? []) {
    for (const end of [r.spdxElementId, r.relatedSpdxElement]) if (!ids.has(end)) errors.push(`relationship to unknown element ${end}`);
  }
  const fileIds = new Set((doc.files ?? []).map((f) => f.SPDXID));
  for (const f of doc.files ?? []) {
    const algorithms = f.checksums.map((c) => c.algorithm);
    if (!algorithms.includes("SHA1")) errors.push(`file ${f.fileName} has no SHA1`);
    if (!f.fileName.startsWith("./")) errors.push(`file name ${f.fileName} is not relative`);
  }
  for (const p of doc.packages ?? []) {
    const containsFiles = (doc.relationships ?? []).some((r) => r.spdxElementId === p.SPDXID && r.relationshipType === "CONTAINS" && fileIds.has(r.relatedSpdxElement));
    if (containsFiles && p.filesAnalyzed !== true) errors.push(`package ${p.SPDXID} contains files but filesAnalyzed is not true`);
    if (p.filesAnalyzed === true && p.packageVerificationCode === undefined) errors.push(`package ${p.SPDXID} has filesAnalyzed without a verification code`);
  }
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(doc.creationInfo.created)) errors.push(`created ${doc.creationInfo.created} is not YYYY-MM-DDThh:mm:ssZ`);
  return errors;
}

export interface SpdxDoc {
  SPDXID: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[] };
  packages?: { SPDXID: string; name: string; versionInfo?: string; filesAnalyzed?: boolean; packageVerificationCode?: unknown; downloadLocation: string; primaryPackagePurpose?: string; checksums?: { algorithm: string; checksumValue: string }[]; externalRefs?: { referenceType: string; referenceLocator: string }[] }[];
  files?: { SPDXID: string; fileName: string; checksums: { algorithm: string; checksumValue: string }[] }[];
  relationships?: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

const cycloneDxValidator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);

/** Errors of a CycloneDX 1.6 JSON document by the CycloneDX library's strict validator. Empty when valid. */
export async function cycloneDxErrors(text: string): Promise<string[]> {
  const result = await cycloneDxValidator.validate(text);
  return result === null ? [] : (result as { instancePath: string; message?: string }[]).map((e) => `${e.instancePath} ${e.message ?? ""}`);
}
