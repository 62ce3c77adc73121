import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { build as esbuild } from "esbuild";
import { describe, expect, it } from "vitest";
import type { CliIO } from "../../frontend/cli/streams.js";
import { runCli } from "../../frontend/cli/main.js";
import { Definition, decodeOp, digestOf } from "../../llb/index.js";
import { buildx, dockerRun, frontendImage, must, project, REGISTRY, REPO, runAsync, scratchDir, syntaxLine } from "./harness.js";
import { startHttpServer } from "./http-server.js";
import { reportedVertices } from "./progress.js";
import { sessionFreeDeclaration } from "../support/session-free-declaration.js";

/**
 * The CLI against the lab: `slipway lock` (base image from the lab registry through the daemon's
 * docker.io mirror, indexes from the Debian archive the image names) against the frontend's
 * `--target lock`, and `slipway build` of an example.
 */

/** The CLI in this process, on the real disk; output captured. */
function diskIO(): { io: CliIO; out: { stdout: string; stderr: string; bytes: Uint8Array[] } } {
  const out = { stdout: "", stderr: "", bytes: [] as Uint8Array[] };
  return {
    out,
    io: {
      stdout: (t) => void (out.stdout += t),
      stderr: (t) => void (out.stderr += t),
      writeStdoutBytes: (b) => out.bytes.push(b.slice()) > 0,
      readFile: (p) => readFile(p, "utf8"),
      writeFile: (p, t) => writeFile(p, t, "utf8"),
      cwd: REPO,
    },
  };
}

describe("slipway lock", () => {
  it("writes, for examples/debian-tools, the very file --target lock exports", async () => {
    const dir = project("cli-lock", { "slipway.hcl": readFileSync(join(REPO, "examples/debian-tools/slipway.hcl"), "utf8") });
    const { io, out } = diskIO();
    const code = await runCli(["lock", join(dir, "slipway.hcl")], io);
    expect(out.stderr).toMatch(/^slipway lock: debian-tools \(linux\/amd64\): \d+ packages on docker\.io\/library\/debian:bookworm@sha256:[0-9a-f]{64}\nslipway lock: wrote .+\/slipway\.lock\.json\.\n$/);
    expect(code).toBe(0);

    const exported = scratchDir("cli-lock-export");
    const r = await buildx(dir, { target: "lock", output: `type=local,dest=${exported}`, viaBuildArg: true });
    expect(r.code, r.output.slice(-4000)).toBe(0);
    expect(readFileSync(join(dir, "slipway.lock.json"), "utf8")).toBe(readFileSync(join(exported, "slipway.lock.json"), "utf8"));
  });
});

describe("slipway build", () => {
  it("builds examples/hello-step through docker buildx, then exports its BOM", async () => {
    const tag = "slipway-e2e/cli-hello-step:latest";
    const bom = scratchDir("cli-bom");
    const { io, out } = diskIO();
    const code = await runCli(["build", "--frontend", frontendImage(), "-t", tag, "--bom", bom, "examples/hello-step/slipway.hcl", "--", "--progress=plain", "--provenance=false"], io);
    expect(code, out.stderr.slice(-4000)).toBe(0);
    expect(out.stderr).toContain("[slipway] /usr/local/bin/hello ← step build:/out/hello");
    expect(out.stderr).toMatch(new RegExp(`slipway build: image ${tag} loaded into Docker\\nslipway build: bill of materials in ${bom}\\n$`));
    const config = readFileSync(join(REPO, "examples/hello-step/config/hello.conf"), "utf8").replace(/\n+$/, "");
    expect(dockerRun(tag)).toBe(`hello from slipway (${config})\n`);
    const documents = JSON.parse(readFileSync(join(bom, "bom.json"), "utf8")) as { files?: unknown[] };
    expect(Array.isArray(documents.files)).toBe(true);
    expect(existsSync(join(bom, "bom.spdx.json"))).toBe(true);
  });
});

/** The solve-definition test frontend (fixtures/solve-definition), bundled and pushed once per content. */
async function solveDefinitionFrontend(): Promise<string> {
  const dir = scratchDir("solve-definition");
  const fixture = join(REPO, "test/e2e/fixtures/solve-definition");
  await esbuild({ entryPoints: [join(fixture, "main.ts")], bundle: true, platform: "node", target: "node20", format: "cjs", outfile: join(dir, "main.cjs"), logLevel: "warning" });
  copyFileSync(join(fixture, "Dockerfile"), join(dir, "Dockerfile"));
  const hash = createHash("sha256").update(readFileSync(join(dir, "main.cjs"))).update(readFileSync(join(dir, "Dockerfile"))).digest("hex").slice(0, 16);
  const tag = `${REGISTRY}/slipway-e2e/solve-definition:${hash}`;
  must("docker", ["buildx", "build", "--quiet", "--provenance=false", "-t", tag, "--output", "type=image,push=true", dir], { timeoutMs: 600_000 });
  return tag;
}

