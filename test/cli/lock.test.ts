import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLockCommand, type LockCommandOptions } from "../../frontend/cli/commands/lock.js";
import { isUsageError } from "../../frontend/cli/streams.js";
import { memoryIO } from "../../frontend/cli/memory-io.js";
import { imageFilesFromMap, lockFromResolution, lockRequests, mergeLock, nodeFetcher, parseLock, resolveApt, type AptLock } from "../../frontend/debian/index.js";
import { loadDeclaration, SourceFile } from "../../grammar/index.js";
import { minimalStatus } from "../debian/base-image.js";
import { serveRepoCopy, startDebianRepo, type DebianRepo } from "../support/debian-repo.js";
import { TestRegistry, type TarSpec } from "./registry-fixture.js";

/**
 * `slipway lock` end to end in-process: a base image served by a registry on 127.0.0.1 whose apt sources
 * point at a signed repository on 127.0.0.1, resolved with Node's HTTP client.
 */
let repo: DebianRepo;
let served: Awaited<ReturnType<TestRegistry["serve"]>>;
let host: string;
let baseDigest: string;
let baseFiles: Map<string, string>;
const registry = new TestRegistry();
const work = mkdtempSync(join(tmpdir(), "slipway-lock-test-"));

beforeAll(async () => {
  repo = await startDebianRepo();
  const sources = `Types: deb\nURIs: ${repo.url}\nSuites: ${repo.suite}\nComponents: main\nSigned-By: /etc/apt/keyrings/test.asc\n`;
  baseFiles = new Map([
    ["/var/lib/dpkg/status", minimalStatus],
    ["/usr/share/keyrings/slipway-test.asc", repo.armoredPublicKey],
    ["/etc/apt/keyrings/test.asc", repo.armoredPublicKey],
    ["/etc/apt/sources.list.d/test.sources", sources],
  ]);
  const layers: TarSpec[][] = [
    [
      { name: "var/lib/dpkg/status", content: minimalStatus },
      { name: "usr/share/keyrings/slipway-test.asc", content: repo.armoredPublicKey },
      // a repository nobody can reach: resolving fails unless the upper layer's whiteout hides it
      { name: "etc/apt/sources.list.d/gone.list", content: "deb http://127.0.0.1:1/debian stable main\n" },
    ],
    [
      { name: "etc/apt/sources.list.d/.wh.gone.list" },
      { name: "etc/apt/sources.list.d/test.sources", content: sources },
      { name: "etc/apt/keyrings/test.asc", type: "symlink", link: "/usr/share/keyrings/slipway-test.asc" },
    ],
  ];
  baseDigest = registry.image("test/base", "1", { layers });
  registry.image("library/base", "1", { layers });
  served = await registry.serve();
  host = served.host;
});

afterAll(async () => {
  await Promise.all([repo?.close(), served?.close()]);
  rmSync(work, { recursive: true, force: true });
});

const declaration = (base: string, packages = ["hello-slipway"]) =>
  `image "app" {\n  base_image = "${base}"\n\n  apt {\n${packages.map((p) => `    package "${p}" {}\n`).join("")}  }\n}\n`;

const options = (extra: Partial<LockCommandOptions> = {}): Partial<LockCommandOptions> => ({
  env: {},
  daemonConfigPath: join(work, "no-daemon.json"),
  fetcher: nodeFetcher(),
  ...extra,
});

async function lock(args: string[], files: Record<string, string>, extra: Partial<LockCommandOptions> = {}) {
  const { io, out, fs } = memoryIO(files);
  let code: number;
  try {
    code = await runLockCommand(args, io, options(extra));
  } catch (e) {
    if (!isUsageError(e)) throw e;
    out.stderr += `usage: ${e.message}\n`;
    code = 2;
  }
  return { code, out, written: fs.get("/w/app/slipway.lock.json") };
}

/** The lock the frontend's `--target lock` makes: the same functions, the base image's files from a map. */
async function expectedEntry(text: string, base: string, digest: string): Promise<AptLock> {
  const image = loadDeclaration(new SourceFile("app/slipway.hcl", text)).value!.images[0]!;
  const result = await resolveApt(
    { apt: image.apt, architecture: "amd64", baseImage: { ref: `${base}@${digest}`, digest } },
    { fetcher: nodeFetcher(), base: imageFilesFromMap(baseFiles) },
  );
  return lockFromResolution(result.value!, "app", lockRequests(image.apt));
}

