// The `slipway` executable: runs the CLI with the process's own I/O and exit code.
import { runCli } from "./main.js";
import { nodeIO } from "./node-io.js";

// Interrupted or terminated, leave through process.exit, so that what a command registered for the
// process's exit runs (slipway diff removes the copy it unpacked a compressed archive into).
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) process.once(signal, () => process.exit(code));

runCli(process.argv.slice(2), nodeIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`slipway: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
