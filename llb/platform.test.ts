import { describe, expect, it } from "vitest";
import { formatPlatform, normalizePlatform, parsePlatform, platformsEqual } from "./index.js";

describe("platforms", () => {
  it.each([
    ["linux/amd64", "linux/amd64"],
    ["linux/x86_64", "linux/amd64"],
    ["linux/amd64/v1", "linux/amd64"],
    ["linux/amd64/v3", "linux/amd64/v3"],
    ["linux/aarch64", "linux/arm64"],
    ["linux/arm64/v8", "linux/arm64"],
    ["linux/arm64/9", "linux/arm64/v9"],
    ["linux/arm", "linux/arm/v7"],
    ["linux/arm/6", "linux/arm/v6"],
    ["linux/armhf", "linux/arm/v7"],
    ["linux/armel", "linux/arm/v6"],
    ["linux/i386", "linux/386"],
    ["macos/arm64", "darwin/arm64"],
    ["Linux/S390X", "linux/s390x"],
  ])("normalizes %s as containerd does", (spec, expected) => {
    expect(formatPlatform(parsePlatform(spec))).toBe(expected);
  });

  it("keeps OS version and sorted, unique features", () => {
    const p = normalizePlatform({ os: "windows", architecture: "amd64", osVersion: "10.0.17763", osFeatures: ["win32k", "a", "win32k"] });
    expect(p).toEqual({ os: "windows", architecture: "amd64", osVersion: "10.0.17763", osFeatures: ["a", "win32k"] });
    expect(formatPlatform(p)).toBe("windows(10.0.17763)/amd64");
    expect(platformsEqual(parsePlatform("linux/arm64/v8"), parsePlatform("linux/aarch64"))).toBe(true);
  });

  it("rejects malformed specifiers", () => {
    for (const bad of ["linux", "linux/", "linux/amd64/v1/x", "linux amd64"]) {
      expect(() => parsePlatform(bad)).toThrow(/invalid platform/);
    }
    expect(() => normalizePlatform({ os: "", architecture: "amd64" })).toThrow(/needs an OS/);
  });
});
