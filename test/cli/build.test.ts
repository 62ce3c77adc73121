import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBuildCommand, syntaxDirective } from "../../frontend/cli/commands/build.js";
import { isUsageError } from "../../frontend/cli/streams.js";
import { runCli } from "../../frontend/cli/main.js";
import { memoryIO } from "../../frontend/cli/memory-io.js";

/** A `docker` that records each command line (one JSON array per line) and answers as told. */
const bin = mkdtempSync(join(tmpdir(), "slipway-fake-docker-"));
const log = join(bin, "argv.jsonl");
writeFileSync(
  join(bin, "docker"),
  `#!${process.execPath}
const fs = require("node:fs");
fs.appendFileSync(process.env.FAKE_DOCKER_LOG, JSON.stringify(process.argv.slice(2)) + "\\n");
process.stderr.write("#1 [fake buildx] " + process.argv[process.argv.length - 1] + "\\n");
if (process.env.FAKE_DOCKER_STDOUT) process.stdout.write(Buffer.from(process.env.FAKE_DOCKER_STDOUT, "base64"));
process.exitCode = Number(process.env.FAKE_DOCKER_EXIT || 0);
`,
);
chmodSync(join(bin, "docker"), 0o755);
afterAll(() => rmSync(bin, { recursive: true, force: true }));

const withSyntax = `# syntax=registry.example/slipway/frontend:1\n#\n# an app\n\nimage "app" {\n  base_image = "scratch"\n}\n\nimage "other" {\n  base_image = "scratch"\n}\n`;
const withoutSyntax = `image "app" {\n  base_image = "scratch"\n}\n`;

async function build(args: string[], files: Record<string, string>, env: Record<string, string> = {}) {
  rmSync(log, { force: true });
  const { io, out, stdoutBytes } = memoryIO(files);
  let code: number;
  try {
    code = await runBuildCommand(args, io, { env: { PATH: bin, FAKE_DOCKER_LOG: log, ...env } });
  } catch (e) {
    // as runCli reports it
    if (!isUsageError(e)) throw e;
    out.stderr += `usage: ${e.message}\n`;
    code = 2;
  }
  const calls = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[]) : [];
  return { code, out, calls, stdout: Buffer.concat(stdoutBytes) };
}

