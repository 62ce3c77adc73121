import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compareVersions, parseVersion, satisfiesVersion } from "./version.js";

describe("compareVersions", () => {
  // Orderings from deb-version(7) and dpkg's own test suite (t-version).
  const ascending: [string, string][] = [
    ["1.0~rc1", "1.0"],
    ["1.0~~", "1.0~~a"],
    ["1.0~~a", "1.0~"],
    ["1.0~", "1.0"],
    ["1.0", "1.0a"],
    ["1.0a", "1.0+"],
    ["1.0", "1.0.0"],
    ["1.0", "1.1"],
    ["2.3", "2.30"],
    ["9", "10"],
    ["1.0-1", "1.0-2"],
    ["1.0-9", "1.0-10"],
    ["1.0", "1.0-0.1"],
    ["2.0", "1:0.1"],
    ["1:2.0", "2:0.1"],
    ["7.88.1-10+deb12u5", "7.88.1-10+deb12u6"],
    ["7.88.1-10", "7.88.1-10+deb12u1"],
    ["2.36-9+deb12u4", "2.36-9+deb12u10"],
    ["1.2.3~bpo12+1", "1.2.3"],
    ["0.9", "1.0~beta"],
    // git's Depends: git-man (<< 1:2.39.5-.): a digit ends the non-digit run, so "0…" sorts before ".".
    ["1:2.39.5-0+deb12u3", "1:2.39.5-."],
    ["1.0", "1.0."],
    ["1.0a", "1.0.1"],
  ];
  it.each(ascending)("%s < %s", (a, b) => {
    expect(compareVersions(a, b)).toBeLessThan(0);
    expect(compareVersions(b, a)).toBeGreaterThan(0);
  });

  it("treats an absent epoch as 0 and leading zeros as insignificant", () => {
    expect(compareVersions("0:1.0", "1.0")).toBe(0);
    expect(compareVersions("1.002", "1.2")).toBe(0);
    expect(compareVersions("1.0-01", "1.0-1")).toBe(0);
  });

  it("is a total order consistent under swap (property)", () => {
    const version = fc
      .tuple(
        fc.nat(3),
        fc.stringMatching(/^[0-9][0-9a-z.+~]{0,6}$/),
        fc.option(fc.stringMatching(/^[0-9a-z.+~]{1,5}$/), { nil: undefined }),
      )
      .map(([e, u, r]) => `${e > 0 ? `${e}:` : ""}${u}${r !== undefined ? `-${r}` : ""}`);
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        // "+ 0" turns -0 into 0: Object.is, which toBe uses, tells them apart
        expect(Math.sign(compareVersions(a, b)) + 0).toBe(-Math.sign(compareVersions(b, a)) + 0);
        if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) expect(compareVersions(a, c)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("parseVersion", () => {
  it("splits epoch, upstream and revision at the last hyphen", () => {
    expect(parseVersion("1:2.3-4-5")).toEqual({ epoch: 1, upstream: "2.3-4", revision: "5" });
    expect(parseVersion("2.3")).toEqual({ epoch: 0, upstream: "2.3", revision: "" });
  });
  it("rejects versions that are not Debian versions", () => {
    expect(parseVersion("")).toBeUndefined();
    expect(parseVersion("a1.0")).toBeUndefined();
    expect(parseVersion("x:1.0")).toBeUndefined();
    expect(parseVersion("1.0-")).toBeUndefined();
    expect(parseVersion("1.0 beta")).toBeUndefined();
  });
});

describe("satisfiesVersion", () => {
  it.each([
    ["1.0", "<<", "1.1", true],
    ["1.1", "<<", "1.1", false],
    ["1.1", "<=", "1.1", true],
    ["1.1", "=", "1.1", true],
    ["1.1-1", "=", "1.1", false],
    ["1.1", ">=", "1.1~", true],
    ["1.1", ">>", "1.1", false],
    ["1:0.1", ">>", "9.9", true],
  ] as const)("%s %s %s is %s", (v, op, c, want) => {
    expect(satisfiesVersion(v, op, c)).toBe(want);
  });
});
