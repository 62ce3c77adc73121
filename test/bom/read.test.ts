import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  bomDocument,
  buildBom,
  isBomReadError,
  readBomSource,
  writeBomDocuments,
  writeCycloneDx,
  writeEstaleiroYaml,
  writeSpdx,
  type Bom,
} from "../../frontend/bom/index.js";
import { debianInputs, scratchInputs } from "./fixtures.js";
import { buildImage, tarDirectory, tempDir, writeLayoutDir } from "./oci-fixture.js";

const debian = buildBom(debianInputs());
const arm = buildBom({ ...scratchInputs(), image: { name: "from-scratch", platform: "linux/arm64" } });
const amd = buildBom(scratchInputs());

function exportDocuments(bom: Bom, dir = tempDir("local")): string {
  mkdirSync(dir, { recursive: true });
  for (const d of writeBomDocuments(bom)) writeFileSync(join(dir, d.name), d.content);
  return dir;
}

async function readError(source: string, platform?: string): Promise<string> {
  try {
    await readBomSource(source, platform !== undefined ? { platform } : {});
  } catch (e) {
    if (isBomReadError(e)) return e.message;
    throw e;
  }
  throw new Error("expected a BomReadError");
}

describe("a directory exported with --target bom --output type=local", () => {
  test("gives back the Bom and the documents exactly as stored", async () => {
    const dir = exportDocuments(debian);
    const source = await readBomSource(dir);
    expect(source.bom).toEqual(debian);
    expect(bomDocument(source, "spdx")).toBe(readFileSync(join(dir, "bom.spdx.json"), "utf8"));
    expect(bomDocument(source, "estaleiro")).toBe(writeEstaleiroYaml(debian));
  });

  test("multi-platform exports: one sub-directory per platform, chosen with --platform", async () => {
    const dir = tempDir("multi");
    exportDocuments(amd, join(dir, "linux_amd64"));
    exportDocuments(arm, join(dir, "linux_arm64"));
    expect(await readError(dir)).toBe(`${dir}: holds BOMs for linux/amd64, linux/arm64; choose one with --platform`);
    expect((await readBomSource(dir, { platform: "linux/arm64" })).bom).toEqual(arm);
    expect(await readError(dir, "linux/s390x")).toBe(`${dir}: has no BOM for linux/s390x; it has linux/amd64, linux/arm64`);
  });

  test("a single bom.yaml or bom.json file", async () => {
    const dir = exportDocuments(debian);
    expect((await readBomSource(join(dir, "bom.yaml"))).bom).toEqual(debian);
    expect((await readBomSource(join(dir, "bom.json"))).bom).toEqual(debian);
  });

  test("an empty directory says what to export", async () => {
    const dir = tempDir("empty");
    expect(await readError(dir)).toBe(
      `${dir}: holds no BOM documents (bom.yaml, bom.spdx.json, bom.cdx.json, bom.json); export them with \`--target bom --output type=local,dest=DIR\``,
    );
  });

  test("a damaged bom.json is refused, naming the document and the field", async () => {
    const dir = exportDocuments(debian);
    const text = readFileSync(join(dir, "bom.json"), "utf8").replace(/"sha1": "[0-9a-f]{40}"/, '"sha1": "zz"');
    writeFileSync(join(dir, "bom.json"), text);
    expect(await readError(dir)).toBe(`${dir}: bom.json is not a slipway BOM: files[0].sha1: must be a sha1 (40 hex digits), got "zz"`);
  });
});

