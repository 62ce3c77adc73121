// `npm run build`: bundle the CLI and the frontend entrypoint into single CommonJS files with esbuild.
// Bundling matters for the frontend: every build starts a fresh Node process, and loading the stack's
// module graphs unbundled (chevrotain pulls in hundreds of lodash-es files) was measured at 303 ms against
// 136 ms bundled. CJS because grpc-js is CommonJS and an ESM bundle would need a require shim.
import { build } from "esbuild";
import { existsSync, mkdirSync, readFileSync } from "node:fs";

const entries = [
  { in: "frontend/cli/bin.ts", out: "dist/slipway.cjs", banner: "#!/usr/bin/env node\n" },
  { in: "frontend/main.ts", out: "dist/frontend.cjs" },
];

const { version } = JSON.parse(readFileSync("package.json", "utf8"));
mkdirSync("dist", { recursive: true });
for (const e of entries) {
  if (!existsSync(e.in)) {
    console.error(`bundle: skipping ${e.in} (not written yet)`);
    continue;
  }
  await build({
    entryPoints: [e.in],
    outfile: e.out,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: "linked",
    legalComments: "none",
    logLevel: "warning",
    // ES modules bundled into CommonJS (openpgp's node build calls createRequire(import.meta.url)) need
    // import.meta.url, which CommonJS lacks: give them this file's URL.
    define: { __SLIPWAY_VERSION__: JSON.stringify(version), "import.meta.url": "__slipway_import_meta_url" },
    banner: { js: `${e.banner ?? ""}const __slipway_import_meta_url = require("node:url").pathToFileURL(__filename).href;` },
  });
  console.error(`bundle: ${e.out}`);
}
