import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runBomCommand } from "../../frontend/cli/commands/bom.js";
import { buildBom, renderBomSummary, writeBomDocuments, writeBomJson, writeEstaleiroYaml, writeSpdx, type BomInputs } from "../../frontend/bom/index.js";
import { debianInputs, sha1Of, sha256Of } from "./fixtures.js";
import { tarDirectory, tempDir, writeLayoutDir } from "./oci-fixture.js";

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runBomCommand(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

function exported(inputs: BomInputs): string {
  const dir = tempDir("cli");
  for (const d of writeBomDocuments(buildBom(inputs))) writeFileSync(join(dir, d.name), d.content);
  return dir;
}

describe("slipway bom SOURCE", () => {
  const bom = buildBom(debianInputs());

  test("prints a summary by default and the documents with --format", async () => {
    const image = tarDirectory(writeLayoutDir([{ platform: { os: "linux", architecture: "amd64" }, bom, attest: true }]), "gnu");
    expect(await run(image)).toEqual({ code: 0, stdout: renderBomSummary(bom), stderr: "" });
    expect(await run("--format", "yaml", image)).toEqual({ code: 0, stdout: writeEstaleiroYaml(bom), stderr: "" });
    expect((await run("--format", "spdx", image)).stdout).toBe(writeSpdx(bom));
    expect((await run("--format=json", image)).stdout).toBe(writeBomJson(bom));
    expect(JSON.parse((await run("--format", "cdx", image)).stdout).bomFormat).toBe("CycloneDX");
  });

  test("bad usage exits 2 with the usage; an unreadable source exits 1 naming it", async () => {
    const badFormat = await run("--format", "xml", "x");
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toBe('slipway bom: unknown --format "xml"; use yaml, spdx, cyclonedx or json\nRun "slipway bom --help" for usage.\n');
    expect((await run()).stderr).toBe('slipway bom: missing SOURCE\nRun "slipway bom --help" for usage.\n');
    expect((await run("--colour", "x")).code).toBe(2);
    expect(await run("Not/A/Reference!")).toEqual({ code: 1, stdout: "", stderr: "slipway bom: Not/A/Reference!: is neither an existing file or directory nor an image reference\n" });
  });
});

test("relative paths start at the CLI's working directory", async () => {
  const dir = exported(debianInputs());
  let stdout = "";
  const code = await runBomCommand(["--format", "json", "."], { stdout: (t) => (stdout += t), stderr: () => {}, cwd: dir });
  expect(code).toBe(0);
  expect(stdout).toBe(writeBomJson(buildBom(debianInputs())));
});

describe("slipway bom diff A B", () => {
  const bumped = (): BomInputs => {
    const i = debianInputs();
    return {
      ...i,
      packages: i.packages!.map((p) => (p.name === "curl" ? { ...p, version: "7.88.1-10+deb12u6", location: { ...p.location, sha256: sha256Of("curl u6") } } : p)),
      files: i.files!.map((f) => (f.path === "/etc/app/app.conf" ? { ...f, sha256: sha256Of("conf v2"), sha1: sha1Of("conf v2") } : f)),
    };
  };

  test("one package version and one file changed: exactly those two lines", async () => {
    const result = await run("diff", exported(debianInputs()), exported(bumped()));
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")).toEqual([
      expect.stringMatching(/^~ package curl:amd64 7\.88\.1-10\+deb12u5 → 7\.88\.1-10\+deb12u6$/),
      expect.stringMatching(/^~ file \/etc\/app\/app\.conf sha256:[0-9a-f]{12} → sha256:[0-9a-f]{12} \(7 → 7 bytes\)$/),
      "",
    ]);
  });

  test("--json and --exit-code", async () => {
    const same = await run("diff", "--exit-code", exported(debianInputs()), exported(debianInputs()));
    expect(same).toEqual({ code: 0, stdout: "", stderr: "" });
    const changed = await run("diff", "--json", "--exit-code", exported(debianInputs()), exported(bumped()));
    expect(changed.code).toBe(1);
    const diff = JSON.parse(changed.stdout);
    expect(diff.packages.changed.map((c: { name: string }) => c.name)).toEqual(["curl"]);
    expect(diff.files.changed.map((c: { path: string }) => c.path)).toEqual(["/etc/app/app.conf"]);
  });

  test("needs exactly two sources", async () => {
    const result = await run("diff", exported(debianInputs()));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^slipway bom: diff needs two sources, A and B\n/);
  });
});
