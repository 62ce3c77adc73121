/**
 * `Definition`: marshalled LLB (op bytes, metadata keyed by their digests, source files), and
 * `fromDefinition`, which turns a definition made elsewhere (a Dockerfile step solved by BuildKit's
 * dockerfile.v0, whose `Ref.def` comes back through the gateway) into a State our graph can build on.
 */
import * as pb_1 from "google-protobuf";
import { digestOf } from "./canonical.js";
import type { SourceLocation } from "./constraints.js";
import { noConstraints } from "./constraints.js";
import { check, LlbArgumentError } from "./errors.js";
import { platformFromPb, type Platform } from "./platform.js";
import { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";
import { SourceMap } from "./sourcemap.js";
import { State } from "./state.js";
import type { BuiltVertex, Output, Vertex } from "./vertex.js";

/** The op a definition produces: the terminal op's input. */
export interface DefinitionHead {
  readonly digest: string;
  readonly index: number;
}

/** Decodes one op of a Definition (`Definition.ops` holds them as bytes), to read it back or show it. */
export function decodeOp(bytes: Uint8Array): pb.Op {
  return pb.Op.deserialize(bytes);
}

/** Marshalled LLB. `proto` is the generated message; treat it as read-only. */
export class Definition {
  constructor(readonly proto: pb.Definition) {}

  static fromBytes(bytes: Uint8Array): Definition {
    return new Definition(pb.Definition.deserialize(bytes));
  }

  /** The op bytes, the terminal op last. */
  get ops(): readonly Uint8Array[] {
    return this.proto.def;
  }

  /** The digest of the result op, or undefined for an empty (scratch) definition. */
  head(): string | undefined {
    return this.headInput()?.digest;
  }

  /** The result op and which of its outputs is the result. */
  headInput(): DefinitionHead | undefined {
    const ops = this.proto.def;
    if (ops.length === 0) return undefined;
    const terminal = scanOp(ops[ops.length - 1]!);
    return terminal.inputs[0];
  }

  /**
   * The platform of the result op, when it fixes one: e.g. the frontend's own image, which BuildKit gives
   * the frontend as a definition and which runs only on the worker's platform.
   */
  headPlatform(): Platform | undefined {
    const head = this.headInput();
    if (!head) return undefined;
    const bytes = this.proto.def.find((b) => digestOf(b) === head.digest);
    return bytes && scanOp(bytes).platform;
  }

  /**
   * The result op when the definition is one image source and nothing else (as BuildKit describes the
   * frontend's own image in frontend.bin): its reference without the scheme, its attrs and platform.
   * Undefined for any other definition.
   */
  loneImageSource(): { readonly ref: string; readonly attrs: ReadonlyMap<string, string>; readonly platform: Platform | undefined } | undefined {
    const head = this.headInput();
    if (!head || this.proto.def.length !== 2 || head.index !== 0) return undefined;
    const bytes = this.proto.def[0]!;
    if (digestOf(bytes) !== head.digest || scanOp(bytes).inputs.length > 0) return undefined;
    const op = decodeOp(bytes);
    if (!op.has_source || !op.source.identifier.startsWith("docker-image://")) return undefined;
    const platform = op.has_platform && op.platform.OS && op.platform.Architecture ? platformFromPb(op.platform) : undefined;
    return { ref: op.source.identifier.slice("docker-image://".length), attrs: new Map(op.source.attrs), platform };
  }

  /** The `pb.Definition` wire bytes (for `SolveRequest.definition` or a file). */
  toBytes(): Uint8Array {
    return this.proto.serialize();
  }
}

/** The fields of an op that `fromDefinition` needs, read without decoding the op body. */
interface ScannedOp {
  readonly inputs: DefinitionHead[];
  readonly platform: Platform | undefined;
}

/**
 * Reads `inputs` and `platform` of an op. The rest is skipped, not decoded: the generated decoder cannot
 * read every field BuildKit may send (it calls a reader method google-protobuf 4 lacks for `validExitCodes`).
 */
function scanOp(bytes: Uint8Array): ScannedOp {
  const reader = new pb_1.BinaryReader(bytes);
  const inputs: DefinitionHead[] = [];
  let platform: Platform | undefined;
  while (reader.nextField()) {
    if (reader.isEndGroup()) break;
    switch (reader.getFieldNumber()) {
      case 1:
        reader.readMessage(undefined, () => {
          const input = pb.Input.deserialize(reader);
          inputs.push({ digest: input.digest, index: Number(input.index) });
        });
        break;
      case 10:
        reader.readMessage(undefined, () => {
          const p = pb.Platform.deserialize(reader);
          platform = p.OS && p.Architecture ? platformFromPb(p) : undefined;
        });
        break;
      default:
        reader.skipField();
    }
  }
  return { inputs, platform };
}

/** The ops of one embedded definition, shared by all of its vertices. */
class EmbeddedGraph {
  private readonly ops = new Map<string, { bytes: Uint8Array; scanned: ScannedOp }>();
  private readonly vertices = new Map<string, DefinitionVertex>();
  private readonly locations = new Map<string, SourceLocation[]>();

  constructor(readonly proto: pb.Definition) {
    for (const bytes of proto.def.slice(0, -1)) this.ops.set(digestOf(bytes), { bytes, scanned: scanOp(bytes) });
    if (proto.has_Source) {
      const maps = proto.Source.infos.map(
        (info) => new SourceMap(info.filename || "(unnamed)", info.data, {
          language: info.language,
          ...(info.has_definition && { definition: info.definition }),
        }),
      );
      for (const [digest, list] of proto.Source.locations) {
        for (const location of list.locations) {
          const sourceMap = maps[location.sourceIndex];
          check(sourceMap !== undefined, `definition source location for ${digest} names source ${location.sourceIndex}, which it does not have`);
          const entries = this.locations.get(digest) ?? [];
          entries.push({ sourceMap, ranges: location.ranges });
          this.locations.set(digest, entries);
        }
      }
    }
  }

  op(digest: string) {
    const op = this.ops.get(digest);
    if (!op) throw new LlbArgumentError(`the definition references op ${digest}, which it does not contain`);
    return op;
  }

  vertex(digest: string): DefinitionVertex {
    let vertex = this.vertices.get(digest);
    if (!vertex) {
      this.op(digest);
      vertex = new DefinitionVertex(this, digest);
      this.vertices.set(digest, vertex);
    }
    return vertex;
  }

  /** Throws now, rather than at marshal, when an op reachable from `digest` is missing. */
  checkReachable(digest: string): void {
    const seen = new Set<string>([digest]);
    const pending = [digest];
    while (pending.length > 0) {
      for (const input of this.op(pending.pop()!).scanned.inputs) {
        if (!seen.has(input.digest)) {
          seen.add(input.digest);
          pending.push(input.digest);
        }
      }
    }
  }

  output(head: DefinitionHead): Output {
    const platform = this.op(head.digest).scanned.platform;
    return { vertex: this.vertex(head.digest), index: head.index, ...(platform && { platform }) };
  }

  locationsOf(digest: string): readonly SourceLocation[] {
    return this.locations.get(digest) ?? [];
  }
}

/** An op copied verbatim from another definition, keeping its digest, metadata and source locations. */
class DefinitionVertex implements Vertex {
  readonly constraints = noConstraints;
  private cachedInputs: readonly Output[] | undefined;

  constructor(
    private readonly graph: EmbeddedGraph,
    readonly digest: string,
  ) {}

  get inputs(): readonly Output[] {
    this.cachedInputs ??= this.graph.op(this.digest).scanned.inputs.map((input) => this.graph.output(input));
    return this.cachedInputs;
  }

  build(): BuiltVertex {
    return {
      kind: "bytes",
      bytes: this.graph.op(this.digest).bytes,
      metadata: this.graph.proto.metadata.get(this.digest),
      locations: this.graph.locationsOf(this.digest),
    };
  }
}

/**
 * A State standing for the result of `definition`, so later ops can build on it. Its ops are copied
 * verbatim into the marshalled definition (digests, metadata and source locations kept), the way
 * client/llb's `DefinitionOp` does.
 * @example const step = fromDefinition(solveResponse.result.ref.def);
 */
export function fromDefinition(definition: pb.Definition | Definition): State {
  const proto = definition instanceof Definition ? definition.proto : definition;
  if (proto.def.length === 0) return new State(undefined);
  check(proto.def.length >= 2, "a definition needs its result op and a terminal op");
  const terminal = scanOp(proto.def[proto.def.length - 1]!);
  const head = terminal.inputs[0];
  check(head !== undefined, "the definition's terminal op has no input");
  check(head.index >= 0, `the definition's result index ${head.index} is negative`);
  const graph = new EmbeddedGraph(proto);
  graph.checkReachable(head.digest);
  return new State(undefined).withOutput(graph.output(head));
}
