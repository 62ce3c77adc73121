// `npm run build`: bundle the CLI (dist/slipway.cjs) and the frontend (dist/frontend/) with esbuild.
//
// The frontend is started afresh for every build, so its start-up is paid on every cached rebuild
// (bench/spine-cached.mjs, bench/frontend-trace.mjs, bench/frontend-start.mjs; each change below was
// measured on its own, figures in bench/RESULTS.md). What it does about it:
//
// - One CommonJS bundle (`app.cjs`). Loading the stack's module graphs unbundled (chevrotain pulls in
//   hundreds of lodash-es files) was measured at 303 ms against 136 ms bundled. CommonJS because
//   grpc-js is CommonJS, and because Node 20 can give a code cache to a script but not to an ES module.
// - A V8 code cache for it, made by the node that will run it (the Dockerfile makes it in each platform's
//   node image, the frontend's own): `frontend.cjs` compiles `app.cjs` with that cache instead of
//   parsing 2.3 MB of JavaScript (start-up CPU −60 ms), with every function compiled, not only those
//   module evaluation reaches (the build's own work −25 ms). Node 20 has no `module.enableCompileCache`
//   (22+), so it is vm.Script's `cachedData`. The cache file is named after the bundle's hash, because
//   V8 only checks the source's length: a stale cache is never picked up; a rejected one costs the parse.
//   scripts/code-cache.mjs makes it.
// - openpgp (0.8 MB, with cipher tables built when it loads) only verifies Debian archives, which most
//   builds never touch: it is its own file, loaded on first use through a module that forwards each
//   export (`LAZY_PACKAGES`; start-up CPU −40 ms). xz-decompress too: only an unlocked install reads an
//   `.xz` index, and it requires node:stream/web, which the loader would otherwise load on every start
//   with the bundle's other built-ins (2–5 ms).
// - @grpc/proto-loader (and protobufjs under it, 0.3 MB) is a stub: grpc-js only requires it for
//   channelz and ORCA, which slipway does not use (−5 ms).
// - The BOM worker (bom-worker.cjs, run by the build's measuring exec) gets the same loader and a code
//   cache of its own, with V8 flags of its own (CACHED_SCRIPTS in scripts/code-cache.mjs).
// - The loader requires the Node built-ins a bundle imports before it sets the bundle's V8 flags: node
//   checks its own built-ins' code cache against V8's flags too, so each built-in first loaded after a
//   flag changes is compiled from source (http2, tls, net, crypto, zlib, dns: 10 → 23 ms).
// - A V8 startup snapshot (`frontend.blob`, made beside the code cache by scripts/code-cache.mjs from
//   `snapshot.cjs`): the image's entry point is `node --snapshot-blob frontend.blob frontend.cjs`, which
//   starts with the app already evaluated, its functions compiled, instead of reading, deserialising and
//   running 2 MB of script (the frontend's life −20 to −30 ms on every build). Node 20 cannot snapshot
//   http2, tls or http, which grpc-js loads, so grpc-js is a file of its own, like the lazy packages, with
//   its own code cache: the snapshot's main loads it, and `frontend.cjs` (node without the snapshot, as
//   the tests and bench/frontend-start.mjs run it) loads it the same way.
// - Not done: `--minify` (no difference once cached, unreadable stack traces).
import { build } from "esbuild";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { basename, join } from "node:path";
import { CACHED_SCRIPTS, codeCacheName, SNAPSHOT_BLOB, SNAPSHOT_ENTRY, writeCodeCache, writeSnapshot } from "./code-cache.mjs";

const FRONTEND_DIR = "dist/frontend";
const MAPS_DIR = "dist/maps";
/**
 * Packages the frontend loads on first use, each from its own file beside the app (`lazyFile`). grpc-js is
 * used by every build, but only once `main` runs: out of the app, it stays out of the startup snapshot.
 */
const LAZY_PACKAGES = ["openpgp", "xz-decompress", "@grpc/grpc-js"];
/** Lazy packages whose file gets a code cache and whose Node built-ins load with the app's (before its V8 flags). */
const STARTUP_PACKAGES = ["@grpc/grpc-js"];

/**
 * Node built-ins Node 20 cannot hold in a startup snapshot (its `--build-snapshot` fails or warns on
 * them); the snapshot's main loads them instead, and every other built-in is in the snapshot already.
 */
