// The frontend process: BuildKit starts it with its gRPC server on our stdin/stdout. Anything written to
// stdout that is not HTTP/2 corrupts the connection, so every console method goes to stderr (which BuildKit
// sends to its own log, not to the user: users hear from us through progress names, warnings and errors).
console.log = console.info = console.debug = console.warn = console.error;

import { handleBuild } from "./build.js";
import { GatewayClient } from "./gateway/client.js";
import { messageToStatus } from "./gateway/errors.js";
import { gw } from "./gateway/client.js";

async function main(): Promise<void> {
  const client = await GatewayClient.overStdio();
  let request: InstanceType<typeof gw.ReturnRequest>;
  try {
    request = await handleBuild(client, process.env);
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

function exitAfterFlush(code: number): void {
  process.stdout.write("", () => process.exit(code));
}

void main();
