import { describe, expect, test } from "vitest";
import { buildBom, isBomInputError, parseDpkgSource, type BomInputs } from "./index.js";

const SHA = "a".repeat(64);
const SHA1 = "b".repeat(40);

function minimal(extra: Partial<BomInputs> = {}): BomInputs {
  return {
    tool: { name: "slipway", version: "0.1.0" },
    image: { name: "app", platform: "linux/amd64" },
    declaration: { file: "slipway.hcl", sha256: SHA },
    base: { kind: "scratch" },
    ...extra,
  };
}

function problemsOf(inputs: unknown): string[] {
  try {
    buildBom(inputs as BomInputs);
  } catch (e) {
    if (isBomInputError(e)) return [...e.problems];
    throw e;
  }
  return [];
}

describe("buildBom", () => {
  test("a scratch image needs no os, packages or files", () => {
    expect(buildBom(minimal())).toEqual({
      schema: "slipway.dev/bom/v1",
      tool: { name: "slipway", version: "0.1.0" },
      image: { name: "app", platform: "linux/amd64" },
      declaration: { file: "slipway.hcl", sha256: SHA, variables: [] },
      base: { kind: "scratch" },
      packages: [],
      repositories: [],
      keys: [],
      files: [],
    });
  });

  test("normalises digests, fingerprints and references", () => {
    const bom = buildBom(
      minimal({
        declaration: { file: "slipway.hcl", sha256: `sha256:${"A".repeat(64)}` },
        base: { kind: "image", canonicalName: `debian:bookworm@sha256:${SHA}` },
        keys: [{ fingerprint: "b8b8 0b5b 623e ab6a d877  5c45 b7c5 d7d6 3509 47f8", origin: "base-image", location: "/etc/apt/trusted.gpg.d/debian.gpg" }],
      }),
    );
    expect(bom.declaration.sha256).toBe(SHA);
    expect(bom.base).toEqual({ kind: "image", canonicalName: `docker.io/library/debian:bookworm@sha256:${SHA}`, packages: [] });
    expect(bom.keys[0]!.fingerprint).toBe("B8B80B5B623EAB6AD8775C45B7C5D7D6350947F8");
  });

  test("keeps only installed dpkg entries and reads dpkg's Source field", () => {
    const bom = buildBom(
      minimal({
        base: {
          kind: "image",
          canonicalName: `debian@sha256:${SHA}`,
          packages: [
            { name: "zlib1g", version: "1:1.2.13.dfsg-1", architecture: "amd64", source: "zlib", status: "install ok installed" },
            { name: "gone", version: "1", architecture: "amd64", status: "deinstall ok config-files" },
            { name: "half", version: "1", architecture: "amd64", status: "install reinstreq half-installed" },
            { name: "bsdutils", version: "1:2.38.1-5+b1", architecture: "amd64", source: "util-linux (2.38.1-5)", status: "hold ok installed" },
            { name: "bash", version: "5.2.15-2+b7", architecture: "amd64" },
          ],
        },
      }),
    );
    expect(bom.base.kind === "image" && bom.base.packages).toEqual([
      { name: "bash", version: "5.2.15-2+b7", architecture: "amd64", source: { name: "bash", version: "5.2.15-2+b7" } },
      { name: "bsdutils", version: "1:2.38.1-5+b1", architecture: "amd64", source: { name: "util-linux", version: "2.38.1-5" } },
      { name: "zlib1g", version: "1:1.2.13.dfsg-1", architecture: "amd64", source: { name: "zlib", version: "1:1.2.13.dfsg-1" } },
    ]);
  });

  test("sorts packages by name, architecture, version and files by path", () => {
    const loc = { uri: "http://mirror.test/pool/x.deb", sha256: SHA, size: 1 };
    const bom = buildBom(
      minimal({
        packages: [
          { name: "libc6", version: "2", architecture: "i386", location: loc },
          { name: "curl", version: "1", architecture: "amd64", location: loc },
          { name: "libc6", version: "2", architecture: "amd64", location: loc },
        ],
        files: ["/b", "/a/z", "/a"].map((path) => ({ path, sha256: SHA, sha1: SHA1, size: 1, mode: 0o644, origin: { kind: "context" as const, path: "x" } })),
      }),
    );
    expect(bom.packages.map((p) => `${p.name}:${p.architecture}`)).toEqual(["curl:amd64", "libc6:amd64", "libc6:i386"]);
    expect(bom.packages[0]!.location.filename).toBe("x.deb");
    expect(bom.files.map((f) => f.path)).toEqual(["/a", "/a/z", "/b"]);
  });

  test("reports every problem at once, each naming the field", () => {
    expect(
      problemsOf({
        ...minimal(),
        image: { name: "app", platform: "amd64" },
        base: { kind: "image", canonicalName: "debian:bookworm" },
        files: [
          { path: "relative/x", sha256: "abc", sha1: SHA1, size: -1, mode: 0o644, origin: { kind: "context", path: "x" } },
          { path: "/y", sha256: SHA, sha1: SHA1, size: 1, mode: 0o644, origin: { kind: "ftp" } },
        ],
      }),
    ).toEqual([
      'image.platform: must be os/arch[/variant], e.g. linux/amd64, got "amd64"',
      'base.canonicalName: must be a reference pinned by digest (name[:tag]@sha256:…), got "debian:bookworm"',
      'files[0].path: must be a clean absolute path, got "relative/x"',
      'files[0].sha256: must be a sha256 (64 hex digits), got "abc"',
      "files[0].size: must be an integer from 0 to 9007199254740991, got -1",
      'files[1].origin.kind: must be one of context, tarball, http, git, image, step; got "ftp"',
    ]);
  });

  test("two different facts for one file or package are an error; exact repeats are not", () => {
    const f = { path: "/x", sha256: SHA, sha1: SHA1, size: 1, mode: 0o644, origin: { kind: "context" as const, path: "x" } };
    expect(problemsOf(minimal({ files: [f, f] }))).toEqual([]);
    expect(problemsOf(minimal({ files: [f, { ...f, mode: 0o755 }] }))).toEqual(['files: two different entries for "/x"']);
  });

  test("is idempotent: a Bom is valid input and builds to itself", () => {
    const bom = buildBom(minimal({ sourceDateEpoch: 1 }));
    expect(buildBom(bom)).toEqual(bom);
  });
});

describe("parseDpkgSource", () => {
  test.each([
    ["glibc", { name: "glibc", version: "2.36-9" }],
    ["util-linux (2.38.1-5)", { name: "util-linux", version: "2.38.1-5" }],
    ["  gcc-12 ( 12.2.0-14 ) ", { name: "gcc-12", version: "12.2.0-14" }],
    ["Not A Name", undefined],
  ])("%j", (field, expected) => {
    expect(parseDpkgSource(field, { name: "x", version: "2.36-9" })).toEqual(expected);
  });
});
