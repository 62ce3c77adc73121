import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { measureSourceFile, unixMode } from "../../frontend/bom-stage/measure-copy.js";
import type { MeasureRequest } from "../../frontend/bom-worker/index.js";
import type { PlannedFile } from "../../frontend/compile/index.js";
import type { BuildSession } from "../../frontend/solve/index.js";
import { scratch } from "../../llb/index.js";
import { isDiagnosticsError, type DiagnosticsError } from "../../grammar/index.js";

describe("unixMode", () => {
  it("turns Go's os.FileMode bits, as StatFile reports them, into mode & 0o7777", () => {
    expect(unixMode(0o644)).toBe(0o644);
    // ModeSetuid 1<<23, ModeSetgid 1<<22, ModeSticky 1<<20: not 04000, 02000, 01000
    expect(unixMode(0x00800000 | 0o755)).toBe(0o4755);
    expect(unixMode(0x00400000 | 0o755)).toBe(0o2755);
    expect(unixMode(0x00100000 | 0o777)).toBe(0o1777);
    // a type bit (directory, 1<<31) is no permission
    expect(unixMode(0x80000000 | 0o700)).toBe(0o700);
  });
});

describe("measureSourceFile", () => {
  // A build context as the gateway shows it: ReadDir lists entries as they are (a symlink as a symlink),
  // ReadFile follows links. Go's mode bits: directory 1<<31, symlink 1<<27, setuid 1<<23.
  const entries: Record<string, { path: string; mode: number; size: number; linkname?: string }[]> = {
    "/conf": [
      { path: "run.sh", mode: 0x00800000 | 0o750, size: 5 },
      { path: "link", mode: 0x08000000 | 0o777, size: 6, linkname: "run.sh" },
      { path: "abs", mode: 0x08000000 | 0o777, size: 9, linkname: "/etc/passwd" },
      { path: "up", mode: 0x08000000 | 0o777, size: 9, linkname: "../../x" },
      { path: "sub", mode: 0x80000000 | 0o755, size: 0 },
    ],
  };
  const files: Record<string, string> = { "/conf/run.sh": "hello", "/conf/link": "hello" };
  const reads: string[] = [];
  const session = {
    readDir: async (_ref: string, dir: string) => entries[dir],
    readFile: async (_ref: string, path: string) => {
      reads.push(path);
      return new TextEncoder().encode(files[path]!);
    },
  } as unknown as BuildSession;
  const request: MeasureRequest = { destination: "/opt/tool", origin: { kind: "context", path: "conf/x" }, under: "conf/x" };
  const range = { start: { line: 3, column: 12, byte: 40 }, end: { line: 3, column: 26, byte: 54 }, filename: "slipway.hcl" };
  const planned = (path: string, mode?: number) =>
    ({
      entry: { ...(mode !== undefined && { mode: { value: mode } }), source: { kind: "context", path: { value: path.replace(/^\//, ""), range }, range } },
      origin: { state: scratch(), path },
    }) as unknown as PlannedFile;

  it("measures one regular file where the copy reads it, with its own mode, or the declared one", async () => {
    const sha = (s: string, alg: string) => createHash(alg).update(s).digest("hex");
    const [own] = (await measureSourceFile(session, { planned: planned("/conf/run.sh"), request, ref: "r" }))!;
    expect(own).toEqual({ path: "/opt/tool", sha256: sha("hello", "sha256"), sha1: sha("hello", "sha1"), size: 5, mode: 0o4750, origin: { kind: "context", path: "conf/x" } });
    const [declared] = (await measureSourceFile(session, { planned: planned("/conf/run.sh", 0o644), request, ref: "r" }))!;
    expect(declared!.mode).toBe(0o644);
  });

  it("leaves a directory and a missing path to a copy made as the image's, reading nothing", async () => {
    reads.length = 0;
    for (const path of ["/conf/sub", "/conf/none", "/elsewhere/x"]) {
      expect(await measureSourceFile(session, { planned: planned(path), request, ref: "r" }), path).toBeUndefined();
    }
    expect(reads).toEqual([]);
  });

  it("refuses a symbolic link at the declared path, naming the file to copy instead when it is in the context", async () => {
    reads.length = 0;
    const refused = async (path: string) => {
      try {
        await measureSourceFile(session, { planned: planned(path), request, ref: "r" });
      } catch (e) {
        expect(isDiagnosticsError(e), String(e)).toBe(true);
        return (e as DiagnosticsError).diagnostics;
      }
      throw new Error(`${path} was not refused`);
    };
    const [link] = await refused("/conf/link");
    expect(link).toMatchObject({ severity: "error", summary: "Symbolic link in the build context", subject: range, hint: 'copy the file it points to: path = "conf/run.sh"' });
    expect(link!.detail).toContain('"conf/link" is a symbolic link to "run.sh"');
    // a target outside the context (absolute, or above its root) is named, but not offered as a path
    for (const path of ["/conf/abs", "/conf/up"]) {
      const [d] = await refused(path);
      expect(d!.hint, path).toBe("copy the file it points to, from inside the build context");
    }
    expect(reads).toEqual([]);
  });
});
