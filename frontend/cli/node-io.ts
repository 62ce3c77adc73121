import { readFile, realpath, stat, writeFile } from "node:fs/promises";
import type { CliIO } from "./streams.js";

/** The CLI's I/O on this process: its streams, the disk, its working directory. */
export function nodeIO(): CliIO {
  return {
    stdout: (text: string) => void process.stdout.write(text),
    stderr: (text: string) => void process.stderr.write(text),
    writeStdoutBytes: (bytes: Uint8Array) => {
      if (process.stdout.isTTY) return false;
      process.stdout.write(bytes);
      return true;
    },
    readFile: (path: string) => readFile(path, "utf8"),
    writeFile: (path: string, text: string) => writeFile(path, text, "utf8"),
    inspect: async (path: string) => {
      const real = await realpath(path);
      const s = await stat(real);
      return { realpath: real, kind: s.isFile() ? "file" : s.isDirectory() ? "directory" : "other", size: s.size };
    },
    cwd: process.cwd(),
    color: Boolean(process.stderr.isTTY) && process.env.NO_COLOR === undefined,
  };
}
