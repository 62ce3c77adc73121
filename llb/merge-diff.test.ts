import { describe, expect, it } from "vitest";
import { capsOfMetadata, decode } from "../test/llb/decode.js";
import { diff, image, local, marshal, merge, mkdir, parsePlatform, scratch } from "./index.js";

const platform = parsePlatform("linux/amd64");
const base = image("debian:bookworm").dir("/app");
const a = base.file(mkdir("/a", 0o755));
const b = base.file(mkdir("/b", 0o755));

describe("merge", () => {
  it("gives every input its own index in order, without platform", () => {
    const decoded = decode(marshal(merge([base, diff(base, a), diff(base, b)]), { platform }));
    const head = decoded.head;
    expect(head.op.op).toBe("merge");
    expect(head.op.has_platform).toBe(false);
    expect(head.op.merge.inputs.map((i) => Number(i.input))).toEqual([0, 1, 2]);
    expect(head.op.inputs.map((i) => decoded.byDigest.get(i.digest)!.op.op)).toEqual(["source", "diff", "diff"]);
    expect(capsOfMetadata(head)).toEqual(["mergeop"]);
  });

  it("drops scratch inputs; one input is returned as is, none is scratch", () => {
    expect(merge([scratch(), a, scratch()])).toBe(a);
    expect(merge([scratch()]).isScratch).toBe(true);
    expect(merge([]).isScratch).toBe(true);
  });

  it("keeps the first state's settings", () => {
    expect(merge([base, local("x")]).meta.dir).toBe("/app");
  });
});

describe("diff", () => {
  it("refers to lower and upper by index", () => {
    const head = decode(marshal(diff(base, a), { platform })).head;
    expect(head.op.op).toBe("diff");
    expect(Number(head.op.diff.lower.input)).toBe(0);
    expect(Number(head.op.diff.upper.input)).toBe(1);
    expect(head.op.has_platform).toBe(false);
    expect(capsOfMetadata(head)).toEqual(["diffop"]);
  });

  it("uses -1 for a scratch upper; a scratch lower gives upper; both scratch give scratch", () => {
    const head = decode(marshal(diff(base, scratch()), { platform })).head;
    expect(head.op.inputs).toHaveLength(1);
    expect(Number(head.op.diff.upper.input)).toBe(-1);
    expect(diff(scratch(), a)).toBe(a);
    expect(diff(scratch(), scratch()).isScratch).toBe(true);
  });
});
