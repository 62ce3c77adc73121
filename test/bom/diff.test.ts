import { describe, expect, test } from "vitest";
import { buildBom, diffBoms, isEmptyDiff, renderBomDiff, type BomInputs } from "../../frontend/bom/index.js";
import { debianInputs, sha1Of, sha256Of } from "./fixtures.js";

type Edit = (inputs: BomInputs) => BomInputs;

function diffText(edit: Edit): string {
  return renderBomDiff(diffBoms(buildBom(debianInputs()), buildBom(edit(debianInputs()))));
}

const bumpCurl: Edit = (i) => ({
  ...i,
  packages: i.packages!.map((p) =>
    p.name === "curl"
      ? {
          ...p,
          version: "7.88.1-10+deb12u6",
          location: { ...p.location, uri: p.location.uri.replace("u5", "u6"), sha256: sha256Of("curl u6") },
          sourceFiles: p.sourceFiles!.map((f) => ({ ...f, uri: f.uri.replace("u5", "u6"), sha256: sha256Of(`${f.uri} u6`) })),
        }
      : p,
  ),
});

const editConf: Edit = (i) => ({
  ...i,
  files: i.files!.map((f) => (f.path === "/etc/app/app.conf" ? { ...f, sha256: sha256Of("conf v2"), sha1: sha1Of("conf v2"), size: 7 } : f)),
});

describe("slipway bom diff", () => {
  test("the same BOM: no changes, no output", () => {
    const diff = diffBoms(buildBom(debianInputs()), buildBom(debianInputs()));
    expect(isEmptyDiff(diff)).toBe(true);
    expect(renderBomDiff(diff)).toBe("");
  });

  test("one package version and one file changed: exactly those two lines", () => {
    expect(diffText((i) => editConf(bumpCurl(i)))).toBe(
      [
        "~ package curl:amd64 7.88.1-10+deb12u5 → 7.88.1-10+deb12u6",
        `~ file /etc/app/app.conf sha256:${sha256Of("conf v1").slice(0, 12)} → sha256:${sha256Of("conf v2").slice(0, 12)} (7 → 7 bytes)`,
        "",
      ].join("\n"),
    );
  });

  test("the JSON form has the full facts of the same two changes", () => {
    const diff = diffBoms(buildBom(debianInputs()), buildBom(editConf(bumpCurl(debianInputs()))));
    expect(diff.packages.changed).toEqual([
      expect.objectContaining({ name: "curl", architecture: "amd64", fields: ["version", "source"] }),
    ]);
    expect(diff.sources.changed).toEqual([
      expect.objectContaining({ name: "curl", fields: ["versions"], after: expect.objectContaining({ versions: ["7.88.1-10+deb12u5", "7.88.1-10+deb12u6"] }) }),
    ]);
    expect(diff.files).toEqual({
      added: [],
      removed: [],
      changed: [expect.objectContaining({ path: "/etc/app/app.conf", fields: ["content"], after: expect.objectContaining({ sha256: sha256Of("conf v2") }) })],
    });
  });

  test("a package and its new source added, another removed, listed once each", () => {
    const text = diffText((i) => ({
      ...i,
      packages: [
        ...i.packages!.filter((p) => p.name !== "docker-ce-cli"),
        {
          name: "jq",
          version: "1.6-2.1",
          architecture: "amd64",
          location: { uri: "http://deb.example.test/debian/pool/main/j/jq/jq_1.6-2.1_amd64.deb", sha256: sha256Of("jq deb"), size: 64 },
        },
      ],
    }));
    expect(text).toBe(["- package docker-ce-cli:amd64 5:27.3.1-1~debian.12~bookworm", "+ package jq:amd64 1.6-2.1", ""].join("\n"));
  });

  test("same source version with different source file bytes gets its own source line", () => {
    const text = diffText((i) => ({
      ...i,
      packages: i.packages!.map((p) =>
        p.source === "curl" || p.name === "curl"
          ? { ...p, sourceFiles: p.sourceFiles!.map((f) => (f.uri.endsWith(".orig.tar.gz") ? { ...f, sha256: sha256Of("tampered") } : f)) }
          : p,
      ),
    }));
    expect(text).toBe(
      `~ source curl 7.88.1-10+deb12u5; source files curl_7.88.1.orig.tar.gz sha256:${sha256Of("curl_7.88.1.orig.tar.gz").slice(0, 12)} → curl_7.88.1.orig.tar.gz sha256:${sha256Of("tampered").slice(0, 12)}\n`,
    );
  });

  test("a base image bump shows the base and the base packages that moved", () => {
    const text = diffText((i) => {
      if (i.base.kind !== "image") throw new Error("fixture");
      return {
        ...i,
        base: {
          ...i.base,
          canonicalName: `debian:bookworm@sha256:${sha256Of("next manifest")}`,
          packages: i.base.packages!.map((p) => (p.name === "tzdata" ? { ...p, version: "2024b-0+deb12u1" } : p)),
        },
      };
    });
    expect(text).toBe(
      [
        `~ base image docker.io/library/debian:bookworm@sha256:${sha256Of("debian:bookworm manifest")} → docker.io/library/debian:bookworm@sha256:${sha256Of("next manifest")}`,
        "~ package tzdata:all 2024a-0+deb12u1 → 2024b-0+deb12u1",
        "",
      ].join("\n"),
    );
  });

  test("file mode and origin changes, additions and removals", () => {
    const text = diffText((i) => ({
      ...i,
      files: [
        ...i.files!
          .filter((f) => f.path !== "/usr/bin/tini")
          .map((f) => (f.path === "/usr/local/bin/jq" ? { ...f, mode: 0o700, origin: { kind: "context" as const, path: "bin/jq" } } : f)),
        { path: "/etc/motd", sha256: sha256Of("hi"), sha1: sha1Of("hi"), size: 2, mode: 0o644, origin: { kind: "context" as const, path: "motd" } },
      ],
    }));
    expect(text).toBe(
      [
        `- file /usr/bin/tini sha256:${sha256Of("tini").slice(0, 12)} 0755 4 bytes from image docker.io/library/tini:latest@sha256:${sha256Of("tini manifest")} path /usr/bin/tini`,
        `+ file /etc/motd sha256:${sha256Of("hi").slice(0, 12)} 0644 2 bytes from build context motd`,
        `~ file /usr/local/bin/jq mode 0755 → 0700; from http https://github.com/jqlang/jq/releases/download/jq-1.7.1/jq-linux-amd64 (sha256:${sha256Of("jq binary")}) → build context bin/jq`,
        "",
      ].join("\n"),
    );
  });

  test("the declaration's digest and variables alone are not changes", () => {
    const diff = diffBoms(
      buildBom(debianInputs()),
      buildBom({ ...debianInputs(), declaration: { file: "other.hcl", sha256: sha256Of("edited"), variables: [] } }),
    );
    expect(isEmptyDiff(diff)).toBe(true);
  });
});
