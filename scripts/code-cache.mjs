// The frontend's V8 code cache (see scripts/bundle.mjs): made by the node that will run the frontend, because
// V8 rejects a cache made by another build of itself. `npm run build` makes it for this machine's node; the
// Dockerfile makes it again in each platform's own image (under emulation for a foreign one), beside the
// bundle made once on the build machine:
//
//   node scripts/code-cache.mjs DIR      writes DIR/<name>-<hash>.v8cache for each of CACHED_SCRIPTS
//                                        (app.cjs, grpc-js.cjs, bom-worker-app.cjs), then the startup
//                                        snapshot DIR/frontend.blob from DIR/snapshot.cjs
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
  // loaded by the app's entry (and the snapshot's main) with the app's flags, on every start
  { file: "grpc-js.cjs", prefix: "grpc-js", scriptName: "slipway-frontend/grpc-js.cjs", flags: [INTERRUPT_BUDGET] },
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

/** The snapshot's entry, written by scripts/bundle.mjs, and the snapshot made from it, beside the app. */
export const SNAPSHOT_ENTRY = "snapshot.cjs";
export const SNAPSHOT_BLOB = "frontend.blob";

/**
 * Makes the frontend's V8 startup snapshot, DIR/frontend.blob, from DIR/snapshot.cjs, with this node (a
 * snapshot starts only the node that made it) and in DIR (it keeps the path its scripts load from). Node
 * warns while it builds that vm and module are "not yet fully verified" in a snapshot: the check after it
 * starts the snapshot as the image's entry point does. Throws when either fails: the image must not ship
 * an entry point that cannot start.
 */
export function writeSnapshot(dir) {
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: "" };
  delete env.NODE_OPTIONS;
  const blob = join(dir, SNAPSHOT_BLOB);
  const made = spawnSync(process.execPath, ["--snapshot-blob", blob, "--build-snapshot", join(dir, SNAPSHOT_ENTRY)], { env, encoding: "utf8" });
  if (made.status !== 0) throw new Error(`snapshot: making ${blob} failed (exit ${made.status}):\n${made.stderr}`);
  const check = spawnSync(process.execPath, ["--snapshot-blob", blob, join(dir, "frontend.cjs"), "--version"], { env, encoding: "utf8" });
  if (check.status !== 0 || !check.stdout.startsWith("slipway ")) {
    rmSync(blob, { force: true });
    throw new Error(`snapshot: ${blob} does not start (exit ${check.status}):\n${check.stdout}${check.stderr}`);
  }
  return blob;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2];
  if (!dir || process.argv.length > 3) {
    console.error("usage: node scripts/code-cache.mjs DIR   (DIR holds the frontend bundle: app.cjs, grpc-js.cjs, bom-worker-app.cjs, snapshot.cjs)");
    process.exit(2);
  }
  for (const { file, prefix, scriptName, flags } of CACHED_SCRIPTS) {
    const appFile = join(dir, file);
    // the bytes, as the bundler hashed them (the bundle is not all ASCII: a latin1 string would re-encode)
    const name = codeCacheName(readFileSync(appFile), prefix);
    if (writeCodeCache(appFile, join(dir, name), { scriptName, flags })) console.error(`code cache: ${join(dir, name)} (node ${process.version}, ${process.arch})`);
  }
  console.error(`snapshot: ${writeSnapshot(dir)} (node ${process.version}, ${process.arch})`);
}