describe("slipway lock", () => {
  it("writes the lock --target lock would: the base image read from its registry, layers and whiteouts applied", async () => {
    const text = declaration(`${host}/test/base:1`);
    const r = await lock(["--platform", "linux/amd64", "app/slipway.hcl"], { "app/slipway.hcl": text });
    expect(r.out.stderr).toBe(`slipway lock: app (linux/amd64): 4 packages on ${host}/test/base:1@${baseDigest}\nslipway lock: wrote app/slipway.lock.json.\n`);
    expect(r.code).toBe(0);
    expect(r.written).toBe(mergeLock(undefined, [await expectedEntry(text, `${host}/test/base:1`, baseDigest)]));
    const entry = parseLock(r.written!).value!.images[0]!;
    expect(entry.base).toEqual({ ref: `${host}/test/base:1@${baseDigest}`, digest: baseDigest });
    expect(entry.packages.map((p) => p.name)).toEqual(["cheerful-greeter", "hello-slipway", "libslipway1", "slipway-base-tools"]);
    expect(entry.repositories.map((x) => x.signedBy.fingerprint)).toEqual([repo.fingerprint]);
  });

  it("keeps other images' entries, replaces its own, and leaves a current lock alone", async () => {
    const text = declaration(`${host}/test/base:1`);
    const fresh = await expectedEntry(text, `${host}/test/base:1`, baseDigest);
    const other: AptLock = { ...fresh, image: "other" };
    const stale: AptLock = { ...fresh, packages: fresh.packages.slice(0, 1) };
    const before = mergeLock(undefined, [other, stale]);
    const r = await lock(["--platform", "linux/amd64", "app/slipway.hcl"], { "app/slipway.hcl": text, "app/slipway.lock.json": before });
    expect(r.code).toBe(0);
    expect(r.written).toBe(mergeLock(undefined, [other, fresh]));

    const again = await lock(["--platform", "linux/amd64", "app/slipway.hcl"], { "app/slipway.hcl": text, "app/slipway.lock.json": r.written! });
    expect(again.code).toBe(0);
    expect(again.out.stderr).toMatch(/slipway lock: app\/slipway\.lock\.json is up to date\.\n$/);
  });

  it("reads docker.io images through the mirror: --registry-mirror, $SLIPWAY_REGISTRY_MIRROR, or daemon.json", async () => {
    const files = { "app/slipway.hcl": declaration("base:1") };
    const daemonConfigPath = join(work, "daemon.json");
    writeFileSync(daemonConfigPath, JSON.stringify({ "registry-mirrors": [served.url] }));
    for (const how of [{ args: ["--registry-mirror", served.url] }, { env: { SLIPWAY_REGISTRY_MIRROR: served.url } }, { daemonConfigPath }]) {
      const before = registry.requests.length;
      const r = await lock([...(how.args ?? []), "--platform", "linux/amd64", "app/slipway.hcl"], files, { ...(how.env && { env: how.env }), ...(how.daemonConfigPath && { daemonConfigPath }) });
      expect(r.code).toBe(0);
      expect(parseLock(r.written!).value!.images[0]!.base!.ref).toBe(`docker.io/library/base:1@${baseDigest}`);
      expect(registry.requests.slice(before)).toContain(`${served.url}/v2/library/base/manifests/1`);
    }
  });

  it("fetches indexes from --mirror (or $SLIPWAY_MIRROR) and writes the same lock, with the original URLs and the InRelease date", async () => {
    const text = declaration(`${host}/test/base:1`);
    const copy = await serveRepoCopy(repo);
    try {
      const expected = mergeLock(undefined, [await expectedEntry(text, `${host}/test/base:1`, baseDigest)]);
      const before = repo.requests.length;
      const r = await lock(["--platform", "linux/amd64", "--mirror", `${repo.url}=${copy.url}`, "app/slipway.hcl"], { "app/slipway.hcl": text });
      expect(r.code, r.out.stderr).toBe(0);
      expect(r.written).toBe(expected);
      expect(repo.requests.slice(before)).toEqual([]);
      expect(copy.requests).toContain(`/debian/dists/${repo.suite}/InRelease`);
      const entry = parseLock(r.written!).value!.images[0]!;
      expect(entry.repositories.map((x) => [x.uri, x.date])).toEqual([[repo.url, "Sat, 01 Jun 2024 00:00:00 UTC"]]);
    } finally {
      await copy.close();
    }
    // the environment variable, here to a port where nothing listens: the failure names the mirrored URL
    const dead = await lock(["--platform", "linux/amd64", "app/slipway.hcl"], { "app/slipway.hcl": text }, { env: { SLIPWAY_MIRROR: `${repo.url}=http://127.0.0.1:1/gone` } });
    expect(dead.code).toBe(1);
    expect(dead.out.stderr).toContain(`http://127.0.0.1:1/gone/dists/${repo.suite}/InRelease`);
    // the flag wins over the variable
    const both = await lock(["--platform", "linux/amd64", "--mirror", "", "app/slipway.hcl"], { "app/slipway.hcl": text }, { env: { SLIPWAY_MIRROR: `${repo.url}=http://127.0.0.1:1/gone` } });
    expect(both.code, both.out.stderr).toBe(0);
  });

  it("refuses a malformed mirror, naming where it came from", async () => {
    const files = { "app/slipway.hcl": declaration(`${host}/test/base:1`) };
    const flag = await lock(["--mirror", "http://a.example", "app/slipway.hcl"], files);
    expect(flag.code).toBe(2);
    expect(flag.out.stderr).toMatch(/^usage: --mirror: "http:\/\/a\.example" is not ORIGINAL=REPLACEMENT; give ORIGINAL=REPLACEMENT/);
    const env = await lock(["app/slipway.hcl"], files, { env: { SLIPWAY_MIRROR: "http://a.example=ftp://b.example" } });
    expect(env.code).toBe(2);
    expect(env.out.stderr).toMatch(/^usage: \$SLIPWAY_MIRROR: REPLACEMENT "ftp:\/\/b\.example" is not an http/);
  });

  it("reports what cannot be resolved at the declaration's line, and writes nothing", async () => {
    const unknown = await lock(["--platform", "linux/amd64", "app/slipway.hcl"], { "app/slipway.hcl": declaration(`${host}/test/base:1`, ["hello-slipway", "no-such-thing"]) });
    expect(unknown.code).toBe(1);
    expect(unknown.written).toBeUndefined();
    expect(unknown.out.stderr).toContain('app/slipway.hcl:6:13: error: Unknown package "no-such-thing"');
    expect(unknown.out.stderr).toMatch(/slipway lock: nothing was written\.\n$/);

    const missing = await lock(["--platform", "linux/amd64", "app/slipway.hcl"], { "app/slipway.hcl": declaration(`${host}/test/base:2`) });
    expect(missing.code).toBe(1);
    expect(missing.written).toBeUndefined();
    expect(missing.out.stderr).toContain(
      `app/slipway.hcl:2:16: error: Cannot read the base image\n  ${host}/test/base:2: /v2/test/base/manifests/2 not found on the registry.`,
    );

    const platform = await lock(["--platform", "linux/arm64", "app/slipway.hcl"], { "app/slipway.hcl": declaration(`${host}/test/base:1`) });
    expect(platform.code).toBe(1);
    expect(platform.out.stderr).toContain(`${host}/test/base:1: is an image for linux/amd64, not linux/arm64.`);
  });

  it("refuses to replace a lock it cannot read, and bad options", async () => {
    const r = await lock(["app/slipway.hcl"], { "app/slipway.hcl": declaration(`${host}/test/base:1`), "app/slipway.lock.json": '{"lockVersion": 7, "images": []}' });
    expect(r.code).toBe(1);
    expect(r.written).toBe('{"lockVersion": 7, "images": []}');
    expect(r.out.stderr).toMatch(/^slipway lock: cannot keep the entries of app\/slipway\.lock\.json: app\/slipway\.lock\.json: field lockVersion .+\nMove it away \(or fix it\) and run slipway lock again; nothing was written\.\n$/);

    const platform = await lock(["--platform", "amd64", "app/slipway.hcl"], {});
    expect(platform.code).toBe(2);
    expect(platform.out.stderr).toMatch(/^usage: --platform: "amd64" is not a platform/);

    const mirror = await lock(["app/slipway.hcl"], { "app/slipway.hcl": declaration("base:1") }, { env: { SLIPWAY_REGISTRY_MIRROR: "127.0.0.1:5000" } });
    expect(mirror.code).toBe(2);
    expect(mirror.out.stderr).toBe('usage: $SLIPWAY_REGISTRY_MIRROR: "127.0.0.1:5000" is not a URL; write it as http://HOST:PORT or https://HOST\n');

    // checked even when no image comes from docker.io
    const flag = await lock(["--registry-mirror", "ftp://mirror.example", "app/slipway.hcl"], { "app/slipway.hcl": declaration(`${host}/test/base:1`) });
    expect(flag.code).toBe(2);
    expect(flag.out.stderr).toBe('usage: --registry-mirror: "ftp://mirror.example" is not an http or https URL\n');
  });
});
