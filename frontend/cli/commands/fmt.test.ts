import { describe, expect, it } from "vitest";
import { runCli } from "../main.js";
import { memoryIO } from "../memory-io.js";

describe("slipway fmt", () => {
  const messy = 'image "app" {\nbase_image="debian:bookworm"\n  entrypoint   = ["/app"]\n}\n';

  it("rewrites files in place, and leaves formatted ones alone", async () => {
    const { io, out, fs } = memoryIO({ "a.hcl": messy });
    expect(await runCli(["fmt", "a.hcl"], io)).toBe(0);
    const formatted = fs.get("/w/a.hcl")!;
    expect(formatted).not.toBe(messy);
    expect(formatted).toContain('  base_image = "debian:bookworm"\n  entrypoint = ["/app"]');
    expect(out).toEqual({ stdout: "", stderr: "" });
    let writes = 0;
    const again = memoryIO({ "a.hcl": formatted }, { writeFile: async () => void writes++ });
    expect(await runCli(["fmt", "a.hcl"], again.io)).toBe(0);
    expect(writes).toBe(0);
  });

  it("with --check lists unformatted files and exits 1, writing nothing", async () => {
    const { io, out, fs } = memoryIO({ "a.hcl": messy, "b.hcl": 'image "b" {\n  base_image = "scratch"\n}\n' });
    expect(await runCli(["fmt", "--check", "a.hcl", "b.hcl"], io)).toBe(1);
    expect(out.stdout).toBe("a.hcl\n");
    expect(fs.get("/w/a.hcl")).toBe(messy);
  });

  it("reports a syntax error and leaves the file alone", async () => {
    const broken = 'image "app" {\n  base_image = \n';
    const { io, out, fs } = memoryIO({ "a.hcl": broken });
    expect(await runCli(["fmt", "a.hcl"], io)).toBe(1);
    expect(out.stderr).toMatch(/^a\.hcl:\d+:\d+: error: /);
    expect(fs.get("/w/a.hcl")).toBe(broken);
  });

  it("reports a file it cannot read and goes on with the others", async () => {
    const { io, out, fs } = memoryIO({ "b.hcl": messy });
    expect(await runCli(["fmt", "missing.hcl", "b.hcl"], io)).toBe(1);
    expect(out.stderr).toBe("slipway fmt: cannot read missing.hcl: no such file\n");
    expect(fs.get("/w/b.hcl")).not.toBe(messy);
  });
});