describe("an OCI layout (--output type=oci), found through the attestation manifest", () => {
  const layout = () => writeLayoutDir([{ platform: { os: "linux", architecture: "amd64" }, bom: debian, attest: true }]);

  test("as a directory (tar=false)", async () => {
    const source = await readBomSource(layout());
    expect(source.bom).toEqual(debian);
    // The predicates were stored compacted by BuildKit; they print as the writers wrote them.
    expect(bomDocument(source, "spdx")).toBe(writeSpdx(debian));
    expect(bomDocument(source, "cyclonedx")).toBe(writeCycloneDx(debian));
  });

  test.each([
    ["GNU", "gnu", false],
    ["pax", "pax", false],
    ["gzip-compressed", "gnu", true],
  ] as const)("as a %s tarball", async (_, format, gzip) => {
    const source = await readBomSource(tarDirectory(layout(), format, gzip));
    expect(source.bom).toEqual(debian);
    expect(source.description).toMatch(/image\.tar(\.gz)? \(OCI layout\), linux\/amd64$/);
  });

  test("several platforms: --platform picks one", async () => {
    const dir = writeLayoutDir([
      { platform: { os: "linux", architecture: "amd64" }, bom: amd, attest: true },
      { platform: { os: "linux", architecture: "arm64" }, bom: arm, attest: true },
    ]);
    expect(await readError(dir)).toBe(`${dir} (OCI layout): holds images for linux/amd64, linux/arm64; choose one with --platform`);
    expect((await readBomSource(dir, { platform: "linux/arm64" })).bom).toEqual(arm);
  });

  test("without attestations, the estaleiro.bom label is read; without either, the error says why", async () => {
    const labelled = writeLayoutDir([{ platform: { os: "linux", architecture: "amd64" }, bom: debian, label: true }]);
    const source = await readBomSource(labelled);
    expect(source.bom).toEqual(debian);
    expect(source.description).toBe(`${labelled} (OCI layout), linux/amd64 (estaleiro.bom label)`);
    const bare = writeLayoutDir([{ platform: { os: "linux", architecture: "amd64" } }]);
    expect(await readError(bare)).toMatch(/has no slipway BOM: no attestation of type https:\/\/slipway\.dev\/bom\/v1 and no estaleiro\.bom label/);
  });

  test("an estaleiro-built image's label prints as YAML only", async () => {
    const estaleiro = "base_image:\n  canonical_name: scratch\n  os: \"\"\n  version: \"\"\n  codename: \"\"\n  packages: []\nchangeset:\n  files: []\n  packages: []\n";
    const dir = writeLayoutDir([{ platform: { os: "linux", architecture: "amd64" }, label: estaleiro }]);
    const source = await readBomSource(dir);
    expect(source.bom).toBeUndefined();
    expect(bomDocument(source, "estaleiro")).toBe(estaleiro);
    expect(() => bomDocument(source, "spdx")).toThrow(/holds only estaleiro's YAML BOM .* use --format yaml/);
  });

  test("a blob whose bytes do not match its digest is refused", async () => {
    const dir = layout();
    const { blobs } = buildImage([{ platform: { os: "linux", architecture: "amd64" }, bom: debian, attest: true }]);
    const statement = [...blobs.byDigest].find(([, b]) => b.mediaType === "application/vnd.in-toto+json")![0];
    writeFileSync(join(dir, "blobs", "sha256", statement.slice(7)), "{}");
    expect(await readError(dir)).toMatch(new RegExp(`content of ${statement} has sha256:[0-9a-f]{64}; the image is damaged or was altered`));
  });
});

test("a docker save archive without an OCI index falls back to the label", async () => {
  const dir = tempDir("docker-save");
  const config = { architecture: "amd64", os: "linux", config: { Labels: { "estaleiro.bom": Buffer.from(writeEstaleiroYaml(amd)).toString("base64") } } };
  writeFileSync(join(dir, "config.json"), JSON.stringify(config));
  writeFileSync(join(dir, "manifest.json"), JSON.stringify([{ Config: "config.json", RepoTags: ["app:latest"], Layers: [] }]));
  const source = await readBomSource(tarDirectory(dir, "gnu"));
  expect(source.bom).toEqual(amd);
});

describe("a registry (HTTP API v2 with the bearer-token flow, faked with node:http)", () => {
  let server: Server;
  let port: number;
  const requests: { url: string; authorization?: string }[] = [];
  const { blobs, topIndexDigest } = buildImage([
    { platform: { os: "linux", architecture: "amd64" }, bom: amd, attest: true, label: true },
    { platform: { os: "linux", architecture: "arm64" }, bom: arm, attest: true },
  ]);
  const amdManifest = (JSON.parse(blobs.byDigest.get(topIndexDigest)!.bytes.toString()) as { manifests: { digest: string }[] }).manifests[0]!.digest;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const url = new URL(req.url!, "http://localhost");
      requests.push({ url: url.pathname + url.search, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      if (url.pathname === "/token") {
        const ok = url.searchParams.get("scope") === "repository:team/app:pull" && url.searchParams.get("service") === "fake-registry";
        res.writeHead(ok ? 200 : 403, { "content-type": "application/json" }).end(JSON.stringify({ token: "t0ken" }));
        return;
      }
      if (req.headers.authorization !== "Bearer t0ken") {
        res.writeHead(401, { "www-authenticate": `Bearer realm="http://127.0.0.1:${port}/token",service="fake-registry",scope="repository:team/app:pull"` }).end();
        return;
      }
      const m = /^\/v2\/team\/app\/(manifests|blobs)\/(.+)$/.exec(url.pathname);
      const digest = m?.[2] === "v1" ? topIndexDigest : m?.[2];
      const blob = digest !== undefined ? blobs.byDigest.get(digest) : undefined;
      if (blob === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": blob.mediaType, "docker-content-digest": digest! }).end(blob.bytes);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("reads the platform's attestations by tag, anonymously with a bearer token, over plain HTTP for 127.0.0.1", async () => {
    const source = await readBomSource(`127.0.0.1:${port}/team/app:v1`, { platform: "linux/arm64" });
    expect(source.bom).toEqual(arm);
    expect(source.description).toBe(`127.0.0.1:${port}/team/app:v1, linux/arm64`);
    expect(requests[0]).toEqual({ url: "/v2/team/app/manifests/v1" });
    expect(requests[1]!.url).toBe("/token?service=fake-registry&scope=repository%3Ateam%2Fapp%3Apull");
    expect(requests.slice(2).every((r) => r.authorization === "Bearer t0ken")).toBe(true);
  });

  test("by digest, and an unknown tag is reported with its path", async () => {
    expect((await readBomSource(`127.0.0.1:${port}/team/app@${topIndexDigest}`, { platform: "linux/amd64" })).bom).toEqual(amd);
    expect(await readError(`127.0.0.1:${port}/team/app:nope`)).toBe(`127.0.0.1:${port}/team/app:nope: /v2/team/app/manifests/nope not found on the registry`);
  });

  test("a reference to one platform's manifest: the platform comes from its config, the BOM from its label", async () => {
    const source = await readBomSource(`127.0.0.1:${port}/team/app@${amdManifest}`);
    expect(source.bom).toEqual(amd);
    expect(source.description).toBe(`127.0.0.1:${port}/team/app@${amdManifest}, linux/amd64 (estaleiro.bom label)`);
    expect(await readError(`127.0.0.1:${port}/team/app@${amdManifest}`, "linux/arm64")).toBe(
      `127.0.0.1:${port}/team/app@${amdManifest}: is an image for linux/amd64, not linux/arm64`,
    );
  });

  test("an unreachable registry and a path that is not a reference say so", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await readError(`127.0.0.1:${closedPort}/team/app:v1`)).toBe(
      `127.0.0.1:${closedPort}/team/app:v1: cannot reach the registry at 127.0.0.1:${closedPort}: ECONNREFUSED`,
    );
    expect(await readError("./no/such/File.tar")).toBe("./no/such/File.tar: is neither an existing file or directory nor an image reference");
  });
});
