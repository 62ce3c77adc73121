import { describe, expect, it } from "vitest";
import { hasErrors } from "../../grammar/index.js";
import { buildEpoch, epochNanoseconds, epochTime, parseEpochArg } from "./epoch.js";

const config = (created?: string) => ({ architecture: "amd64", os: "linux", config: {}, ...(created !== undefined && { created }) });

describe("the build's epoch", () => {
  it("is SOURCE_DATE_EPOCH when given, whatever the base image says", () => {
    expect(buildEpoch(1700000000, config("2024-01-01T00:00:00Z"))).toEqual({ seconds: 1700000000, origin: "build-argument" });
    expect(buildEpoch(0, undefined)).toEqual({ seconds: 0, origin: "build-argument" });
  });

  it("is otherwise the base image's created, in whole seconds, and 0 without a usable one", () => {
    expect(buildEpoch(undefined, config("2023-11-14T22:13:20.987654321Z"))).toEqual({ seconds: 1700000000, origin: "base-image" });
    expect(buildEpoch(undefined, config("2023-11-14T23:13:20+01:00"))).toEqual({ seconds: 1700000000, origin: "base-image" });
    expect(buildEpoch(undefined, undefined)).toEqual({ seconds: 0, origin: "default" });
    expect(buildEpoch(undefined, config())).toEqual({ seconds: 0, origin: "default" });
    // a registry's config is not trusted to hold a time
    expect(buildEpoch(undefined, config("yesterday"))).toEqual({ seconds: 0, origin: "default" });
    expect(buildEpoch(undefined, config("1969-12-31T23:59:59Z"))).toEqual({ seconds: 0, origin: "default" });
  });

  it("refuses a SOURCE_DATE_EPOCH that is not whole seconds from 0 to 9999-12-31T23:59:59Z", () => {
    for (const bad of ["", "-1", "1.5", "1e9", " 1", "0x10", "253402300800", "9".repeat(40), "now"]) {
      const parsed = parseEpochArg(bad);
      expect(parsed.value, bad).toBeUndefined();
      expect(hasErrors(parsed.diagnostics), bad).toBe(true);
      expect(parsed.diagnostics[0]!.summary).toMatch(/^Invalid build argument SOURCE_DATE_EPOCH=/);
      expect(parsed.diagnostics[0]!.summary.length).toBeLessThan(90);
    }
    expect(parseEpochArg("253402300799")).toEqual({ value: 253402300799, diagnostics: [] });
    expect(parseEpochArg(undefined)).toEqual({ value: undefined, diagnostics: [] });
  });

  it("is written as RFC 3339 without a fraction, and as nanoseconds for file ops", () => {
    expect(epochTime(1700000000)).toBe("2023-11-14T22:13:20Z");
    expect(epochTime(0)).toBe("1970-01-01T00:00:00Z");
    expect(epochNanoseconds(1700000000)).toBe(1700000000000000000n);
  });
});
