import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { buildBom, readBomSource } from "../../frontend/bom/index.js";
import { findBomInImage, type ImageStore, layoutStore, directoryReader, registryStore } from "../../frontend/oci/index.js";
import { runBomCommand } from "../../frontend/cli/commands/bom.js";
import { debianInputs } from "./fixtures.js";
import { Blobs, tempDir, writeLayoutDir } from "./oci-fixture.js";

/**
 * `slipway bom` reads images from anywhere: each of these inputs once crashed it, hung it or used
 * gigabytes. Each is now a one-line error, exit 1, naming the source.
 */
const bom = buildBom(debianInputs());
const dirs: string[] = [];
const scratch = (prefix: string) => {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function bomCli(source: string) {
  const out = { stdout: "", stderr: "" };
  const code = await runBomCommand([source], { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t) });
  return { code, ...out };
}

/** A ustar header for one regular file of `size` bytes (the size in GNU base-256 when it needs more than 11 octal digits). */
function tarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, "ascii");
  h.write("0000644\0", 100, "ascii");
  h.write("0000000\0", 108, "ascii");
  h.write("0000000\0", 116, "ascii");
  if (size < 8 ** 11) h.write(`${size.toString(8).padStart(11, "0")}\0`, 124, "ascii");
  else {
    h[124] = 0x80;
    h.writeBigUInt64BE(BigInt(size), 128);
  }
  h.write("00000000000\0", 136, "ascii");
  h.write("0", 156, "ascii");
  h.write("ustar\u000000", 257, "ascii");
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return h;
}

