import { describe, expect, it } from "vitest";
import { isDiagnosticsError } from "../grammar/index.js";
import { buildArgMirrors } from "./build-args.js";

describe("buildArgMirrors", () => {
  it("is no mirror when SLIPWAY_MIRROR is not given, and the rules when it is", () => {
    expect(buildArgMirrors(new Map())).toEqual([]);
    expect(buildArgMirrors(new Map([["SLIPWAY_MIRROR", "http://a.example/debian=http://b.example/"]]))).toEqual([{ original: "http://a.example/debian", replacement: "http://b.example" }]);
  });

  it("refuses a malformed value with an error naming the build argument and the syntax", () => {
    let error: unknown;
    try {
      buildArgMirrors(new Map([["SLIPWAY_MIRROR", "http://a.example/debian"]]));
    } catch (e) {
      error = e;
    }
    expect(isDiagnosticsError(error)).toBe(true);
    const [d] = isDiagnosticsError(error) ? error.diagnostics : [];
    expect(d).toMatchObject({ severity: "error", summary: "Malformed build argument SLIPWAY_MIRROR" });
    expect(d!.detail).toBe('--build-arg SLIPWAY_MIRROR: "http://a.example/debian" is not ORIGINAL=REPLACEMENT.');
    expect(d!.hint).toMatch(/^Give SLIPWAY_MIRROR=ORIGINAL=REPLACEMENT\[,ORIGINAL=REPLACEMENT…\]/);
  });
});
