// The reference vectors of buildkit-gateway.md §3.9, byte for byte: canonical (Go ≥ v0.17, what BuildKit
// ≥ v0.18 digests) through the public builders, and numeric field order (gogo-era Go) through the
// generated serializer, which writes declaration order.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { digestOf, encodeOp, image, marshal, mkfile, parsePlatform, scratch } from "../../llb/index.js";
import { pb } from "../../llb/proto/github.com/moby/buildkit/solver/pb/ops.js";

const vectors = JSON.parse(readFileSync(new URL("./vectors/reference.json", import.meta.url), "utf8"));
const amd64 = parsePlatform("linux/amd64");
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** The Go-built source op of the vectors: platform amd64/linux, empty constraints, no attrs. */
function imageOp(identifier: string): pb.Op {
  return new pb.Op({
    platform: new pb.Platform({ Architecture: "amd64", OS: "linux" }),
    constraints: new pb.WorkerConstraints(),
    source: new pb.SourceOp({ identifier }),
  });
}

/** The exec op of the vectors (no removeMountStubsRecursive: it predates that field). */
function execOp(inputDigest: string): pb.Op {
  return new pb.Op({
    inputs: [new pb.Input({ digest: inputDigest, index: 0 })],
    platform: new pb.Platform({ Architecture: "amd64", OS: "linux" }),
    constraints: new pb.WorkerConstraints(),
    exec: new pb.ExecOp({
      meta: new pb.Meta({ args: vectors.exec.args, env: vectors.exec.env, cwd: "/" }),
      mounts: [new pb.Mount({ input: 0, dest: "/", output: 0 })],
    }),
  });
}

describe("canonical vectors", () => {
  it("alpine: image() marshals to the reference bytes", () => {
    const definition = marshal(image("alpine"), { platform: amd64 });
    expect(definition.ops).toHaveLength(2);
    expect(hex(definition.ops[0]!)).toBe(vectors.alpine.canonicalHex);
    expect(digestOf(definition.ops[0]!)).toBe(vectors.alpine.canonicalDigest);
    expect(definition.head()).toBe(vectors.alpine.canonicalDigest);
  });

  it("alpine terminal op", () => {
    const definition = marshal(image("docker.io/library/alpine:latest"), { platform: amd64 });
    expect(digestOf(definition.ops[1]!)).toBe(vectors.alpineTerminal.canonicalDigest);
    expect(hex(definition.ops[1]!)).toBe("0a490a47" + Buffer.from(vectors.alpine.canonicalDigest).toString("hex"));
  });

  it("golang: image() with a tag", () => {
    const definition = marshal(image("golang:1.12-alpine"), { platform: amd64 });
    expect(digestOf(definition.ops[0]!)).toBe(vectors.golang.canonicalDigest);
  });

  it("exec: encodeOp writes oneof last", () => {
    const bytes = encodeOp(execOp(vectors.golang.canonicalDigest));
    expect(digestOf(bytes)).toBe(vectors.exec.canonicalDigest);
  });

  it("mkfile on scratch: the builder's FileOp", () => {
    const definition = marshal(scratch().file(mkfile("/hello", 0o644, "hi")));
    expect(hex(definition.ops[0]!)).toBe(vectors.mkfile.canonicalHex);
    expect(digestOf(definition.ops[0]!)).toBe(vectors.mkfile.canonicalDigest);
  });
});

describe("numeric-order vectors (test-only encoder: the generated serialize)", () => {
  it("alpine and golang sources", () => {
    expect(digestOf(imageOp("docker-image://docker.io/library/alpine:latest").serialize())).toBe(vectors.alpine.numericDigest);
    expect(digestOf(imageOp("docker-image://docker.io/library/golang:1.12-alpine").serialize())).toBe(vectors.golang.numericDigest);
  });

  it("exec over the numeric-order golang op", () => {
    expect(digestOf(execOp(vectors.golang.numericDigest).serialize())).toBe(vectors.exec.numericDigest);
  });

  it("the two orders differ only in where the oneof goes", () => {
    const op = imageOp("docker-image://docker.io/library/alpine:latest");
    const canonical = hex(encodeOp(op));
    const numeric = hex(op.serialize());
    expect(numeric).not.toBe(canonical);
    expect(numeric).toBe(canonical.slice(36) + canonical.slice(0, 36));
  });
});
