import { createHash } from "node:crypto";
import type { BomInputs } from "../../frontend/bom/index.js";

/** Real digests of small, named contents, so fixtures look like (and are) facts about bytes. */
export function sha256Of(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}
export function sha1Of(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

const TOOL = { name: "slipway", version: "0.1.0" };
const DEBIAN_DIGEST = `sha256:${sha256Of("debian:bookworm manifest")}`;
const MIRROR = "http://deb.example.test/debian";

/** estaleiro's `samples/scratch.hcl` grown up: a scratch image with two files from one tarball. */
export function scratchInputs(): BomInputs {
  const tarballSha256 = sha256Of("assets.tgz");
  return {
    tool: TOOL,
    image: { name: "from-scratch", platform: "linux/amd64" },
    declaration: { file: "slipway.hcl", sha256: sha256Of("image \"from-scratch\" {}") },
    base: { kind: "scratch" },
    files: [
      {
        path: "/opt/resource/in",
        sha256: sha256Of("in"),
        sha1: sha1Of("in"),
        size: 2,
        mode: 0o755,
        origin: { kind: "tarball", tarball: "assets.tgz", tarballSha256, member: "in" },
      },
      {
        path: "/opt/resource/check",
        sha256: sha256Of("check"),
        sha1: sha1Of("check"),
        size: 5,
        mode: 0o755,
        origin: {
          kind: "tarball",
          tarball: "assets.tgz",
          tarballSha256,
          member: "check",
          vcs: { type: "git", repository: "https://github.com/concourse/git-resource", ref: "v1.2.3", commit: "49b6936e0c8a2d5c3a2e3d1f0b0d2c3e4f5a6b7c" },
        },
      },
    ],
  };
}

/**
 * A Debian image with packages (one upgraded over the base's version, one with a declared vcs and no
 * deb-src), repositories, keys, variables, and one file of every origin kind.
 */
export function debianInputs(): BomInputs {
  const deb = (name: string, version: string, arch: string, file: string) => ({
    uri: `${MIRROR}/pool/main/${name[0]}/${name}/${file}`,
    sha256: sha256Of(`${name} ${version} ${arch}`),
    size: 1000 + name.length,
  });
  const src = (name: string, file: string) => ({ uri: `${MIRROR}/pool/main/${name[0]}/${name}/${file}`, sha256: sha256Of(file), size: 400 + file.length });
  return {
    tool: TOOL,
    image: { name: "example/app", target: "app", platform: "linux/amd64" },
    declaration: {
      file: "slipway.hcl",
      sha256: `sha256:${sha256Of("the declaration")}`,
      variables: [
        { name: "ref", value: "v2.0.0", origin: "build-arg" },
        { name: "channel", value: "stable", origin: "default" },
      ],
    },
    base: {
      kind: "image",
      canonicalName: `debian:bookworm@${DEBIAN_DIGEST}`,
      os: { id: "debian", versionId: "12", versionCodename: "bookworm" },
      packages: [
        { name: "libc6", version: "2.36-9+deb12u3", architecture: "amd64", source: "glibc", status: "install ok installed" },
        { name: "bsdutils", version: "1:2.38.1-5+b1", architecture: "amd64", source: "util-linux (2.38.1-5)", status: "install ok installed" },
        { name: "base-files", version: "12.4+deb12u5", architecture: "amd64", status: "install ok installed" },
        { name: "removed-thing", version: "1.0-1", architecture: "amd64", status: "deinstall ok config-files" },
        { name: "tzdata", version: "2024a-0+deb12u1", architecture: "all", status: "install ok installed" },
      ],
    },
    packages: [
      {
        name: "libc6",
        version: "2.36-9+deb12u7",
        architecture: "amd64",
        source: "glibc",
        location: deb("libc6", "2.36-9+deb12u7", "amd64", "libc6_2.36-9+deb12u7_amd64.deb"),
        sourceFiles: [src("glibc", "glibc_2.36-9+deb12u7.dsc"), src("glibc", "glibc_2.36.orig.tar.xz"), src("glibc", "glibc_2.36-9+deb12u7.debian.tar.xz")],
      },
      {
        name: "curl",
        version: "7.88.1-10+deb12u5",
        architecture: "amd64",
        location: deb("curl", "7.88.1-10+deb12u5", "amd64", "curl_7.88.1-10+deb12u5_amd64.deb"),
        sourceFiles: [src("curl", "curl_7.88.1-10+deb12u5.dsc"), src("curl", "curl_7.88.1.orig.tar.gz"), src("curl", "curl_7.88.1-10+deb12u5.debian.tar.xz")],
      },
      {
        name: "libcurl4",
        version: "7.88.1-10+deb12u5",
        architecture: "amd64",
        source: "curl",
        location: deb("libcurl4", "7.88.1-10+deb12u5", "amd64", "libcurl4_7.88.1-10+deb12u5_amd64.deb"),
        sourceFiles: [src("curl", "curl_7.88.1-10+deb12u5.dsc"), src("curl", "curl_7.88.1.orig.tar.gz"), src("curl", "curl_7.88.1-10+deb12u5.debian.tar.xz")],
      },
      {
        name: "docker-ce-cli",
        version: "5:27.3.1-1~debian.12~bookworm",
        architecture: "amd64",
        location: { uri: "https://download.example.test/linux/debian/dists/bookworm/pool/stable/amd64/docker-ce-cli_27.3.1-1~debian.12~bookworm_amd64.deb", sha256: sha256Of("docker-ce-cli"), size: 14_000_000 },
        vcs: { type: "git", repository: "https://github.com/docker/cli", ref: "v27.3.1", commit: "ce1223035ac3ab8922717092e63a184cf67b493d" },
      },
    ],
    repositories: [
      { uri: "https://download.example.test/linux/debian", suite: "bookworm", components: ["stable"], types: ["deb"], signedBy: ["9DC8 5822 9FC7 DD38 854A  E2D8 8D81 803C 0EBF CD88"] },
      { uri: MIRROR, suite: "bookworm-updates", components: ["main"], types: ["deb", "deb-src"], signedBy: ["B8B80B5B623EAB6AD8775C45B7C5D7D6350947F8"] },
      {
        uri: MIRROR,
        suite: "bookworm",
        components: ["main", "contrib"],
        types: ["deb-src", "deb"],
        signedBy: ["B8B80B5B623EAB6AD8775C45B7C5D7D6350947F8"],
        inRelease: { uri: `${MIRROR}/dists/bookworm/InRelease`, sha256: sha256Of("InRelease"), size: 151_000 },
      },
    ],
    keys: [
      { fingerprint: "9dc858229fc7dd38854ae2d88d81803c0ebfcd88", userIds: ["Docker Release (CE deb) <docker@docker.com>"], origin: "declaration", location: "https://download.example.test/linux/debian/gpg" },
      { fingerprint: "B8B80B5B623EAB6AD8775C45B7C5D7D6350947F8", userIds: ["Debian Archive Automatic Signing Key (12/bookworm) <ftpmaster@debian.org>"], origin: "base-image", location: "/usr/share/keyrings/debian-archive-keyring.gpg" },
    ],
    files: [
      file("/etc/app/app.conf", "conf v1", 0o644, { kind: "context", path: "conf/app.conf" }),
      file("/usr/local/bin/tool", "tool binary", 0o755, {
        kind: "tarball",
        tarball: "dist/tool.tgz",
        tarballSha256: sha256Of("dist/tool.tgz"),
        member: "bin/tool",
        vcs: { type: "git", repository: "https://github.com/example/tool", ref: "v2.0.0", commit: "0123456789abcdef0123456789abcdef01234567" },
      }),
      file("/usr/local/bin/jq", "jq binary", 0o755, { kind: "http", url: "https://github.com/jqlang/jq/releases/download/jq-1.7.1/jq-linux-amd64", sha256: sha256Of("jq binary") }),
      file("/usr/share/doc/app/README.md", "readme", 0o644, {
        kind: "git",
        repository: "https://github.com/example/app",
        ref: "main",
        commit: "89abcdef0123456789abcdef0123456789abcdef",
        path: "README.md",
      }),
      file("/usr/bin/tini", "tini", 0o755, { kind: "image", image: `docker.io/library/tini:latest@sha256:${sha256Of("tini manifest")}`, path: "/usr/bin/tini" }),
      file("/usr/local/bin/app", "app binary", 0o4755, {
        kind: "step",
        step: "build",
        path: "/out/app",
        vcs: { type: "git", repository: "https://github.com/example/app", ref: "v2.0.0", commit: "89abcdef0123456789abcdef0123456789abcdef" },
      }),
    ],
    sourceDateEpoch: 1_700_000_000,
    sourceDateEpochOrigin: "build-argument",
  };
}

function file(path: string, content: string, mode: number, origin: NonNullable<BomInputs["files"]>[number]["origin"]) {
  return { path, sha256: sha256Of(content), sha1: sha1Of(content), size: content.length, mode, origin };
}

/** A copy of `inputs` with every list shuffled by `random` (a seeded generator). */
export function shuffled(inputs: BomInputs, random: () => number): BomInputs {
  const mix = <T>(xs: readonly T[] | undefined): T[] | undefined => {
    if (xs === undefined) return undefined;
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  const base = inputs.base.kind === "image" ? { ...inputs.base, packages: mix(inputs.base.packages) } : inputs.base;
  return JSON.parse(
    JSON.stringify({
      ...inputs,
      declaration: { ...inputs.declaration, variables: mix(inputs.declaration.variables) },
      base,
      packages: mix(inputs.packages)?.map((p) => ({ ...p, sourceFiles: mix(p.sourceFiles) })),
      repositories: mix(inputs.repositories)?.map((r) => ({ ...r, components: mix(r.components), types: mix(r.types), signedBy: mix(r.signedBy) })),
      keys: mix(inputs.keys)?.map((k) => ({ ...k, userIds: mix(k.userIds) })),
      files: mix(inputs.files),
    }),
  ) as BomInputs;
}
