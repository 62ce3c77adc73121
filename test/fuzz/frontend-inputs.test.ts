import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { buildBom, isBomInputError, isBomReadError, PREDICATE_TYPES, readBomJson, readEstaleiroYaml, writeBomJson, writeEstaleiroYaml } from "../../frontend/bom/index.js";
import { findBomInImage, LayerBlobError, layerTar, layoutStore, openTar, readTarStream, sha256Hex, TarFormatError } from "../../frontend/oci/index.js";
import { parseVars } from "../../frontend/cli/args.js";
import { isUsageError } from "../../frontend/cli/streams.js";
import { findLockEntry, installPackages, parseLock, resolveAptFromLock } from "../../frontend/debian/index.js";
import { loadDeclaration, SourceFile, type Diagnostic } from "../../grammar/index.js";
import { image, marshal, parsePlatform } from "../../llb/index.js";
import { debianInputs } from "../bom/fixtures.js";
import { buildImage, tarDirectory, writeLayoutDir } from "../bom/oci-fixture.js";
import { fuzzLayer } from "./watchdog.js";

/**
 * Fuzzing every layer a user's bytes reach after the declaration: the lock reader (and what a build does
 * with a lock: the checks against the declaration, the install step's LLB), the tar, OCI and BOM
 * document readers of `slipway bom`, and `--var` values converted to typed variables. Inputs are
 * mutations of real ones (a recorded lock, an exported image, a BOM) plus arbitrary data, from a fixed
 * seed (SLIPWAY_FUZZ_SEED picks another); each runs under the watchdog of watchdog.ts, and the counts per
 * layer are printed.
 */
const seed = Number(process.env["SLIPWAY_FUZZ_SEED"] ?? 20261207);
const REPO = new URL("../../", import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// -- mutating JSON ------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path into a JSON value, as lists of keys and indexes. */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === "object") for (const k of Object.keys(v)) paths(v[k]!, [...at, k], out);
  return out;
}

const extremes: Json[] = [2 ** 60, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2, "", "a\nb", "../../x", "\u0000", "x".repeat(5000), [], {}, null, true, "sha256:" + "0".repeat(64), "http://evil.example/x"];

/** Applies `ops` (each a path choice, an operation and a value) to a copy of `base`. */
function mutate(base: Json, ops: readonly [number, number, Json][]): Json {
  let root = structuredClone(base);
  for (const [p, op, value] of ops) {
    const all = paths(root);
    const path = all[p % all.length]!;
    if (path.length === 0) {
      root = op % 5 === 0 ? value : root;
      continue;
    }
    const parent = path.slice(0, -1).reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, root) as Record<string | number, Json> | Json[];
    const key = path[path.length - 1]!;
    switch (op % 5) {
      case 0:
        (parent as Record<string | number, Json>)[key] = value;
        break;
      case 1:
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete (parent as Record<string, Json>)[key];
        break;
      case 2:
        if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]!));
        else (parent as Record<string, Json>)[`${key}`] = structuredClone((parent as Record<string, Json>)[key]!);
        break;
      case 3:
        (parent as Record<string | number, Json>)[key] = extremes[p % extremes.length]!;
        break;
      default:
        if (Array.isArray(parent)) parent.reverse();
        else (parent as Record<string | number, Json>)[key] = JSON.stringify((parent as Record<string | number, Json>)[key]);
    }
  }
  return root;
}

const jsonOps = fc.array(fc.tuple(fc.nat(), fc.nat(), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>), { minLength: 1, maxLength: 4 });

/** Byte-level damage: flips, truncation, insertion, driven by `ops`. */
function damage(bytes: Uint8Array, ops: readonly [number, number][]): Uint8Array {
  let out = Buffer.from(bytes);
  for (const [at, b] of ops) {
    const i = at % Math.max(out.length, 1);
    switch (b % 4) {
      case 0:
        out[i] = b & 0xff;
        break;
      case 1:
        out = out.subarray(0, i);
        break;
      case 2:
        out = Buffer.concat([out.subarray(0, i), Buffer.alloc(1 + (b % 700), b & 0xff), out.subarray(i)]);
        break;
      default:
        out[i] = 0x30 + (b % 8); // an octal digit, where headers keep their sizes
    }
  }
  return out;
}

const byteOps = fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 });

const sample = <T>(arb: fc.Arbitrary<T>, n: number, offset: number): T[] => fc.sample(arb, { numRuns: n, seed: seed + offset });

const unlocated = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((d) => d.severity === "error" && d.subject === undefined);

// -- the layers ------------------------------------------------------------------------------------------------

