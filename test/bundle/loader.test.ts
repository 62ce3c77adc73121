import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const DIST = join(import.meta.dirname, "../../dist/frontend");

/**
 * Runs a process entry as node would, up to its script's `main` (not called), and lists the Node
 * built-ins first loaded after the entry set its V8 flags: each of those misses node's own code cache,
 * which node checks against V8's flags, and is compiled from source on every build.
 */
function builtinsLoadedAfterFlags(entry: string, beside: readonly string[]): { flagsSet: boolean; late: string[] } {
  const probe = `
    const v8 = require("node:v8");
    const { builtinModules } = require("node:module");
    let mark;
    const set = v8.setFlagsFromString;
    v8.setFlagsFromString = (f) => { mark ??= process.moduleLoadList.length; return set(f); };
    const entry = ${JSON.stringify(join(DIST, entry))};
    // the entry up to main, then the scripts it loads beside the app (grpc-js), as main's first request does
    const besideLoads = ${JSON.stringify(beside)}.map((f) => "appRequire(" + JSON.stringify(require("node:path").join(${JSON.stringify(DIST)}, f)) + ");").join("");
    const source = require("node:fs").readFileSync(entry, "utf8").replace(/^app\\.main\\(\\);$/m, besideLoads);
    require("node:vm").runInThisContext(require("node:module").wrap(source))(exports, require, module, entry, ${JSON.stringify(DIST)});
    const publicNames = new Set(builtinModules);
    const late = mark === undefined ? [] : process.moduleLoadList.slice(mark).filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice(13)).filter((m) => publicNames.has(m));
    // on stderr: the frontend's stdout is its gRPC channel, and its console writes elsewhere
    require("node:fs").writeSync(2, "\\nprobe " + JSON.stringify({ flagsSet: mark !== undefined, late }) + "\\n");
  `;
  const r = spawnSync(process.execPath, ["-e", probe], { encoding: "utf8", env: {} });
  expect(r.status, r.stderr).toBe(0);
  const line = r.stderr.split("\n").find((l) => l.startsWith("probe "));
  expect(line, r.stderr).toBeDefined();
  return JSON.parse(line!.slice("probe ".length)) as { flagsSet: boolean; late: string[] };
}

describe.skipIf(!existsSync(join(DIST, "frontend.cjs")))("the process entries (npm run build)", () => {
  it.each([
    ["frontend.cjs", ["grpc-js.cjs"]],
    ["bom-worker.cjs", []],
  ])("%s loads every built-in its scripts need before it sets V8 flags", (entry, beside) => {
    expect(readFileSync(join(DIST, entry), "utf8")).toMatch(/^app\.main\(\);$/m);
    const { flagsSet, late } = builtinsLoadedAfterFlags(entry, beside);
    expect(flagsSet).toBe(true);
    expect(late).toEqual([]);
  });
});

describe.skipIf(!existsSync(join(DIST, "frontend.cjs")))("the lazy packages (scripts/bundle.mjs LAZY_PACKAGES)", () => {
  it("are left out of the app's start, node:stream/web with xz-decompress, and each works from its own file", () => {
    const probe = `
      const entry = ${JSON.stringify(join(DIST, "frontend.cjs"))};
      const source = require("node:fs").readFileSync(entry, "utf8").replace(/^app\\.main\\(\\);$/m, "");
      require("node:vm").runInThisContext(require("node:module").wrap(source))(exports, require, module, entry, ${JSON.stringify(DIST)});
      const loaded = Object.keys(require.cache).map((f) => require("node:path").basename(f));
      const native = process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice(13));
      const { XzReadableStream } = require(${JSON.stringify(join(DIST, "xz-decompress.cjs"))});
      // "slipway\\n" as xz (xz -c), from a fixed byte string
      const xz = Buffer.from("fd377a585a000004e6d6b4460200210116000000742fe5a3010007736c69707761790a00afae4d4e9ab2c2f900012008bb19d9bb1fb6f37d010000000004595a", "hex");
      new Response(new XzReadableStream(new Blob([xz]).stream())).text().then((text) => {
        require("node:fs").writeSync(2, "\\nprobe " + JSON.stringify({ loaded, streamWeb: native.includes("stream/web"), text }) + "\\n");
      });
    `;
    const r = spawnSync(process.execPath, ["-e", probe], { encoding: "utf8", env: {} });
    expect(r.status, r.stderr).toBe(0);
    const line = r.stderr.split("\n").find((l) => l.startsWith("probe "));
    expect(line, r.stderr).toBeDefined();
    const { loaded, streamWeb, text } = JSON.parse(line!.slice("probe ".length)) as { loaded: string[]; streamWeb: boolean; text: string };
    expect(loaded).not.toContain("openpgp.cjs");
    expect(loaded).not.toContain("xz-decompress.cjs");
    expect(streamWeb).toBe(false);
    expect(text).toBe("slipway\n");
  });

  it("each stub in the app offers exactly what its package's file exports", () => {
    const app = readFileSync(join(DIST, "app.cjs"), "latin1");
    for (const file of ["openpgp.cjs", "xz-decompress.cjs", "grpc-js.cjs"]) {
      // the stub scripts/bundle.mjs writes: `… join(__dirname, "<file>")) …; for (const name of [...]) …`
      const at = app.indexOf(`join(__dirname, ${JSON.stringify(file)})`);
      expect(at, file).toBeGreaterThan(0);
      const names = /for \(const name of (\[[^\]]*\])\)/.exec(app.slice(at, at + 20_000))?.[1];
      expect(names, file).toBeDefined();
      const exported = Object.keys(createRequire(import.meta.url)(join(DIST, file))).sort();
      expect(exported.length, file).toBeGreaterThan(0);
      expect((JSON.parse(names!) as string[]).sort(), file).toEqual(exported);
    }
  });
});
