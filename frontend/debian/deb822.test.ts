import { describe, expect, it } from "vitest";
import { forEachParagraph, parseParagraphs } from "./deb822.js";
import { parsePackagesIndex, parseSourceField } from "./packages.js";
import { parseStatus } from "./status.js";

describe("deb822", () => {
  it("splits paragraphs, joins continuation lines and lowercases field names", () => {
    const text = "Package: a\nDescription: short\n long line\n .\n more\n\n\nPACKAGE: b\r\nVersion: 1\r\n";
    expect(parseParagraphs(text)).toEqual([
      { package: "a", description: "short\nlong line\n.\nmore" },
      { package: "b", version: "1" },
    ]);
  });

  it("keeps only wanted fields, reports the line of each paragraph, and skips comments", () => {
    const lines: number[] = [];
    const out: Record<string, string>[] = [];
    forEachParagraph(
      "# comment\nA: 1\nB: 2\n \nA: 3\nChecksums-Sha256:\n abc 1 f\n def 2 g\n",
      (p, line) => {
        out.push(p);
        lines.push(line);
      },
      new Set(["a", "checksums-sha256"]),
    );
    expect(out).toEqual([{ a: "1" }, { a: "3", "checksums-sha256": "abc 1 f\ndef 2 g" }]);
    expect(lines).toEqual([2, 5]);
  });
});

describe("deb822 on hostile text", () => {
  it("reads 600,000 colon-less lines in linear time (each line's colon is looked for in that line only)", () => {
    // dpkg status comes from the images `slipway bom` is given; before, every line searched on to the
    // last line's colon: 600,000 × 600 kB of scanning (5 s)
    const text = "x\n".repeat(600_000) + "Package: last\n";
    const started = process.cpuUsage();
    const paragraphs = parseParagraphs(text);
    const spent = process.cpuUsage(started);
    expect(paragraphs).toEqual([{ package: "last" }]);
    // a runaway guard, not a speed goal: linear is a few ms, the quadratic scan took seconds
    expect((spent.user + spent.system) / 1000).toBeLessThan(1000);
  });

  it("reads a line whose colon comes only on a later line as no field", () => {
    expect(parseParagraphs("Package a\nVersion: 1\n")).toEqual([{ version: "1" }]);
  });
});

describe("Packages and status", () => {
  const packages = `Package: curl
Version: 7.88.1-10+deb12u5
Architecture: amd64
Priority: optional
Depends: libc6 (>= 2.34), libcurl4 (= 7.88.1-10+deb12u5)
Filename: pool/main/c/curl/curl_7.88.1-10+deb12u5_amd64.deb
Size: 315888
SHA256: ABCDEF

Package: libfoo
Source: foo (1.2-1)
Version: 1.2-1+b1
Architecture: i386

Package: tzdata
Version: 2024a-0+deb12u1
Architecture: all
Multi-Arch: foreign
Essential: no
Priority: required
`;
  it("keeps the wanted architectures and the fields the resolver needs", () => {
    const pkgs = parsePackagesIndex(packages, { architectures: new Set(["amd64", "all"]), origin: 2 });
    expect(pkgs.map((p) => p.name)).toEqual(["curl", "tzdata"]);
    const [curl, tzdata] = pkgs;
    expect(curl).toMatchObject({
      version: "7.88.1-10+deb12u5",
      sourceName: "curl",
      sourceVersion: "7.88.1-10+deb12u5",
      size: 315888,
      sha256: "abcdef",
      origin: 2,
      priority: 4,
      multiArch: "no",
    });
    expect(curl!.fields.depends).toBe("libc6 (>= 2.34), libcurl4 (= 7.88.1-10+deb12u5)");
    expect(tzdata).toMatchObject({ multiArch: "foreign", priority: 1, essential: false });
  });

  it("reads Source: with and without a version", () => {
    expect(parseSourceField("foo (1.2-1)", "libfoo", "1.2-1+b1")).toEqual({ sourceName: "foo", sourceVersion: "1.2-1" });
    expect(parseSourceField("gnutls28", "libgnutls30", "3.7.9-2")).toEqual({ sourceName: "gnutls28", sourceVersion: "3.7.9-2" });
    expect(parseSourceField(undefined, "jq", "1.6-2.1")).toEqual({ sourceName: "jq", sourceVersion: "1.6-2.1" });
  });

  it("lists only packages dpkg considers installed", () => {
    const status = `Package: base-files
Status: install ok installed
Essential: yes
Version: 12.4+deb12u5
Architecture: amd64

Package: old-conf
Status: deinstall ok config-files
Version: 1.0
Architecture: amd64

Package: gone
Status: purge ok not-installed
Architecture: amd64

Package: pending
Status: install ok triggers-pending
Version: 2
Architecture: all
`;
    const pkgs = parseStatus(status);
    expect(pkgs.map((p) => `${p.name}=${p.version}`)).toEqual(["base-files=12.4+deb12u5", "pending=2"]);
    expect(pkgs[0]!.essential).toBe(true);
    expect(pkgs[0]!.origin).toBeUndefined();
  });
});
