import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration.js";
import { compileGlob } from "./glob.js";
import { parsePlatform } from "./platform.js";
import { parseImageReference } from "./reference.js";
import { parseRepositoryLine } from "./repository.js";
import { reasonOf } from "../source/diagnostic.js";
import type { Range } from "../source/pos.js";

describe("parseImageReference", () => {
  it.each([
    ["debian", "docker.io", "library/debian", "latest", undefined, "docker.io/library/debian:latest"],
    ["debian:bookworm", "docker.io", "library/debian", "bookworm", undefined, "docker.io/library/debian:bookworm"],
    ["cirocosta/estaleiro", "docker.io", "cirocosta/estaleiro", "latest", undefined, "docker.io/cirocosta/estaleiro:latest"],
    ["index.docker.io/library/node:20", "docker.io", "library/node", "20", undefined, "docker.io/library/node:20"],
    ["127.0.0.1:5000/x:1", "127.0.0.1:5000", "x", "1", undefined, "127.0.0.1:5000/x:1"],
    ["localhost/app", "localhost", "app", "latest", undefined, "localhost/app:latest"],
    ["ghcr.io/owner/repo/sub:v1.2", "ghcr.io", "owner/repo/sub", "v1.2", undefined, "ghcr.io/owner/repo/sub:v1.2"],
    ["a__b-c.d_e", "docker.io", "library/a__b-c.d_e", "latest", undefined, "docker.io/library/a__b-c.d_e:latest"],
    [`debian@sha256:${"a".repeat(64)}`, "docker.io", "library/debian", undefined, `sha256:${"a".repeat(64)}`, `docker.io/library/debian@sha256:${"a".repeat(64)}`],
    [`debian:12@sha256:${"b".repeat(64)}`, "docker.io", "library/debian", "12", `sha256:${"b".repeat(64)}`, `docker.io/library/debian:12@sha256:${"b".repeat(64)}`],
  ])("%s", (text, domain, path, tag, digest, canonical) => {
    const r = parseImageReference(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.value).toEqual({ original: text, domain, path, canonical, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) });
  });

  it.each([
    ["", "empty"],
    ["Debian", "must be lowercase"],
    ["debian:", "tag"],
    ["debian:-x", "tag"],
    ["debian@sha256:abc", "64 lowercase hex"],
    [`debian@sha256:${"A".repeat(64)}`, "64 lowercase hex"],
    [`debian@md5:${"a".repeat(32)}`, "sha256"],
    ["a//b", "empty path component"],
    ["deb ian", "spaces"],
    ["https://registry/x", "URL"],
    ["a/-b", "not a valid repository name component"],
    ["example.com:port/x", "registry host"],
    ["example.com/", "no repository name"],
    [`${"f".repeat(64)}`, "64-digit hex"],
    [`r.io/${"a".repeat(260)}`, "longer than 255"],
  ])("rejects %j", (text, message) => {
    const r = parseImageReference(text);
    expect(r.value).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ severity: "error", summary: "Invalid image reference" });
    expect(reasonOf(r)).toContain(message);
  });
});

describe("parsePlatform", () => {
  it.each([
    ["linux/amd64", "linux/amd64"],
    ["linux/x86_64", "linux/amd64"],
    ["Linux/AMD64", "linux/amd64"],
    ["linux/amd64/v1", "linux/amd64"],
    ["linux/amd64/v3", "linux/amd64/v3"],
    ["linux/aarch64", "linux/arm64"],
    ["linux/arm64/v8", "linux/arm64"],
    ["linux/arm", "linux/arm/v7"],
    ["linux/arm/6", "linux/arm/v6"],
    ["linux/armhf", "linux/arm/v7"],
    ["linux/armel", "linux/arm/v6"],
    ["linux/i386", "linux/386"],
    ["linux/ppc64le", "linux/ppc64le"],
    ["windows/amd64", "windows/amd64"],
  ])("%s → %s", (text, want) => {
    expect(parsePlatform(text)).toEqual({ value: want, diagnostics: [] });
  });

  it.each([
    ["linux", "os/arch"],
    ["linux/", "os/arch"],
    ["plan10/amd64", "operating system"],
    ["linux/amd65", "architecture"],
    ["linux/arm/v9", "variant"],
    ["linux/s390x/v1", "no variants"],
    ["linux/amd64/v1/x", "os/arch"],
  ])("rejects %s", (text, message) => {
    const r = parsePlatform(text);
    expect(r.value).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ severity: "error", summary: "Invalid platform" });
    expect(reasonOf(r)).toContain(message);
  });
});

