import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { COMMAND_NAMES, runCli, type CliIO } from "./main.js";
import { memoryIO } from "./memory-io.js";

const good = `image "app" {
  base_image = "debian:\${tag}"
  labels = {
    key = file("keys/key.asc")
  }
}
`;

describe("slipway check", () => {
  it("passes a good declaration, reading file() relative to the declaration's directory", async () => {
    const { io, out } = memoryIO({ "sub/slipway.hcl": good, "sub/keys/key.asc": "KEY" });
    expect(await runCli(["check", "--var", "tag=bookworm", "sub/slipway.hcl"], io)).toBe(0);
    expect(out).toEqual({ stdout: "", stderr: "" });
  });

  it("reports every diagnostic with file, line and column, and exits 1", async () => {
    const { io, out } = memoryIO({ "slipway.hcl": good });
    expect(await runCli(["check", "slipway.hcl"], io)).toBe(1);
    expect(out.stderr).toContain('slipway.hcl:2:26: error: No value for variable "tag"');
    expect(out.stderr).toContain('slipway.hcl:4:16: error: Invalid function argument');
    expect(out.stderr).toContain('there is no file "keys/key.asc" in the build context');
    expect(out.stderr).toContain("^^^");
    expect(out.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it("prints JSON diagnostics with --format json", async () => {
    const { io, out } = memoryIO({ "slipway.hcl": good, "keys/key.asc": "K" });
    expect(await runCli(["check", "--format", "json", "slipway.hcl"], io)).toBe(1);
    const json = JSON.parse(out.stdout);
    expect(json).toEqual([
      expect.objectContaining({
        severity: "error",
        summary: 'No value for variable "tag"',
        subject: { file: "slipway.hcl", start: { line: 2, column: 26, byte: 39 }, end: { line: 2, column: 29, byte: 42 } },
      }),
    ]);
  });

  it("checks several files and fails if one fails or cannot be read", async () => {
    const { io, out } = memoryIO({ "a.hcl": good, "keys/key.asc": "K" });
    expect(await runCli(["check", "--var=tag=12", "a.hcl", "missing.hcl"], io)).toBe(1);
    expect(out.stderr).toBe("slipway check: cannot read missing.hcl: no such file\n");
  });

  it("refuses a malformed --var, an unknown option and no file, exiting 2 with a pointer to --help", async () => {
    for (const args of [["check", "--var", "novalue", "a.hcl"], ["check", "--bogus", "a.hcl"], ["check"]]) {
      const { io, out } = memoryIO({});
      expect(await runCli(args, io)).toBe(2);
      expect(out.stderr).toMatch(/^slipway check: .+\nRun "slipway check --help" for usage\.\n$/);
    }
  });

  it("checks the estaleiro examples: with the commit given, and failing at the reference without it", async () => {
    const io = realIO();
    const announcement = "examples/estaleiro-announcement/estaleiro.hcl";
    const self = "examples/estaleiro-self/estaleiro.hcl";
    expect(await runCli(["check", "--var", "estaleiro-commit=abc", announcement, self], io.io)).toBe(0);
    expect(io.out.stderr).toBe("");
    const without = realIO();
    expect(await runCli(["check", announcement], without.io)).toBe(1);
    expect(without.out.stderr).toContain(`${announcement}:34:23: error: No value for variable "estaleiro-commit"`);
    expect(without.out.stderr).toContain("--var estaleiro-commit=");
  });
});

describe("slipway print", () => {
  it("prints the evaluated model as JSON, without ranges unless asked", async () => {
    const { io, out } = memoryIO({ "slipway.hcl": good, "keys/key.asc": "KEY" });
    expect(await runCli(["print", "--var", "tag=12", "slipway.hcl"], io)).toBe(0);
    const model = JSON.parse(out.stdout);
    expect(model.images[0].base.ref.canonical).toBe("docker.io/library/debian:12");
    expect(model.images[0].config.labels).toEqual([{ key: "key", value: "KEY" }]);
    expect(model.variables).toEqual([{ name: "tag", value: "12", origin: "build-arg" }]);
    expect(out.stdout).not.toContain('"range"');

    const ranged = memoryIO({ "slipway.hcl": good, "keys/key.asc": "KEY" });
    expect(await runCli(["print", "--ranges", "--var", "tag=12", "slipway.hcl"], ranged.io)).toBe(0);
    const withRanges = JSON.parse(ranged.out.stdout);
    expect(withRanges.images[0].name.range.start).toEqual({ line: 1, column: 7, offset: 6 });
  });

  it("prints nothing on stdout and exits 1 when the declaration has errors", async () => {
    const { io, out } = memoryIO({ "slipway.hcl": good });
    expect(await runCli(["print", "slipway.hcl"], io)).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toContain("error:");
  });
});

describe("slipway", () => {
  it("prints usage and each command's help", async () => {
    const { io, out } = memoryIO({});
    expect(await runCli([], io)).toBe(0);
    for (const command of COMMAND_NAMES) expect(out.stdout).toMatch(new RegExp(`\\n  ${command} +\\S`));
    for (const command of COMMAND_NAMES) {
      const h = memoryIO({});
      expect(await runCli([command, "--help"], h.io)).toBe(0);
      expect(h.out.stdout).toMatch(new RegExp(`^Usage: slipway ${command} `));
    }
  });

  it("suggests a command for a typo", async () => {
    const { io, out } = memoryIO({});
    expect(await runCli(["chekc"], io)).toBe(2);
    expect(out.stderr).toContain('Did you mean "check"?');
  });

  it("turns an unexpected exception into a short internal error, exit 2, without a stack trace", async () => {
    const { io, out } = memoryIO({}, {
      readFile: () => {
        throw new TypeError("boom\n    at somewhere (file.ts:1:1)");
      },
    });
    expect(await runCli(["check", "a.hcl"], io)).toBe(1);
    expect(out.stderr).toContain("cannot read a.hcl: boom");
    const broken = memoryIO({ "a.hcl": good }, { stderr: () => {
      throw new RangeError("stderr is gone");
    } });
    expect(await runCli(["check", "a.hcl"], broken.io)).toBe(2);
  });
});

function realIO() {
  const out = { stdout: "", stderr: "" };
  const io: CliIO = {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    readFile: (path) => readFile(path, "utf8"),
    writeFile: async () => {
      throw new Error("read-only in this test");
    },
    cwd: new URL("../../", import.meta.url).pathname,
  };
  return { io, out };
}