const NOT_IN_SNAPSHOT = ["http", "http2", "https", "inspector", "tls"];

/** The file a lazy package is bundled into: `@grpc/grpc-js` → `grpc-js.cjs`. */
function lazyFile(pkg) {
  return `${pkg.replace(/^@[^/]+\//, "")}.cjs`;
}

const { version } = JSON.parse(readFileSync("package.json", "utf8"));

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  legalComments: "none",
  logLevel: "warning",
  // ES modules bundled into CommonJS (openpgp's node build calls createRequire(import.meta.url)) need
  // import.meta.url, which CommonJS lacks: give them this file's URL.
  define: { __SLIPWAY_VERSION__: JSON.stringify(version), "import.meta.url": "__slipway_import_meta_url" },
  banner: { js: `const __slipway_import_meta_url = require("node:url").pathToFileURL(__filename).href;` },
  plugins: [protoLoaderStub()],
};

mkdirSync("dist", { recursive: true });
if (existsSync("frontend/cli/bin.ts")) {
  await build({
    ...common,
    entryPoints: ["frontend/cli/bin.ts"],
    outfile: "dist/slipway.cjs",
    sourcemap: "linked",
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
  });
  console.error("bundle: dist/slipway.cjs");
}
if (existsSync("frontend/main.ts")) await bundleFrontend();

async function bundleFrontend() {
  // the single-file frontend of earlier builds, so that nothing runs it by mistake
  for (const old of ["dist/frontend.cjs", "dist/frontend.cjs.map"]) rmSync(old, { force: true });
  rmSync(FRONTEND_DIR, { recursive: true, force: true });
  mkdirSync(FRONTEND_DIR, { recursive: true });
  mkdirSync(MAPS_DIR, { recursive: true });
  const lazy = new Map();
  for (const pkg of LAZY_PACKAGES) {
    lazy.set(pkg, await writeBundle(lazyFile(pkg), { stdin: { contents: `export * from ${JSON.stringify(pkg)};`, resolveDir: ".", loader: "js" } }));
  }
  const { code: app, builtins: appBuiltins } = await writeBundle("app.cjs", {
    entryPoints: ["frontend/main.ts"],
    plugins: [...common.plugins, lazyPackages(exportNames(LAZY_PACKAGES))],
  });
  // The BOM worker, run by an exec op in this same image (frontend/bom-worker): bom-worker.cjs loads
  // bom-worker-app.cjs the way frontend.cjs loads app.cjs, with its own code cache and V8 flags
  // (CACHED_SCRIPTS in scripts/code-cache.mjs says why).
  const { code: worker, builtins: workerBuiltins } = await writeBundle("bom-worker-app.cjs", {
    stdin: { contents: `export { main } from "./frontend/bom-worker/main.ts";`, resolveDir: ".", loader: "js" },
  });
  const startup = STARTUP_PACKAGES.map((p) => ({ file: lazyFile(p), ...lazy.get(p) }));
  const sources = { "app.cjs": app, "bom-worker-app.cjs": worker, ...Object.fromEntries(startup.map((p) => [p.file, p.code])) };
  const cacheNames = {};
  for (const { file, prefix, scriptName, flags } of CACHED_SCRIPTS) {
    cacheNames[file] = codeCacheName(sources[file], prefix);
    // `--no-code-cache`: the Dockerfile bundles once on the build machine and makes each platform's cache
    // and snapshot in that platform's image (scripts/code-cache.mjs)
    if (!process.argv.includes("--no-code-cache")) writeCodeCache(join(FRONTEND_DIR, file), join(FRONTEND_DIR, cacheNames[file]), { scriptName, flags });
  }
  const script = (file) => {
    const { scriptName, flags } = CACHED_SCRIPTS.find((c) => c.file === file);
    return { file, cacheName: cacheNames[file], scriptName, flags };
  };
  const appScript = script("app.cjs");
  const beside = startup.map((p) => script(p.file));
  const besideBuiltins = [...new Set(startup.flatMap((p) => p.builtins))].filter((m) => !appBuiltins.includes(m)).sort();
  writeFileSync(join(FRONTEND_DIR, "frontend.cjs"), loaderSource({ ...appScript, beside, builtins: [...appBuiltins, ...besideBuiltins].sort() }));
  const late = besideBuiltins.filter((m) => NOT_IN_SNAPSHOT.includes(m));
  const early = [...appBuiltins, ...besideBuiltins.filter((m) => !late.includes(m))].sort();
  writeFileSync(join(FRONTEND_DIR, SNAPSHOT_ENTRY), snapshotSource({ ...appScript, beside, builtins: early, besideBuiltins: late }));
  writeFileSync(join(FRONTEND_DIR, "bom-worker.cjs"), loaderSource({ ...script("bom-worker-app.cjs"), beside: [], builtins: workerBuiltins }));
  const written = ["frontend.cjs", SNAPSHOT_ENTRY, "bom-worker.cjs", ...Object.keys(sources), ...Object.values(cacheNames)];
  if (!process.argv.includes("--no-code-cache")) {
    writeSnapshot(FRONTEND_DIR);
    written.push(SNAPSHOT_BLOB);
  }
  const others = LAZY_PACKAGES.map(lazyFile).filter((f) => !(f in sources));
  console.error(`bundle: ${FRONTEND_DIR}/ (${[...written, ...others].join(", ")})`);
}

