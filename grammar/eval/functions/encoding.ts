import { ANY, STRING } from "../types.js";
import { LIMITS } from "../../source/limits.js";
import { fromJson, jsonNesting, stringValue, type Value } from "../value.js";
import { asString } from "./args.js";
import { ArgumentError, type FunctionDef } from "./function.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = new Map([...ALPHABET].map((c, i) => [c, i] as const));

/** Standard base64 (RFC 4648 §4, with padding) of bytes. */
export function base64Encode(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += ALPHABET[a >> 2]! + ALPHABET[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? "=" : ALPHABET[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? "=" : ALPHABET[c & 63]!;
  }
  return out;
}

/** The bytes of standard, padded base64, or undefined when the text is not that. */
export function base64Decode(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const sextets: number[] = [];
    for (let j = 0; j < 4; j++) {
      const ch = text[i + j]!;
      if (ch === "=" && last && j >= 4 - padding) continue;
      const v = DECODE.get(ch);
      if (v === undefined) return undefined;
      sextets.push(v);
    }
    const [a = 0, b = 0, c = 0, d = 0] = sextets;
    const triple = (a << 18) | (b << 12) | (c << 6) | d;
    for (let k = 0; k < sextets.length - 1; k++) out[o++] = (triple >> (16 - 8 * k)) & 255;
  }
  return out;
}

/** JSON text of a value, with object keys sorted as HCL's jsonencode does. */
function jsonOf(v: Value): string {
  switch (v.kind) {
    case "string":
      return JSON.stringify(v.value);
    case "number":
      return JSON.stringify(v.value);
    case "bool":
      return String(v.value);
    case "null":
    case "unknown":
      return "null";
    case "tuple":
      return `[${v.items.map(jsonOf).join(",")}]`;
    case "object": {
      const keys = [...v.entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${keys.map((k) => `${JSON.stringify(k)}:${jsonOf(v.entries.get(k)!)}`).join(",")}}`;
    }
  }
}

/** base64 and JSON encodings. */
export const encodingFunctions: readonly FunctionDef[] = [
  {
    name: "base64encode",
    description: "The base64 encoding of a string's UTF-8 bytes.",
    params: [{ name: "str", type: STRING }],
    impl: ([s]) => stringValue(base64Encode(new TextEncoder().encode(asString(s!)))),
  },
  {
    name: "base64decode",
    description: "Decodes base64 into a string; the decoded bytes must be UTF-8 text.",
    params: [{ name: "str", type: STRING }],
    impl: ([s]) => {
      const bytes = base64Decode(asString(s!));
      if (!bytes) throw new ArgumentError(0, "the string is not valid base64 (standard alphabet, with = padding)");
      try {
        return stringValue(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
      } catch {
        throw new ArgumentError(0, "the decoded bytes are not valid UTF-8 text");
      }
    },
  },
  {
    name: "jsonencode",
    description: "The JSON text of a value (object keys sorted).",
    params: [{ name: "value", type: ANY, allowNull: true }],
    impl: ([v]) => stringValue(jsonOf(v!)),
  },
  {
    name: "jsondecode",
    description: "The value that a JSON text describes.",
    params: [{ name: "str", type: STRING }],
    impl: ([s]) => {
      const text = asString(s!);
      if (jsonNesting(text) > LIMITS.valueDepth) {
        throw new ArgumentError(0, `the JSON nests arrays and objects more than ${LIMITS.valueDepth} deep, which is slipway's limit`);
      }
      try {
        return fromJson(JSON.parse(text));
      } catch (e) {
        throw new ArgumentError(0, `the string is not valid JSON: ${(e as Error).message}`);
      }
    },
  },
];
