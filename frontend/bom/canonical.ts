import { createHash } from "node:crypto";
import { buildBom } from "./assemble.js";
import { BomInputError, readingDocument } from "./errors.js";
import type { BomInputs } from "./inputs.js";
import { BOM_SCHEMA, type Bom } from "./model.js";
import { sha256Hex } from "../oci/index.js";

/**
 * bom.json: the model itself, keys sorted at every level, two-space indented, trailing newline. It is the
 * lossless form the CLI reads back, and its sha256 is the BOM's content id (`bomContentId`).
 */
export function writeBomJson(bom: Bom): string {
  let text = written.get(bom);
  if (text === undefined) written.set(bom, (text = `${JSON.stringify(sortKeys(bom), null, 2)}\n`));
  return text;
}

/**
 * A `Bom` is immutable, and every document of a build needs its bom.json (SPDX's namespace and
 * CycloneDX's serial number are its digest): written once per model.
 */
const written = new WeakMap<Bom, string>();

/**
 * The sha256 (hex) of bom.json. SPDX's documentNamespace and CycloneDX's serialNumber derive from it, so
 * they change exactly when a fact changes and anyone can check them with `sha256sum bom.json`.
 */
export function bomContentId(bom: Bom): string {
  return sha256Hex(writeBomJson(bom));
}

/**
 * The documents' creation time: SOURCE_DATE_EPOCH when the build had one, else the Unix epoch — never
 * the wall clock, so a rebuild writes the same bytes.
 */
export function bomCreated(bom: Bom): string {
  return new Date((bom.sourceDateEpoch ?? 0) * 1000).toISOString().replace(/\.000Z$/, "Z");
}

/**
 * An RFC 4122 UUID made from the content id: the first 16 bytes with the version nibble set to 5 and the
 * RFC variant bits, which is how a name-based UUID is laid out.
 */
export function contentUuid(contentId: string): string {
  const hex = contentId.slice(0, 32).split("");
  hex[12] = "5";
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function sha1Hex(data: string | Uint8Array): string {
  return createHash("sha1").update(data).digest("hex");
}

function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x !== null && typeof x === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x).sort()) {
      const value = (x as Record<string, unknown>)[k];
      if (value !== undefined) out[k] = sortKeys(value);
    }
    return out;
  }
  return x;
}

/** Reads bom.json back into a `Bom`, checking every fact (`BomInputError` when damaged or of another schema). */
export function readBomJson(text: string): Bom {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new BomInputError([`not JSON: ${(e as Error).message}`]);
  }
  const schema = (value as { schema?: unknown } | null)?.schema;
  if (schema !== BOM_SCHEMA) throw new BomInputError([`schema: ${JSON.stringify(schema ?? null)} is not ${BOM_SCHEMA}`]);
  return readingDocument(() => buildBom(value as BomInputs));
}
