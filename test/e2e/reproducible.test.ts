import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildx, must, REPO, scratchDir } from "./harness.js";
import { extractOci } from "./oci.js";

/**
 * Bit-identical images (issue 9): the same declaration, lock and context give the same image on a clean
 * daemon, with no flag at all. Each pair of builds has BuildKit's whole cache pruned before it, so nothing
 * of the first build (a snapshot, a downloaded .deb, a step's result) can stand in for the second's work.
 *
 * The lab's debian:bookworm tag is shared with other tests that may push to it, so the base image is pinned
 * for the length of this file with a named context: a tag moving between two builds is a changed input, not
 * what is tested here.
 */
const EPOCH = 1700000000;

interface Descriptor {
  mediaType: string;
  digest: string;
  annotations?: Record<string, string>;
}

interface Exported {
  readonly manifest: string;
  readonly config: string;
  readonly layers: readonly string[];
  readonly created: string;
  readonly history: readonly { created?: string; created_by?: string }[];
  /** Tar listings of the layers, keyed by digest: `[mtime in seconds, path]`. */
  readonly entries: (layer: string) => [number, string][];
}

function blob(dir: string, digest: string): Buffer {
  return readFileSync(join(dir, "blobs", ...digest.split(":")));
}

/** The image manifest of an OCI tar (through BuildKit's nested index, skipping attestation manifests). */
function readExport(tar: string): Exported {
  const dir = extractOci(tar);
  let manifests = (JSON.parse(readFileSync(join(dir, "index.json"), "utf8")) as { manifests: Descriptor[] }).manifests;
  while (manifests.length === 1 && manifests[0]!.mediaType.includes("index")) {
    manifests = (JSON.parse(blob(dir, manifests[0]!.digest).toString("utf8")) as { manifests: Descriptor[] }).manifests;
  }
  const image = manifests.filter((m) => m.annotations?.["vnd.docker.reference.type"] !== "attestation-manifest");
  expect(image).toHaveLength(1);
  const manifest = JSON.parse(blob(dir, image[0]!.digest).toString("utf8")) as { config: Descriptor; layers: Descriptor[] };
  const config = JSON.parse(blob(dir, manifest.config.digest).toString("utf8")) as { created: string; history: { created?: string; created_by?: string }[] };
  return {
    manifest: image[0]!.digest,
    config: manifest.config.digest,
    layers: manifest.layers.map((l) => l.digest),
    created: config.created,
    history: config.history,
    entries: (layer) =>
      must("tar", ["--full-time", "--numeric-owner", "-tvzf", join(dir, "blobs", ...layer.split(":"))], { env: { TZ: "UTC" } })
        .stdout.split("\n")
        .filter(Boolean)
        .map((line) => {
          const m = /^\S+ \S+\s+\d+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (.*?)(?: -> .*| link to .*)?$/.exec(line);
          if (!m) throw new Error(`unreadable tar listing line: ${line}`);
          return [Date.parse(`${m[1]!.replace(" ", "T")}Z`) / 1000, m[2]!] as [number, string];
        }),
  };
}

let pinnedDebian = "";

beforeAll(() => {
  const inspected = must("docker", ["buildx", "imagetools", "inspect", "127.0.0.1:5000/library/debian:bookworm", "--format", "{{json .Manifest}}"]).stdout;
  pinnedDebian = (JSON.parse(inspected) as { digest: string }).digest;
});

function pinBase(example: string): string[] {
  return example === "scratch-assets" ? [] : ["--build-context", `debian:bookworm=docker-image://docker.io/library/debian:bookworm@${pinnedDebian}`];
}

/** A build of an example to an OCI tar on a daemon whose build cache was pruned just before. */
async function cleanBuild(example: string, name: string, buildArgs: Record<string, string> = {}): Promise<Exported> {
  must("docker", ["buildx", "prune", "-af"]);
  return build(example, name, buildArgs);
}

async function build(example: string, name: string, buildArgs: Record<string, string> = {}): Promise<Exported> {
  const tar = join(scratchDir(`repro-${example}`), `${name}.tar`);
  const r = await buildx(join(REPO, "examples", example), { viaBuildArg: true, buildArgs, output: `type=oci,dest=${tar}`, extra: pinBase(example) });
  expect(r.code, r.output).toBe(0);
  return readExport(tar);
}

function expectIdentical(a: Exported, b: Exported): void {
  expect(b.layers).toEqual(a.layers);
  expect(b.config).toBe(a.config);
  expect(b.manifest).toBe(a.manifest);
}

describe.each(["scratch-assets", "hello-step", "debian-tools"])("examples/%s", (example) => {
  it("gives the same manifest, config and layers from two clean builds, with no SOURCE_DATE_EPOCH and no exporter option", async () => {
    const first = await cleanBuild(example, "first");
    const second = await cleanBuild(example, "second");
    expectIdentical(first, second);
    // the default epoch is never the clock: the base image's created, or 1970 for scratch
    if (example === "scratch-assets") expect(first.created).toBe("1970-01-01T00:00:00Z");
    expect(first.history.filter((h) => h.created_by?.startsWith("slipway:")).every((h) => h.created === first.created)).toBe(true);
  });
});

describe.each(["hello-step", "debian-tools"])("examples/%s with SOURCE_DATE_EPOCH=1700000000", (example) => {
  it("is identical from two clean builds, created at the epoch, with no file slipway wrote after it; another epoch, another image", async () => {
    const first = await cleanBuild(example, "first", { SOURCE_DATE_EPOCH: String(EPOCH) });
    const second = await cleanBuild(example, "second", { SOURCE_DATE_EPOCH: String(EPOCH) });
    expectIdentical(first, second);
    expect(first.created).toBe("2023-11-14T22:13:20Z");
    const added = first.history.filter((h) => h.created_by?.startsWith("slipway:"));
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((h) => h.created === "2023-11-14T22:13:20Z")).toBe(true);

    // the layers slipway wrote are those after the base image's (each has its history entry)
    const baseLayers = first.layers.length - added.length;
    expect(baseLayers).toBe(1);
    for (const layer of first.layers.slice(baseLayers)) {
      const entries = first.entries(layer);
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.filter(([mtime]) => mtime > EPOCH).map(([, path]) => path)).toEqual([]);
    }

    const other = await build(example, "other", { SOURCE_DATE_EPOCH: String(EPOCH + 86400) });
    expect(other.manifest).not.toBe(first.manifest);
    expect(other.created).toBe("2023-11-15T22:13:20Z");
  });
});

describe("docker buildx build --load", () => {
  it("gives the same image ID from two clean builds", async () => {
    // one name for both: BuildKit names the image in the BOM attestations' subjects, which the ID covers
    const tag = "slipway-e2e/reproducible:load";
    const ids: string[] = [];
    for (const _ of [1, 2]) {
      must("docker", ["buildx", "prune", "-af"]);
      const r = await buildx(join(REPO, "examples", "hello-step"), { viaBuildArg: true, tag, extra: pinBase("hello-step") });
      expect(r.code, r.output).toBe(0);
      ids.push(must("docker", ["image", "inspect", "--format", "{{.Id}}", tag]).stdout.trim());
      must("docker", ["image", "rm", tag]);
    }
    expect(ids[0]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(ids[1]).toBe(ids[0]);
  });
});
