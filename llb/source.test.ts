import { describe, expect, it } from "vitest";
import { capsOfMetadata, decode } from "../test/llb/decode.js";
import { git, http, image, local, marshal, normalizeImageRef, parsePlatform, type State } from "./index.js";

const platform = parsePlatform("linux/amd64");

function headSource(state: State) {
  const { head } = decode(marshal(state, { platform }));
  expect(head.op.op).toBe("source");
  return { head, source: head.op.source, attrs: Object.fromEntries(head.op.source.attrs) };
}

describe("image", () => {
  it.each([
    ["alpine", "docker.io/library/alpine:latest"],
    ["library/alpine:3.20", "docker.io/library/alpine:3.20"],
    ["docker.io/alpine", "docker.io/library/alpine:latest"],
    ["index.docker.io/user/repo", "docker.io/user/repo:latest"],
    ["user/repo:tag", "docker.io/user/repo:tag"],
    ["localhost/x", "localhost/x:latest"],
    ["127.0.0.1:5000/probe/fe:1", "127.0.0.1:5000/probe/fe:1"],
    ["ghcr.io/a/b@sha256:" + "a".repeat(64), "ghcr.io/a/b@sha256:" + "a".repeat(64)],
    ["debian:bookworm@sha256:" + "b".repeat(64), "docker.io/library/debian:bookworm@sha256:" + "b".repeat(64)],
    ["Example.com/a/b", "Example.com/a/b:latest"],
  ])("normalizes %s", (ref, expected) => {
    expect(normalizeImageRef(ref)).toBe(expected);
  });

  it.each(["Alpine", "", "a b", "a:", "a@sha256:xyz", "a".repeat(64), "docker.io/UPPER/x"])("rejects %j", (ref) => {
    expect(() => normalizeImageRef(ref)).toThrow(/invalid image reference/);
  });

  it("sets attrs only when they differ from BuildKit's defaults", () => {
    expect(headSource(image("alpine", { resolveMode: "default" })).attrs).toEqual({});
    const pinned = headSource(
      image("alpine", { resolveMode: "pull", recordType: "internal", layerLimit: 2, checksum: "sha256:" + "c".repeat(64) }),
    );
    expect(pinned.attrs).toEqual({
      "image.resolvemode": "pull",
      "image.recordtype": "internal",
      "image.layerlimit": "2",
      "image.checksum": "sha256:" + "c".repeat(64),
    });
    expect([...pinned.source.attrs.keys()]).toEqual(["image.checksum", "image.layerlimit", "image.recordtype", "image.resolvemode"]);
    expect(capsOfMetadata(pinned.head)).toEqual(["source.image", "source.image.checksum", "source.image.layerlimit", "source.image.resolvemode"]);
    expect(capsOfMetadata(headSource(image("alpine", { resolveMode: "local" })).head)).toEqual(["source.image"]);
  });

  it("carries its platform on the op; the image's platform beats marshal's", () => {
    const { head } = headSource(image("alpine", { platform: parsePlatform("linux/arm/7") }));
    expect(head.op.platform.toObject()).toMatchObject({ OS: "linux", Architecture: "arm", Variant: "v7" });
  });
});

describe("local", () => {
  it("writes BuildKit's attr keys (singular includepattern) with JSON array values", () => {
    const { head, attrs } = headSource(
      local("context", {
        sessionId: "sess",
        includePatterns: ["src/**", "a<b>&c"],
        excludePatterns: ["node_modules"],
        followPaths: ["slipway.hcl"],
        sharedKeyHint: "context",
        differ: "none",
      }),
    );
    expect(head.op.source.identifier).toBe("local://context");
    expect(head.op.has_platform).toBe(false);
    expect(attrs).toEqual({
      "local.session": "sess",
      "local.includepattern": '["src/**","a\\u003cb\\u003e\\u0026c"]',
      "local.excludepatterns": '["node_modules"]',
      "local.followpaths": '["slipway.hcl"]',
      "local.sharedkeyhint": "context",
      "local.differ": "none",
    });
    expect(capsOfMetadata(head)).toEqual([
      "source.local",
      "source.local.excludepatterns",
      "source.local.followpaths",
      "source.local.includepatterns",
      "source.local.sessionid",
      "source.local.sharedkeyhint",
    ]);
  });

  it("uses local.unique only without a session, and never invents one", () => {
    expect(headSource(local("x", { uniqueId: "u" })).attrs).toEqual({ "local.unique": "u" });
    expect(headSource(local("x", { uniqueId: "u", sessionId: "s" })).attrs).toEqual({ "local.session": "s" });
    expect(headSource(local("x", { includePatterns: [] })).attrs).toEqual({});
  });
});

