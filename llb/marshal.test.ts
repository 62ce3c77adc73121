import { describe, expect, it } from "vitest";
import { capsOfMetadata, decode, hex } from "../test/llb/decode.js";
import {
  customName,
  Definition,
  description,
  digestOf,
  exportCache,
  ignoreCache,
  image,
  local,
  marshal,
  mergeConstraints,
  mkdir,
  mkfile,
  parsePlatform,
  progressGroup,
  requireCaps,
  scratch,
  SourceMap,
  toPbRange,
  type State,
} from "./index.js";
import { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";

const platform = parsePlatform("linux/amd64");

describe("marshal", () => {
  it("gives an empty definition for scratch", () => {
    const definition = marshal(scratch());
    expect(definition.ops).toHaveLength(0);
    expect(definition.head()).toBeUndefined();
    expect(definition.toBytes()).toHaveLength(0);
  });

  it("puts inputs before readers, the terminal op last, and metadata under the digest of the bytes sent", () => {
    const state = image("alpine").run({ args: ["true"] }).root().file(mkdir("/x", 0o755));
    const definition = marshal(state, { platform });
    const decoded = decode(definition);
    expect(decoded.ops.map((op) => op.op.op)).toEqual(["source", "exec", "file", "none"]);
    expect(decoded.ops.every((op) => op.metadata !== undefined)).toBe(true);
    expect([...definition.proto.metadata.keys()]).toEqual([...decoded.ops.map((op) => op.digest)].sort());
    expect(decoded.terminal.op.inputs.map((i) => i.toObject())).toEqual([{ digest: decoded.head.digest, index: 0 }]);
    expect(decoded.terminal.op.has_constraints).toBe(false);
    expect(decoded.terminal.op.has_platform).toBe(false);
    expect(capsOfMetadata(decoded.terminal)).toEqual(["constraints", "platform"]);
    for (const op of decoded.body) {
      expect(op.op.has_constraints).toBe(true);
      expect(op.op.constraints.filter).toEqual([]);
    }
    expect(decoded.ops[1]!.op.inputs[0]!.digest).toBe(decoded.ops[0]!.digest);
    expect(definition.head()).toBe(decoded.ops[2]!.digest);
    expect(definition.headInput()).toEqual({ digest: decoded.ops[2]!.digest, index: 0 });
  });

  it("writes each op once: shared vertices and separately built equal ops collapse by digest", () => {
    const a = image("alpine");
    const b = image("alpine");
    const state = a
      .run({ args: ["x"], mounts: [{ kind: "bind", dest: "/a", source: a, readonly: true }, { kind: "bind", dest: "/b", source: b, readonly: true }] })
      .root();
    const decoded = decode(marshal(state, { platform }));
    expect(decoded.ops.map((op) => op.op.op)).toEqual(["source", "exec", "none"]);
    expect(decoded.head.op.inputs).toHaveLength(1);
    expect(decoded.head.op.exec.mounts.map((m) => Number(m.input))).toEqual([0, 0, 0]);
  });

  it("merges metadata of one digest and writes description and caps sorted", () => {
    const named = image("alpine", { constraints: mergeConstraints(description({ z: "1", a: "2" }), customName("base")) });
    const plain = image("alpine", { constraints: mergeConstraints(ignoreCache(), progressGroup("g", "Group", true), exportCache(false), requireCaps("source.image.layerlimit")) });
    const state = named.run({ args: ["x"], mounts: [{ kind: "bind", dest: "/p", source: plain, readonly: true }] }).root();
    const definition = marshal(state, { platform });
    const decoded = decode(definition);
    const source = decoded.ops[0]!;
    expect([...source.metadata!.description.keys()]).toEqual(["a", "llb.customname", "z"]);
    expect(source.metadata!.description.get("llb.customname")).toBe("base");
    expect(source.metadata!.ignore_cache).toBe(true);
    expect(source.metadata!.progress_group.toObject()).toEqual({ id: "g", name: "Group", weak: true });
    expect(source.metadata!.export_cache.Value).toBe(false);
    expect(source.metadata!.has_export_cache).toBe(true);
    expect(capsOfMetadata(source)).toEqual(["source.image", "source.image.layerlimit"]);
    expect(capsOfMetadata(decoded.terminal)).toEqual(["constraints", "meta.description", "meta.exportcache", "meta.ignorecache", "platform"]);
    // Map entries written sorted on the wire too (decode keeps wire order).
    expect([...Definition.fromBytes(definition.toBytes()).proto.metadata.keys()]).toEqual([...definition.proto.metadata.keys()].sort());
  });

  it("collects source maps: one info per file, locations keyed by op digest, lines 1-based", () => {
    const text = "image {\n  run = \"make\"\n}\n";
    const sm = new SourceMap("slipway.hcl", text);
    const same = new SourceMap("slipway.hcl", text);
    const other = new SourceMap("other.hcl", "x", { language: "HCL" });
    const range = { start: { line: 2, column: 3 }, end: { line: 2, column: 15 } };
    const base = image("alpine", { constraints: sm.location(range) });
    const state = base
      .run({ args: ["make"], constraints: mergeConstraints(same.location([range, { start: { line: 1, column: 1 }, end: { line: 3, column: 2 } }]), other.location(range)) })
      .root();
    const definition = marshal(state, { platform });
    const decoded = decode(definition);
    const source = definition.proto.Source;
    expect(source.infos.map((info) => [info.filename, info.language, new TextDecoder().decode(info.data)])).toEqual([
      ["slipway.hcl", "HCL", text],
      ["other.hcl", "HCL", "x"],
    ]);
    const execLocations = source.locations.get(decoded.head.digest)!.locations;
    expect(execLocations.map((l) => [l.sourceIndex, l.ranges.length])).toEqual([[0, 2], [1, 1]]);
    expect(execLocations[0]!.ranges[0]!.toObject()).toEqual({ start: { line: 2, character: 2 }, end: { line: 2, character: 14 } });
    expect(source.locations.get(decoded.ops[0]!.digest)!.locations.map((l) => l.sourceIndex)).toEqual([0]);
    expect([...source.locations.keys()]).toEqual([decoded.ops[0]!.digest, decoded.head.digest].sort());
  });

  it("toPbRange validates and converts", () => {
    const range = toPbRange({ start: { line: 1, column: 1 }, end: { line: 4, column: 7 } });
    expect(range.toObject()).toEqual({ start: { line: 1, character: 0 }, end: { line: 4, character: 6 } });
    // Zero characters are omitted on the wire, as Go omits them.
    expect(hex(range.serialize())).toBe("0a0208011204080410" + "06");
    expect(() => toPbRange({ start: { line: 0, column: 1 }, end: { line: 1, column: 1 } })).toThrow(/line must be/);
    expect(() => new SourceMap("f", "").location([])).toThrow(/at least one range/);
  });

  it("round-trips through bytes", () => {
    const definition = marshal(scratch().file(mkfile("/a", 0o644, "a")));
    const again = Definition.fromBytes(definition.toBytes());
    expect(again.ops.map(hex)).toEqual(definition.ops.map(hex));
    expect(again.head()).toBe(definition.head());
  });

  it("walks deep graphs without recursion limits", () => {
    let state: State = scratch();
    for (let i = 0; i < 3000; i++) state = state.file(mkdir(`/d${i}`, 0o755));
    const definition = marshal(state);
    expect(definition.ops).toHaveLength(3001);
    const last = pb.Op.deserialize(definition.ops[2999]!);
    expect(last.file.actions[0]!.mkdir.path).toBe("/d2999");
    expect(last.inputs[0]!.digest).toBe(digestOf(definition.ops[2998]!));
  });

  it("marshals local sources without a platform", () => {
    expect(() => marshal(local("context"))).not.toThrow();
  });
});
