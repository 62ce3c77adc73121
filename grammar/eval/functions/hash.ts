import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { STRING } from "../types.js";
import { stringValue } from "../value.js";
import { asString } from "./args.js";
import type { FunctionDef } from "./function.js";

/** Hash functions (pure JavaScript, so that grammar/ runs without node:crypto). */
export const hashFunctions: readonly FunctionDef[] = [
  {
    name: "sha256",
    description: "The SHA-256 digest of a string's UTF-8 bytes, as 64 lowercase hex digits.",
    params: [{ name: "str", type: STRING }],
    impl: ([s]) => stringValue(bytesToHex(sha256(new TextEncoder().encode(asString(s!))))),
  },
];
