/**
 * A build's vertices as buildx's raw progress reports them (`--progress=rawjson`: one SolveStatus a
 * line). BuildKit names a vertex by the sha256 of its op's bytes as the Definition carries them (moby/
 * buildkit solver/llbsolver/vertex.go, `loadLLB`: `digest.FromBytes(dt)`; only a source policy that
 * rewrites an op marshals it again, and these builds set none), so a digest seen here is a fact about the
 * bytes BuildKit was sent.
 */
export interface VertexReport {
  readonly digest: string;
  readonly inputs?: readonly string[];
  readonly name?: string;
  readonly cached?: boolean;
  readonly started?: string;
  readonly completed?: string;
  readonly error?: string;
  readonly progressGroup?: { readonly id?: string; readonly name?: string };
}

/** Every vertex report, in order: a vertex is reported again as it starts, completes or is cached. */
export function* vertexReports(output: string): Generator<VertexReport> {
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    yield* (JSON.parse(line) as { vertexes?: VertexReport[] }).vertexes ?? [];
  }
}

/** What the build shows of a vertex: its name, progress group and inputs. */
export interface ReportedVertex {
  /** The op's progress name: its `llb.customname`, else what BuildKit derives from the op. */
  readonly name: string;
  /** The op's progress group (`OpMetadata.progress_group`), as `id name`, or "" for none. */
  readonly progressGroup: string;
  readonly inputs: readonly string[];
}

/** The build's vertices by digest. */
export function reportedVertices(output: string): Map<string, ReportedVertex> {
  const out = new Map<string, ReportedVertex>();
  for (const v of vertexReports(output)) {
    // the first report with a name names the vertex
    if (out.get(v.digest)?.name) continue;
    const group = v.progressGroup ? `${v.progressGroup.id ?? ""} ${v.progressGroup.name ?? ""}` : "";
    out.set(v.digest, { name: v.name ?? "", progressGroup: group, inputs: v.inputs ?? [] });
  }
  return out;
}
