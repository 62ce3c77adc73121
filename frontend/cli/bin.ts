// The `slipway` executable: runs the CLI with the process's own I/O and exit code.
import { readFile, writeFile } from "node:fs/promises";
import { runCli } from "./main.js";

const io = {
  stdout: (text: string) => void process.stdout.write(text),
  stderr: (text: string) => void process.stderr.write(text),
  writeStdoutBytes: (bytes: Uint8Array) => {
    if (process.stdout.isTTY) return false;
    process.stdout.write(bytes);
    return true;
  },
  readFile: (path: string) => readFile(path, "utf8"),
  writeFile: (path: string, text: string) => writeFile(path, text, "utf8"),
  cwd: process.cwd(),
  color: Boolean(process.stderr.isTTY) && process.env.NO_COLOR === undefined,
};

runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`slipway: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