describe("parseDuration", () => {
  it.each([
    ["0", 0],
    ["30s", 30e9],
    ["1m30s", 90e9],
    ["1.5h", 5400e9],
    ["250ms", 250e6],
    ["10us", 10e3],
    ["10µs", 10e3],
    ["1h2m3s4ms5us6ns", 3723004005006],
  ])("%s", (text, ns) => {
    expect(parseDuration(text)).toEqual({ value: ns, diagnostics: [] });
  });

  it.each(["", "30", "s", "-1s", "1d", "1 s", "1s "])("rejects %j", (text) => {
    const parsed = parseDuration(text);
    expect(parsed.value).toBeUndefined();
    expect(parsed.diagnostics.map((d) => [d.severity, d.summary])).toEqual([["error", "Invalid duration"]]);
  });
});

describe("compileGlob (Go path.Match)", () => {
  it.each<[string, string, boolean]>([
    ["/bin/estaleiro", "/bin/estaleiro", true],
    ["*", "check", true],
    ["*", "dir/check", false],
    ["/assets/*", "/assets/in", true],
    ["/assets/*", "/assets/sub/in", false],
    ["/bin/tool-?", "/bin/tool-1", true],
    ["/bin/tool-?", "/bin/tool-10", false],
    ["[abc]x", "bx", true],
    ["[^abc]x", "dx", true],
    ["[^abc]x", "ax", false],
    ["[a-c]x", "cx", true],
    ["a\\*b", "a*b", true],
    ["a\\*b", "axb", false],
    ["v1.2", "v1x2", false],
    ["(x)+", "(x)+", true],
  ])("%s matches %s: %s", (pattern, path, want) => {
    expect(compileGlob(pattern)?.test(path)).toBe(want);
  });

  it.each(["[", "[]", "a\\", "[a"])("rejects %j", (pattern) => {
    expect(compileGlob(pattern)).toBeUndefined();
  });
});

describe("parseRepositoryLine", () => {
  const r: Range = { file: "t", start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };
  it("reads estaleiro's lines", () => {
    const got = parseRepositoryLine("deb http://archive.example.org/ubuntu/ bionic universe multiverse", r);
    expect(got).toEqual({
      value: {
        types: ["deb"],
        uri: { value: "http://archive.example.org/ubuntu/", range: r },
        suite: { value: "bionic", range: r },
        components: ["universe", "multiverse"],
        architectures: [],
      },
      diagnostics: [],
    });
  });

  it("reads options and flat repositories", () => {
    const got = parseRepositoryLine("deb-src [arch=amd64,arm64 signed-by=/usr/share/keyrings/x.gpg] https://example.org/repo ./", r);
    expect(got.value).toMatchObject({ types: ["deb-src"], architectures: ["amd64", "arm64"], signedBy: "/usr/share/keyrings/x.gpg", components: [] });
  });

  it.each([
    ["rpm http://x y z", '"deb" or "deb-src"'],
    ["deb [arch=amd64 http://x y z", 'closing "]"'],
    ["deb [trusted=yes] http://x y z", "signature checks"],
    ["deb [lang=en] http://x y z", "not supported"],
    ["deb archive/x y z", "not a URI"],
    ["deb http://x", "no suite"],
    ["deb http://x bookworm", "at least one component"],
    ["deb http://x ./ main", "takes no components"],
  ])("rejects %j", (line, message) => {
    const got = parseRepositoryLine(line, r);
    expect(got.value).toBeUndefined();
    expect(got.diagnostics).toHaveLength(1);
    expect(got.diagnostics[0]).toMatchObject({ severity: "error", summary: "Invalid repository line", subject: r });
    expect(got.diagnostics[0]!.detail).toContain(message);
  });
});
