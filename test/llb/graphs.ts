// Representative graphs for the determinism and golden-digest tests, built only through the public API.
import {
  copy,
  customName,
  description,
  diff,
  git,
  http,
  image,
  local,
  merge,
  mergeConstraints,
  mkdir,
  mkfile,
  progressGroup,
  SourceMap,
  type Mount,
  type State,
} from "../../llb/index.js";

export const declaration = 'image "app" {\n  base = "debian:bookworm"\n  run "build" { command = ["make"] }\n}\n';
const at = (line: number) => ({ start: { line, column: 1 }, end: { line, column: 10 } });

/** A declaration-shaped build: base image, context, a run with every mount kind, file ops, sources. */
export function appImage(options: { mountOrder?: readonly number[]; describeOrder?: "ab" | "ba" } = {}): State {
  const sm = new SourceMap("slipway.hcl", declaration);
  const base = image("debian:bookworm@sha256:" + "0".repeat(64), {
    config: { architecture: "amd64", os: "linux", config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"], WorkingDir: "/" } },
    constraints: mergeConstraints(customName("[base] debian:bookworm"), sm.location(at(2))),
  });
  const context = local("context", { sessionId: "session", sharedKeyHint: "context", excludePatterns: [".git"] });
  const mounts: Mount[] = [
    { kind: "bind", dest: "/src", source: context, readonly: true },
    { kind: "cache", dest: "/root/.cache", id: "build", sharing: "locked" },
    { kind: "tmpfs", dest: "/tmp" },
    { kind: "bind", dest: "/out", source: mkdirState() },
    { kind: "secret", dest: "/run/secrets/npm", id: "npm" },
    { kind: "secret", dest: "/run/secrets/apt", id: "apt", optional: true },
  ];
  const order = options.mountOrder ?? mounts.map((_, i) => i);
  const meta = options.describeOrder === "ba" ? { b: "2", a: "1" } : { a: "1", b: "2" };
  const built = base.run({
    args: ["make", "-C", "/src", "install", "DESTDIR=/out"],
    env: [["CI", "true"]],
    cwd: "/src",
    mounts: order.map((i) => mounts[i]!),
    constraints: mergeConstraints(description(meta), customName("[build] make"), progressGroup("build", "build"), sm.location(at(3))),
  });
  const tool = http("https://example.org/tool", { checksum: "sha256:" + "1".repeat(64), filename: "tool", perm: 0o755 });
  const docs = git("https://example.org/docs.git", "v1", { checksum: "2".repeat(40), subdir: "site" });
  const files = base
    .file(
      mkdir("/app", 0o755, { owner: "app:app", timestamp: 0n })
        .copy(built.getMount("/out"), "/usr/local", "/usr/local", { copyDirContents: true, timestamp: 0n })
        .copy(tool, "tool", "/usr/local/bin/tool", { mode: 0o755 })
        .copy(docs, "/", "/app/docs/", { excludePatterns: ["*.md"] })
        .mkfile("/app/VERSION", 0o644, "1.0\n", { timestamp: 0n }),
      customName("[files]"),
    );
  return merge([base, diff(base, files)], customName("[layers]"));
}

function mkdirState(): State {
  return image("busybox", { platform: { os: "linux", architecture: "amd64" } }).file(mkdir("/out", 0o755));
}