describe("git", () => {
  it("gives https and ssh URLs of one repository the same identifier", () => {
    const https = headSource(git("https://github.com/moby/buildkit.git", "v0.25.0"));
    const ssh = headSource(git("git@github.com:moby/buildkit.git", "v0.25.0"));
    expect(https.source.identifier).toBe("git://github.com/moby/buildkit.git#v0.25.0");
    expect(ssh.source.identifier).toBe(https.source.identifier);
    expect(https.attrs).toEqual({
      "git.fullurl": "https://github.com/moby/buildkit.git",
      "git.authtokensecret": "GIT_AUTH_TOKEN",
      "git.authheadersecret": "GIT_AUTH_HEADER",
    });
    expect(ssh.attrs).toEqual({
      "git.fullurl": "git@github.com:moby/buildkit.git",
      "git.authtokensecret": "GIT_AUTH_TOKEN",
      "git.authheadersecret": "GIT_AUTH_HEADER",
      "git.mountsshsock": "default",
    });
    expect(capsOfMetadata(ssh.head)).toEqual(["source.git", "source.git.fullurl", "source.git.mountsshsock"]);
  });

  it("puts ref and cleaned subdir in the fragment; keepGitDir and checksum become attrs", () => {
    const { source, attrs, head } = headSource(
      git("github.com/a/b", "main", { subdir: "/docs/../site/", keepGitDir: true, checksum: "0123456789abcdef0123456789abcdef01234567" }),
    );
    expect(source.identifier).toBe("git://github.com/a/b#main:site");
    expect(attrs["git.fullurl"]).toBe("https://github.com/a/b");
    expect(attrs["git.keepgitdir"]).toBe("true");
    expect(attrs["git.checksum"]).toBe("0123456789abcdef0123456789abcdef01234567");
    expect(capsOfMetadata(head)).toEqual(["source.git", "source.git.checksum", "source.git.fullurl", "source.git.keepgitdir", "source.git.subdir"]);
    expect(headSource(git("https://h/r.git", "", { subdir: "x" })).source.identifier).toBe("git://h/r.git#:x");
    expect(headSource(git("https://h/r.git")).source.identifier).toBe("git://h/r.git");
  });

  it("rejects unsupported protocols", () => {
    expect(() => git("ftp://h/r.git")).toThrow(/unsupported git protocol "ftp"/);
  });
});

describe("http", () => {
  it("writes checksum, filename, octal perm, uid and gid", () => {
    const checksum = "sha256:" + "d".repeat(64);
    const { source, attrs, head } = headSource(
      http("https://example.org/t.tgz", { checksum, filename: "t.tgz", perm: 0o644, uid: 1000, gid: 1001 }),
    );
    expect(source.identifier).toBe("https://example.org/t.tgz");
    expect(head.op.has_platform).toBe(false);
    expect(attrs).toEqual({ "http.checksum": checksum, "http.filename": "t.tgz", "http.perm": "0644", "http.uid": "1000", "http.gid": "1001" });
    expect(capsOfMetadata(head)).toEqual(["soruce.http.uidgid", "source.http", "source.http.checksum", "source.http.perm"]);
  });

  it("rejects what BuildKit would reject later", () => {
    expect(() => http("file:///etc/passwd")).toThrow(/http\(s\) URL/);
    expect(() => http("https://x/y", { checksum: "md5:abc" })).toThrow(/invalid checksum/);
    expect(() => http("https://x/y", { filename: "a/b" })).toThrow(/must not contain/);
  });
});
