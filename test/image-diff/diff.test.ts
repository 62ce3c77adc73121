import { createHash, randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDiffCommand } from "../../frontend/cli/commands/diff.js";
import { memoryIO } from "../../frontend/cli/memory-io.js";
import { DEFAULT_LIMITS, type ImageDiff, type ImageDiffLimits } from "../../frontend/image-diff/index.js";
import { tarDirectory, tempDir } from "../bom/oci-fixture.js";
import { tar, TestRegistry, type TarSpec } from "../cli/registry-fixture.js";
import { ZSTD_DESCRIPTOR, ZSTD_MAGIC, zstdFrame, zstdWindow } from "../support/zstd.js";
import { indexDigest, writeLayout, type TestImage } from "./fixture.js";

const T0 = 1_700_000_000;
const base: readonly TarSpec[] = [
  { name: "etc", type: "directory", mode: 0o755, mtime: T0 },
  { name: "etc/hostname", content: "box\n", mtime: T0 },
  { name: "usr/bin/tool", content: "#!/bin/sh\n", mode: 0o755, mtime: T0 },
];
const app: readonly TarSpec[] = [
  { name: "app", type: "directory", mode: 0o755, mtime: T0 },
  { name: "app/config.json", content: '{"a":1}\n', mtime: T0 },
  { name: "app/data.txt", content: "data\n", mtime: T0 },
  { name: "app/current", type: "symlink", link: "config.json", mode: 0o777, mtime: T0 },
];

/** The image with the second layer's entries changed by `edit`. */
function withApp(edit: (entries: TarSpec[]) => TarSpec[], extra: Partial<TestImage> = {}): TestImage {
  return { layers: [base, edit([...app])], ...extra };
}
const same = (e: TarSpec[]) => e;
const replace = (name: string, change: Partial<TarSpec>) => (e: TarSpec[]) => e.map((x) => (x.name === name ? { ...x, ...change } : x));

const short = (content: string) => `sha256:${createHash("sha256").update(content).digest("hex").slice(0, 12)}`;

/** Runs `slipway diff A B` in-process on the real disk; A and B are absolute paths or references. */
async function diff(a: string, b: string, flags: readonly string[] = [], limits?: ImageDiffLimits) {
  const { io, out } = memoryIO({});
  const code = await runDiffCommand([...flags, a, b], io, limits ? { limits } : {});
  return { code, ...out };
}