/** Every file, directory and symlink under `root`: path → type, mode and content (or link target). */
function tree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = lstatSync(p);
      const key = relative(root, p);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isDirectory()) {
        out.set(key, `dir ${mode}`);
        walk(p);
      } else if (st.isSymbolicLink()) out.set(key, `link ${readlinkSync(p)}`);
      else out.set(key, `file ${mode} ${createHash("sha256").update(readFileSync(p)).digest("hex")}`);
    }
  };
  walk(root);
  return out;
}

describe("slipway llb", () => {
  it("writes a Definition that BuildKit builds into the same files as the frontend does", async () => {
    const { io, out } = diskIO();
    expect(await runCli(["llb", "--platform", "linux/amd64", "examples/scratch-assets/slipway.hcl"], io), out.stderr).toBe(0);
    const definition = Buffer.concat(out.bytes);
    expect(definition.length).toBeGreaterThan(0);

    // the Definition, built as `buildctl build --local context=examples/scratch-assets` would
    const dir = project("cli-llb", {
      "assets.tgz": readFileSync(join(REPO, "examples/scratch-assets/assets.tgz")),
      "definition.pb": definition,
      Dockerfile: "# read by nobody: the solve-definition frontend builds definition.pb\n",
    });
    const fromLlb = scratchDir("cli-llb-out");
    const solver = await solveDefinitionFrontend();
    const r = await runAsync("docker", ["buildx", "build", "--progress=plain", "--provenance=false", "--build-arg", `BUILDKIT_SYNTAX=${solver}`, "--platform", "linux/amd64", "-f", join(dir, "Dockerfile"), "--output", `type=local,dest=${fromLlb}`, dir], { timeoutMs: 300_000 });
    expect(r.code, r.output.slice(-4000)).toBe(0);

    // the same declaration through the frontend
    const fromFrontend = scratchDir("cli-llb-frontend-out");
    const declaration = readFileSync(join(REPO, "examples/scratch-assets/slipway.hcl"), "utf8").replace(/^# syntax=.*\n/, syntaxLine());
    const frontendDir = project("cli-llb-frontend", { "slipway.hcl": declaration, "assets.tgz": readFileSync(join(REPO, "examples/scratch-assets/assets.tgz")) });
    const f = await buildx(frontendDir, { output: `type=local,dest=${fromFrontend}`, extra: ["--platform", "linux/amd64"] });
    expect(f.code, f.output.slice(-4000)).toBe(0);

    const built = tree(fromLlb);
    expect([...built.keys()]).toContain("etc/assets.conf");
    expect([...built.keys()]).toContain("usr/share/doc/assets/README");
    // the frontend's local export also holds the image's BOM attestations, which no Definition carries
    const frontendTree = tree(fromFrontend);
    const attestations = [...frontendTree.keys()].filter((k) => /^bom\.([a-z]+\.)?json$/.test(k));
    expect(attestations.sort()).toEqual(["bom.cdx.json", "bom.json", "bom.spdx.json"]);
    for (const k of attestations) frontendTree.delete(k);
    expect(built).toEqual(frontendTree);
  });

  /*
   * The bytes, on a real BuildKit. BuildKit names each vertex by the sha256 of its op's bytes as the
   * Definition carries them (solver/llbsolver/vertex.go, `loadLLB`), and raw progress reports those
   * names: an op of slipway llb's Definition that the frontend's build reports was sent by the frontend
   * byte for byte. Since every op holds its inputs' digests, the image's last op alone pins the whole
   * graph; each op is checked so that a failure names the one that differs. Only the image's ops must
   * match: the frontend also solves the bill of materials (its copies of each file, the measuring exec),
   * which no `slipway llb` Definition holds, so the frontend's vertices are a superset.
   *
   * Of the metadata, BuildKit shows each op's progress name (`llb.customname`) and group, compared
   * here. Its caps, cache flags and source map are not observable outside BuildKit, and the source maps
   * differ by design (the build's loads the declaration through the session); test/gateway/llb-same-bytes
   * compares the whole Definition, metadata included, over a fake gateway.
   */
  it("hands BuildKit the frontend's very op bytes: every op of its Definition is a vertex of the frontend's build, named alike", async () => {
    const tool = "#!/bin/sh\necho tool\n";
    const conf = "greeting = hi\n";
    const server = await startHttpServer({ "/tool": tool, "/tool.conf": conf });
    try {
      const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
      const declaration = sessionFreeDeclaration({
        header: syntaxLine(),
        downloads: [
          { path: "/usr/local/bin/tool", url: `${server.url}/tool`, sha256: sha256(tool), mode: "0755" },
          { path: "/etc/tool.conf", url: `${server.url}/tool.conf`, sha256: sha256(conf) },
        ],
        fromImage: { image: `debian:bookworm@${registryDigest(`${REGISTRY}/library/debian:bookworm`)}`, path: "/etc/debian_version" },
      });
      const dir = project("cli-llb-bytes", { "slipway.hcl": declaration });
      const { io, out } = diskIO();
      expect(await runCli(["llb", "--platform", "linux/amd64", join(dir, "slipway.hcl")], io), out.stderr).toBe(0);
      const bytes = Buffer.concat(out.bytes);
      writeFileSync(join(dir, "definition.pb"), bytes);
      writeFileSync(join(dir, "Dockerfile"), "# read by nobody: the solve-definition frontend builds definition.pb\n");
      const definition = Definition.fromBytes(bytes);
      // The terminal op (the last) is no vertex: BuildKit drops it and builds its input, the image's last op.
      const terminal = decodeOp(definition.ops.at(-1)!);
      expect(terminal.inputs.length).toBe(1);
      const head = terminal.inputs[0]!.digest;
      const ops = definition.ops.slice(0, -1).map((op) => digestOf(op));
      expect(ops).toContain(head);
      expect(ops.length).toBeGreaterThanOrEqual(5);

      // slipway llb's Definition, as buildctl would solve it
      const solver = await solveDefinitionFrontend();
      const l = await runAsync("docker", ["buildx", "build", "--progress=rawjson", "--provenance=false", "--build-arg", `BUILDKIT_SYNTAX=${solver}`, "--platform", "linux/amd64", "-f", join(dir, "Dockerfile"), "--output", "type=cacheonly", dir], { timeoutMs: 300_000 });
      expect(l.code, l.output.slice(-4000)).toBe(0);
      const fromLlb = reportedVertices(l.output);

      // the same declaration through the frontend
      const f = await buildx(dir, { output: "type=cacheonly", extra: ["--platform", "linux/amd64", "--progress=rawjson"] });
      expect(f.code, f.output.slice(-4000)).toBe(0);
      const fromFrontend = reportedVertices(f.output);

      for (const digest of ops) {
        // BuildKit names a vertex by the sha256 of the op's bytes as sent: each op's bytes reached it as
        // slipway llb wrote them, and the frontend sent the same bytes
        expect(fromLlb.has(digest), `${digest} in the solve of slipway llb's Definition`).toBe(true);
        expect(fromFrontend.has(digest), `${digest} (${fromLlb.get(digest)?.name}) in the frontend's build`).toBe(true);
        // the metadata BuildKit shows: the progress name (llb.customname) and group
        const customName = definition.proto.metadata.get(digest)?.description.get("llb.customname");
        if (customName !== undefined) expect(fromLlb.get(digest)!.name).toBe(customName);
        expect(fromFrontend.get(digest)!.name).toBe(fromLlb.get(digest)!.name);
        expect(fromFrontend.get(digest)!.progressGroup).toBe(fromLlb.get(digest)!.progressGroup);
        expect(fromFrontend.get(digest)!.inputs).toEqual(fromLlb.get(digest)!.inputs);
      }
    } finally {
      await server.close();
    }
  });

  // The Definition through buildctl's own reader, where buildctl is installed (not in this lab).

  const buildctl = spawnSync("buildctl", ["--version"]).error === undefined;
  // buildx takes no LLB on stdin; only buildctl reads a Definition, and this lab has none installed.
  const title = `writes a Definition buildctl debug dump-llb reads${buildctl ? "" : " (skipped: buildctl is not installed)"}`;
  it.skipIf(!buildctl)(title, async () => {
    const { io, out } = diskIO();
    expect(await runCli(["llb", "examples/scratch-assets/slipway.hcl"], io)).toBe(0);
    const dumped = spawnSync("buildctl", ["debug", "dump-llb"], { input: Buffer.concat(out.bytes), encoding: "utf8" });
    expect(dumped.status, dumped.stderr).toBe(0);
    expect(dumped.stdout).toContain("local://context");
  });
});

/** The digest a registry reference resolves to (a manifest, or an index), as `imagetools inspect` shows it. */
function registryDigest(ref: string): string {
  const digest = /^Digest:\s+(sha256:[0-9a-f]{64})$/m.exec(must("docker", ["buildx", "imagetools", "inspect", ref]).stdout)?.[1];
  if (!digest) throw new Error(`no digest for ${ref}`);
  return digest;
}
