// Representative graphs for the determinism and golden-digest tests, built only through the public API.
import {
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
  scratch,
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

/**
 * Every kind of op and most options, with nothing that depends on the build session: the graph whose
 * digests BuildKit itself reported (docker buildx on Docker 28.5's BuildKit, `--progress=rawjson`), see
 * vectors/buildkit-confirmed.json. BuildKit ≥ v0.18 re-marshals each op with Go's deterministic encoding
 * and reports that digest, so equal digests mean byte-identical canonical encoding.
 */
export function buildkitProbeGraph(): State {
  const sm = new SourceMap("probe.hcl", "image {\n  run = \"true\"\n}\n");
  const at = (line: number) => sm.location({ start: { line, column: 1 }, end: { line, column: 5 } });
  const base = image("debian:bookworm", { constraints: at(1) });
  const ctx = local("context", { sharedKeyHint: "context", includePatterns: ["*.hcl"], followPaths: ["probe.hcl"] });
  const seed = scratch().file(mkdir("/seed", 0o755).mkfile("/seed/a", 0o600, "a", { timestamp: 1700000000123456789n }));
  const exec = base.addEnv("PROBE", "1").dir("/work").run({
    args: ["sh", "-c", "ls /src /seed >/dev/null && echo ok > /out/ok && echo x > /tmp/x"],
    env: [["B", "2"]],
    mounts: [
      { kind: "bind", dest: "/src", source: ctx, readonly: true },
      { kind: "bind", dest: "/seed", source: seed, selector: "/seed", readonly: true },
      { kind: "bind", dest: "/out", source: scratch() },
      { kind: "cache", dest: "/root/.cache", id: "probe-cache", sharing: "private" },
      { kind: "tmpfs", dest: "/tmp", size: 1 << 20 },
      { kind: "secret", dest: "/run/secrets/none", id: "none", optional: true },
      { kind: "ssh", id: "default", optional: true },
    ],
    validExitCodes: [0, 1],
    hostname: "probe",
    network: "none",
    constraints: mergeConstraints(customName("probe run"), at(2)),
  });
  const files = exec.root().file(
    mkdir("/app", 0o750, { owner: "root:root", makeParents: true })
      .copy(exec.getMount("/out"), "/ok", "/app/", { mode: 0o644, owner: { user: 1000, group: "daemon" }, createDestPath: true, timestamp: new Date(0) })
      .copy(ctx, "/", "/app/ctx/", { includePatterns: ["*.hcl"], excludePatterns: ["x*"], copyDirContents: true, allowEmptyWildcard: true })
      .copy(mkfile("/m", 0o644, "m").withState(scratch()), "/m", "/app/m", { mode: "u+x", alwaysReplaceExistingDestPaths: true })
      .symlink("/app/ok", "/app/link")
      .rm("/app/nothing*", { allowNotFound: true, allowWildcard: true }),
  );
  return merge([base, diff(base, files), seed]);
}
