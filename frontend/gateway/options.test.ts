import { describe, expect, it } from "vitest";
import { normalizePlatform, readBuildOptions } from "./options.js";

function env(opts: Record<string, string>, extra: Record<string, string> = {}) {
  const e: Record<string, string> = { ...extra };
  Object.entries(opts).forEach(([k, v], i) => (e[`BUILDKIT_FRONTEND_OPT_${i}`] = `${k}=${v}`));
  return e;
}

describe("readBuildOptions", () => {
  it("splits each option at the first '=' only", () => {
    const o = readBuildOptions(env({ "build-arg:JSON": '{"a":"b=c"}', "label:org.x": "a=b=c" }));
    expect(o.buildArgs.get("JSON")).toBe('{"a":"b=c"}');
    expect(o.labels.get("org.x")).toBe("a=b=c");
  });

  it("reads typed options and defaults", () => {
    const o = readBuildOptions(
      env({ filename: "app.hcl", target: "web", platform: "linux/x86_64,linux/aarch64", "context:base": "docker-image://x", dockerfilekey: "df" }, { BUILDKIT_SESSION_ID: "s1" }),
    );
    expect(o.filename).toBe("app.hcl");
    expect(o.target).toBe("web");
    expect(o.platforms).toEqual(["linux/amd64", "linux/arm64"]);
    expect(o.namedContexts.get("base")).toBe("docker-image://x");
    expect(o.dockerfileLocal).toBe("df");
    expect(o.contextLocal).toBe("context");
    expect(o.sessionId).toBe("s1");
    expect(o.noCache).toBe(false);
    expect(o.imageResolveMode).toBe("default");
  });

  it("treats an empty no-cache as 'no cache for everything' and a list as per-target", () => {
    expect(readBuildOptions(env({ "no-cache": "" })).noCache).toBe(true);
    expect(readBuildOptions(env({ "no-cache": "web", target: "web" })).noCache).toBe(true);
    expect(readBuildOptions(env({ "no-cache": "other", target: "web" })).noCache).toBe(false);
  });

  it("refuses a remote build context, naming the URL and what to do, instead of building something else", () => {
    expect(() => readBuildOptions(env({ context: "https://example.org/app.git#main" }))).toThrow(/context="https:\/\/example\.org\/app\.git#main": remote build contexts .* clone the repository/);
    expect(() => readBuildOptions(env({ contextsubdir: "sub" }))).toThrow(/contextsubdir="sub"/);
  });

  it("rejects a bad image-resolve-mode and bad cache-imports with a message naming the option", () => {
    expect(() => readBuildOptions(env({ "image-resolve-mode": "sometimes" }))).toThrow(/image-resolve-mode/);
    expect(() => readBuildOptions(env({ "cache-imports": "{" }))).toThrow(/cache-imports/);
  });

  it("parses cache-imports and the worker platforms", () => {
    const o = readBuildOptions(
      env({ "cache-imports": '[{"Type":"registry","Attrs":{"ref":"r/x:cache"}}]' }, { BUILDKIT_WORKERS: '[{"ID":"w","Platforms":[{"architecture":"arm64","os":"linux"}]}]' }),
    );
    expect(o.cacheImports).toEqual([{ type: "registry", attrs: { ref: "r/x:cache" } }]);
    expect(o.workerPlatforms).toEqual([{ os: "linux", architecture: "arm64" }]);
  });
});

describe("normalizePlatform", () => {
  it.each([
    ["linux/x86_64", "linux/amd64"],
    ["amd64", "linux/amd64"],
    ["linux/aarch64", "linux/arm64"],
    ["linux/arm64/v8", "linux/arm64"],
    ["linux/arm", "linux/arm/v7"],
    ["linux/armhf", "linux/arm/v7"],
    ["linux/armel", "linux/arm/v6"],
    ["linux/arm/7", "linux/arm/v7"],
    ["linux/i386", "linux/386"],
    ["Linux/AMD64", "linux/amd64"],
  ])("%s → %s", (input, want) => expect(normalizePlatform(input)).toBe(want));

  it("rejects a platform without architecture", () => expect(() => normalizePlatform("linux/")).toThrow(/os\/arch/));
});
