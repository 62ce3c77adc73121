import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIO } from "../../frontend/cli/io.js";
import { runCli } from "../../frontend/cli/main.js";
import { buildx, dockerRun, frontendImage, project, REPO, scratchDir } from "./harness.js";

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

describe("slipway llb", () => {
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
