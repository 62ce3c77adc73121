import { describe, expect, it } from "vitest";
import { unixMode } from "../../frontend/bom-stage/measure-copy.js";

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
