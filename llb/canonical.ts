/**
 * Canonical op bytes. BuildKit (since v0.18) re-marshals every op it receives with Go's deterministic
 * protobuf encoding and uses *that* digest for progress, errors and the source-map lookup; when our bytes
 * differ, builds still work but failures no longer point at the declaration. So every `pb.Op` is written
 * here the way Go writes it:
 *
 * - `Op` fields in the order inputs(1), platform(10), constraints(11), then the `op` oneof. protobuf-go
 *   writes oneofs last "to preserve compatibility with historic wire output"; the generated `serialize()`
 *   writes declaration order, which puts the oneof first, so `Op` is assembled by hand.
 * - Every other message uses the generated `serialize()`, which already matches Go (ascending field numbers,
 *   proto3 defaults omitted, set sub-messages written even when empty, packed repeated scalars, -1 as a
 *   10-byte varint) except for maps: protoc-gen-ts writes a JS `Map` in insertion order, so every map must
 *   be built with {@link sortedMap}. The one map inside an op (`SourceOp.attrs`) is re-sorted here anyway.
 */
import * as pb_1 from "google-protobuf";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";

/** Go's string order: bytewise UTF-8, which is code point order (JS `<` compares UTF-16 code units). */
export function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** A `Map` whose insertion order is Go's key order, so protoc-gen-ts writes it the way Go does. */
export function sortedMap<V>(entries: Iterable<readonly [string, V]>): Map<string, V> {
  return new Map([...entries].sort(([a], [b]) => compareUtf8(a, b)));
}

/** A SHA-256 implementation: bytes in, the 32-byte digest out. */
export type Sha256 = (bytes: Uint8Array) => Uint8Array;

/**
 * `sha256:<hex>` of `bytes`: an op's digest is the digest of the exact bytes sent. `hash` defaults to
 * @noble/hashes (llb/ runs anywhere); Node callers may pass node:crypto's, several times faster.
 */
export function digestOf(bytes: Uint8Array, hash: Sha256 = sha256): string {
  return `sha256:${bytesToHex(hash(bytes))}`;
}

const ONEOF_FIELDS = { exec: 2, source: 3, file: 4, merge: 6, diff: 7 } as const;

/** The canonical bytes of `op` (see the module comment). `op` itself is left untouched. */
export function encodeOp(op: pb.Op): Uint8Array {
  const writer = new pb_1.BinaryWriter();
  for (const input of op.inputs) writer.writeMessage(1, input, () => input.serialize(writer));
  if (op.has_platform) writer.writeMessage(10, op.platform, () => op.platform.serialize(writer));
  if (op.has_constraints) writer.writeMessage(11, op.constraints, () => op.constraints.serialize(writer));
  const kind = op.op;
  if (kind !== "none") {
    const body = kind === "source" ? withSortedAttrs(op.source) : op[kind];
    writer.writeMessage(ONEOF_FIELDS[kind], body, () => body.serialize(writer));
  }
  return writer.getResultBuffer();
}

function withSortedAttrs(source: pb.SourceOp): pb.SourceOp {
  return new pb.SourceOp({ identifier: source.identifier, attrs: sortedMap(source.attrs) });
}
