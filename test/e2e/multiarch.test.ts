import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildBom, type BomInputs } from "../../frontend/bom/index.js";
import { FACTS_FILE, REQUEST_FILE, WORKER_LAYOUT, type BomRequest } from "../../frontend/bom-worker/index.js";
import { must, REGISTRY, REPO, run, scratchDir } from "./harness.js";

/**
 * The multi-platform frontend image (issue 14): scripts/frontend-image.sh pushes one index for
 * linux/amd64 and linux/arm64, and the arm64 image, under the lab's emulation, both starts the frontend
 * and runs the BOM worker (which runs in the frontend's own image) on a small fixture, writing the same
 * bytes as the amd64 one. Its own test, so that the other e2e tests keep the amd64-only image of the
 * harness and never pay for emulation.
 */

const PLATFORMS = ["linux/amd64", "linux/arm64"] as const;
/** scripts/lab-up.sh registers QEMU for arm64 unless SLIPWAY_ARM64=0. */
const emulatesArm64 = (() => {
  try {
    return /^enabled$/m.test(readFileSync("/proc/sys/fs/binfmt_misc/qemu-aarch64", "utf8"));
  } catch {
    return false;
  }
})();
const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const version = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;

describe.skipIf(!emulatesArm64)("the multi-platform frontend image (needs the lab's arm64 emulation, which SLIPWAY_ARM64=0 leaves out)", () => {
  let image = "";

  beforeAll(() => {
    // its own repository: the examples' :latest stays whatever scripts/frontend-image.sh last pushed
    const r = must(join(REPO, "scripts/frontend-image.sh"), [], { env: { SLIPWAY_FRONTEND_REPO: `${REGISTRY}/slipway-e2e/frontend-multi` }, timeoutMs: 1_500_000 });
    image = r.stdout.trim();
  });

  it("is one index for linux/amd64 and linux/arm64", () => {
    const r = must("docker", ["buildx", "imagetools", "inspect", image]);
    for (const p of PLATFORMS) expect(r.stdout).toMatch(new RegExp(`Platform:\\s+${p}\\b`));
    const raw = JSON.parse(must("docker", ["buildx", "imagetools", "inspect", "--raw", image]).stdout) as { manifests: { platform: { os: string; architecture: string } }[] };
    expect(raw.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`).sort()).toEqual([...PLATFORMS]);
  });

  it.each(PLATFORMS)("starts the frontend on %s from its startup snapshot, with code caches its node accepts", (platform) => {
    const r = run("docker", ["run", "--rm", "--platform", platform, "--network", "none", image, "--version"]);
    expect(r.code, r.output).toBe(0);
    const arch = platform === "linux/arm64" ? "arm64" : "x64";
    expect(r.stdout).toMatch(new RegExp(`^slipway ${version.replace(/\./g, "\\.")} \\(node v20\\.\\d+\\.\\d+, linux/${arch}\\)\\n$`));
    // the loader says so when V8 rejects the cache: a cache made by the other platform's node
    expect(r.stderr).not.toMatch(/code cache/);
    // and silently starts without one when the file is missing: the cache the loader names is there
    const files = scratchDir(`multiarch-slipway-${arch}`);
    const container = must("docker", ["create", "--platform", platform, image]).stdout.trim();
    try {
      must("docker", ["cp", `${container}:/slipway/.`, files]);
    } finally {
      run("docker", ["rm", container]);
    }
    const entry = readFileSync(join(files, "frontend.cjs"), "utf8");
    for (const script of ["app", "grpc-js"]) {
      const cacheName = new RegExp(`${script}-[0-9a-f]{16}\\.v8cache`).exec(entry)?.[0];
      expect(cacheName, `${script}'s cache in frontend.cjs`).toBeDefined();
      expect(existsSync(join(files, cacheName!)), `${platform}: /slipway/${cacheName}`).toBe(true);
    }
    // `--version` above started from it: the image's entry point is the snapshot
    const config = JSON.parse(must("docker", ["image", "inspect", "--format", "{{json .Config.Entrypoint}}", image]).stdout) as string[];
    expect(config).toEqual(["node", "--snapshot-blob", "/slipway/frontend.blob", "/slipway/frontend.cjs"]);
    expect(existsSync(join(files, "frontend.blob")), `${platform}: /slipway/frontend.blob`).toBe(true);
  });

  it("runs the BOM worker on arm64 over a real arm64 Debian, writing the same bytes as on amd64", () => {
    // The fixture's base is the arm64 image's own Debian (its dpkg status and os-release), so the worker
    // reads a real arm64 package database; the built image is that plus two added files.
    const base = scratchDir("multiarch-base");
    const container = must("docker", ["create", "--platform", "linux/arm64", image]).stdout.trim();
    try {
      for (const path of ["var/lib/dpkg/status", "usr/lib/os-release"]) {
        mkdirSync(join(base, path, ".."), { recursive: true });
        must("docker", ["cp", `${container}:/${path}`, join(base, path)]);
      }
    } finally {
      run("docker", ["rm", container]);
    }
    mkdirSync(join(base, "etc"));
    symlinkSync("../usr/lib/os-release", join(base, "etc/os-release"));
    const stanza = readFileSync(join(base, "var/lib/dpkg/status"), "utf8")
      .split("\n\n")
      .map((s) => new Map(s.split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()])))
      .find((fields) => fields.get("Package") === "base-files");
    expect(stanza?.get("Architecture"), "base-files in the arm64 image's dpkg status").toBe("arm64");
    const baseFilesVersion = stanza!.get("Version")!;

    const imageTree = scratchDir("multiarch-image");
    must("cp", ["-a", `${base}/.`, imageTree]);
    const tool = "#!/bin/sh\necho tool\n";
    mkdirSync(join(imageTree, "usr/local/bin"), { recursive: true });
    writeFileSync(join(imageTree, "usr/local/bin/tool"), tool);
    chmodSync(join(imageTree, "usr/local/bin/tool"), 0o755);
    mkdirSync(join(imageTree, "etc/tool"), { recursive: true });
    writeFileSync(join(imageTree, "etc/tool/tool.conf"), "answer = 42\n");
    const inputs: BomInputs = {
      tool: { name: "slipway", version },
      image: { name: "tool", platform: "linux/arm64" },
      declaration: { file: "slipway.hcl", sha256: sha256("image \"tool\" {}") },
      base: { kind: "image", canonicalName: `docker.io/library/debian:bookworm@sha256:${sha256("base")}` },
    };
    const request: BomRequest = {
      version: 2,
      inputs,
      files: [
        { destination: "/usr/local/bin/tool", origin: { kind: "context", path: "tool" }, under: "tool" },
        { destination: "/etc/tool", origin: { kind: "context", path: "conf" }, under: "conf" },
      ],
      tarballs: [],
      expectInstalled: [{ name: "base-files", architecture: "arm64", version: baseFilesVersion }],
    };
    const requestDir = scratchDir("multiarch-request");
    writeFileSync(join(requestDir, REQUEST_FILE), JSON.stringify(request));

    // As bomFacts' exec runs it: the image's node and bom-worker.cjs, no network, a read-only root,
    // the trees mounted read-only (each measured file's own at files/<i>), an empty output directory.
    const outs = PLATFORMS.map((platform) => {
      const out = scratchDir(`multiarch-out-${platform.split("/")[1]}`);
      const mount = (host: string, at: string, ro: boolean) => ["-v", `${host}:${at}${ro ? ":ro" : ""}`];
      const r = run("docker", [
        "run", "--rm", "--platform", platform, "--network", "none", "--read-only", "--user", "0:0",
        ...mount(requestDir, WORKER_LAYOUT.request, true),
        ...mount(imageTree, WORKER_LAYOUT.image, true),
        ...mount(base, WORKER_LAYOUT.base, true),
        ...mount(scratchDir("multiarch-context"), WORKER_LAYOUT.context, true),
        ...mount(imageTree, `${WORKER_LAYOUT.files}/0`, true),
        ...mount(imageTree, `${WORKER_LAYOUT.files}/1`, true),
        ...mount(out, WORKER_LAYOUT.out, false),
        "--entrypoint", "/usr/local/bin/node", image, "/slipway/bom-worker.cjs",
      ]);
      expect(r.code, `${platform}: ${r.output}`).toBe(0);
      return out;
    });
    const [amd64, arm64] = outs as [string, string];

    const bom = buildBom(JSON.parse(readFileSync(join(arm64, FACTS_FILE), "utf8")) as BomInputs);
    expect(bom.files.map((f) => [f.path, f.sha256, f.size, f.mode])).toEqual([
      ["/etc/tool/tool.conf", sha256("answer = 42\n"), 12, 0o644],
      ["/usr/local/bin/tool", sha256(tool), tool.length, 0o755],
    ]);
    expect(bom.base.kind === "image" && bom.base.os).toMatchObject({ id: "debian", versionCodename: "bookworm" });
    const packages = bom.base.kind === "image" ? bom.base.packages : [];
    expect(packages.length, "the arm64 Debian's packages").toBeGreaterThan(50);
    expect(packages.find((p) => p.name === "base-files")).toMatchObject({ version: baseFilesVersion });
    expect(readFileSync(join(arm64, FACTS_FILE)).equals(readFileSync(join(amd64, FACTS_FILE))), "arm64 and amd64 workers agree").toBe(true);
  });
});
