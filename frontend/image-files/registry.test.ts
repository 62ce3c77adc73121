import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tar, TestRegistry, type TarSpec } from "../../test/cli/registry-fixture.js";
import { rawZstd, ZSTD_MAGIC } from "../../test/support/zstd.js";
import { dockerHubMirror } from "../oci/index.js";
import { isImageFilesError, readRegistryImage } from "./index.js";

const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : new TextDecoder().decode(bytes));
const layer = (arch: string): TarSpec[] => [{ name: "etc/arch", content: arch }];

describe("readRegistryImage", () => {
  const registry = new TestRegistry();
  const amd64 = registry.image("library/debian", undefined, { layers: [layer("amd64"), [{ name: "etc/.wh.arch" }, { name: "etc/second", content: "2" }]] });
  const arm64 = registry.image("library/debian", undefined, { layers: [layer("arm64")], platform: "linux/arm64/v8" });
  const armv7 = registry.image("library/debian", undefined, { layers: [layer("armv7")], platform: "linux/arm/v7" });
  const attestation = registry.image("library/debian", undefined, { layers: [[]] });
  const index = registry.index("library/debian", "bookworm", [
    { digest: amd64, platform: "linux/amd64" },
    { digest: arm64, platform: "linux/arm64/v8" },
    { digest: armv7, platform: "linux/arm/v7" },
    { digest: attestation, platform: "unknown/unknown" },
  ]);
  const single = registry.image("team/tool", "1.0", { layers: [layer("plain amd64")], plain: true });
  let served: Awaited<ReturnType<TestRegistry["serve"]>>;
  beforeAll(async () => {
    served = await registry.serve();
  });
  afterAll(() => served.close());

  it("picks the platform's manifest from an index and pins the index's digest, as BuildKit does", async () => {
    const image = await readRegistryImage("debian:bookworm", { fetch: registry.fetch, mirror: "http://mirror.test:5000", platform: "linux/arm64" });
    expect(image).toMatchObject({ reference: "docker.io/library/debian:bookworm", digest: index, manifestDigest: arm64, platform: "linux/arm64" });
    expect(text(await image.files.readFile("/etc/arch"))).toBe("arm64");
    const armImage = await readRegistryImage("debian:bookworm", { fetch: registry.fetch, mirror: "http://mirror.test:5000", platform: "linux/arm/v7" });
    expect(text(await armImage.files.readFile("/etc/arch"))).toBe("armv7");
  });

  it("applies the layers in order, whiteouts included", async () => {
    const image = await readRegistryImage("docker.io/library/debian:bookworm", { fetch: registry.fetch, mirror: "http://mirror.test:5000/" });
    expect(image.manifestDigest).toBe(amd64);
    expect(await image.files.readFile("/etc/arch")).toBeUndefined();
    expect(await image.files.readDir("/etc")).toEqual(["second"]);
  });

  it("reads docker.io images through the mirror only, and other registries at their own host", async () => {
    const before = registry.requests.length;
    await readRegistryImage("debian@" + index, { fetch: registry.fetch, mirror: "http://mirror.test:5000" });
    await readRegistryImage(`${served.host}/team/tool:1.0`, { fetch: registry.fetch, mirror: "http://mirror.test:5000" });
    const hosts = new Set(registry.requests.slice(before).map((u) => new URL(u).host));
    expect(hosts).toEqual(new Set(["mirror.test:5000", served.host]));
    expect(registry.requests.slice(before).every((u) => u.startsWith("http://"))).toBe(true);
  });

  it("reads a registry on 127.0.0.1 over plain http, and a manifest without an index after checking its platform", async () => {
    const image = await readRegistryImage(`${served.host}/team/tool:1.0`);
    expect(image).toMatchObject({ digest: single, manifestDigest: single, platform: "linux/amd64" });
    expect(text(await image.files.readFile("/etc/arch"))).toBe("plain amd64");
    await expect(readRegistryImage(`${served.host}/team/tool:1.0`, { platform: "linux/arm64" })).rejects.toThrow(
      `${served.host}/team/tool:1.0: is an image for linux/amd64, not linux/arm64`,
    );
  });

  it("says which platforms an index has when the one asked for is missing", async () => {
    const error = await readRegistryImage("debian:bookworm", { fetch: registry.fetch, mirror: "http://m.test", platform: "linux/s390x" }).catch((e: unknown) => e);
    expect(isImageFilesError(error)).toBe(true);
    expect((error as Error).message).toBe(
      "docker.io/library/debian:bookworm: has no image for linux/s390x; it has linux/amd64, linux/arm64, linux/arm/v7 (choose one with --platform)",
    );
  });

  it("names the image and what failed: unknown tag, damaged layer, no registry, damaged zstd, credentials", async () => {
    const fetch = registry.fetch;
    await expect(readRegistryImage("debian:trixie", { fetch, mirror: "http://m.test" })).rejects.toThrow(
      "docker.io/library/debian:trixie: /v2/library/debian/manifests/trixie not found on the registry",
    );

    const damaged = new TestRegistry();
    const digest = damaged.image("x/y", "1", { layers: [layer("a")] });
    const layerDigest = (damaged.manifestOf(digest) as { layers: { digest: string }[] }).layers[0]!.digest;
    damaged.corrupt(layerDigest);
    await expect(readRegistryImage("127.0.0.1:1/x/y:1", { fetch: damaged.fetch })).rejects.toThrow(
      new RegExp(`^127\\.0\\.0\\.1:1/x/y:1: content of ${layerDigest} has sha256:[0-9a-f]{64}; the image is damaged or was altered$`),
    );

    const closed = await new TestRegistry().serve();
    await closed.close();
    await expect(readRegistryImage(`${closed.host}/x/y:1`)).rejects.toThrow(`${closed.host}/x/y:1: cannot reach the registry at ${closed.host}: ECONNREFUSED`);

    const zstd = new TestRegistry();
    zstd.image("x/z", "1", { layers: [Uint8Array.from([...ZSTD_MAGIC, 0, 0, 0, 0])] });
    await expect(readRegistryImage("127.0.0.1:1/x/z:1", { fetch: zstd.fetch })).rejects.toThrow(/layer sha256:[0-9a-f]{64}: is not valid zstd \(it ends inside a block header at byte 6\)$/);
  });

  it("reads zstd layers as it reads gzip ones", async () => {
    const zstd = new TestRegistry();
    zstd.image("x/z", "1", { layers: [rawZstd(tar(layer("zstd")))] });
    const image = await readRegistryImage("127.0.0.1:1/x/z:1", { fetch: zstd.fetch });
    expect(text(await image.files.readFile("/etc/arch"))).toBe("zstd");
  });

  it("asks for no credentials: a registry that wants them gets advice, not a stack trace", async () => {
    const fetch = (async () => new Response("", { status: 401, headers: { "www-authenticate": 'Basic realm="private"' } })) as typeof globalThis.fetch;
    await expect(readRegistryImage("registry.example/private/img:1", { fetch })).rejects.toThrow(
      "registry.example/private/img:1: the registry wants credentials; slipway lock reads registries anonymously",
    );
  });
});