describe("fuzzing the frontend's readers", () => {
  it("the lock reader, and a build from the lock (the checks, the install LLB)", async () => {
    const lockText = readFileSync(`${REPO}test/cli/fixtures/debian-tools.lock.json`, "utf8");
    const declaration = readFileSync(`${REPO}examples/debian-tools/slipway.hcl`, "utf8");
    const apt = loadDeclaration(new SourceFile("slipway.hcl", declaration)).value!.images[0]!.apt;
    const base = JSON.parse(lockText) as Json;
    const texts = [
      ...sample(jsonOps, 1500, 1).map((ops) => JSON.stringify(mutate(base, ops), null, 2)),
      ...sample(byteOps, 300, 2).map((ops) => Buffer.from(damage(Buffer.from(lockText), ops)).toString("utf8")),
      ...sample(fc.oneof(fc.string(), fc.json({ maxDepth: 4 })), 200, 3),
    ];
    const report = await fuzzLayer("lock", texts, async (text) => {
      const parsed = parseLock(text, "slipway.lock.json");
      if (unlocated(parsed.diagnostics).length > 0) throw new Error("an unlocated lock diagnostic");
      if (!parsed.value) return;
      const entry = findLockEntry(parsed.value, "debian-tools", "amd64");
      const result = await resolveAptFromLock({ apt, image: "debian-tools", architecture: "amd64", baseImage: { ref: "debian:bookworm" } }, entry);
      if (unlocated(result.diagnostics).length > 0) throw new Error(`an unlocated diagnostic: ${result.diagnostics[0]!.summary}`);
      if (result.value) marshal(installPackages(image("debian:bookworm"), result.value), { platform: parsePlatform("linux/amd64") });
    });
    expect(report.crashes).toEqual([]);
    expect(report.slow.length + report.heavy.length).toBe(0);
  });

  it("the tar reader: streamed, indexed from a file, gzip-compressed, and a zstd layer", async () => {
    const layout = writeLayoutDir([{ platform: { os: "linux", architecture: "amd64" }, bom: buildBom(debianInputs()), attest: true }]);
    dirs.push(layout);
    const tar = readFileSync(tarDirectory(layout, "pax"));
    const gnu = readFileSync(tarDirectory(layout, "gnu"));
    const damaged = sample(fc.tuple(fc.boolean(), byteOps), 1500, 4).map(([pax, ops]) => damage(pax ? tar : gnu, ops));
    const streamed = await fuzzLayer(
      "tar (stream)",
      damaged,
      async (bytes) => {
        async function* chunks() {
          for (let i = 0; i < bytes.length; i += 4096) yield bytes.subarray(i, i + 4096);
        }
        for await (const _ of readTarStream(chunks(), () => true));
      },
      { expected: (e) => e instanceof TarFormatError },
    );
    const dir = mkdtempSync(join(tmpdir(), "slipway-fuzz-tar-"));
    dirs.push(dir);
    const files = [...damaged.slice(0, 300), ...damaged.slice(300, 400).map((b) => gzipSync(b)), ...sample(byteOps, 100, 5).map((ops) => damage(gzipSync(tar), ops))];
    const indexed = await fuzzLayer(
      "tar (file)",
      files,
      async (bytes) => {
        const path = join(dir, "image.tar");
        writeFileSync(path, bytes);
        const archive = await openTar(path);
        try {
          for (const name of archive.names) await archive.read(name);
        } finally {
          await archive.close();
        }
      },
      { expected: (e) => e instanceof TarFormatError },
    );
    // a layer as zstd (test/fixtures/zstd: the CLI's compressed blocks), damaged, read as slipway diff
    // and slipway lock read layers: decompressed (at most 64 MiB here) into the tar reader
    const zstd = readFileSync(join(REPO, "test/fixtures/zstd/layer.tar.zst"));
    const layers = await fuzzLayer(
      "tar (zstd layer)",
      sample(byteOps, 800, 6).map((ops) => damage(zstd, ops)),
      async (bytes) => {
        async function* capped() {
          let total = 0;
          for await (const chunk of layerTar(bytes)) {
            if ((total += chunk.length) > 64 * 1024 * 1024) throw new TarFormatError("over the fuzz's 64 MiB");
            yield chunk;
          }
        }
        for await (const _ of readTarStream(capped(), () => true));
      },
      { expected: (e) => e instanceof TarFormatError || e instanceof LayerBlobError },
    );
    for (const r of [streamed, indexed, layers]) {
      expect(r.crashes).toEqual([]);
      expect(r.slow.length + r.heavy.length).toBe(0);
    }
  });

  it("the OCI image reader (indexes, manifests, configs, attestations) and the BOM documents", async () => {
    const bom = buildBom(debianInputs());
    const { blobs, index } = buildImage([{ platform: { os: "linux", architecture: "amd64" }, bom, attest: true, label: true }]);
    const documents = new Map<string, string>([["index.json", JSON.stringify(index)], ...[...blobs.byDigest].map(([d, b]) => [d, b.bytes.toString("utf8")] as [string, string])]);
    const jsonNames = [...documents.keys()].filter((k) => k === "index.json" || blobs.byDigest.get(k)!.mediaType.includes("json"));
    const images = sample(fc.array(fc.tuple(fc.nat(), jsonOps), { minLength: 1, maxLength: 3 }), 1000, 6).map((edits) => {
      const docs = new Map(documents);
      for (const [which, ops] of edits) {
        const name = jsonNames[which % jsonNames.length]!;
        docs.set(name, JSON.stringify(mutate(JSON.parse(docs.get(name)!) as Json, ops)));
      }
      // Half the time the mutated blobs are stored under their new digests and every reference to them
      // follows, so that the reader gets past digest verification to the content.
      if (edits[0]![0] % 2 === 0) rehash(docs);
      return docs;
    });
    const wanted = [PREDICATE_TYPES.model, PREDICATE_TYPES.spdx, PREDICATE_TYPES.cyclonedx];
    const oci = await fuzzLayer(
      "oci",
      images,
      async (docs) => {
        const read = async (path: string) => {
          const text = path === "index.json" ? docs.get(path) : docs.get(path.replace(/^blobs\/sha256\//, "sha256:"));
          return text === undefined ? undefined : Buffer.from(text);
        };
        const found = await findBomInImage(layoutStore("fuzz", read), undefined, wanted);
        const model = found.predicates.get(PREDICATE_TYPES.model);
        if (model !== undefined) readBomJson(model);
      },
      { expected: (e) => isBomReadError(e) || isBomInputError(e) },
    );
    const json = JSON.parse(writeBomJson(bom)) as Json;
    const yaml = writeEstaleiroYaml(bom);
    const texts = [
      ...sample(jsonOps, 500, 7).map((ops) => ({ kind: "json", text: JSON.stringify(mutate(json, ops)) })),
      ...sample(byteOps, 300, 8).map((ops) => ({ kind: "yaml", text: Buffer.from(damage(Buffer.from(yaml), ops)).toString("utf8") })),
    ];
    const docs = await fuzzLayer("bom documents", texts, (t) => (t.kind === "json" ? readBomJson(t.text) : readEstaleiroYaml(t.text)), { expected: isBomInputError });
    for (const r of [oci, docs]) {
      expect(r.crashes).toEqual([]);
      expect(r.slow.length + r.heavy.length).toBe(0);
    }
  });

  it("--var values converted to typed variables", async () => {
    const text = readFileSync(`${REPO}test/grammar/valid/variables-and-functions.hcl`, "utf8");
    const file = new SourceFile("slipway.hcl", text);
    const names = ["version", "ports", "debug", "extra_labels", "registry", "estaleiro-commit", "", "=", "x y"];
    const value = fc.oneof(
      fc.string(),
      fc.json({ maxDepth: 3 }),
      fc.constantFrom("true", "false", "1e308", "-0", "9007199254740993", "1,2,3", "[1,2]", '{"a":[1]}', "v1.2", "\u0000", "a\nb", "${x}", "%{if}"),
      fc.integer().map(String),
    );
    const args = sample(fc.array(fc.tuple(fc.constantFrom(...names), fc.constantFrom("=", "", "=="), value).map(([n, eq, v]) => `${n}${eq}${v}`), { maxLength: 5 }), 1500, 9);
    const report = await fuzzLayer(
      "--var",
      args,
      (list) => {
        const vars = parseVars(list);
        const result = loadDeclaration(file, { vars, readFile: () => ({ kind: "missing" }) });
        if (unlocated(result.diagnostics).length > 0) throw new Error(`an unlocated diagnostic: ${result.diagnostics[0]!.summary}`);
      },
      { expected: isUsageError },
    );
    expect(report.crashes).toEqual([]);
    expect(report.slow.length + report.heavy.length).toBe(0);
  });
});

/** Renames each blob whose text no longer matches its digest, and points every reference at the new one. */
function rehash(docs: Map<string, string>): void {
  for (let round = 0; round < 6; round++) {
    let changed = false;
    for (const [key, text] of [...docs]) {
      if (key === "index.json") continue;
      const actual = `sha256:${sha256Hex(Buffer.from(text))}`;
      if (actual === key) continue;
      changed = true;
      docs.delete(key);
      docs.set(actual, text);
      for (const [k, t] of docs) if (t.includes(key)) docs.set(k, t.split(key).join(actual));
    }
    if (!changed) return;
  }
}

// The system tar must be there for the fixtures (as for test/bom).
execFileSync("tar", ["--version"]);
