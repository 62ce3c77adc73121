/**
 * The graph behind a State. A vertex is one op, immutable once built, with its output indices fixed at
 * construction; `build` turns it into a `pb.Op` once the digests of its inputs are known (in `marshal`).
 */
import type { Constraints, SourceLocation } from "./constraints.js";
import { LlbArgumentError } from "./errors.js";
import type { Platform } from "./platform.js";
import type { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";

/** One output of a vertex: what a State points at and what an op input refers to. */
export interface Output {
  readonly vertex: Vertex;
  readonly index: number;
  /** The platform the output was built for, when the op fixes one (an image with a platform). */
  readonly platform?: Platform;
}

/** What a vertex may ask of `marshal` while building its op. */
export interface BuildContext {
  /** The platform for ops that need one and fix none (`marshal`'s `platform` option). */
  readonly platform: Platform | undefined;
  /** The daemon's LLB caps, when `marshal` was given them. */
  readonly caps: ReadonlySet<string> | undefined;
  /** A fresh `pb.Input` for `output`, whose vertex has already been marshalled. */
  input(output: Output): pb.Input;
}

/** A vertex's op: built here, or bytes taken verbatim from another definition. */
export type BuiltVertex =
  | { readonly kind: "op"; readonly op: pb.Op }
  | {
      readonly kind: "bytes";
      readonly bytes: Uint8Array;
      readonly metadata: pb.OpMetadata | undefined;
      readonly locations: readonly SourceLocation[];
    };

export interface Vertex {
  /** The distinct outputs this op reads, in a fixed order (marshal walks them first). */
  readonly inputs: readonly Output[];
  readonly constraints: Constraints;
  build(context: BuildContext): BuiltVertex;
}

/** The platform of an op that must have one: its own, then the state's, then marshal's default. */
export function resolvePlatform(context: BuildContext, ...candidates: readonly (Platform | undefined)[]): Platform {
  const platform = candidates.find((p) => p !== undefined) ?? context.platform;
  if (!platform) {
    throw new LlbArgumentError(
      "an image or exec op has no platform: give marshal a `platform` option (the target platform) or pin the op",
    );
  }
  return platform;
}

/** Appends the input for `output` to `inputs` unless an equal one (digest and index) is there; its position. */
export function addInput(inputs: pb.Input[], context: BuildContext, output: Output): number {
  const input = context.input(output);
  const at = inputs.findIndex((other) => other.digest === input.digest && Number(other.index) === Number(input.index));
  if (at >= 0) return at;
  inputs.push(input);
  return inputs.length - 1;
}