describe("slipway build", () => {
  it("runs docker buildx build with the file, its directory as context, variables as build args, and loads a tag", async () => {
    const r = await build(["--var", "greeting=hi", "--var=tag=1", "--platform", "linux/arm64", "--target", "app", "-t", "app:1", "-t", "app:latest", "proj/slipway.hcl"], { "proj/slipway.hcl": withSyntax });
    expect(r.calls).toEqual([
      ["buildx", "build", "-f", "/w/proj/slipway.hcl", "--build-arg", "greeting=hi", "--build-arg", "tag=1", "--platform", "linux/arm64", "--target", "app", "--load", "-t", "app:1", "-t", "app:latest", "/w/proj"],
    ]);
    expect(r.code).toBe(0);
    expect(r.out.stderr).toBe("#1 [fake buildx] /w/proj\nslipway build: image app:1, app:latest loaded into Docker\n");
  });

  it("passes the frontend as BUILDKIT_SYNTAX: --frontend, else $SLIPWAY_FRONTEND; the # syntax= line needs none", async () => {
    const files = { "slipway.hcl": withoutSyntax };
    const flag = await build(["--frontend", "127.0.0.1:5000/slipway/frontend:dev", "--output", "type=local,dest=out", "slipway.hcl"], files, { SLIPWAY_FRONTEND: "env/frontend:1" });
    expect(flag.calls).toEqual([["buildx", "build", "-f", "/w/slipway.hcl", "--build-arg", "BUILDKIT_SYNTAX=127.0.0.1:5000/slipway/frontend:dev", "--output", "type=local,dest=out", "/w"]]);
    expect(flag.out.stderr).toContain("slipway build: the image's files are in out\n");

    const env = await build(["-o", "type=oci,dest=app.tar", "slipway.hcl"], files, { SLIPWAY_FRONTEND: "env/frontend:1" });
    expect(env.calls).toEqual([["buildx", "build", "-f", "/w/slipway.hcl", "--build-arg", "BUILDKIT_SYNTAX=env/frontend:1", "--output", "type=oci,dest=app.tar", "/w"]]);
    expect(env.out.stderr).toContain("slipway build: OCI image archive app.tar\n");

    const line = await build(["-o", "type=image,name=registry.example/app:1,push=true", "slipway.hcl"], { "slipway.hcl": withSyntax });
    expect(line.calls).toEqual([["buildx", "build", "-f", "/w/slipway.hcl", "--output", "type=image,name=registry.example/app:1,push=true", "/w"]]);
    expect(line.out.stderr).toContain("slipway build: image registry.example/app:1 pushed\n");
  });

  it("is a usage error, with docker never run, when no frontend is known", async () => {
    const r = await build(["slipway.hcl"], { "slipway.hcl": withoutSyntax }, { SLIPWAY_FRONTEND: "" });
    expect(r.code).toBe(2);
    expect(r.calls).toEqual([]);
    const { io, out } = memoryIO({ "slipway.hcl": withoutSyntax });
    expect(await runCli(["build", "slipway.hcl"], io)).toBe(2);
    expect(out.stderr).toMatch(/^slipway build: slipway\.hcl has no "# syntax=IMAGE" line, so buildx would not know the slipway frontend; give it with --frontend IMAGE or \$SLIPWAY_FRONTEND, or add the line at the top of the file\nRun "slipway build --help" for usage\.\n$/);
  });

  it("exports the BOM with a second build when --bom asks, and passes arguments after -- through", async () => {
    const r = await build(["--context", "ctx", "-t", "app:1", "--bom", "bom", "proj/slipway.hcl", "--", "--no-cache", "--progress=plain"], { "proj/slipway.hcl": withSyntax });
    expect(r.calls).toEqual([
      ["buildx", "build", "-f", "/w/proj/slipway.hcl", "--load", "-t", "app:1", "--no-cache", "--progress=plain", "/w/ctx"],
      ["buildx", "build", "-f", "/w/proj/slipway.hcl", "--target", "bom", "--output", "type=local,dest=/w/bom", "--no-cache", "--progress=plain", "/w/ctx"],
    ]);
    expect(r.code).toBe(0);
    expect(r.out.stderr).toMatch(/slipway build: image app:1 loaded into Docker\nslipway build: bill of materials in bom\n$/);
  });

  it("exports the BOM of the --target image, naming it to the bom target with SLIPWAY_IMAGE", async () => {
    const r = await build(["--target", "app", "--bom", "bom", "slipway.hcl"], { "slipway.hcl": withSyntax });
    expect(r.code).toBe(0);
    expect(r.calls).toHaveLength(2);
    const bomCall = r.calls[1]!.join(" ");
    expect(bomCall).toContain("--target bom --build-arg SLIPWAY_IMAGE=app --output type=local,dest=");
    const untargeted = await build(["--bom", "bom", "slipway.hcl"], { "slipway.hcl": withSyntax });
    expect(untargeted.calls[1]!.join(" ")).not.toContain("SLIPWAY_IMAGE");
  });

  it("passes --mirror (else $SLIPWAY_MIRROR) and $SLIPWAY_VENDOR as the build arguments of those names, to both builds", async () => {
    const mirror = "http://archive.example/debian=http://127.0.0.1:8080/debian";
    const vendor = `127.0.0.1:5000/app/vendor@sha256:${"ab".repeat(32)}`;
    const flag = await build(["--mirror", mirror, "--bom", "bom", "slipway.hcl"], { "slipway.hcl": withSyntax }, { SLIPWAY_MIRROR: "http://a.example/=http://b.example/", SLIPWAY_VENDOR: vendor });
    expect(flag.code).toBe(0);
    expect(flag.calls).toHaveLength(2);
    for (const call of flag.calls) {
      expect(call.join(" ")).toContain(`--build-arg SLIPWAY_MIRROR=${mirror} --build-arg SLIPWAY_VENDOR=${vendor} `);
      expect(call.join(" ")).not.toContain("b.example");
    }
    const env = await build(["slipway.hcl"], { "slipway.hcl": withSyntax }, { SLIPWAY_MIRROR: mirror });
    expect(env.calls).toEqual([["buildx", "build", "-f", "/w/slipway.hcl", "--build-arg", `SLIPWAY_MIRROR=${mirror}`, "/w"]]);
    const neither = await build(["slipway.hcl"], { "slipway.hcl": withSyntax });
    expect(neither.calls[0]!.join(" ")).not.toContain("SLIPWAY_");
  });

  it("refuses a malformed mirror or vendored image before docker runs, naming where it came from", async () => {
    const flag = await build(["--mirror", "nowhere", "slipway.hcl"], { "slipway.hcl": withSyntax });
    expect(flag.code).toBe(2);
    expect(flag.calls).toEqual([]);
    expect(flag.out.stderr).toMatch(/^usage: --mirror: .*ORIGINAL=REPLACEMENT/);
    const env = await build(["slipway.hcl"], { "slipway.hcl": withSyntax }, { SLIPWAY_MIRROR: "ftp://x=ftp://y" });
    expect(env.calls).toEqual([]);
    expect(env.out.stderr).toMatch(/^usage: \$SLIPWAY_MIRROR: /);
    const vendor = await build(["slipway.hcl"], { "slipway.hcl": withSyntax }, { SLIPWAY_VENDOR: "127.0.0.1:5000/app/vendor:latest" });
    expect(vendor.code).toBe(2);
    expect(vendor.calls).toEqual([]);
    expect(vendor.out.stderr).toMatch(/^usage: \$SLIPWAY_VENDOR: .*pinned by its digest/);
  });

  it("exits with buildx's code, says nothing about a result, and skips the BOM build after a failure", async () => {
    const r = await build(["-t", "app:1", "--bom", "bom", "slipway.hcl"], { "slipway.hcl": withSyntax }, { FAKE_DOCKER_EXIT: "17" });
    expect(r.code).toBe(17);
    expect(r.calls).toHaveLength(1);
    expect(r.out.stderr).toBe("#1 [fake buildx] /w\n");
  });

  it("passes buildx's stdout through byte for byte (a tar stream with --output -)", async () => {
    const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 10]);
    const r = await build(["-o", "-", "slipway.hcl"], { "slipway.hcl": withSyntax }, { FAKE_DOCKER_STDOUT: bytes.toString("base64") });
    expect(r.code).toBe(0);
    expect(r.stdout).toEqual(bytes);
    expect(r.out.stdout).toBe("");
    expect(r.out.stderr).toContain("slipway build: the image's files went to stdout as a tar stream\n");
  });

  it("says so clearly when docker is not installed", async () => {
    const { io, out } = memoryIO({ "slipway.hcl": withSyntax });
    const empty = mkdtempSync(join(tmpdir(), "slipway-no-docker-"));
    expect(await runBuildCommand(["slipway.hcl"], io, { env: { PATH: empty } })).toBe(1);
    rmSync(empty, { recursive: true });
    expect(out.stderr).toBe('slipway build: "docker" was not found on PATH; slipway build runs docker buildx build, so install Docker Engine with the buildx plugin (or run buildx yourself)\n');
  });
});

describe("syntaxDirective, BuildKit's rule for # syntax=", () => {
  it.each([
    ["# syntax=img:1\nimage {}", "img:1"],
    ["#syntax = img:1 --flag\n", "img:1"],
    ["\uFEFF# escape=`\n# syntax=img:2\n", "img:2"],
    ["#!/usr/bin/env slipway\n# syntax=img:3\n", "img:3"],
    ["// syntax=img:4\n", "img:4"],
    ["# SYNTAX=img:5\n", "img:5"],
    ["# a comment\n# syntax=img:1\n", undefined],
    ["\n# syntax=img:1\n", undefined],
    ["image {}\n# syntax=img:1\n", undefined],
    ["# syntax=\n", undefined],
    ["# escape=\\\n# escape=`\n# syntax=img\n", undefined],
  ])("%j → %s", (text, image) => {
    expect(syntaxDirective(text)).toBe(image);
  });
});