describe("slipway bom on hostile sources", () => {
  it("stops decompressing a 5 MB gzip that expands to 5 GB, early", async () => {
    // gzip members concatenate: one header claiming a 5 GiB file, then 80 members of 64 MiB of zeros each
    const zeros = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const path = join(scratch("bomb"), "bomb.tar.gz");
    writeFileSync(path, Buffer.concat([gzipSync(tarHeader("blobs/sha256/big", 5 * 1024 ** 3)), ...Array.from({ length: 80 }, () => zeros)]));
    const r = await bomCli(path);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^slipway bom: .*bomb\.tar\.gz: is not a readable tar archive: it decompresses to more than 99\.\d MiB \(from 5 MiB\)/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses an archive entry whose size is absurd before reading it", async () => {
    const path = join(scratch("huge-entry"), "image.tar");
    writeFileSync(path, Buffer.concat([tarHeader("index.json", 2 ** 50), Buffer.alloc(1024)]));
    const r = await bomCli(path);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/index\.json is 1048576 GiB, more than the 32 MiB slipway reads of one document/);
    // past 2^53 a size cannot even be represented exactly
    writeFileSync(path, Buffer.concat([tarHeader("index.json", 2 ** 60), Buffer.alloc(1024)]));
    expect(await bomCli(path)).toMatchObject({ code: 1, stderr: expect.stringMatching(/unreadable entry size at byte 0/) });
  });

  it("refuses a source, an index.json or a blob that is a FIFO or a link to a device, instead of blocking or reading forever", async () => {
    const fifo = join(scratch("fifo"), "source");
    execFileSync("mkfifo", [fifo]);
    expect(await bomCli(fifo)).toMatchObject({ code: 1, stderr: expect.stringMatching(/is neither a regular file nor a directory/) });

    const fifoIndex = writeLayoutDir([{ platform: { os: "linux", architecture: "amd64" }, bom, attest: true }], scratch("fifo-index"));
    rmSync(join(fifoIndex, "index.json"));
    execFileSync("mkfifo", [join(fifoIndex, "index.json")]);
    expect(await bomCli(fifoIndex)).toMatchObject({ code: 1, stderr: expect.stringMatching(/index\.json is not a regular file \(a device, FIFO or socket\)/) });

    const deviceIndex = writeLayoutDir([{ platform: { os: "linux", architecture: "amd64" }, bom, attest: true }], scratch("device-index"));
    rmSync(join(deviceIndex, "index.json"));
    symlinkSync("/dev/zero", join(deviceIndex, "index.json"));
    expect(await bomCli(deviceIndex)).toMatchObject({ code: 1, stderr: expect.stringMatching(/index\.json is not a regular file/) });

    const deviceBlob = writeLayoutDir([{ platform: { os: "linux", architecture: "amd64" }, bom, attest: true }], scratch("device-blob"));
    const index = JSON.parse(execFileSync("cat", [join(deviceBlob, "index.json")], { encoding: "utf8" })) as { manifests: { digest: string }[] };
    const top = join(deviceBlob, "blobs", "sha256", index.manifests[0]!.digest.slice(7));
    rmSync(top);
    symlinkSync("/dev/urandom", top);
    expect(await bomCli(deviceBlob)).toMatchObject({ code: 1, stderr: expect.stringMatching(/blobs\/sha256\/[0-9a-f]{64} is not a regular file/) });
  });

  it("refuses a JSON document over 32 MiB", async () => {
    const dir = writeLayoutDir([{ platform: { os: "linux", architecture: "amd64" }, bom, attest: true }], scratch("big-json"));
    writeFileSync(join(dir, "index.json"), `{"manifests": [], "pad": "${"x".repeat(33 * 1024 * 1024)}"}`);
    expect(await bomCli(dir)).toMatchObject({ code: 1, stderr: expect.stringMatching(/index\.json is 33 MiB, more than the 32 MiB slipway reads of one document/) });
    const file = join(dir, "bom.json");
    writeFileSync(file, `{"pad": "${"x".repeat(33 * 1024 * 1024)}"}`);
    await expect(readBomSource(file)).rejects.toThrow(/the file is 33 MiB, more than the 32 MiB/);
  });

  it("walks a fan-out of nested indexes once per digest", async () => {
    // index.json → 40 × the same index A → 40 × the same index B → one image: 64 000 paths, 3 digests
    const dir = writeLayoutDir([{ platform: { os: "linux", architecture: "amd64" }, bom, attest: true }], scratch("fan-out"));
    const inner = JSON.parse(execFileSync("cat", [join(dir, "index.json")], { encoding: "utf8" })) as { manifests: { digest: string; mediaType: string }[] };
    const blobs = new Blobs();
    const indexType = "application/vnd.oci.image.index.v1+json";
    const b = blobs.json({ schemaVersion: 2, mediaType: indexType, manifests: Array.from({ length: 40 }, () => inner.manifests[0]) }, indexType);
    const a = blobs.json({ schemaVersion: 2, mediaType: indexType, manifests: Array.from({ length: 40 }, () => b) }, indexType);
    for (const [digest, blob] of blobs.byDigest) writeFileSync(join(dir, "blobs", "sha256", digest.slice(7)), blob.bytes);
    writeFileSync(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, mediaType: indexType, manifests: Array.from({ length: 40 }, () => a) }));
    const store = layoutStore(dir, directoryReader(dir));
    const fetched: string[] = [];
    const counting: ImageStore = { ...store, manifest: (d) => (fetched.push(d), store.manifest(d)) };
    const found = await findBomInImage(counting, undefined, [Object.keys({ "https://slipway.dev/bom/v1": 0 })[0]!]);
    expect(found.platform).toBe("linux/amd64");
    expect(fetched.filter((d) => d === a.digest || d === b.digest || d === inner.manifests[0]!.digest)).toEqual([a.digest, b.digest, inner.manifests[0]!.digest]);
    expect((await bomCli(dir)).code).toBe(0);
  });

  it("refuses a layout that names more than 1000 manifests", async () => {
    const dir = scratch("many");
    mkdirSync(join(dir, "blobs", "sha256"), { recursive: true });
    const manifests = Array.from({ length: 1001 }, (_, i) => ({ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: `sha256:${i.toString(16).padStart(64, "0")}`, size: 1 }));
    writeFileSync(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests }));
    expect(await bomCli(dir)).toMatchObject({ code: 1, stderr: expect.stringMatching(/names more than 1000 manifests and indexes/) });
  });

  it("reads registry blobs of at most 32 MiB for a BOM, while a reader of layers may raise the bound", async () => {
    const big = Buffer.alloc(33 * 1024 * 1024, 1);
    const digest = `sha256:${(await import("node:crypto")).createHash("sha256").update(big).digest("hex")}`;
    const fetch = (async () => new Response(big, { status: 200 })) as unknown as typeof globalThis.fetch;
    await expect(registryStore("127.0.0.1:5000/app:1", { fetch }).blob(digest)).rejects.toThrow(/blob sha256:[0-9a-f]{64} is more than the 32 MiB/);
    expect((await registryStore("127.0.0.1:5000/app:1", { fetch, maxBlobBytes: 64 * 1024 * 1024 }).blob(digest)).length).toBe(big.length);
  });
});
