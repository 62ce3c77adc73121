import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../frontend/cli/main.js";
import { nodeIO } from "../../frontend/cli/node-io.js";

/**
 * `file()` in the CLI reads from the declaration's directory, confined by where a path really is: the
 * grammar refuses `../x` by its text, and a symbolic link that leads out, a FIFO (which would block) or a
 * device (which would never end) is refused here, each a located error.
 */
describe("file() in the CLI stays in the build context", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "slipway-context-"));
    mkdirSync(join(dir, "ctx", "sub"), { recursive: true });
    writeFileSync(join(dir, "secret.txt"), "outside\n");
    writeFileSync(join(dir, "ctx", "sub", "real.txt"), "inside\n");
    symlinkSync("../secret.txt", join(dir, "ctx", "out-link"));
    symlinkSync(join(dir, "secret.txt"), join(dir, "ctx", "absolute-link"));
    symlinkSync("sub", join(dir, "ctx", "sub-link"));
    symlinkSync("/dev/zero", join(dir, "ctx", "device"));
    execFileSync("mkfifo", [join(dir, "ctx", "fifo")]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function check(path: string) {
    writeFileSync(join(dir, "ctx", "slipway.hcl"), `image "app" {\n  base_image = "debian:bookworm"\n  env = { K = file("${path}") }\n}\n`);
    const out = { stdout: "", stderr: "" };
    const io = { ...nodeIO(), cwd: dir, color: false, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t) };
    const code = await runCli(["check", "ctx/slipway.hcl"], io);
    return { code, stderr: out.stderr };
  }

  it("reads a file inside, also through a link that stays inside", async () => {
    expect(await check("sub/real.txt")).toMatchObject({ code: 0, stderr: "" });
    expect(await check("sub-link/real.txt")).toMatchObject({ code: 0, stderr: "" });
  });

  it.each([
    ["a relative link out of the context", "out-link", /resolves to .*secret\.txt, outside the build context/],
    ["an absolute link out of the context", "absolute-link", /resolves to .*secret\.txt, outside the build context/],
    ["a link to a device", "device", /resolves to \/dev\/zero, outside the build context/],
    ["a FIFO", "fifo", /not a regular file/],
    ["a directory", "sub", /is a directory/],
  ])("refuses %s, located (a FIFO would block a plain read)", async (_what, path, message) => {
    const r = await check(path);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("ctx/slipway.hcl:3:");
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain("outside\n");
  });
});

describe("file() calls that depend on one another", () => {
  it("are read round by round, and past 7 deep get a located error instead of a crash", async () => {
    const { memoryIO } = await import("../../frontend/cli/memory-io.js");
    // p0 holds the name p1, p1 holds p2, …: file(file(…file("p0")…)) needs one read round per level
    const files = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`ctx/p${i}`, `p${i + 1}`]));
    const nested = (depth: number) => `${"file(".repeat(depth)}"p0"${")".repeat(depth)}`;
    const run = async (depth: number) => {
      const { io, out } = memoryIO({ ...files, "ctx/slipway.hcl": `image "app" {\n  base_image = "debian:bookworm"\n  env = { K = ${nested(depth)} }\n}\n` });
      return { code: await runCli(["print", "ctx/slipway.hcl"], io), ...out };
    };
    const seven = await run(7);
    expect(seven.code, seven.stderr).toBe(0);
    expect(seven.stdout).toMatch(/"key": "K",\s*"value": "p7"/);
    const nine = await run(9);
    expect(nine.code).toBe(1);
    expect(nine.stderr).toContain("ctx/slipway.hcl:3:");
    expect(nine.stderr).toContain("file() calls depend on one another more than 7 deep");
    expect(nine.stderr).not.toContain("internal error");
  });
});
