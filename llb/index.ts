/**
 * slipway's LLB layer: build BuildKit's low-level build graph as immutable States and marshal it into a
 * `Definition` whose op bytes (and so digests) are the ones BuildKit's Go client would produce.
 *
 * Pure and synchronous: no I/O, no `node:` imports. Bad arguments are slipway bugs (the grammar has already
 * rejected user mistakes) and throw `LlbArgumentError` at the call.
 *
 * @example
 * const sm = new SourceMap("slipway.hcl", text);
 * const base = image("debian:bookworm", { config });
 * const app = base
 *   .run({ args: ["make"], mounts: [{ kind: "bind", dest: "/src", source: local("context", { sessionId }), readonly: true }],
 *          constraints: mergeConstraints(customName("make"), sm.location(step.range)) })
 *   .root()
 *   .file(mkdir("/srv", 0o755).copy(local("context", { sessionId }), "dist/", "/srv/", { copyDirContents: true }));
 * const definition = marshal(app, { platform: parsePlatform("linux/amd64") });
 */
export { State, scratch, addEnv, dir, user } from "./state.js";
export type { StateOption, StateMeta, NetworkMode, ImageConfig } from "./state.js";
export { EnvList } from "./env-list.js";
export { image, local, git, http } from "./source.js";
export type { ImageOptions, LocalOptions, GitOptions, HttpOptions } from "./source.js";
export { normalizeImageRef } from "./image-ref.js";
export { ExecState, defaultLinuxPath } from "./exec.js";
export type { RunOptions, Mount, BindMount, CacheMount, TmpfsMount, SecretMount, SshMount, SecretEnv } from "./exec.js";
export { FileAction, BoundFileAction, mkdir, mkfile, rm, symlink, copy } from "./file.js";
export { parseOwner } from "./file-owner.js";
export type { CopySource, CopyOptions, MkdirOptions, MkfileOptions, RmOptions, SymlinkOptions } from "./file.js";
export type { Owner, Timestamp } from "./file-owner.js";
export { merge } from "./merge.js";
export { diff } from "./diff.js";
export {
  mergeConstraints,
  noConstraints,
  customName,
  description,
  ignoreCache,
  progressGroup,
  exportCache,
  onPlatform,
  requireCaps,
} from "./constraints.js";
export type { Constraints, SourceLocation, ProgressGroup } from "./constraints.js";
export { SourceMap, toPbRange, toRangeJson } from "./sourcemap.js";
export type { RangeLike, PositionLike, RangeJson, SourceMapOptions } from "./sourcemap.js";
export { normalizePlatform, parsePlatform, formatPlatform, platformsEqual, platformToPb } from "./platform.js";
export type { Platform } from "./platform.js";
export { capsOf, requiredCaps, checkCaps } from "./caps.js";
export { marshal } from "./marshal.js";
export type { MarshalOptions } from "./marshal.js";
export { Definition, decodeOp, fromDefinition } from "./definition.js";
export type { DefinitionHead } from "./definition.js";
export { encodeOp, digestOf, sortedMap, compareUtf8 } from "./canonical.js";
export type { Sha256 } from "./canonical.js";
export { LlbArgumentError, isLlbArgumentError, LlbCapsError, isLlbCapsError } from "./errors.js";
// The generated messages stay inside llb/: callers get States, Definitions and these few wire types (what
// the gateway embeds in a SolveRequest, what `decodeOp` gives back), never the generated \`pb\` namespace.
export type { DefinitionProto, OpProto, SourceInfoProto, SourceOpProto } from "./wire.js";
