/**
 * `marshal`: a State's graph → `Definition`. Inputs are marshalled before the ops that read them; vertices are
 * deduplicated by identity, then ops by digest (their metadata and locations merged); the terminal op comes
 * last. Every op's bytes are canonical (canonical.ts), so the digests here are the ones BuildKit reports.
 */
import { capsOf } from "./caps.js";
import { compareUtf8, digestOf, encodeOp, sortedMap, type Sha256 } from "./canonical.js";
import type { Constraints, ProgressGroup, SourceLocation } from "./constraints.js";
import { Definition } from "./definition.js";
import { normalizePlatform, type Platform } from "./platform.js";
import { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";
import type { SourceMap } from "./sourcemap.js";
import type { State } from "./state.js";
import type { BuildContext, Output, Vertex } from "./vertex.js";

export interface MarshalOptions {
  /** The platform of image and exec ops that do not fix one: the build's target platform. */
  readonly platform?: Platform;
  /**
   * The daemon's LLB caps (Ping). When given and `exec.meta.setsdefaultpath` is missing, exec ops without
   * PATH get BuildKit's default one, as client/llb does.
   */
  readonly caps?: Iterable<string>;
  /**
   * The SHA-256 for op digests (default: @noble/hashes, which needs no platform). The frontend passes
   * node:crypto's: a definition carrying the BOM documents is hundreds of kilobytes to hash per build.
   */
  readonly sha256?: Sha256;
}

/** `OpMetadata` while ops with one digest are merged (client/llb `mergeMetadata`). */
interface MetadataDraft {
  ignoreCache: boolean;
  readonly description: Map<string, string>;
  readonly caps: Set<string>;
  progressGroup: ProgressGroup | undefined;
  exportCache: boolean | undefined;
}

/**
 * Marshals `state` and everything it depends on.
 * @example const definition = marshal(finalState, { platform: parsePlatform("linux/amd64"), caps: pong.LLBCaps.map((c) => c.ID) });
 */
export function marshal(state: State, options: MarshalOptions = {}): Definition {
  const result = state.output;
  if (!result) return new Definition(new pb.Definition());
  const digests = new Map<Vertex, string>();
  const context: BuildContext = {
    platform: options.platform && normalizePlatform(options.platform),
    caps: options.caps && new Set(options.caps),
    input: (output: Output) => new pb.Input({ digest: digests.get(output.vertex)!, index: output.index }),
  };
  const ops: Uint8Array[] = [];
  const metadata = new Map<string, MetadataDraft>();
  const sources = new SourceCollector();

  for (const vertex of inputsFirst(result.vertex)) {
    const built = vertex.build(context);
    let bytes: Uint8Array;
    let caps: readonly string[];
    let locations: readonly SourceLocation[];
    let embedded: pb.OpMetadata | undefined;
    if (built.kind === "op") {
      built.op.constraints = new pb.WorkerConstraints();
      bytes = encodeOp(built.op);
      caps = capsOf(built.op);
      locations = vertex.constraints.locations ?? [];
    } else {
      ({ bytes, locations } = built);
      embedded = built.metadata;
      caps = [];
    }
    const digest = digestOf(bytes, options.sha256);
    digests.set(vertex, digest);
    if (!metadata.has(digest)) ops.push(bytes);
    const draft = metadata.get(digest) ?? emptyDraft();
    if (embedded) mergeEmbedded(draft, embedded);
    mergeConstraints(draft, vertex.constraints, caps);
    metadata.set(digest, draft);
    sources.add(digest, locations);
  }

  const terminal = encodeOp(new pb.Op({ inputs: [context.input(result)] }));
  const terminalDraft = emptyDraft();
  for (const cap of ["constraints", "platform"]) terminalDraft.caps.add(cap);
  for (const draft of metadata.values()) {
    if (draft.ignoreCache) terminalDraft.caps.add("meta.ignorecache");
    if (draft.description.size > 0) terminalDraft.caps.add("meta.description");
    if (draft.exportCache !== undefined) terminalDraft.caps.add("meta.exportcache");
  }
  const terminalDigest = digestOf(terminal, options.sha256);
  ops.push(terminal);
  metadata.set(terminalDigest, terminalDraft);

  const definition = new pb.Definition({
    def: ops,
    metadata: sortedMap([...metadata].map(([digest, draft]) => [digest, toPb(draft)] as const)),
  });
  const source = sources.toPb();
  if (source) definition.Source = source;
  return new Definition(definition);
}

/** Vertices in post-order (inputs before readers), each once; iterative, so deep chains cannot overflow. */
function inputsFirst(root: Vertex): Vertex[] {
  const order: Vertex[] = [];
  const visited = new Set<Vertex>([root]);
  const stack: { vertex: Vertex; next: number }[] = [{ vertex: root, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const inputs = top.vertex.inputs;
    if (top.next < inputs.length) {
      const input = inputs[top.next++]!.vertex;
      if (!visited.has(input)) {
        visited.add(input);
        stack.push({ vertex: input, next: 0 });
      }
    } else {
      order.push(top.vertex);
      stack.pop();
    }
  }
  return order;
}

function emptyDraft(): MetadataDraft {
  return { ignoreCache: false, description: new Map(), caps: new Set(), progressGroup: undefined, exportCache: undefined };
}

function mergeConstraints(draft: MetadataDraft, constraints: Constraints, caps: readonly string[]): void {
  if (constraints.ignoreCache) draft.ignoreCache = true;
  for (const key of Object.keys(constraints.description ?? {}).sort(compareUtf8)) {
    draft.description.set(key, constraints.description![key]!);
  }
  if (constraints.progressGroup) draft.progressGroup = constraints.progressGroup;
  if (constraints.exportCache !== undefined) draft.exportCache = constraints.exportCache;
  for (const cap of [...caps, ...(constraints.caps ?? [])]) draft.caps.add(cap);
}

function mergeEmbedded(draft: MetadataDraft, metadata: pb.OpMetadata): void {
  if (metadata.ignore_cache) draft.ignoreCache = true;
  for (const [key, value] of metadata.description) draft.description.set(key, value);
  if (metadata.has_progress_group) {
    const group = metadata.progress_group;
    draft.progressGroup = { id: group.id, name: group.name, weak: group.weak };
  }
  if (metadata.has_export_cache) draft.exportCache = metadata.export_cache.Value;
  for (const [cap, required] of metadata.caps) if (required) draft.caps.add(cap);
}

function toPb(draft: MetadataDraft): pb.OpMetadata {
  const metadata = new pb.OpMetadata({
    ignore_cache: draft.ignoreCache,
    description: sortedMap(draft.description),
    caps: sortedMap([...draft.caps].map((cap) => [cap, true] as const)),
  });
  if (draft.progressGroup) {
    const { id, name, weak } = draft.progressGroup;
    metadata.progress_group = new pb.ProgressGroup({ id, name, weak: weak ?? false });
  }
  if (draft.exportCache !== undefined) metadata.export_cache = new pb.ExportCache({ Value: draft.exportCache });
  return metadata;
}

/** client/llb's `sourceMapCollector`: each distinct file once, locations keyed by op digest. */
class SourceCollector {
  private readonly maps: SourceMap[] = [];
  private readonly locations = new Map<string, pb.Location[]>();

  add(digest: string, locations: readonly SourceLocation[]): void {
    if (locations.length === 0) return;
    const entries = this.locations.get(digest) ?? [];
    for (const { sourceMap, ranges } of locations) {
      let index = this.maps.findIndex((known) => known.sameAs(sourceMap));
      if (index < 0) index = this.maps.push(sourceMap) - 1;
      entries.push(new pb.Location({ sourceIndex: index, ranges: [...ranges] }));
    }
    this.locations.set(digest, entries);
  }

  toPb(): pb.Source | undefined {
    if (this.maps.length === 0) return undefined;
    return new pb.Source({
      infos: this.maps.map((map) => map.info()),
      locations: sortedMap([...this.locations].map(([digest, list]) => [digest, new pb.Locations({ locations: list })] as const)),
    });
  }
}
