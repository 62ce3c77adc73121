// The frontend process: BuildKit starts it with its gRPC server on our stdin/stdout. Anything written to
// stdout that is not HTTP/2 corrupts the connection, so every console method goes to stderr (which BuildKit
// sends to its own log, not to the user: users hear from us through progress names, warnings and errors).
//
// The bundle of this module (dist/frontend/app.cjs) is loaded with its V8 code cache by the process entry,
// dist/frontend/frontend.cjs, which then calls `main` (scripts/bundle.mjs writes both); evaluating this
// module starts nothing by itself.
console.log = console.info = console.debug = console.warn = console.error;

import { handleBuild } from "./build.js";
import { GatewayClient } from "./gateway/index.js";
import { messageToStatus } from "./gateway/index.js";
import { gw } from "./gateway/index.js";
import { SLIPWAY_VERSION } from "./slipway-version.js";

export async function main(): Promise<void> {
  // BuildKit starts the frontend without arguments; `--version` is for people and smoke tests (the
  // multi-platform image's own, under emulation): it loads the whole app (with its code cache) first.
  const args = process.argv.slice(2);
  if (args.length > 0) {
    const known = args.length === 1 && args[0] === "--version";
    const text = known
      ? `slipway ${SLIPWAY_VERSION} (node ${process.version}, ${process.platform}/${process.arch})\n`
      : `slipway: the frontend takes no arguments but --version (BuildKit starts it with none); got ${args.join(" ")}\n`;
    (known ? process.stdout : process.stderr).write(text, () => process.exit(known ? 0 : 2));
    return;
  }
  // process start (node's timeOrigin) to here: node's own start and loading the bundle
  const timings = new Map<string, number>([["at main", performance.now()]]);
  const client = await GatewayClient.overStdio();
  let request: InstanceType<typeof gw.ReturnRequest>;
  try {
    request = await handleBuild(client, process.env, timings);
    stampTiming(request, timings);
  } catch (e) {
    // handleBuild turns every expected failure into a located error; this is a slipway bug.
    console.error("slipway: internal error:", e);
    request = new gw.ReturnRequest({ error: messageToStatus(`slipway internal error: ${e instanceof Error ? e.message : String(e)}`) });
  }
  try {
    await client.return(request);
  } catch (e) {
    console.error("slipway: Return failed:", e);
    client.close();
    exitAfterFlush(1);
    return;
  }
  client.close();
  // BuildKit waits for the process to exit after Return; exit 0 even for a returned error (it takes precedence).
  exitAfterFlush(0);
}

/**
 * `frontend.slipway.time_to_return_ms`: milliseconds from process start to Return, as a result metadata
 * key (BuildKit passes `frontend.*` keys to the client: `docker buildx build --metadata-file`). The
 * benchmarks read it to separate the frontend's own time from the daemon's.
 */
function stampTiming(request: InstanceType<typeof gw.ReturnRequest>, timings: ReadonlyMap<string, number>): void {
  if (!request.has_result) return;
  // performance.now() counts from the process's start (its timeOrigin)
  const ms = performance.now().toFixed(1);
  request.result.metadata.set("frontend.slipway.time_to_return_ms", new TextEncoder().encode(ms));
  const phases = Object.fromEntries([...timings].map(([k, v]) => [k, Math.round(v * 10) / 10]));
  request.result.metadata.set("frontend.slipway.timings", new TextEncoder().encode(JSON.stringify(phases)));
  // keep the map sorted: BuildKit does not care, but the bytes we send stay deterministic
  const sorted = [...request.result.metadata].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  request.result.metadata.clear();
  for (const [k, v] of sorted) request.result.metadata.set(k, v);
}

function exitAfterFlush(code: number): void {
  process.stdout.write("", () => process.exit(code));
}

