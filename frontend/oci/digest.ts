import { createHash } from "node:crypto";
import { ImageReadError } from "./errors.js";

/** Lowercase hex SHA-256 of `data` (a string is hashed as UTF-8). */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Checks bytes against a `sha256:` digest: content is trusted only when it is what it claims to be. */
export function verifyDigest(description: string, digest: string, bytes: Uint8Array): Uint8Array {
  const m = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (!m) throw new ImageReadError(description, `unsupported digest ${JSON.stringify(digest)} (only sha256 is read)`);
  const actual = sha256Hex(bytes);
  if (actual !== m[1]) throw new ImageReadError(description, `content of ${digest} has sha256:${actual}; the image is damaged or was altered`);
  return bytes;
}