/**
 * Bundles into FRONTEND_DIR (the map into MAPS_DIR, out of the image); returns the code and the Node
 * built-ins it imports, sorted.
 */
async function writeBundle(name, options) {
  const result = await build({ ...common, ...options, outfile: join(FRONTEND_DIR, name), sourcemap: "external", write: false, metafile: true });
  let code = "";
  for (const f of result.outputFiles) {
    if (f.path.endsWith(".map")) writeFileSync(join(MAPS_DIR, basename(f.path)), f.contents);
    else writeFileSync(f.path, (code = f.text));
  }
  const known = new Set(builtinModules);
  const imported = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path.replace(/^node:/, "")));
  return { code, builtins: [...new Set(imported.filter((m) => known.has(m)))].sort() };
}

/**
 * A process entry (dist/frontend/frontend.cjs, bom-worker.cjs): loads the Node built-ins the script
 * imports, then sets the script's V8 flags, compiles it with its code cache and runs its `main`. esbuild
 * emits ASCII only, so the bundle is read as latin1 (no UTF-8 decoding of 2.3 MB).
 */
function loaderSource({ file, cacheName, scriptName, flags, builtins, beside }) {
  const preload =
    flags.length > 0
      ? `// before the flags: a built-in first loaded after them misses node's own code cache
for (const m of ${JSON.stringify(builtins)}) require(\`node:\${m}\`);
`
      : "";
  return `"use strict";
// A slipway process entry, written by scripts/bundle.mjs: ${file} compiled with V8's code cache.
${preload}${flags.map((f) => `require("node:v8").setFlagsFromString(${JSON.stringify(f)});\n`).join("")}${scriptRunnerSource()}
const appRequire = ${scriptRequireCall(file, beside)};
const app = runScript(__dirname, ${JSON.stringify({ file, cacheName, scriptName })}, appRequire);
app.main();
`;
}

/**
 * The frontend's startup snapshot (SNAPSHOT_ENTRY, made into SNAPSHOT_BLOB by scripts/code-cache.mjs): the
 * app evaluated with every function compiled, as its code cache has them, and a `main` that loads the
 * scripts beside it (grpc-js) the way frontend.cjs does, sets the flags and runs the app.
 */
function snapshotSource({ file, scriptName, flags, builtins, besideBuiltins, beside }) {
  return `"use strict";
// The frontend's V8 startup snapshot, written by scripts/bundle.mjs. scripts/code-cache.mjs runs it once,
// as \`node --snapshot-blob frontend.blob --build-snapshot snapshot.cjs\`, with the node that will start it
// and in the directory it will start in (the snapshot keeps this file's directory). The image starts
// \`node --snapshot-blob frontend.blob frontend.cjs\`: node runs the main function set below, and
// frontend.cjs is only argv[1], where the BOM worker's entry is found.
for (const m of ${JSON.stringify(builtins)}) require(\`node:\${m}\`);
const v8 = require("node:v8");
${scriptRunnerSource()}
// Until main, the app asks only for built-ins, which the snapshot builder's require gives.
let appRequire = require;
// Every function compiled now, as the code cache would have them: the snapshot keeps their bytecode. Lazy
// compiling is back on before the snapshot is taken, whose V8 flags must be node's own at start.
v8.setFlagsFromString("--no-lazy");
const app = runScript(__dirname, ${JSON.stringify({ file, scriptName })}, (id) => appRequire(id));
v8.setFlagsFromString("--lazy");
v8.startupSnapshot.setDeserializeMainFunction(() => {
  // grpc-js's built-ins that a snapshot cannot hold, before the flags, as frontend.cjs loads them
  for (const m of ${JSON.stringify(besideBuiltins)}) require(\`node:\${m}\`);
${flags.map((f) => `  v8.setFlagsFromString(${JSON.stringify(f)});\n`).join("")}  appRequire = ${scriptRequireCall(file, beside)};
  app.main();
});
`;
}

