import type { CliIO } from "./streams.js";

/**
 * A CliIO over an in-memory file system, with the output captured: for running the CLI in tests (and
 * anywhere without a disk). `files` are relative to the working directory `/w`.
 */
export function memoryIO(files: Record<string, string>, extra: Partial<CliIO> = {}) {
  const fs = new Map(Object.entries(files).map(([k, v]) => [`/w/${k}`, v]));
  const out = { stdout: "", stderr: "" };
  /** What `writeStdoutBytes` wrote, in order (stdout is not a terminal here). */
  const stdoutBytes: Uint8Array[] = [];
  const io: CliIO = {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    writeStdoutBytes: (bytes) => stdoutBytes.push(bytes.slice()) > 0,
    readFile: async (path) => {
      const text = fs.get(path);
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
      return text;
    },
    writeFile: async (path, text) => void fs.set(path, text),
    cwd: "/w",
    ...extra,
  };
  return { io, out, fs, stdoutBytes };
}
