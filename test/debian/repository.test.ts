import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  findLockEntry,
  formatLock,
  isFetchError,
  lockFromResolution,
  lockRequests,
  mergeLock,
  nodeFetcher,
  parseLock,
  resolveApt,
  resolveAptFromLock,
  installPackages,
  type AptResolution,
} from "../../frontend/debian/index.js";
import { image, marshal, parsePlatform } from "../../llb/index.js";
import type { Diagnostic } from "../../grammar/source/diagnostic.js";
import { startDebianRepo, type DebianRepo } from "../support/debian-repo.js";
import { baseImage } from "./base-image.js";
import { aptBlock, lineRange, type PackageSpec } from "./model.js";

const fetcher = nodeFetcher();
const errors = (d: readonly Diagnostic[]) => d.filter((x) => x.severity === "error");

describe("a signed repository served over http, read with the Node fetcher", () => {
  let repo: DebianRepo;
  beforeAll(async () => {
    repo = await startDebianRepo();
  });
  afterAll(() => repo.close());

  const declared = (packages: (PackageSpec | string)[], key = repo.armoredPublicKey) =>
    aptBlock(packages, [{ name: "test", uri: repo.url, suite: repo.suite, components: ["main"], key }]);

  async function resolve(packages: (PackageSpec | string)[]) {
    return resolveApt({ apt: [declared(packages)], architecture: "amd64", baseImage: { ref: "debian:bookworm" } }, { fetcher, base: baseImage() });
  }

  it("resolves, verifies and orders the installation", async () => {
    const { value: resolution, diagnostics } = await resolve(["hello-slipway"]);
    expect(errors(diagnostics)).toEqual([]);
    const r = resolution!;
    expect(r.packages.map((p) => `${p.name}=${p.version}`).sort()).toEqual([
      "cheerful-greeter=0.5-1",
      "hello-slipway=1.0-1",
      "libslipway1=1.1-1",
      "slipway-base-tools=2.0-1",
    ]);
    const stageOf = (n: string) => r.stages.findIndex((s) => s.includes(n));
    expect(stageOf("libslipway1")).toBeGreaterThan(stageOf("slipway-base-tools"));
    expect(stageOf("hello-slipway")).toBeGreaterThanOrEqual(stageOf("libslipway1"));
    expect(r.packages.map((p) => p.name)).toEqual(r.stages.flat());
    expect(r.repositories).toHaveLength(1);
    expect(r.repositories[0]!.signedBy).toEqual({ fingerprint: repo.fingerprint, userIds: ["slipway test repository <repo@slipway.invalid>"] });
    expect(r.basePackages.map((p) => p.name)).toEqual(["base-files", "dpkg"]);
    expect(r.indexFiles.map((f) => f.url.slice(repo.url.length))).toEqual([
      "/dists/stable/InRelease",
      expect.stringMatching(/^\/dists\/stable\/main\/binary-amd64\/by-hash\/SHA256\/[0-9a-f]{64}$/),
      expect.stringMatching(/^\/dists\/stable\/main\/binary-all\/by-hash\/SHA256\/[0-9a-f]{64}$/),
      expect.stringMatching(/^\/dists\/stable\/main\/source\/by-hash\/SHA256\/[0-9a-f]{64}$/),
    ]);
    const lib = r.packages.find((p) => p.name === "libslipway1")!;
    expect(lib.source).toMatchObject({ kind: "archive", name: "slipway-lib", version: "1.1-1" });
    expect(lib.source.kind === "archive" && lib.source.files.map((f) => f.name)).toEqual([
      "slipway-lib_1.1-1.debian.tar.xz",
      "slipway-lib_1.1-1.dsc",
      "slipway-lib_1.1.orig.tar.gz",
    ]);
    // Every .deb and source file downloads and matches the SHA256 the verified indexes gave.
    for (const p of r.packages) {
      expect(p.sha256).toBe(repo.debs.find((d) => d.name === p.name && d.version === p.version)!.sha256);
      await fetcher.fetch(p.uri, { sha256: p.sha256, size: p.size });
      if (p.source.kind === "archive") for (const f of p.source.files) await fetcher.fetch(f.uri, { sha256: f.sha256, size: f.size });
    }
  });

  it("installs an exact version when one is declared", async () => {
    const { value: resolution } = await resolve(["hello-slipway", { name: "libslipway1", version: "1.0-1" }]);
    expect(resolution!.packages.find((p) => p.name === "libslipway1")!.version).toBe("1.0-1");
  });

  it("locates an unknown package at its declaration, with a suggestion", async () => {
    const { value: resolution, diagnostics } = await resolve(["hello-slipway", "cheerfull-greeter"]);
    expect(resolution).toBeUndefined();
    expect(errors(diagnostics)).toMatchObject([{ summary: 'Unknown package "cheerfull-greeter"', hint: 'Did you mean "cheerful-greeter"?', subject: { file: "slipway.hcl", start: { line: 103 } } }]);
  });

  it("explains an unsatisfiable dependency with its chain, and a missing version with the offered ones", async () => {
    const broken = await resolve(["broken-thing"]);
    expect(errors(broken.diagnostics)).toHaveLength(1);
    expect(broken.diagnostics[0]!.detail).toContain("broken-thing (1.0-1) → libslipway1 (>= 9.0)");
    expect(broken.diagnostics[0]!.detail).toContain("only versions 1.1-1, 1.0-1 are available");
    const version = await resolve([{ name: "libslipway1", version: "3.0-1" }]);
    expect(errors(version.diagnostics)).toMatchObject([{ summary: 'Version 3.0-1 of "libslipway1" is not available', subject: { start: { line: 101 } } }]);
  });

  it("reports Conflicts between requested packages", async () => {
    const { diagnostics } = await resolve(["cheerful-greeter", "conflicted"]);
    expect(errors(diagnostics)[0]!.detail).toBe("conflicted (1.0-1) declares cheerful-greeter, which cheerful-greeter (0.5-1) matches.");
  });

  it("refuses a repository signed by another key than the declared one", async () => {
    const { generateKey } = await import("openpgp");
    const { publicKey } = await generateKey({ userIDs: [{ name: "not the repo" }], format: "armored" });
    const { value: resolution, diagnostics } = await resolveApt({ apt: [declared(["hello-slipway"], publicKey)], architecture: "amd64" }, { fetcher, base: baseImage() });
    expect(resolution).toBeUndefined();
    expect(errors(diagnostics)).toMatchObject([{ summary: "Repository cannot be used", subject: { start: { line: 2 } } }]);
    expect(diagnostics[0]!.detail).toMatch(/repository "test": the signature of http:\/\/127\.0\.0\.1:\d+\/debian\/dists\/stable\/InRelease does not verify/);
  });

  it("uses the base image's own sources and keyrings when no repository is declared", async () => {
    const sources = `Types: deb deb-src\nURIs: ${repo.url}\nSuites: ${repo.suite}\nComponents: main\nSigned-By: /usr/share/keyrings/slipway-test.asc\n`;
    const withKey = baseImage({ "/etc/apt/sources.list.d/slipway.sources": sources, "/usr/share/keyrings/slipway-test.asc": repo.armoredPublicKey });
    const ok = await resolveApt({ apt: [aptBlock(["hello-slipway"])], architecture: "amd64" }, { fetcher, base: withKey });
    expect(errors(ok.diagnostics)).toEqual([]);
    expect(ok.value!.packages).toHaveLength(4);
    const oneLine = baseImage({ "/etc/apt/sources.list": `deb ${repo.url} ${repo.suite} main\n`, "/etc/apt/trusted.gpg.d/slipway.asc": repo.armoredPublicKey });
    expect(errors((await resolveApt({ apt: [aptBlock(["hello-slipway"])], architecture: "amd64" }, { fetcher, base: oneLine })).diagnostics)).toEqual([]);
    const noKey = baseImage({ "/etc/apt/sources.list": `deb ${repo.url} ${repo.suite} main\n` });
    const refused = await resolveApt({ apt: [aptBlock(["hello-slipway"])], architecture: "amd64", baseImage: { ref: "debian:bookworm" } }, { fetcher, base: noKey });
    expect(errors(refused.diagnostics)[0]!.detail).toMatch(/\/etc\/apt\/sources\.list:1: the signature of .* does not verify: no trusted key is configured/);
    const unverified = baseImage({ "/etc/apt/sources.list": `# local\ndeb [trusted=yes] ${repo.url} ${repo.suite} main\n` });
    const trustedYes = await resolveApt({ apt: [aptBlock(["hello-slipway"])], architecture: "amd64" }, { fetcher, base: unverified });
    expect(errors(trustedYes.diagnostics)).toMatchObject([{ summary: "Unverified repository", detail: expect.stringContaining("/etc/apt/sources.list:2 marks") }]);
  });

  it("reads declared repositories in addition to the base image's own sources, or instead of them with replace_sources", async () => {
    const other = await startDebianRepo({ salt: "base-image-sources" });
    try {
      const base = baseImage({ "/etc/apt/sources.list": `deb ${other.url} ${other.suite} main\n`, "/etc/apt/trusted.gpg.d/other.asc": other.armoredPublicKey });
      const added = await resolveApt({ apt: [declared(["hello-slipway"])], architecture: "amd64" }, { fetcher, base });
      expect(errors(added.diagnostics)).toEqual([]);
      // declared first (as estaleiro prepended its lines), then the base image's
      expect(added.value!.repositories.map((r) => [r.uri, r.signedBy.fingerprint])).toEqual([
        [repo.url, repo.fingerprint],
        [other.url, other.fingerprint],
      ]);
      const replacing = { ...declared(["hello-slipway"]), replaceSources: { value: true, range: lineRange(98) } };
      const replaced = await resolveApt({ apt: [replacing], architecture: "amd64" }, { fetcher, base });
      expect(errors(replaced.diagnostics)).toEqual([]);
      expect(replaced.value!.repositories.map((r) => r.uri)).toEqual([repo.url]);
      expect(other.requests.filter((r) => r.endsWith("InRelease"))).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it("trusts estaleiro-style key blocks, checking the key's sha256 or warning with the one to pin", async () => {
    writeFileSync(join(repo.dir, "debian", "repo-key.asc"), repo.armoredPublicKey);
    const keyUrl = `${repo.url}/repo-key.asc`;
    const keySha = createHash("sha256").update(repo.armoredPublicKey).digest("hex");
    const lineRepo = { name: "repositories[0]", uri: repo.url, suite: repo.suite, components: ["main"], types: ["deb", "deb-src"] as const };
    const run = (key: { name: string; uri: string; sha256?: string }) =>
      resolveApt({ apt: [aptBlock(["hello-slipway"], [lineRepo], false, [key])], architecture: "amd64" }, { fetcher, base: baseImage() });
    const pinned = await run({ name: "repo", uri: keyUrl, sha256: keySha });
    expect(pinned.diagnostics).toEqual([]);
    expect(pinned.value!.repositories[0]!.signedBy.fingerprint).toBe(repo.fingerprint);
    const unpinned = await run({ name: "repo", uri: keyUrl });
    expect(unpinned.value).toBeDefined();
    expect(unpinned.diagnostics).toMatchObject([{ severity: "warning", summary: "Key fetched without a checksum", hint: `Add sha256 = "${keySha}" to pin the key that was fetched.`, subject: { start: { line: 51 } } }]);
    const wrong = await run({ name: "repo", uri: keyUrl, sha256: "0".repeat(64) });
    expect(wrong.value).toBeUndefined();
    expect(errors(wrong.diagnostics)[0]).toMatchObject({ summary: "Cannot use key", subject: { start: { line: 52 } } });
    expect(errors(wrong.diagnostics)[0]!.detail).toContain(`${keyUrl}: sha256 mismatch`);
  });

  describe("lock", () => {
    let resolution: AptResolution;
    beforeAll(async () => {
      resolution = (await resolve(["hello-slipway"])).value!;
    });

    it("round-trips through slipway.lock.json, stably formatted, without fetching any index", async () => {
      const apt = declared(["hello-slipway"]);
      const text = formatLock([lockFromResolution(resolution, "tools", lockRequests([apt]))]);
      expect(formatLock(parseLock(text).value!.images)).toBe(text);
      expect(text.indexOf('"name": "cheerful-greeter"')).toBeLessThan(text.indexOf('"name": "slipway-base-tools"'));
      const before = repo.requests.length;
      const { value: lock } = parseLock(text);
      const fromLock = await resolveAptFromLock({ image: "tools", apt: [apt], architecture: "amd64" }, findLockEntry(lock!, "tools", "amd64"), { base: baseImage() });
      expect(fromLock.diagnostics).toEqual([]);
      expect(fromLock.value!.packages).toEqual(resolution.packages.map((p) => expect.objectContaining({ name: p.name, version: p.version, sha256: p.sha256, uri: p.uri })));
      expect(fromLock.value!.stages).toEqual(resolution.stages);
      expect(fromLock.value!.indexFiles).toEqual([]);
      expect(repo.requests.length).toBe(before);
      // The install step built from the lock is the very same LLB as the one built from the indexes.
      const llb = (r: AptResolution) => marshal(installPackages(image("debian:bookworm"), r), { platform: parsePlatform("linux/amd64") }).ops.map((o) => Buffer.from(o).toString("hex"));
      expect(llb(fromLock.value!)).toEqual(llb(resolution));
    });

    it("records each repository's InRelease Date, and reads a lock without it or refuses one with a malformed date", () => {
      const entry = lockFromResolution(resolution, "tools", [{ name: "hello-slipway" }]);
      expect(entry.repositories.map((r) => r.date)).toEqual(["Sat, 01 Jun 2024 00:00:00 UTC"]);
      const older = JSON.parse(formatLock([entry]));
      delete older.images[0].repositories[0].date;
      expect(parseLock(JSON.stringify(older)).diagnostics).toEqual([]);
      older.images[0].repositories[0].date = "tomorrow\n";
      expect(parseLock(JSON.stringify(older), "slipway.lock.json").diagnostics.map((d) => d.detail)).toEqual([
        'slipway.lock.json: field images[0].repositories[0].date must be an InRelease date such as "Sat, 01 Jun 2024 00:00:00 UTC" ("tomorrow\\n" is not).',
      ]);
    });

    it("replaces only the re-locked image and architecture when merging into an existing lock", () => {
      const tools = lockFromResolution(resolution, "tools", [{ name: "hello-slipway" }]);
      const other = { ...tools, image: "other" };
      const arm = { ...tools, architecture: "arm64" };
      const existing = parseLock(formatLock([other, arm, { ...tools, requests: [] }])).value!;
      const merged = parseLock(mergeLock(existing, [tools])).value!;
      expect(merged.images.map((e) => `${e.image}/${e.architecture}/${e.requests.length}`)).toEqual(["other/amd64/1", "tools/amd64/1", "tools/arm64/1"]);
      expect(parseLock(mergeLock(undefined, [tools])).value!.images).toHaveLength(1);
    });

    it("says how to refresh when the declaration asks for something the lock lacks", async () => {
      const entry = lockFromResolution(resolution, "tools", [{ name: "hello-slipway" }]);
      const apt = declared(["hello-slipway", "conflicted", { name: "cheerful-greeter", version: "0.5-1" }]);
      const { diagnostics } = await resolveAptFromLock({ image: "tools", apt: [apt], architecture: "amd64" }, entry);
      expect(diagnostics.map((d) => [d.summary, d.subject?.start.line])).toEqual([
        ["Package not in the lock", 103],
        ["Package not in the lock", 106],
      ]);
      expect(diagnostics[0]!.hint).toBe('Refresh it with "slipway lock slipway.hcl" or build with --build-arg SLIPWAY_LOCK=update.');
      const digest = `sha256:${"1".repeat(64)}`;
      const pinned = { ...entry, base: { ref: "debian:bookworm", digest } };
      const moved = await resolveAptFromLock({ image: "tools", apt: [declared(["hello-slipway"])], architecture: "amd64", baseImage: { ref: "debian:bookworm", digest: `sha256:${"2".repeat(64)}` } }, pinned);
      expect(moved.diagnostics.map((d) => d.summary)).toEqual(["Base image changed since the lock"]);
      const missing = await resolveAptFromLock({ image: "other", apt: [apt], architecture: "amd64" }, undefined);
      expect(missing.diagnostics[0]!.summary).toBe("Image not in the lock");
    });

    it("with replace_sources, refuses a lock made from repositories the declaration does not declare", async () => {
      const entry = lockFromResolution(resolution, "tools", [{ name: "hello-slipway" }]);
      const extra = { ...entry.repositories[0]!, uri: "http://archive.example.org/debian", suite: "bookworm" };
      const withBase = { ...entry, repositories: [...entry.repositories, extra] };
      const replacing = { ...declared(["hello-slipway"]), replaceSources: { value: true, range: lineRange(98) } };
      expect((await resolveAptFromLock({ image: "tools", apt: [declared(["hello-slipway"])], architecture: "amd64" }, withBase)).diagnostics).toEqual([]);
      const { diagnostics } = await resolveAptFromLock({ image: "tools", apt: [replacing], architecture: "amd64" }, withBase);
      expect(diagnostics.map((d) => [d.summary, d.subject?.start.line])).toEqual([["Lock reads a repository the declaration replaced", 98]]);
      expect(diagnostics[0]!.detail).toContain("http://archive.example.org/debian bookworm");
    });

    it("names the field of an invalid lock, and a wrong sha256 in a lock fails the download", async () => {
      const entry = lockFromResolution(resolution, "tools", [{ name: "hello-slipway" }]);
      const broken = JSON.parse(formatLock([entry]));
      broken.images[0].packages[1].sha256 = "XYZ";
      delete broken.images[0].packages[2].size;
      const parsed = parseLock(JSON.stringify(broken), "slipway.lock.json");
      expect(parsed.value).toBeUndefined();
      expect(parsed.diagnostics.map((d) => d.detail)).toEqual([
        "slipway.lock.json: field images[0].packages[1].sha256 must be 64 lowercase hex digits.",
        "slipway.lock.json: field images[0].packages[2].size must be a whole number of bytes.",
      ]);
      expect(parseLock("{ not json").diagnostics[0]!.summary).toBe("Unreadable lock file");
      const wrong = { ...entry.packages[0]!, sha256: "0".repeat(64) };
      const failure = await fetcher.fetch(wrong.uri, { sha256: wrong.sha256 }).catch((e: unknown) => e);
      expect(isFetchError(failure) && failure.kind).toBe("mismatch");
      expect(String(failure)).toContain(wrong.uri);
    });
  });
});

describe("a repository that offers its indexes as .xz only (besides plain)", () => {
  let repo: DebianRepo;
  beforeAll(async () => {
    repo = await startDebianRepo({ compression: "xz" });
  });
  afterAll(() => repo.close());

  it("fetches the .xz indexes by the signed SHA256 and resolves the same set as from .gz", async () => {
    const apt = aptBlock(["hello-slipway"], [{ name: "test", uri: repo.url, suite: repo.suite, components: ["main"], key: repo.armoredPublicKey }]);
    const { value: resolution, diagnostics } = await resolveApt({ apt: [apt], architecture: "amd64", baseImage: { ref: "debian:bookworm" } }, { fetcher, base: baseImage() });
    expect(errors(diagnostics)).toEqual([]);
    expect(resolution!.packages.map((p) => `${p.name}=${p.version}`).sort()).toEqual([
      "cheerful-greeter=0.5-1",
      "hello-slipway=1.0-1",
      "libslipway1=1.1-1",
      "slipway-base-tools=2.0-1",
    ]);
    const dists = join(repo.dir, "debian", "dists", repo.suite, "main");
    const xzSha = (path: string) => createHash("sha256").update(readFileSync(join(dists, path))).digest("hex");
    expect(resolution!.indexFiles.map((f) => f.sha256).slice(1)).toEqual([xzSha("binary-amd64/Packages.xz"), xzSha("binary-all/Packages.xz"), xzSha("source/Sources.xz")]);
    const lib = resolution!.packages.find((p) => p.name === "libslipway1")!;
    expect(lib.source).toMatchObject({ kind: "archive", name: "slipway-lib", version: "1.1-1" });
  });
});

describe("repositories that must be refused", () => {
  it("rejects an InRelease altered after signing", async () => {
    const repo = await startDebianRepo({ badSignature: "tampered" });
    try {
      const apt = aptBlock(["hello-slipway"], [{ name: "test", uri: repo.url, suite: repo.suite, components: ["main"], key: repo.armoredPublicKey }]);
      const { value: resolution, diagnostics } = await resolveApt({ apt: [apt], architecture: "amd64" }, { fetcher, base: baseImage() });
      expect(resolution).toBeUndefined();
      expect(errors(diagnostics)[0]!.detail).toMatch(/InRelease does not verify: no valid signature by a trusted key/);
      expect(repo.requests.filter((r) => r.includes("Packages"))).toEqual([]);
    } finally {
      await repo.close();
    }
  });

  it("rejects an expired Release (Valid-Until in the past)", async () => {
    const repo = await startDebianRepo({ validUntil: "Sat, 01 Jun 2024 00:00:00 UTC" });
    try {
      const apt = aptBlock(["hello-slipway"], [{ name: "test", uri: repo.url, suite: repo.suite, components: ["main"], key: repo.armoredPublicKey }]);
      const { value: resolution, diagnostics } = await resolveApt({ apt: [apt], architecture: "amd64" }, { fetcher, base: baseImage() });
      expect(resolution).toBeUndefined();
      expect(errors(diagnostics)[0]!.detail).toMatch(/InRelease expired on Sat, 01 Jun 2024 00:00:00 UTC \(Valid-Until\)/);
    } finally {
      await repo.close();
    }
  });

  it("serves a tampered .deb that the fetcher refuses by checksum", async () => {
    const repo = await startDebianRepo({ tamperDeb: "hello-slipway" });
    try {
      const apt = aptBlock(["hello-slipway"], [{ name: "test", uri: repo.url, suite: repo.suite, components: ["main"], key: repo.armoredPublicKey }]);
      const { value: resolution } = await resolveApt({ apt: [apt], architecture: "amd64" }, { fetcher, base: baseImage() });
      const hello = resolution!.packages.find((p) => p.name === "hello-slipway")!;
      await expect(fetcher.fetch(hello.uri, { sha256: hello.sha256 })).rejects.toThrow(new RegExp(`${hello.uri.replace(/[.+]/g, "\\$&")}: expected \\d+ bytes|sha256 mismatch`));
    } finally {
      await repo.close();
    }
  });

  it("requires a source for every package unless it declares vcs", async () => {
    const repo = await startDebianRepo({ withoutSource: ["cheerful-greeter"] });
    try {
      const repoSpec = { name: "test", uri: repo.url, suite: repo.suite, components: ["main"], key: repo.armoredPublicKey };
      const missing = await resolveApt({ apt: [aptBlock(["hello-slipway"], [repoSpec])], architecture: "amd64" }, { fetcher, base: baseImage() });
      expect(errors(missing.diagnostics)).toMatchObject([{ summary: "Package source not found" }]);
      expect(missing.diagnostics[0]!.detail).toContain("cheerful-greeter (0.5-1) is built from source package cheerful-greeter (0.5-1)");
      const vcs = { name: "cheerful-greeter", vcs: { repository: "https://git.example/greeter", ref: "v0.5" } };
      const ok = await resolveApt({ apt: [aptBlock(["hello-slipway", vcs], [repoSpec])], architecture: "amd64" }, { fetcher, base: baseImage() });
      expect(errors(ok.diagnostics)).toEqual([]);
      expect(ok.value!.packages.find((p) => p.name === "cheerful-greeter")!.source).toEqual({
        kind: "vcs",
        name: "cheerful-greeter",
        version: "0.5-1",
        type: "git",
        repository: "https://git.example/greeter",
        ref: "v0.5",
      });
    } finally {
      await repo.close();
    }
  });
});
