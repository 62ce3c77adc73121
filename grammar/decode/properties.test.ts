// Properties that must hold for every input, checked with generated inputs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatNumber, parseNumber } from "../eval/value.js";
import { cleanPath, escapesBase } from "../eval/path.js";
import { parsePlatform } from "./platform.js";
import { parseImageReference } from "./reference.js";

const component = fc.stringMatching(/^[a-z0-9]{1,8}(?:[._-][a-z0-9]{1,8}){0,2}$/);
// Without a registry, a first component with a "." would be read as a registry host, as Docker reads it.
const firstComponent = fc.stringMatching(/^[a-z0-9]{1,8}(?:[_-][a-z0-9]{1,8}){0,2}$/);
const reference = fc
  .record({
    domain: fc.option(fc.constantFrom("docker.io", "127.0.0.1:5000", "ghcr.io", "localhost", "registry.example.org:443"), { nil: undefined }),
    first: firstComponent,
    path: fc.array(component, { maxLength: 2 }),
    tag: fc.option(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/), { nil: undefined }),
    digest: fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: undefined }),
  })
  .map(({ domain, first, path, tag, digest }) => `${domain ? `${domain}/` : ""}${[first, ...path].join("/")}${tag ? `:${tag}` : ""}${digest ? `@sha256:${digest}` : ""}`);

describe("properties", () => {
  it("a canonical image reference parses to itself", () => {
    fc.assert(
      fc.property(reference, (text) => {
        const first = parseImageReference(text).value;
        expect(first).toBeDefined();
        if (first === undefined) return;
        const again = parseImageReference(first.canonical).value;
        expect(again?.canonical).toBe(first.canonical);
        expect(again && { ...again, original: "" }).toEqual({ ...first, original: "" });
      }),
    );
  });

  it("numbers print without exponents and read back exactly", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = formatNumber(n);
        expect(text).not.toMatch(/e/i);
        expect(parseNumber(text)).toBe(n === 0 ? 0 : n);
      }),
    );
  });

  it("cleaning a path is idempotent, and a cleaned relative path escapes only by leading ..", () => {
    const segment = fc.constantFrom("a", "b", ".", "..", "", "c.d");
    fc.assert(
      fc.property(fc.boolean(), fc.array(segment, { maxLength: 8 }), (rooted, parts) => {
        const p = (rooted ? "/" : "") + parts.join("/");
        const c = cleanPath(p);
        expect(cleanPath(c)).toBe(c);
        const segments = c.split("/");
        let leading = 0;
        while (segments[leading] === "..") leading++;
        expect(segments.slice(leading)).not.toContain("..");
        expect(escapesBase(c)).toBe(leading > 0);
        if (rooted) expect(c.startsWith("/")).toBe(true);
      }),
    );
  });

  it("a normalised platform normalises to itself", () => {
    const platform = fc
      .tuple(fc.constantFrom("linux", "windows", "Linux"), fc.constantFrom("amd64", "x86_64", "aarch64", "arm64", "arm", "armhf", "386", "ppc64le"), fc.constantFrom("", "/v7", "/v8", "/v1"))
      .map(([os, arch, variant]) => `${os}/${arch}${variant}`);
    fc.assert(
      fc.property(platform, (text) => {
        const first = parsePlatform(text);
        if (first.value === undefined) return;
        expect(parsePlatform(first.value)).toEqual(first);
      }),
    );
  });
});
