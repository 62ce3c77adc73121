// The `slipway` executable: runs the CLI with the process's own I/O and exit code.
import { runCli } from "./main.js";
import { nodeIO } from "./node-io.js";

runCli(process.argv.slice(2), nodeIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`slipway: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
