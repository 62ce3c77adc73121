// Test helpers in BuildKit's style: marshal, decode every op with the generated classes, assert fields.
import * as pb_1 from "google-protobuf";
import { digestOf, type Definition } from "../../llb/index.js";
import { pb } from "../../llb/proto/github.com/moby/buildkit/solver/pb/ops.js";

// The generated Meta decoder calls `readPackedInt32`, which google-protobuf 4 no longer has (it reads
// packed fields with `readPackableInt32Into`). Tests must decode exec ops with validExitCodes, so add it.
const readerPrototype = pb_1.BinaryReader.prototype as unknown as {
  readPackedInt32?: () => number[];
  readPackableInt32Into(into: number[]): void;
};
readerPrototype.readPackedInt32 ??= function (this: typeof readerPrototype) {
  const values: number[] = [];
  this.readPackableInt32Into(values);
  return values;
};

export interface DecodedOp {
  readonly digest: string;
  readonly bytes: Uint8Array;
  readonly op: pb.Op;
  readonly metadata: pb.OpMetadata | undefined;
}

export interface Decoded {
  readonly ops: readonly DecodedOp[];
  readonly byDigest: ReadonlyMap<string, DecodedOp>;
  /** The terminal op (last). */
  readonly terminal: DecodedOp;
  /** The op the terminal op points at. */
  readonly head: DecodedOp;
  /** The ops that are not terminal, in definition order. */
  readonly body: readonly DecodedOp[];
}

export function decode(definition: Definition): Decoded {
  const ops = definition.ops.map((bytes) => {
    const digest = digestOf(bytes);
    return { digest, bytes, op: pb.Op.deserialize(bytes), metadata: definition.proto.metadata.get(digest) };
  });
  const byDigest = new Map(ops.map((op) => [op.digest, op]));
  const terminal = ops[ops.length - 1]!;
  const head = byDigest.get(terminal.op.inputs[0]!.digest)!;
  return { ops, byDigest, terminal, head, body: ops.slice(0, -1) };
}

/** The op an input of `op` refers to. */
export function inputOp(decoded: Decoded, op: DecodedOp, index: number): DecodedOp {
  return decoded.byDigest.get(op.op.inputs[index]!.digest)!;
}

export function capsOfMetadata(op: DecodedOp): string[] {
  return [...(op.metadata?.caps.keys() ?? [])];
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