describe("dockerHubMirror", () => {
  const daemonConfig = { path: "/etc/docker/daemon.json", text: '{"registry-mirrors": ["http://127.0.0.1:5000/", "https://other.example"]}' };

  it("takes the flag, else the environment, else the daemon's first mirror", () => {
    expect(dockerHubMirror({ flag: "https://flag.example", env: "http://env.example", daemonConfig })).toEqual({ mirror: { url: "https://flag.example", from: "--registry-mirror" } });
    expect(dockerHubMirror({ env: "http://env.example:5000/", daemonConfig })).toEqual({ mirror: { url: "http://env.example:5000", from: "SLIPWAY_REGISTRY_MIRROR" } });
    expect(dockerHubMirror({ daemonConfig })).toEqual({ mirror: { url: "http://127.0.0.1:5000", from: "daemon.json" } });
    expect(dockerHubMirror({ env: "", daemonConfig })).toEqual({});
    expect(dockerHubMirror({ daemonConfig: { path: "/d.json", text: '{"features": {}}' } })).toEqual({});
    expect(dockerHubMirror({})).toEqual({});
  });

  it("reports a value that is not an http(s) URL, naming where it came from", () => {
    expect(dockerHubMirror({ flag: "127.0.0.1:5000" }).problem).toBe('--registry-mirror: "127.0.0.1:5000" is not a URL; write it as http://HOST:PORT or https://HOST');
    expect(dockerHubMirror({ flag: "ftp://mirror.example" }).problem).toBe('--registry-mirror: "ftp://mirror.example" is not an http or https URL');
    expect(dockerHubMirror({ env: "not a url" }).problem).toBe('$SLIPWAY_REGISTRY_MIRROR: "not a url" is not a URL; write it as http://HOST:PORT or https://HOST');
    expect(dockerHubMirror({ daemonConfig: { path: "/d.json", text: "{" } }).problem).toMatch(/^\/d\.json is not valid JSON \(.+\); fix it, or give the mirror with --registry-mirror URL$/);
    expect(dockerHubMirror({ daemonConfig: { path: "/d.json", text: '{"registry-mirrors": "http://x"}' } }).problem).toBe('"registry-mirrors" in /d.json is not a list of URLs');
  });
});
