import { describe, expect, it } from "vitest";
import { packageFromParagraph } from "./packages.js";
import { findSources, parseSourcesIndex } from "./sources.js";

const sha = (c: string) => c.repeat(64);

const sourcesText = `Package: gcc-12
Binary: gcc-12, libgcc-s1
Version: 12.2.0-14
Directory: pool/main/g/gcc-12
Checksums-Sha256:
 ${sha("a")} 2000 gcc-12_12.2.0-14.dsc
 ${sha("b")} 90000000 gcc-12_12.2.0.orig.tar.gz
 ${sha("c")} 900000 gcc-12_12.2.0-14.debian.tar.xz

Package: jq
Version: 1.6-2.1
Directory: pool/main/j/jq
Checksums-Sha256:
 ${sha("d")} 1900 jq_1.6-2.1.dsc
`;

const binary = (fields: Record<string, string>, origin?: number) =>
  packageFromParagraph({ architecture: "amd64", ...fields }, origin)!;

describe("Sources index", () => {
  it("lists each source's files with full URIs, sorted by name", () => {
    const index = parseSourcesIndex(sourcesText, "http://mirror.example/debian/");
    expect(index.get("gcc-12 12.2.0-14")).toEqual({
      name: "gcc-12",
      version: "12.2.0-14",
      files: [
        { name: "gcc-12_12.2.0-14.debian.tar.xz", uri: "http://mirror.example/debian/pool/main/g/gcc-12/gcc-12_12.2.0-14.debian.tar.xz", sha256: sha("c"), size: 900000 },
        { name: "gcc-12_12.2.0-14.dsc", uri: "http://mirror.example/debian/pool/main/g/gcc-12/gcc-12_12.2.0-14.dsc", sha256: sha("a"), size: 2000 },
        { name: "gcc-12_12.2.0.orig.tar.gz", uri: "http://mirror.example/debian/pool/main/g/gcc-12/gcc-12_12.2.0.orig.tar.gz", sha256: sha("b"), size: 90000000 },
      ],
    });
  });

  it("finds a binary's source by the Source field's name and version, not the binary's", () => {
    const index = parseSourcesIndex(sourcesText, "http://mirror.example/debian");
    const libgcc = binary({ package: "libgcc-s1", version: "12.2.0-14", source: "gcc-12" }, 0);
    const rebuilt = binary({ package: "libgcc-s1-dbg", version: "1:12.2.0-14+b1", source: "gcc-12 (12.2.0-14)" }, 0);
    const jq = binary({ package: "jq", version: "1.6-2.1" }, 1);
    const { found, missing } = findSources([libgcc, rebuilt, jq], [undefined, index], []);
    expect(missing).toEqual([]);
    expect(found.get("libgcc-s1")).toMatchObject({ kind: "archive", source: { name: "gcc-12", version: "12.2.0-14" } });
    expect(found.get("libgcc-s1-dbg")).toMatchObject({ kind: "archive", source: { name: "gcc-12" } });
    expect(found.get("jq")).toMatchObject({ kind: "archive", source: { name: "jq" } });
  });

  it("reports binaries without a source, unless a vcs declaration matches by name (and version when given)", () => {
    const index = parseSourcesIndex(sourcesText, "http://mirror.example/debian");
    const docker = binary({ package: "docker-ce", version: "5:19.03.1~3-0~debian-bookworm" }, 0);
    const vcs = { package: "docker-ce", type: "git", repository: "https://github.com/docker/docker-ce", ref: "v19.03.1" };
    expect(findSources([docker], [index], []).missing.map((p) => p.name)).toEqual(["docker-ce"]);
    expect(findSources([docker], [index], [vcs]).found.get("docker-ce")).toEqual({
      kind: "vcs",
      name: "docker-ce",
      version: "5:19.03.1~3-0~debian-bookworm",
      type: "git",
      repository: "https://github.com/docker/docker-ce",
      ref: "v19.03.1",
    });
    expect(findSources([docker], [index], [{ ...vcs, version: "5:20.10.0-1" }]).missing).toHaveLength(1);
  });
});

describe("Sources index, only the wanted names", () => {
  const text = `${sourcesText}
Package: zlib
Version: 1:1.2.13.dfsg-1
Directory: pool/main/z/zlib
Checksums-Sha256:
 ${sha("e")} 1 zlib_1.2.13.dfsg-1.dsc`;
  it("parses the same stanzas as a full read, for the names asked", () => {
    const full = parseSourcesIndex(text, "http://m/debian");
    const some = parseSourcesIndex(text, "http://m/debian", new Set(["gcc-12", "zlib", "absent"]));
    expect([...some.keys()]).toEqual(["gcc-12 12.2.0-14", "zlib 1:1.2.13.dfsg-1"]);
    expect(some.get("zlib 1:1.2.13.dfsg-1")).toEqual(full.get("zlib 1:1.2.13.dfsg-1"));
    expect(some.get("gcc-12 12.2.0-14")).toEqual(full.get("gcc-12 12.2.0-14"));
    expect(parseSourcesIndex(text, "http://m/debian", new Set(["jq"])).size).toBe(1);
  });
  it("falls back to a full read when no stanza starts with the usual Package: spelling", () => {
    const odd = text.replace(/^Package:/gm, "PACKAGE:");
    expect(parseSourcesIndex(odd, "http://m/debian", new Set(["jq"])).size).toBe(3);
  });
});
