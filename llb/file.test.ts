import { describe, expect, it } from "vitest";
import { capsOfMetadata, decode, hex } from "../test/llb/decode.js";
import { copy, image, local, marshal, mkdir, mkfile, parsePlatform, rm, scratch, symlink, type State } from "./index.js";

const platform = parsePlatform("linux/amd64");
const base = image("debian:bookworm");

function headFile(state: State) {
  const decoded = decode(marshal(state, { platform }));
  expect(decoded.head.op.op).toBe("file");
  const actions = decoded.head.op.file.actions;
  return { decoded, head: decoded.head, actions, indices: actions.map((a) => [Number(a.input), Number(a.secondaryInput), Number(a.output)]) };
}

describe("file actions", () => {
  it("chains actions: the first reads the state, later ones len(inputs)+k, only the last is output 0", () => {
    const { head, actions, indices } = headFile(base.file(mkdir("/a", 0o755).mkfile("/a/f", 0o600, "x").rm("/a/g")));
    expect(head.op.inputs).toHaveLength(1);
    expect(indices).toEqual([[0, -1, -1], [1, -1, -1], [2, -1, 0]]);
    expect(actions.map((a) => a.action)).toEqual(["mkdir", "mkfile", "rm"]);
    expect(head.op.has_platform).toBe(false);
    expect(head.op.has_constraints).toBe(true);
    expect(capsOfMetadata(head)).toEqual(["file.base"]);
  });

  it("on scratch the first input is -1", () => {
    const { head, indices } = headFile(scratch().file(mkdir("/a", 0o755).mkdir("/b", 0o755)));
    expect(head.op.inputs).toHaveLength(0);
    expect(indices).toEqual([[-1, -1, -1], [0, -1, 0]]);
  });

  it("copy reads its source as secondaryInput; a bound chain is referenced as len(inputs)+k", () => {
    const ctx = local("context", { sessionId: "s" });
    const prepared = mkdir("/stage", 0o755).mkfile("/stage/x", 0o644, "x").withState(scratch());
    const { head, actions, indices } = headFile(
      base.file(copy(ctx, "app", "/srv/").copy(prepared, "/stage", "/opt/stage").copy(ctx, "/etc", "/etc2")),
    );
    expect(head.op.inputs).toHaveLength(2);
    // Actions: copy ctx (0), then the bound chain (1, 2), then the copy of it (3), then copy ctx again (4).
    expect(actions.map((a) => a.action)).toEqual(["copy", "mkdir", "mkfile", "copy", "copy"]);
    expect(indices).toEqual([
      [0, 1, -1],
      [-1, -1, -1],
      [2 + 1, -1, -1],
      [2 + 0, 2 + 2, -1],
      [2 + 3, 1, 0],
    ]);
    expect(actions[0]!.copy.src).toBe("/app");
    expect(actions[0]!.copy.dest).toBe("/srv/");
    expect(Number(actions[0]!.copy.mode)).toBe(-1);
    expect(Number(actions[0]!.copy.timestamp)).toBe(-1);
  });

  it("resolves relative paths against the state's directory and keeps a trailing / or /.", () => {
    const ctx = local("context").dir("/work");
    const { actions } = headFile(
      base.dir("/srv").file(mkdir("data", 0o755).copy(ctx, "./src/../lib", "dist/").copy(ctx, "a", "./.").copy(ctx, "b", "/x/.").rm("../tmp/*", { allowWildcard: true })),
    );
    expect(actions[0]!.mkdir.path).toBe("/srv/data");
    expect([actions[1]!.copy.src, actions[1]!.copy.dest]).toEqual(["/work/lib", "/srv/dist/"]);
    expect(actions[2]!.copy.dest).toBe("/srv/.");
    expect(actions[3]!.copy.dest).toBe("/x/.");
    expect(actions[4]!.rm.toObject()).toMatchObject({ path: "/tmp/*", allowWildcard: true });
  });

  it("owners: ids as byID (0 included), names resolve through the state's input", () => {
    const { actions } = headFile(
      base.file(mkdir("/a", 0o755, { owner: "root:staff" }).mkfile("/a/f", 0o644, "", { owner: { user: 1000, group: 1000 } })),
    );
    const owner = actions[0]!.mkdir.owner;
    expect(owner.user.has_byID).toBe(true);
    expect(owner.user.byID).toBe(0);
    expect(hex(owner.user.serialize())).toBe("1000");
    expect(owner.group.byName.toObject()).toEqual({ name: "staff", input: 0 });
    expect(actions[1]!.mkfile.owner.toObject()).toEqual({ user: { byID: 1000 }, group: { byID: 1000 } });
  });

  it("copy options, modes and timestamps", () => {
    const ctx = local("context");
    const when = new Date("2024-01-02T03:04:05.678Z");
    const { head, actions } = headFile(
      base.file(
        copy(ctx, "/a", "/b", {
          mode: 0o755,
          followSymlink: true,
          copyDirContents: true,
          attemptUnpack: true,
          createDestPath: true,
          allowWildcard: true,
          allowEmptyWildcard: true,
          includePatterns: ["*.go"],
          excludePatterns: ["*_test.go"],
          alwaysReplaceExistingDestPaths: true,
          timestamp: when,
        })
          .copy(ctx, "/c", "/d", { mode: "u+x", timestamp: 1700000000123456789n })
          .symlink("/b", "/link"),
      ),
    );
    expect(actions[0]!.copy.toObject()).toMatchObject({
      mode: 0o755,
      followSymlink: true,
      dirCopyContents: true,
      attemptUnpackDockerCompatibility: true,
      createDestPath: true,
      allowWildcard: true,
      allowEmptyWildcard: true,
      include_patterns: ["*.go"],
      exclude_patterns: ["*_test.go"],
      alwaysReplaceExistingDestPaths: true,
    });
    expect(String(actions[0]!.copy.timestamp)).toBe(String(BigInt(when.getTime()) * 1_000_000n));
    expect(actions[1]!.copy.modeStr).toBe("u+x");
    expect(Number(actions[1]!.copy.mode)).toBe(0);
    // Exact beyond 2^53: the decoder gives the decimal string of the int64 that was written.
    expect(String(actions[1]!.copy.timestamp)).toBe("1700000000123456789");
    expect(actions[2]!.symlink.toObject()).toMatchObject({ oldpath: "/b", newpath: "/link" });
    // "file.copy.modestring" is never registered by BuildKit; the v0.17 stand-in is exec.validexitcode.
    expect(capsOfMetadata(head)).toEqual([
      "exec.validexitcode",
      "file.base",
      "file.copy.alwaysreplaceexistingdestpaths",
      "file.copy.includeexcludepatterns",
      "file.symlink.create",
    ]);
  });

  it("mkdir/mkfile keep permission bits only and write data as bytes", () => {
    const { actions } = headFile(scratch().file(mkdir("/d", 0o4755, { makeParents: true }).mkfile("/d/f", 0o644, new Uint8Array([0, 255]))));
    expect(actions[0]!.mkdir.mode).toBe(0o755);
    expect(actions[0]!.mkdir.makeParents).toBe(true);
    expect([...actions[1]!.mkfile.data]).toEqual([0, 255]);
  });

  it("rejects bad arguments at once", () => {
    expect(() => mkdir("", 0o755)).toThrow(/non-empty path/);
    expect(() => mkfile("/f", -1, "")).toThrow(/invalid mode/);
    expect(() => copy(scratch(), "/a", "/b", { owner: ":x" })).toThrow(/invalid owner/);
    expect(() => symlink("/a", "/b", { timestamp: new Date(Number.NaN) })).toThrow(/invalid timestamp/);
    expect(() => rm("/x").mkdir("/y", 0o10000)).toThrow(/invalid mode/);
  });
});
