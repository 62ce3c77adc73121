import { describe, expect, it } from "vitest";
import { capsOfMetadata, decode } from "../test/llb/decode.js";
import { image, isLlbArgumentError, local, marshal, mkdir, parsePlatform, scratch, type State } from "./index.js";
import { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";

const platform = parsePlatform("linux/amd64");
const base = image("debian:bookworm");

function headExec(state: State, caps?: string[]) {
  const decoded = decode(marshal(state, { platform, ...(caps && { caps }) }));
  expect(decoded.head.op.op).toBe("exec");
  return { decoded, exec: decoded.head.op.exec, head: decoded.head };
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

describe("run", () => {
  it("fills meta like client/llb: cwd /, removeMountStubsRecursive, platform, root mount output 0", () => {
    const { exec, head } = headExec(base.run({ args: ["true"] }).root());
    expect(exec.meta.args).toEqual(["true"]);
    expect(exec.meta.cwd).toBe("/");
    expect(exec.meta.removeMountStubsRecursive).toBe(true);
    expect(exec.mounts.map((m) => [m.dest, Number(m.input), Number(m.output), m.readonly])).toEqual([["/", 0, 0, false]]);
    expect(head.op.platform.toObject()).toMatchObject({ Architecture: "amd64", OS: "linux" });
    expect(head.op.has_constraints).toBe(true);
    expect(capsOfMetadata(head)).toEqual(["exec.meta.base", "exec.meta.setsdefaultpath", "exec.mount.bind"]);
  });

  it("sorts mounts by dest before numbering; outputs only for writable binds", () => {
    const ctx = local("context", { sessionId: "s" });
    const state = base.run({
      args: ["make"],
      mounts: [
        { kind: "tmpfs", dest: "/tmp", size: 1024 },
        { kind: "bind", dest: "/out", source: scratch() },
        { kind: "cache", dest: "/root/.cache", id: "make", sharing: "locked" },
        { kind: "bind", dest: "/src", source: ctx, readonly: true, selector: "app" },
        { kind: "bind", dest: "/build", source: ctx, noOutput: true },
      ],
    });
    const { exec, head } = headExec(state.root());
    expect(exec.mounts.map((m) => m.dest)).toEqual(["/", "/build", "/out", "/root/.cache", "/src", "/tmp"]);
    // Inputs: image (0), context (1, deduplicated between /build and /src); scratch and tmpfs are -1.
    expect(exec.mounts.map((m) => Number(m.input))).toEqual([0, 1, -1, -1, 1, -1]);
    expect(exec.mounts.map((m) => Number(m.output))).toEqual([0, -1, 1, -1, -1, -1]);
    expect(head.op.inputs).toHaveLength(2);
    const [, , , cache, src, tmp] = exec.mounts;
    expect(cache!.mountType).toBe(pb.MountType.CACHE);
    expect(cache!.cacheOpt.toObject()).toEqual({ ID: "make", sharing: pb.CacheSharingOpt.LOCKED });
    expect(src!.readonly).toBe(true);
    expect(src!.selector).toBe("app");
    expect(tmp!.mountType).toBe(pb.MountType.TMPFS);
    expect(Number(tmp!.TmpfsOpt.size)).toBe(1024);
    expect(capsOfMetadata(head)).toEqual([
      "exec.meta.base",
      "exec.meta.setsdefaultpath",
      "exec.mount.bind",
      "exec.mount.bind.readwrite-nooutput",
      "exec.mount.cache",
      "exec.mount.cache.sharing",
      "exec.mount.selector",
      "exec.mount.tmpfs",
      "exec.mount.tmpfs.size",
    ]);
    // getMount of the writable bind is output 1 of the same op.
    const out = decode(marshal(state.getMount("/out"), { platform }));
    expect(Number(out.terminal.op.inputs[0]!.index)).toBe(1);
    expect(out.head.digest).toBe(head.digest);
    expect(state.getMount("/src")).toBe(ctx);
    expect(isLlbArgumentError(thrown(() => state.getMount("/root/.cache")))).toBe(true);
    expect(isLlbArgumentError(thrown(() => state.getMount("/tmp")))).toBe(true);
    expect(thrown(() => state.getMount("/nope")).message).toContain("no mount at");
  });

  it("adds secret and ssh mounts after the others, with input -1 and Go's defaults", () => {
    const { exec, head } = headExec(
      base
        .run({
          args: ["sh"],
          mounts: [
            { kind: "ssh" },
            { kind: "secret", dest: "/run/secrets/b", id: "b" },
            { kind: "secret", dest: "/run/secrets/a", id: "a", optional: true, uid: 1000 },
            { kind: "bind", dest: "/z", source: scratch(), readonly: true },
          ],
          secretEnv: [{ id: "token", name: "TOKEN" }],
        })
        .root(),
    );
    expect(exec.mounts.map((m) => [m.dest, m.mountType, Number(m.input)])).toEqual([
      ["/", pb.MountType.BIND, 0],
      ["/z", pb.MountType.BIND, -1],
      ["/run/secrets/a", pb.MountType.SECRET, -1],
      ["/run/secrets/b", pb.MountType.SECRET, -1],
      ["/run/buildkit/ssh_agent.0", pb.MountType.SSH, -1],
    ]);
    expect(exec.mounts[2]!.secretOpt.toObject()).toEqual({ ID: "a", uid: 1000, gid: 0, mode: 0o400, optional: true });
    expect(exec.mounts[4]!.SSHOpt.mode).toBe(0o600);
    expect(exec.meta.env).toContain("SSH_AUTH_SOCK=/run/buildkit/ssh_agent.0");
    expect(exec.secretenv.map((s) => s.toObject())).toEqual([{ ID: "token", name: "TOKEN", optional: false }]);
    expect(capsOfMetadata(head)).toEqual(expect.arrayContaining(["exec.mount.secret", "exec.mount.ssh", "exec.secretenv"]));
  });

  it("takes env, dir and user from the state and the options", () => {
    const state = base.addEnv("A", "1").addEnv("B", "2").dir("/srv").user("app");
    const { exec } = headExec(state.run({ args: ["x"], env: [["A", "3"], ["C", "4"]], cwd: "sub", hostname: "h" }).root());
    expect(exec.meta.env).toEqual(["A=3", "B=2", "C=4"]);
    expect(exec.meta.cwd).toBe("/srv/sub");
    expect(exec.meta.user).toBe("app");
    expect(exec.meta.hostname).toBe("h");
  });

  it("network, security and valid exit codes", () => {
    const { exec, head } = headExec(
      base.network("none").run({ args: ["x"], security: "insecure", validExitCodes: [0, 3] }).root(),
    );
    expect(exec.network).toBe(pb.NetMode.NONE);
    expect(exec.security).toBe(pb.SecurityMode.INSECURE);
    expect(exec.meta.validExitCodes).toEqual([0, 3]);
    expect(capsOfMetadata(head)).toEqual(expect.arrayContaining(["exec.meta.network", "exec.meta.security", "exec.validexitcode"]));
    const sandbox = headExec(base.run({ args: ["x"], network: "sandbox" }).root());
    expect(sandbox.exec.network).toBe(pb.NetMode.UNSET);
    expect(capsOfMetadata(sandbox.head)).not.toContain("exec.meta.network");
  });

  it("keys a mount by its definition alone when asked (contentCache), and leaves the field out for a daemon without the cap", () => {
    const data = scratch().file(mkdir("/d", 0o755));
    const state = base.run({ args: ["x"], mounts: [{ kind: "bind", dest: "/data", source: data, readonly: true, contentCache: "off" }] }).root();
    const current = headExec(state, ["exec.meta.base", "exec.mount.bind", "exec.mount.cache.content"]);
    expect(current.exec.mounts.find((m) => m.dest === "/data")!.contentCache).toBe(pb.MountContentCache.OFF);
    expect(current.exec.mounts.find((m) => m.dest === "/")!.contentCache).toBe(pb.MountContentCache.DEFAULT);
    expect(capsOfMetadata(current.head)).toContain("exec.mount.cache.content");
    const old = headExec(state, ["exec.meta.base", "exec.mount.bind"]);
    expect(old.exec.mounts.find((m) => m.dest === "/data")!.contentCache).toBe(pb.MountContentCache.DEFAULT);
    expect(capsOfMetadata(old.head)).not.toContain("exec.mount.cache.content");
  });

  it("adds BuildKit's default PATH only for a daemon without exec.meta.setsdefaultpath", () => {
    const state = base.run({ args: ["x"] }).root();
    const old = headExec(state, ["exec.meta.base"]);
    expect(old.exec.meta.env).toEqual(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]);
    expect(capsOfMetadata(old.head)).not.toContain("exec.meta.setsdefaultpath");
    const current = headExec(state, ["exec.meta.base", "exec.meta.setsdefaultpath"]);
    expect(current.exec.meta.env).toEqual([]);
    expect(capsOfMetadata(current.head)).toContain("exec.meta.setsdefaultpath");
  });

  it("a read-only root is the state itself; chained runs read output 0", () => {
    const first = base.run({ args: ["a"], readonlyRootfs: true });
    expect(first.root()).toBe(base);
    const second = base.run({ args: ["a"] }).root().run({ args: ["b"] }).root();
    const decoded = decode(marshal(second, { platform }));
    expect(decoded.body.map((op) => op.op.op)).toEqual(["source", "exec", "exec"]);
    expect(decoded.head.op.exec.meta.args).toEqual(["b"]);
  });

  it("inherits the image's platform and a pinned platform wins", () => {
    const arm = image("debian:bookworm", { platform: parsePlatform("linux/arm64/v8") });
    const decoded = decode(marshal(arm.run({ args: ["x"] }).root(), { platform }));
    expect(decoded.head.op.platform.toObject()).toMatchObject({ Architecture: "arm64", OS: "linux", Variant: "" });
    expect(decoded.body[0]!.op.platform.Architecture).toBe("arm64");
  });

  it("rejects bad arguments at once", () => {
    expect(isLlbArgumentError(thrown(() => base.run({ args: [] })))).toBe(true);
    expect(thrown(() => base.run({ args: ["x"], mounts: [{ kind: "tmpfs", dest: "tmp" }] })).message).toContain("absolute");
    expect(thrown(() => base.run({ args: ["x"], mounts: [{ kind: "tmpfs", dest: "/" }] })).message).toContain("two mounts at /");
    expect(thrown(() => base.run({ args: ["x"], mounts: [{ kind: "cache", dest: "/c", id: "" }] })).message).toContain("needs an id");
    expect(() => marshal(base.run({ args: ["x"] }).root())).toThrow(/no platform/);
  });
});

describe("run argument checks", () => {
  it("rejects out-of-range ids and modes of secret and ssh mounts", () => {
    expect(() => base.run({ args: ["x"], mounts: [{ kind: "secret", dest: "/s", id: "s", mode: 0o10000 }] })).toThrow(/invalid secret mount mode/);
    expect(() => base.run({ args: ["x"], mounts: [{ kind: "ssh", uid: -1 }] })).toThrow(/invalid ssh mount uid/);
    expect(() => base.run({ args: ["x"], mounts: [{ kind: "ssh" }, { kind: "tmpfs", dest: "/run/buildkit/ssh_agent.0" }] })).toThrow(/two mounts/);
  });
});
