// The frontend's V8 code cache (see scripts/bundle.mjs): made by the node that will run the frontend, because
// V8 rejects a cache made by another build of itself. `npm run build` makes it for this machine's node; the
// Dockerfile makes it again in each platform's own image (under emulation for a foreign one), beside the
// bundle made once on the build machine:
//
//   node scripts/code-cache.mjs DIR      writes DIR/app-<hash>.v8cache for DIR/app.cjs and
//                                        DIR/bom-worker-<hash>.v8cache for DIR/bom-worker-app.cjs
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The app's script name, for both the code cache and the loader: V8 keeps the name a cache was made
 * under, so a build-time path would show up in every stack trace. Lines map through dist/maps/app.cjs.map.
 */
export const APP_SCRIPT_NAME = "slipway-frontend/app.cjs";

/** V8's default interrupt budget (67,584) times four: TurboFan only for code that is really hot. */
const INTERRUPT_BUDGET = `--interrupt-budget=${4 * 67584}`;

/**
 * The scripts that get a code cache: the frontend, and the BOM worker (bom-worker-app.cjs, run by its
 * loader bom-worker.cjs), each with the V8 flags its loader sets before compiling it, since V8 rejects
 * a cache made under other flags. Each runs its code once per build: V8's optimising compiler, working
 * on its own threads, cost the worker more CPU than it saved, and the frontend more time writing the
 * BOM documents, so both leave it for code four times hotter than V8's default asks (bench/RESULTS.md,
 * "bom-worker" and "incremental").
 */
export const CACHED_SCRIPTS = [
  { file: "app.cjs", prefix: "app", scriptName: APP_SCRIPT_NAME, flags: [INTERRUPT_BUDGET] },
  { file: "bom-worker-app.cjs", prefix: "bom-worker", scriptName: "slipway-frontend/bom-worker-app.cjs", flags: [INTERRUPT_BUDGET] },
];

/**
 * The cache's file name: after the bundle's hash (of its UTF-8 bytes: a string or the file's Buffer),
 * because V8 only checks the source's length, so a stale cache is never picked up.
 */
export function codeCacheName(appSource, prefix = "app") {
  return `${prefix}-${createHash("sha256").update(appSource).digest("hex").slice(0, 16)}.v8cache`;
}

/**
 * Makes V8's code cache for the app with every function compiled, not only the top level: V8 compiles a
 * function when it is first called, and those compilations, spread over every build, cost more than
 * reading a bigger cache (bench/RESULTS.md). V8 checks a cache against the flags it is made under, so
 * `--no-lazy` is on only while the script compiles and off again before the cache is taken: the cache
 * matches a plain `node`. NODE_OPTIONS is cleared for the same reason. Returns whether a cache was kept.
 */
export function writeCodeCache(appFile, cacheFile, { scriptName = APP_SCRIPT_NAME, flags = [] } = {}) {
  const setFlags = flags.map((f) => `require("node:v8").setFlagsFromString(${JSON.stringify(f)});`).join("\n");
  const producer = `
    ${setFlags}
    const { readFileSync, writeFileSync } = require("node:fs");
    const Module = require("node:module");
    const v8 = require("node:v8");
    const vm = require("node:vm");
    const [appFile, cacheFile] = process.argv.slice(1);
    v8.setFlagsFromString("--no-lazy");
    const script = new vm.Script(Module.wrap(readFileSync(appFile, "latin1")), { filename: ${JSON.stringify(scriptName)} });
    v8.setFlagsFromString("--lazy");
    writeFileSync(cacheFile, script.createCachedData());
  `;
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, ["-e", producer, appFile, cacheFile], { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`code cache: making it failed:\n${r.stderr}`);
  // the check the entry makes, here once: should a node reject such a cache, say so and ship none
  const check = `
    ${setFlags}
    const { readFileSync } = require("node:fs");
    const Module = require("node:module");
    const vm = require("node:vm");
    const [appFile, cacheFile] = process.argv.slice(1);
    const script = new vm.Script(Module.wrap(readFileSync(appFile, "latin1")), { filename: ${JSON.stringify(scriptName)}, cachedData: readFileSync(cacheFile) });
    process.exit(script.cachedDataRejected ? 1 : 0);
  `;
  if (spawnSync(process.execPath, ["-e", check, appFile, cacheFile], { env }).status !== 0) {
    rmSync(cacheFile);
    console.error(`code cache: warning: this node rejects the code cache it made for ${scriptName}, so it starts without one (slower); see scripts/code-cache.mjs`);
    return false;
  }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2];
  if (!dir || process.argv.length > 3) {
    console.error("usage: node scripts/code-cache.mjs DIR   (DIR holds the frontend bundle, app.cjs and bom-worker-app.cjs)");
    process.exit(2);
  }
  for (const { file, prefix, scriptName, flags } of CACHED_SCRIPTS) {
    const appFile = join(dir, file);
    // the bytes, as the bundler hashed them (the bundle is not all ASCII: a latin1 string would re-encode)
    const name = codeCacheName(readFileSync(appFile), prefix);
    if (writeCodeCache(appFile, join(dir, name), { scriptName, flags })) console.error(`code cache: ${join(dir, name)} (node ${process.version}, ${process.arch})`);
  }
}