/** The call that makes `file`'s require, with the scripts beside it that load with their code caches. */
function scriptRequireCall(file, beside) {
  const scripts = beside.map(({ file, cacheName, scriptName }) => ({ file, cacheName, scriptName }));
  return `scriptRequire(__dirname, ${JSON.stringify(file)}, ${JSON.stringify(scripts)})`;
}

/** What every entry uses to run a bundled script: `runScript` and `scriptRequire`. */
function scriptRunnerSource() {
  return `const { readFileSync } = require("node:fs");
const Module = require("node:module");
const { join } = require("node:path");
const vm = require("node:vm");

/**
 * Compiles dir/file with its code cache, if it has one that this node accepts (else V8 parses it, and a
 * rejected cache is reported), and runs it as a CommonJS module with \`require\`.
 */
function runScript(dir, { file, cacheName, scriptName }, require) {
  const path = join(dir, file);
  let cachedData;
  try {
    if (cacheName) cachedData = readFileSync(join(dir, cacheName));
  } catch {
    // no cache: V8 parses the script instead
  }
  const script = new vm.Script(Module.wrap(readFileSync(path, "latin1")), { filename: scriptName, cachedData });
  if (cachedData && script.cachedDataRejected) console.error(\`slipway: the code cache of \${file} was made by another node; starting without it\`);
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require, module, path, dir);
  return module.exports;
}

/** dir/file's require: each script beside it that has a code cache (\`beside\`) is run with it, once. */
function scriptRequire(dir, file, beside) {
  const plain = Module.createRequire(join(dir, file));
  const loaded = new Map();
  return (id) => {
    const script = beside.find((s) => join(dir, s.file) === id);
    if (!script) return plain(id);
    if (!loaded.has(id)) loaded.set(id, runScript(dir, script, plain));
    return loaded.get(id);
  };
}`;
}

/** grpc-js requires @grpc/proto-loader only for channelz and ORCA, which slipway never turns on. */
function protoLoaderStub() {
  return {
    name: "proto-loader-stub",
    setup(b) {
      b.onResolve({ filter: /^@grpc\/proto-loader$/ }, () => ({ path: "proto-loader", namespace: "slipway-stub" }));
      b.onLoad({ filter: /.*/, namespace: "slipway-stub" }, () => ({
        contents: `exports.loadSync = () => { throw new Error("slipway's bundle leaves out @grpc/proto-loader: channelz and ORCA are not available"); };`,
        loader: "js",
      }));
    },
  };
}

/** Each lazy package becomes a module whose exports load `<package>.cjs` on first access. */
function lazyPackages(names) {
  const filter = new RegExp(`^(${[...names.keys()].map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")})$`);
  return {
    name: "lazy-packages",
    setup(b) {
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: "slipway-lazy" }));
      b.onLoad({ filter: /.*/, namespace: "slipway-lazy" }, (args) => ({
        contents: `let loaded;
const load = () => (loaded ??= require(require("node:path").join(__dirname, ${JSON.stringify(lazyFile(args.path))})));
for (const name of ${JSON.stringify(names.get(args.path))}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
        loader: "js",
      }));
    },
  };
}

/**
 * Each lazy package's export names, read from the file its stub will load (written just before), so the
 * stub offers exactly what that file has: node's `import()` of a CommonJS package names what its lexer
 * guesses (for xz-decompress's UMD wrapper, "xz-decompress", not XzReadableStream).
 */
function exportNames(packages) {
  const load = createRequire(import.meta.url);
  return new Map(packages.map((p) => [p, Object.keys(load(join(process.cwd(), FRONTEND_DIR, lazyFile(p))))]));
}
