import { describe, expect, it } from "vitest";
import { decode, hex } from "../test/llb/decode.js";
import {
  customName,
  Definition,
  fromDefinition,
  image,
  isLlbArgumentError,
  marshal,
  mergeConstraints,
  mkdir,
  parsePlatform,
  scratch,
  SourceMap,
} from "./index.js";
import { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";

const platform = parsePlatform("linux/arm64");

/** What BuildKit's dockerfile.v0 would hand back as `Ref.def`: a small graph with metadata and a source map. */
function dockerfileResult(): Definition {
  const dockerfile = new SourceMap("Dockerfile", "FROM alpine\nRUN make\n", { language: "Dockerfile" });
  const built = image("alpine", { constraints: dockerfile.location({ start: { line: 1, column: 1 }, end: { line: 1, column: 12 } }) })
    .run({ args: ["make"], constraints: mergeConstraints(customName("RUN make"), dockerfile.location({ start: { line: 2, column: 1 }, end: { line: 2, column: 9 } })) })
    .root();
  return marshal(built, { platform });
}

describe("fromDefinition", () => {
  it("embeds another definition's ops verbatim and builds on its result", () => {
    const embedded = dockerfileResult();
    const step = fromDefinition(embedded);
    expect(step.meta.platform).toEqual(platform);
    const final = scratch().file(mkdir("/out", 0o755).copy(step, "/app", "/out/"));
    const outer = marshal(final, { platform: parsePlatform("linux/amd64") });
    const decoded = decode(outer);
    // The embedded ops come first, byte for byte (its terminal op is not copied).
    expect(decoded.body.slice(0, 2).map((op) => hex(op.bytes))).toEqual(embedded.ops.slice(0, 2).map(hex));
    expect(decoded.head.op.op).toBe("file");
    expect(decoded.head.op.inputs.map((i) => i.digest)).toEqual([embedded.head()]);
    // Metadata and source locations travel with the ops.
    expect(outer.proto.metadata.get(embedded.head()!)!.description.get("llb.customname")).toBe("RUN make");
    const source = outer.proto.Source;
    expect(source.infos.map((i) => [i.filename, i.language])).toEqual([["Dockerfile", "Dockerfile"]]);
    expect(source.locations.get(embedded.head()!)!.locations[0]!.ranges[0]!.start.line).toBe(2);
  });

  it("keeps the result index of the embedded definition", () => {
    const base = image("alpine", { platform });
    const exec = base.run({ args: ["x"], mounts: [{ kind: "bind", dest: "/out", source: scratch() }] });
    const embedded = marshal(exec.getMount("/out"));
    const outer = decode(marshal(fromDefinition(embedded).file(mkdir("/y", 0o755))));
    expect(Number(outer.head.op.inputs[0]!.index)).toBe(1);
  });

  it("an empty definition is scratch", () => {
    expect(fromDefinition(new pb.Definition()).isScratch).toBe(true);
  });

  it("rejects definitions that reference ops they do not contain", () => {
    const embedded = dockerfileResult();
    const broken = new pb.Definition({ def: [embedded.ops[1]!, embedded.ops[2]!] });
    let error: unknown;
    try {
      fromDefinition(broken);
    } catch (e) {
      error = e;
    }
    expect(isLlbArgumentError(error)).toBe(true);
    expect((error as Error).message).toBe(`the definition references op ${decode(embedded).ops[0]!.digest}, which it does not contain`);
    expect(() => fromDefinition(new pb.Definition({ def: [embedded.ops[0]!, new pb.Op().serialize()] }))).toThrow(/terminal op has no input/);
  });
});
