import { spawn } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { constants, gzipSync } from "node:zlib";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../bom/oci-fixture.js";
import { tar } from "../cli/registry-fixture.js";

/**
 * `slipway diff` unpacks a gzip-compressed archive into a temporary copy, which can be large: the copy
 * must go when the user interrupts the diff, not only when it ends. The CLI as users run it (bundled,
 * `node slipway.cjs`), interrupted while it unpacks.
 */
const REPO = new URL("../../", import.meta.url).pathname;
let cli: string;
beforeAll(async () => {
  cli = join(tempDir("diff-interrupt-cli"), "slipway.cjs");
  await build({ entryPoints: [join(REPO, "frontend/cli/bin.ts")], bundle: true, platform: "node", target: "node20", format: "cjs", outfile: cli, logLevel: "warning" });
});

/** The copies the diff process `pid` unpacked archives into. */
const copies = (pid: number) => readdirSync(tmpdir()).filter((n) => n.startsWith(`slipway-diff-${pid}-`));

describe("slipway diff, interrupted", () => {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    it(`removes the copy it was unpacking on ${signal} and exits ${code}`, async () => {
      // 240 MiB of zeros after an index.json: ~240 KiB compressed, within what diff unpacks (256 MiB)
      const archive = join(tempDir("diff-interrupt"), "big.tar.gz");
      writeFileSync(archive, gzipSync(tar([{ name: "index.json", content: "{}" }, { name: "zeros", content: new Uint8Array(240 * 1024 * 1024) }]), { level: constants.Z_BEST_SPEED }));
      const child = spawn(process.execPath, [cli, "diff", archive, archive], { stdio: ["ignore", "pipe", "pipe"] });
      const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
      // the copy's directory exists from the start of the unpacking: interrupt as soon as it does
      let copy: string | undefined;
      while (copy === undefined && child.exitCode === null) {
        copy = copies(child.pid!)[0];
        if (copy === undefined) await new Promise((r) => setTimeout(r, 2));
      }
      expect(copy, "the diff ended before its copy was seen").toBeDefined();
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(existsSync(join(tmpdir(), copy!))).toBe(false);
    });
  }
});
