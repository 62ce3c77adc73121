import { describe, expect, it } from "vitest";
import { parseDeb822Sources, parseOneLineSources } from "./sources-list.js";

describe("parseOneLineSources", () => {
  it("reads types, options, suites and components, skipping comments", () => {
    const text = `# comment
deb http://mirror.example/debian bookworm main contrib
deb-src [arch=amd64,arm64 signed-by=/usr/share/keyrings/x.gpg] http://mirror.example/debian bookworm main # trailing
deb [trusted=yes] file:/srv/repo ./
`;
    const { entries, problems } = parseOneLineSources(text, "/etc/apt/sources.list");
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      { types: ["deb"], uri: "http://mirror.example/debian", suite: "bookworm", components: ["main", "contrib"], architectures: [], file: "/etc/apt/sources.list", line: 2 },
      {
        types: ["deb-src"],
        uri: "http://mirror.example/debian",
        suite: "bookworm",
        components: ["main"],
        architectures: ["amd64", "arm64"],
        signedBy: { kind: "paths", paths: ["/usr/share/keyrings/x.gpg"] },
        file: "/etc/apt/sources.list",
        line: 3,
      },
      { types: ["deb"], uri: "file:/srv/repo", suite: "./", components: [], architectures: [], trusted: true, file: "/etc/apt/sources.list", line: 4 },
    ]);
  });

  it("reports unreadable lines with file and line", () => {
    const { entries, problems } = parseOneLineSources("deb\ndeb http://x bookworm\n", "a.list");
    expect(entries).toEqual([]);
    expect(problems.map((p) => `${p.file}:${p.line}`)).toEqual(["a.list:1", "a.list:2"]);
  });
});

describe("parseDeb822Sources", () => {
  it("expands URIs × Suites and reads Signed-By paths", () => {
    const text = `Types: deb deb-src
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
Enabled: no
`;
    const { entries, problems } = parseDeb822Sources(text, "debian.sources");
    expect(problems).toEqual([]);
    expect(entries.map((e) => `${e.types.join("+")} ${e.suite} ${e.line}`)).toEqual(["deb+deb-src bookworm 1", "deb+deb-src bookworm-updates 1"]);
    expect(entries[0]!.signedBy).toEqual({ kind: "paths", paths: ["/usr/share/keyrings/debian-archive-keyring.gpg"] });
  });

  it("reads an inline key, restoring the armour's blank line", () => {
    const text = `Types: deb
URIs: http://repo.example
Suites: stable
Components: main
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 mDMEZ
 -----END PGP PUBLIC KEY BLOCK-----
`;
    const [entry] = parseDeb822Sources(text, "x.sources").entries;
    expect(entry!.signedBy).toEqual({
      kind: "inline",
      armored: "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ\n-----END PGP PUBLIC KEY BLOCK-----",
    });
  });

  it("reports a stanza without URIs at its line", () => {
    const { problems } = parseDeb822Sources("\n\nTypes: deb\nSuites: x\n", "y.sources");
    expect(problems).toEqual([{ file: "y.sources", line: 3, message: "a source stanza needs Types (deb, deb-src), URIs and Suites" }]);
  });
});