async function diffJson(a: TestImage[], b: TestImage[]): Promise<ImageDiff> {
  const r = await diff(writeLayout(a), writeLayout(b), ["--json"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(1);
  return JSON.parse(r.stdout) as ImageDiff;
}

describe("slipway diff: what differs", () => {
  it("says identical, exit 0, for two exports of one image, and reads no layer", async () => {
    const a = writeLayout([withApp(same)]);
    const b = writeLayout([withApp(same)]);
    const r = await diff(a, b);
    expect(r).toEqual({ code: 0, stdout: `identical (${indexDigest(a)})\n`, stderr: "" });
    // equal digests are the end of it: not even a damaged layer blob is read
    const blobs = join(b, "blobs/sha256");
    for (const name of readdirSync(blobs)) if (statSync(join(blobs, name)).size > 100 && readFileSync(join(blobs, name))[0] === 0x1f) writeFileSync(join(blobs, name), "damaged");
    expect((await diff(a, b)).code).toBe(0);
  });

  it("names a file added, removed, or changed in content, mode, owner, mtime or link target", async () => {
    const b = withApp((e) => [
      ...e.filter((x) => x.name !== "app/data.txt").map((x) => {
        if (x.name === "app/config.json") return { ...x, content: '{"a":2}\n' };
        if (x.name === "app/current") return { ...x, link: "data.txt" };
        if (x.name === "app") return { ...x, mode: 0o700 };
        return x;
      }),
      { name: "app/new", content: "new\n", uid: 1000, gid: 1000, mtime: T0 },
    ]);
    const c = withApp((e) => e.map((x) => (x.name === "app/data.txt" ? { ...x, uid: 1000, gid: 100, mtime: T0 + 60 } : x)));
    const a = writeLayout([withApp(same)]);
    const r = await diff(a, writeLayout([b]));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const fileLines = r.stdout.split("\n").filter((l) => /^ {4}[~+-] \//.test(l));
    expect(fileLines).toEqual([
      "    ~ /app  mode 0755 → 0700",
      `    ~ /app/config.json  content ${short('{"a":1}\n')} → ${short('{"a":2}\n')} (8 → 8 bytes)`,
      "    ~ /app/current  link config.json → data.txt",
      `    - /app/data.txt  file 0644 0:0 5 bytes ${short("data\n")}`,
      `    + /app/new  file 0644 1000:1000 4 bytes ${short("new\n")}`,
    ]);
    expect(r.stdout).toMatch(/^ {2}layer 2: sha256:[0-9a-f]{12} → sha256:[0-9a-f]{12}, 5 entries differ$/m);
    expect(r.stdout).not.toMatch(/layer 1/);
    expect(r.stdout).not.toMatch(/\/etc|\/usr/);

    const owner = await diff(a, writeLayout([c]));
    expect(owner.stdout).toContain("    ~ /app/data.txt  owner 0:0 → 1000:100; mtime 2023-11-14T22:13:20Z → 2023-11-14T22:14:20Z\n");
  });

  it("reports each kind in --json with full digests and both states", async () => {
    const json = await diffJson([withApp(same)], [withApp(replace("app/config.json", { content: "{}\n", mode: 0o600, type: "file" }))]);
    expect(Object.keys(json)).toEqual(["version", "identical", "a", "b", "index", "platforms", "images", "notes"]);
    expect(json.version).toBe(1);
    expect(json.identical).toBe(false);
    const [image] = json.images;
    expect(image!.platform).toBe("linux/amd64");
    expect(image!.configFields).toEqual([{ path: "rootfs.diff_ids[1]", a: expect.stringMatching(/^sha256:/), b: expect.stringMatching(/^sha256:/) }]);
    const [layer] = image!.layers;
    expect(layer!.a).toMatchObject({ number: 2, digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), diffId: image!.configFields[0]!.a });
    expect(layer!.files).toEqual([
      {
        path: "/app/config.json",
        change: "changed",
        fields: ["content", "mode"],
        a: { type: "file", mode: 0o644, uid: 0, gid: 0, mtime: T0, size: 8, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
        b: { type: "file", mode: 0o600, uid: 0, gid: 0, mtime: T0, size: 3, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      },
    ]);
    expect(layer!.onlyMtimes).toBe(false);
  });

  it("shows a change of type (a file that became a symbolic link)", async () => {
    const json = await diffJson([withApp(same)], [withApp(replace("app/data.txt", { type: "symlink", link: "config.json", content: "" }))]);
    expect(json.images[0]!.layers[0]!.files.map((f) => [f.path, f.fields])).toEqual([["/app/data.txt", ["type", "content", "link"]]]);
  });

  it("compares config fields: created, history, Env, Entrypoint, Labels", async () => {
    const r = await diff(
      writeLayout([withApp(same)]),
      writeLayout([
        withApp(same, {
          config: {
            created: "2026-12-07T01:00:00Z",
            config: { Env: ["PATH=/usr/bin:/bin", "LANG=C.UTF-8"], Entrypoint: ["/app", "--serve"], Labels: { "org.opencontainers.image.source": "x" } },
            history: [{ created: "2023-11-14T22:13:20Z", created_by: "slipway" }, { created: "2026-12-07T01:00:00Z", created_by: "slipway" }],
          },
        }),
      ]),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}config sha256:[0-9a-f]{12} → sha256:[0-9a-f]{12}$/m);
    const lines = r.stdout.split("\n").filter((l) => l.startsWith("    ") && !l.includes("/app"));
    expect(lines).toEqual([
      '    + config.Entrypoint[1]: "--serve"',
      '    + config.Env[1]: "LANG=C.UTF-8"',
      '    + config.Labels: {"org.opencontainers.image.source":"x"}',
      '    ~ created: "2023-11-14T22:13:20Z" → "2026-12-07T01:00:00Z"',
      '    ~ history[1].created: "2023-11-14T22:13:20Z" → "2026-12-07T01:00:00Z"',
    ]);
    // the layers are the same, so none is listed
    expect(r.stdout).not.toContain("layer");
  });

  it("says plainly when the files differ only in their mtimes", async () => {
    const later = (e: TarSpec[]) => e.map((x) => ({ ...x, mtime: T0 + 3600 }));
    const r = await diff(writeLayout([withApp(same)]), writeLayout([withApp(later, { config: { created: "2023-11-14T23:13:20Z" } })]));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}layer 2: .*, 4 entries differ, in mtime only$/m);
    expect(r.stdout).toContain("    ~ /app/config.json  mtime 2023-11-14T22:13:20Z → 2023-11-14T23:13:20Z\n");
    expect(r.stdout).toMatch(
      /\nsummary\n {2}linux\/amd64: the files differ only in their mtimes \(layer 2\), and the config only in times and the layer digests that follow from them\n$/,
    );
  });

  it("aligns layers by content: an added layer is named, the layers around it are not", async () => {
    const extra: TarSpec[] = [{ name: "extra.txt", content: "x", mtime: T0 }];
    const json = await diffJson([withApp(same)], [{ layers: [base, extra, app] }]);
    const [image] = json.images;
    expect(image!.layers).toHaveLength(1);
    expect(image!.layers[0]).toMatchObject({ a: null, b: { number: 2 }, files: [{ path: "/extra.txt", change: "added" }] });
    expect(image!.configFields.map((c) => c.path)).toEqual(["history[2]", "rootfs.diff_ids[1]", "rootfs.diff_ids[2]"]);

    const r = await diff(writeLayout([{ layers: [base, extra, app] }]), writeLayout([withApp(same)]));
    expect(r.stdout).toMatch(/^ {2}layer 2: only in A, sha256:[0-9a-f]{12}, 1 entry differs\n {4}- \/extra\.txt {2}file 0644 0:0 1 bytes sha256:[0-9a-f]{12}$/m);
  });

  it("compares attestations statement by statement, by predicate type", async () => {
    const statement = (name: string, version: string) => ({ predicateType: "https://slipway.dev/bom/v1", subject: [{ name, digest: { sha256: "0".repeat(64) } }], predicate: { version } });
    const spdx = { predicateType: "https://spdx.dev/Document", predicate: { spdxVersion: "SPDX-2.3" } };
    const a = withApp(same, { attestations: { "https://slipway.dev/bom/v1": statement("pkg:docker/app:one", "1"), "https://spdx.dev/Document": spdx } });
    const b = withApp(same, { attestations: { "https://slipway.dev/bom/v1": statement("pkg:docker/app:two", "1") } });
    const r = await diff(writeLayout([a]), writeLayout([b]));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^linux\/amd64: manifest sha256:[0-9a-f]{12} \(the same\)\n {2}attestation\n/m);
    expect(r.stdout).toContain('    ~ ["https://slipway.dev/bom/v1"].subject[0].name: "pkg:docker/app:one" → "pkg:docker/app:two"\n');
    expect(r.stdout).toMatch(/^ {4}- \["https:\/\/spdx\.dev\/Document"\]: "sha256:[0-9a-f]{64}"$/m);
    expect(r.stdout).not.toContain("layer");
    const none = await diff(writeLayout([a]), writeLayout([withApp(same)]));
    expect(none.stdout).toMatch(/^ {4}- digest: "sha256:[0-9a-f]{64}"$/m);
  });

  it("tells a layer compressed differently from one whose files differ", async () => {
    const json = await diffJson([withApp(same)], [withApp(same, { plain: true })]);
    const layers = json.images[0]!.layers;
    expect(layers).toHaveLength(2);
    expect(layers.every((l) => l.files.length === 0 && l.note === "the same files, compressed differently")).toBe(true);
    expect(layers[0]!.fields).toEqual([{ path: "mediaType", a: "application/vnd.oci.image.layer.v1.tar+gzip", b: "application/vnd.oci.image.layer.v1.tar" }]);
  });

  it("compares a multi-platform index per platform", async () => {
    const amd = withApp(same);
    const arm = withApp(same, { platform: "linux/arm64" });
    const armChanged = withApp(replace("app/data.txt", { content: "other\n" }), { platform: "linux/arm64/v8" });
    const r = await diff(writeLayout([amd, arm]), writeLayout([armChanged, withApp(same, { platform: "linux/s390x" })]));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("platforms\n  - linux/amd64 (only in A)\n  + linux/s390x (only in B)\n");
    expect(r.stdout).toMatch(/^linux\/arm64: manifest sha256:[0-9a-f]{12} → sha256:[0-9a-f]{12}$/m);
    expect(r.stdout).toMatch(/^ {4}~ \/app\/data\.txt {2}content /m);

    const one = await diff(writeLayout([amd, arm]), writeLayout([amd, armChanged]), ["--platform", "linux/amd64"]);
    expect(one).toMatchObject({ code: 0, stdout: "identical\n" });
    const reordered = await diff(writeLayout([amd, arm]), writeLayout([arm, amd]));
    expect(reordered.stdout).toContain("platforms\n  ~ the index lists them in another order\n");

    // the same manifests, but the index written with other bytes: two digests are never "identical"
    const spaced = writeLayout([amd, arm]);
    const indexFile = join(spaced, "blobs/sha256", indexDigest(spaced).slice(7));
    const reindented = JSON.stringify(JSON.parse(readFileSync(indexFile, "utf8")), null, 1);
    const rewritten = createHash("sha256").update(reindented).digest("hex");
    writeFileSync(join(spaced, "blobs/sha256", rewritten), reindented);
    writeFileSync(join(spaced, "index.json"), readFileSync(join(spaced, "index.json"), "utf8").replace(indexDigest(spaced).slice(7), rewritten).replace(/"size":\d+/, `"size":${reindented.length}`));
    const bytes = await diff(writeLayout([amd, arm]), spaced);
    expect(bytes.code).toBe(1);
    expect(bytes.stdout).toMatch(/\nnote: the digests differ, but every platform's image is the same: the indexes list their manifests in other bytes or another order\n$/);
  });

  it("writes a path with control characters or spaces as a JSON string, so it cannot reach the terminal raw", async () => {
    const r = await diff(writeLayout([withApp(same)]), writeLayout([withApp((e) => [...e, { name: "app/evil\u001b[31m name\n", content: "x" }])]));
    expect(r.stdout).toContain('    + "/app/evil\\u001b[31m name\\n"  file 0644 0:0 1 bytes');
    expect(r.stdout).not.toContain("\u001b");
  });

  it("reads OCI archives (plain and gzip) and compares them with a layout directory", async () => {
    const dir = writeLayout([withApp(same)]);
    for (const archive of [tarDirectory(dir, "pax"), tarDirectory(dir, "gnu", true)]) {
      expect(await diff(archive, dir)).toEqual({ code: 0, stdout: `identical (${indexDigest(dir)})\n`, stderr: "" });
    }
    const other = tarDirectory(writeLayout([withApp(replace("app/data.txt", { content: "x" }))]), "pax");
    const r = await diff(dir, other);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^B: .*image\.tar sha256:[0-9a-f]{64}$/m);
  });

  it("reads a gzip-compressed archive's layers from a private copy, which it removes", async () => {
    const a = tarDirectory(writeLayout([withApp(same)]), "pax", true);
    const b = tarDirectory(writeLayout([withApp(replace("app/data.txt", { content: "x" }))]), "gnu", true);
    const before = unpackedCopies();
    const r = await diff(a, b, ["--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const files = (JSON.parse(r.stdout) as ImageDiff).images.flatMap((i) => i.layers.flatMap((l) => l.files.map((f) => `${f.change} ${f.path}`)));
    expect(files).toEqual(["changed /app/data.txt"]);
    expect(unpackedCopies()).toEqual(before);
  });

  it("reads an archive's layer larger than the BOM reader's 32 MiB document limit", async () => {
    // incompressible, so the layer blob itself is over 32 MiB (a real debian-tools layer is 45 MiB)
    const big = new Uint8Array(33 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 65536) big.set(randomBytes(65536), i);
    const image = (data: string) => withApp((e) => [...replace("app/data.txt", { content: data })(e), { name: "app/big.bin", content: big, mtime: T0 }]);
    const r = await diff(tarDirectory(writeLayout([image("one")]), "pax"), tarDirectory(writeLayout([image("two")]), "pax"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/app\/data\.txt/);
    expect(r.stdout).not.toMatch(/app\/big\.bin/);
  });
});

describe("slipway diff: a registry reference", () => {
  const registry = new TestRegistry();
  const layers = [[...base], [...app]];
  registry.image("team/app", "1", { layers });
  registry.image("team/app", "1-again", { layers });
  registry.image("team/app", "2", { layers: [[...base], app.map((e) => (e.name === "app/data.txt" ? { ...e, content: "changed\n" } : e))] });
  let served: Awaited<ReturnType<TestRegistry["serve"]>>;
  beforeAll(async () => {
    served = await registry.serve();
  });
  afterAll(() => served.close());

  it("says identical for two tags of one image, and names the changed file between two others", async () => {
    const same = await diff(`${served.host}/team/app:1`, `${served.host}/team/app:1-again`);
    expect(same).toMatchObject({ code: 0, stdout: expect.stringMatching(/^identical \(sha256:[0-9a-f]{64}\)\n$/) });
    const r = await diff(`${served.host}/team/app:1`, `${served.host}/team/app:2`, ["--json"]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as ImageDiff;
    expect(json.a.source).toBe(`${served.host}/team/app:1`);
    expect(json.images[0]!.layers.flatMap((l) => l.files.map((f) => f.path))).toEqual(["/app/data.txt"]);
  });
});

describe("slipway diff: input that is not an image", () => {
  const good = () => writeLayout([withApp(same)]);

  /** Exit 2, nothing on stdout, one line on stderr naming the input. */
  async function refused(a: string, b: string, pattern: RegExp, limits?: Partial<ImageDiffLimits>) {
    const r = await diff(a, b, [], limits && { ...DEFAULT_LIMITS, ...limits });
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^slipway diff: [^\n]+\n$/);
    expect(r.stderr.trimEnd()).toMatch(pattern);
    expect(r.code).toBe(2);
  }

  it("a missing file, a text file, a directory that is not a layout, a bad reference", async () => {
    const dir = tempDir("garbage");
    writeFileSync(join(dir, "notes.txt"), "hello\n");
    writeFileSync(join(dir, "manifest.json"), "[]");
    await refused(join(dir, "missing.tar"), good(), /missing\.tar: no such file or directory, and not an image reference/);
    await refused(good(), join(dir, "notes.txt"), /notes\.txt: is neither a tar archive nor a directory, so not an OCI layout$/m);
    await refused(dir, good(), /: is a directory but not an OCI layout \(it has no index\.json\)$/m);
    await refused("Not A/Reference::", good(), /^slipway diff: Not A\/Reference::: no such file or directory, and not an image reference/);
    const closed = await new TestRegistry().serve();
    await closed.close();
    await refused(`${closed.host}/none:1`, good(), new RegExp(`^slipway diff: ${closed.host}/none:1: cannot reach the registry at ${closed.host}: ECONNREFUSED$`, "m"));
  });

  it("a tar that is not a layout, a docker save archive without index.json", async () => {
    const dir = tempDir("garbage-tar");
    writeFileSync(join(dir, "manifest.json"), "[]");
    await refused(tarDirectory(dir, "pax"), good(), /image\.tar: is a `docker save` archive without an OCI index\.json/);
    const notLayout = tempDir("not-layout");
    writeFileSync(join(notLayout, "x"), "x");
    await refused(tarDirectory(notLayout, "pax"), good(), /image\.tar: is a tar archive but not an OCI layout/);
  });

  it("damaged layouts: a changed blob, broken JSON, a blob that is a FIFO or a symbolic link", async () => {
    const damaged = good();
    const digest = indexDigest(damaged);
    writeFileSync(join(damaged, "blobs/sha256", digest.slice(7)), "{}");
    await refused(damaged, good(), new RegExp(`content of ${digest} has sha256:[0-9a-f]{64}; the image is damaged or was altered$`, "m"));

    const notJson = good();
    writeFileSync(join(notJson, "index.json"), "{not json");
    await refused(notJson, good(), /: index\.json is not JSON$/m);

    const fifo = good();
    const fifoDigest = indexDigest(fifo);
    execFileSync("rm", [join(fifo, "blobs/sha256", fifoDigest.slice(7))]);
    execFileSync("mkfifo", [join(fifo, "blobs/sha256", fifoDigest.slice(7))]);
    await refused(fifo, good(), new RegExp(`: blobs/sha256/${fifoDigest.slice(7)} is not a regular file \\(a device, FIFO or socket\\); only regular files are read$`));

    const link = good();
    execFileSync("ln", ["-sf", "/dev/zero", join(link, "index.json")]);
    await refused(link, good(), /: index\.json is a symbolic link; only regular files are read$/);
  });

  it("a registry that answers with something other than a manifest", async () => {
    const answer = (body: string) => (async () => new Response(body, { status: 200, headers: { "content-type": "application/json" } })) as typeof fetch;
    for (const [body, pattern] of [
      ["<html>not json</html>", /^slipway diff: registry\.example\/team\/app:1: the manifest tagged 1 is not JSON$/],
      ['{"manifests": "nope"}', /^slipway diff: registry\.example\/team\/app:1: the image index has a "manifests" list that is not a list of descriptors$/],
      ['{"config": {"digest": "sha256:zz"}}', /^slipway diff: registry\.example\/team\/app:1: image manifest sha256:[0-9a-f]{64} is not an image manifest/],
      ["[".repeat(100) + "]".repeat(100), /: the root of the image is not a JSON object$/],
      ['{"a":' + "[".repeat(100) + "]".repeat(100) + "}", /: the root of the image nests more than 64 levels deep$/],
    ] as const) {
      const { io, out } = memoryIO({});
      expect(await runDiffCommand(["registry.example/team/app:1", "registry.example/team/app:2"], io, { fetch: answer(body) })).toBe(2);
      expect(out.stdout).toBe("");
      expect(out.stderr.trimEnd()).toMatch(pattern);
    }
  });

  it("a gzip archive that is damaged, expands past the limit, or has nowhere to be unpacked, and leaves nothing behind", async () => {
    const before = unpackedCopies();
    const dir = tempDir("gzip-bomb");
    // an index.json, then 10 MiB of zeros: 10 KiB compressed
    const bomb = join(dir, "bomb.tar.gz");
    writeFileSync(bomb, gzipSync(tar([{ name: "index.json", content: "{}" }, { name: "zeros", content: new Uint8Array(10 * 1024 * 1024) }])));
    await refused(bomb, good(), /bomb\.tar\.gz: decompresses to more than 1 MiB \(from 10(\.\d)? KiB\), the most slipway diff unpacks of a compressed archive; decompress it yourself if it is genuine$/m, { gzipArchiveBytes: 1024 * 1024 });
    const damaged = join(dir, "damaged.tar.gz");
    writeFileSync(damaged, Buffer.concat([gzipSync(tar([{ name: "index.json", content: "{}" }])).subarray(0, 20), Buffer.alloc(40, 0xff)]));
    await refused(damaged, good(), /damaged\.tar\.gz: is not valid gzip \(/m);
    expect(unpackedCopies()).toEqual(before);

    // nowhere to unpack it: a TMPDIR that does not exist
    const archive = tarDirectory(good(), "pax", true);
    const other = good();
    const tmp = process.env.TMPDIR;
    process.env.TMPDIR = join(dir, "no-such-dir");
    try {
      await refused(archive, other, /image\.tar\.gz: is compressed, and slipway diff could not unpack it into .*no-such-dir \(ENOENT\); set TMPDIR to a directory with room for the uncompressed archive, or decompress it yourself$/m);
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
    }
  });

  it("layers: not a tar, not gzip, not zstd, over the zstd window, over the decompression or entry limit", async () => {
    const a = writeLayout([{ layers: [base] }]);
    for (const [bytes, pattern] of [
      [new Uint8Array(512).fill(7), /is not a readable tar archive \(bad tar header checksum at byte 0\)$/],
      [Uint8Array.of(0x1f, 0x8b, 1, 2, 3), /is not valid gzip/],
      [Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0, 0), /is not valid zstd \(it ends inside a block header at byte 6\)$/],
      [zstdFrame([{ raw: Uint8Array.of(1) }], [...ZSTD_MAGIC, ZSTD_DESCRIPTOR, zstdWindow(20)]), /is zstd with a window of 1 GiB/],
    ] as const) {
      await refused(a, rewriteLayer(a, bytes), new RegExp(`layer sha256:[0-9a-f]{64}: ${pattern.source}`, "m"));
    }
    // 10 MiB of zeros in one file gzip to 10 KiB
    const bomb = rewriteLayer(a, gzipSync(tar([{ name: "big", content: new Uint8Array(10 * 1024 * 1024) }])));
    await refused(a, bomb, /layer sha256:[0-9a-f]{64}: expands to more than 1 MiB, the most slipway diff reads of one layer$/m, { layerBytes: 1024 * 1024 });
    await refused(good(), writeLayout([withApp(replace("app/data.txt", { content: "x" }))]), /layer sha256:[0-9a-f]{64}: has more than 2 entries$/m, { layerEntries: 2 });
  });
});

/** The layout `dir` with its one image's first layer replaced by `bytes`, every digest above it rewritten. */
function rewriteLayer(dir: string, bytes: Uint8Array): string {
  const out = tempDir("hostile");
  mkdirSync(join(out, "blobs/sha256"), { recursive: true });
  const read = (digest: string) => JSON.parse(readFileSync(join(dir, "blobs/sha256", digest.slice(7)), "utf8"));
  const put = (content: Uint8Array | string) => {
    const b = typeof content === "string" ? Buffer.from(content) : Buffer.from(content);
    const digest = `sha256:${createHash("sha256").update(b).digest("hex")}`;
    writeFileSync(join(out, "blobs/sha256", digest.slice(7)), b);
    return { digest, size: b.length };
  };
  const index = read(indexDigest(dir));
  const manifest = read(index.manifests[0].digest);
  // a consistent image whose layer is hostile: its diff_id (here the blob's digest) is rewritten too
  const layer = put(bytes);
  const config = read(manifest.config.digest);
  config.rootfs.diff_ids[0] = layer.digest;
  manifest.config = { ...manifest.config, ...put(JSON.stringify(config)) };
  manifest.layers[0] = { ...manifest.layers[0], ...layer };
  index.manifests[0] = { ...index.manifests[0], ...put(JSON.stringify(manifest)) };
  const top = put(JSON.stringify(index));
  writeFileSync(join(out, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.index.v1+json", ...top }] }));
  return out;
}

/** The private copies this process's slipway diff unpacked compressed archives into, as they are now. */
function unpackedCopies(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith(`slipway-diff-${process.pid}-`)).sort();
}
