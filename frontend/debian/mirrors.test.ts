import { describe, expect, it } from "vitest";
import { reasonOf } from "../../grammar/index.js";
import type { Fetcher } from "./io.js";
import { mirroredFetcher, mirroredUrl, parseMirrors, snapshotTimestamp } from "./mirrors.js";

describe("parseMirrors", () => {
  it("reads ORIGINAL=REPLACEMENT rules, trailing slashes dropped, the longest ORIGINAL first", () => {
    const parsed = parseMirrors(" http://a.example/debian/=http://b.example/x/ , http://a.example/debian/sec=https://c.example ");
    expect(parsed).toEqual({
      value: [
        { original: "http://a.example/debian/sec", replacement: "https://c.example" },
        { original: "http://a.example/debian", replacement: "http://b.example/x" },
      ],
      diagnostics: [],
    });
  });

  it("reads an empty value as no mirror", () => {
    expect(parseMirrors("")).toEqual({ value: [], diagnostics: [] });
    expect(parseMirrors("  ")).toEqual({ value: [], diagnostics: [] });
  });

  it.each([
    ["http://a.example", /"http:\/\/a.example" is not ORIGINAL=REPLACEMENT/],
    ["ftp://a.example=http://b.example", /ORIGINAL "ftp:\/\/a.example" is not an http/],
    ["http://a.example=", /REPLACEMENT "" is not an http/],
    ["http://a.example=http://user@b.example", /REPLACEMENT .* is not an http/],
    ["http://a.example=http://b.example?x=1", /is not an http/],
    ["http://a.example=http://b.example,http://a.example/=http://c.example", /rule 2 gives "http:\/\/a.example" a second replacement/],
    ["http://a.example=http://b.example,", /rule 2 "" is not ORIGINAL=REPLACEMENT/],
    [Array.from({ length: 65 }, (_, i) => `http://a${i}.example=http://b.example`).join(","), /65 rules, more than the 64/],
    [`http://a.example=http://b.example/${"x".repeat(3000)}`, /REPLACEMENT is 3\d+ characters/],
  ])("refuses %j", (text, problem) => {
    const parsed = parseMirrors(text);
    expect(parsed.value).toBeUndefined();
    expect(parsed.diagnostics).toMatchObject([{ severity: "error", summary: "Malformed mirror list" }]);
    expect(reasonOf(parsed)).toMatch(problem);
  });
});

describe("mirroredUrl", () => {
  const parsed = parseMirrors("http://a.example/debian=http://b.example/copy,http://a.example/debian-security=http://c.example");
  const mirrors = parsed.value ?? [];

  it("replaces the longest matching prefix, only at a path boundary", () => {
    expect(mirroredUrl("http://a.example/debian/pool/main/c/curl/curl_1_amd64.deb", mirrors)).toBe("http://b.example/copy/pool/main/c/curl/curl_1_amd64.deb");
    expect(mirroredUrl("http://a.example/debian-security/pool/x.deb", mirrors)).toBe("http://c.example/pool/x.deb");
    expect(mirroredUrl("http://a.example/debianx/pool/x.deb", mirrors)).toBe("http://a.example/debianx/pool/x.deb");
    expect(mirroredUrl("http://other.example/debian/pool/x.deb", mirrors)).toBe("http://other.example/debian/pool/x.deb");
  });
});

describe("mirroredFetcher", () => {
  it("fetches from the mirror with the same expectation", async () => {
    const calls: unknown[] = [];
    const inner: Fetcher = { fetch: async (url, expect) => (calls.push([url, expect]), new Uint8Array([1])) };
    const parsed = parseMirrors("http://a.example/debian=http://b.example");
    const f = mirroredFetcher(inner, parsed.value ?? []);
    await f.fetch("http://a.example/debian/dists/stable/InRelease", { sha256: "ab", size: 1 });
    expect(calls).toEqual([["http://b.example/dists/stable/InRelease", { sha256: "ab", size: 1 }]]);
  });
});

describe("snapshotTimestamp", () => {
  it.each([
    ["Sat, 01 Jun 2024 00:00:00 UTC", "20240601T000000Z"],
    ["Sat, 10 May 2025 08:52:13 UTC", "20250510T085213Z"],
    ["Mon, 1 Jan 2024 01:30:00 +0200", "20231231T233000Z"],
    ["1 Jan 2024 01:30:00 GMT", "20240101T013000Z"],
  ])("%s → %s", (date, stamp) => expect(snapshotTimestamp(date)).toBe(stamp));

  it.each(["yesterday", "Sat, 01 Foo 2024 00:00:00 UTC", "Sat, 01 Jun 2024 00:00 UTC"])("cannot read %j", (date) => expect(snapshotTimestamp(date)).toBeUndefined());
});
