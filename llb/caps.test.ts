import { describe, expect, it } from "vitest";
import { capsOf, checkCaps, image, isLlbCapsError, LlbCapsError, local, marshal, merge, mkdir, parsePlatform, requiredCaps } from "./index.js";
import { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";

const platform = parsePlatform("linux/amd64");

describe("caps", () => {
  it("capsOf is a pure function of the op", () => {
    const op = new pb.Op({ exec: new pb.ExecOp({ meta: new pb.Meta({ args: ["x"], env: ["PATH=/bin"] }), mounts: [new pb.Mount({ input: 0, dest: "/" })] }) });
    expect(capsOf(op)).toEqual(["exec.meta.base", "exec.mount.bind"]);
    expect(capsOf(op)).toEqual(capsOf(pb.Op.deserialize(op.serialize())));
    expect(capsOf(new pb.Op({ inputs: [new pb.Input({ digest: "sha256:x" })] }))).toEqual([]);
    const windows = new pb.Op({ platform: new pb.Platform({ OS: "windows", Architecture: "amd64" }), exec: new pb.ExecOp({ meta: new pb.Meta({ args: ["x"] }) }) });
    expect(capsOf(windows)).toEqual(["exec.meta.base"]);
  });

  it("requiredCaps lists every cap of the definition once, sorted", () => {
    const state = merge([image("alpine"), local("ctx").file(mkdir("/a", 0o755))]);
    expect(requiredCaps(marshal(state, { platform }))).toEqual(["constraints", "file.base", "mergeop", "platform", "source.image", "source.local"]);
  });

  it("checkCaps names the missing caps and the release that has them", () => {
    const definition = marshal(merge([image("alpine"), local("ctx").file(mkdir("/a", 0o755))]), { platform });
    const supported = ["constraints", "platform", "source.image", "source.local"];
    let error: unknown;
    try {
      checkCaps(definition, supported);
    } catch (e) {
      error = e;
    }
    expect(isLlbCapsError(error)).toBe(true);
    expect((error as LlbCapsError).missing).toEqual(["file.base", "mergeop"]);
    expect((error as Error).message).toBe(
      "the BuildKit daemon does not support these LLB capabilities this build needs: file.base (BuildKit v0.5), mergeop (BuildKit v0.10). Update BuildKit (or Docker) to a release that has them.",
    );
    expect(() => checkCaps(definition, [...supported, "file.base", "mergeop"])).not.toThrow();
  });
});
