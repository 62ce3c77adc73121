import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { measureSourceFile, unixMode } from "../../frontend/bom-stage/measure-copy.js";
import type { MeasureRequest } from "../../frontend/bom-worker/index.js";
import type { PlannedFile } from "../../frontend/compile/index.js";
import type { BuildSession } from "../../frontend/solve/index.js";
import { scratch } from "../../llb/index.js";

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
  const entries: Record<string, { path: string; mode: number; size: number }[]> = {
    "/conf": [
      { path: "run.sh", mode: 0x00800000 | 0o750, size: 5 },
      { path: "link", mode: 0x08000000 | 0o777, size: 6 },
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
  const planned = (path: string, mode?: number) =>
    ({ entry: { ...(mode !== undefined && { mode: { value: mode } }) }, origin: { state: scratch(), path } }) as unknown as PlannedFile;

  it("measures one regular file where the copy reads it, with its own mode, or the declared one", async () => {
    const sha = (s: string, alg: string) => createHash(alg).update(s).digest("hex");
    const [own] = (await measureSourceFile(session, { planned: planned("/conf/run.sh"), request, ref: "r" }))!;
    expect(own).toEqual({ path: "/opt/tool", sha256: sha("hello", "sha256"), sha1: sha("hello", "sha1"), size: 5, mode: 0o4750, origin: { kind: "context", path: "conf/x" } });
    const [declared] = (await measureSourceFile(session, { planned: planned("/conf/run.sh", 0o644), request, ref: "r" }))!;
    expect(declared!.mode).toBe(0o644);
  });

  it("leaves a symlink, a directory and a missing path to a copy made as the image's, reading nothing", async () => {
    reads.length = 0;
    for (const path of ["/conf/link", "/conf/sub", "/conf/none", "/elsewhere/x"]) {
      expect(await measureSourceFile(session, { planned: planned(path), request, ref: "r" }), path).toBeUndefined();
    }
    expect(reads).toEqual([]);
  });
});
