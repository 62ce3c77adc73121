import type { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";

/** The generated LLB messages llb's public API hands out, by name (see index.ts). */
export type DefinitionProto = pb.Definition;
export type OpProto = pb.Op;
export type SourceOpProto = pb.SourceOp;
export type SourceInfoProto = pb.SourceInfo;
