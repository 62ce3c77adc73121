import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build as esbuild } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import type { ImageDiff } from "../../frontend/image-diff/index.js";
import { buildx, project, REGISTRY, REPO, run, scratchDir, syntaxLine, type Run } from "./harness.js";

/**
 * `slipway diff` on images BuildKit really built: the CLI bundled as users run it (`node slipway.cjs`),
 * against OCI archives and lab-registry references.
 */

let cli: string;
beforeAll(async () => {
  cli = join(scratchDir("diff-cli"), "slipway.cjs");
  await esbuild({ entryPoints: [join(REPO, "frontend/cli/bin.ts")], bundle: true, platform: "node", target: "node20", format: "cjs", outfile: cli, logLevel: "warning" });
});

const slipwayDiff = (...args: string[]) => run("node", [cli, "diff", ...args], { timeoutMs: 300_000 });

/** The example's declaration with this checkout's frontend, in a fresh project directory. */
function example(name: string): string {
  const declaration = readFileSync(join(REPO, "examples", name, "slipway.hcl"), "utf8").replace(/^# syntax=.*\n/, syntaxLine());
  return project(`diff-${name}`, { "slipway.hcl": declaration, "assets.tgz": readFileSync(join(REPO, "examples", name, "assets.tgz")) });
}

async function exportOci(dir: string, name: string, imageName?: string, exporterOptions = ""): Promise<string> {
  const tar = join(scratchDir(`diff-${name}`), "image.tar");
  const r = await buildx(dir, { output: `type=oci,dest=${tar}${imageName !== undefined ? `,name=${imageName}` : ""}${exporterOptions}` });
  expect(r.code, r.output.slice(-4000)).toBe(0);
  return tar;
}

function expectIdentical(r: Run): void {
  expect(r.stderr).toBe("");
  expect(r.stdout).toMatch(/^identical \(sha256:[0-9a-f]{64}\)\n$/);
  expect(r.code).toBe(0);
}

describe("slipway diff", () => {
  it("says identical, exit 0, for two exports and a push of one build", async () => {
    const dir = example("scratch-assets");
    // one name for all three: BuildKit writes the image's name into its attestations' subjects
    const ref = `${REGISTRY}/slipway-e2e/diff:scratch-assets`;
    const a = await exportOci(dir, "a", ref);
    const pushed = await buildx(dir, { output: `type=image,name=${ref},push=true` });
    expect(pushed.code, pushed.output.slice(-4000)).toBe(0);
    const b = await exportOci(dir, "b", ref);
    expectIdentical(slipwayDiff(a, b));
    expectIdentical(slipwayDiff(ref, b));
    const digest = /^identical \((sha256:[0-9a-f]{64})\)$/m.exec(slipwayDiff(a, ref).stdout)?.[1];
    expectIdentical(slipwayDiff(`${REGISTRY}/slipway-e2e/diff@${digest}`, a));
  });

  it("names exactly the one context file that differs between two builds", async () => {
    const dir = project("diff-context", contextFiles());
    const a = await exportOci(dir, "context-a");
    writeFileSync(join(dir, "a.conf"), "alpha = 2\n");
    const b = await exportOci(dir, "context-b");

    const r = slipwayDiff("--json", a, b);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const diff = JSON.parse(r.stdout) as ImageDiff;
    expect(diff.identical).toBe(false);
    expect(changedFiles(diff)).toEqual(["changed /etc/app/a.conf content"]);

    const text = slipwayDiff(a, b);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^ {4}~ \/etc\/app\/a\.conf {2}content sha256:[0-9a-f]{12} → sha256:[0-9a-f]{12} \(10 → 10 bytes\)$/m);
  });

  it("reads zstd layers as BuildKit writes them", async () => {
    const dir = project("diff-zstd", contextFiles());
    const zstd = ",compression=zstd,force-compression=true";
    const a = await exportOci(dir, "zstd-a", undefined, zstd);
    writeFileSync(join(dir, "a.conf"), "alpha = 2\n");
    const b = await exportOci(dir, "zstd-b", undefined, zstd);
    const layerTypes = ociLayerMediaTypes(b);
    expect(layerTypes.length).toBeGreaterThan(0);
    expect(layerTypes.every((t) => t.endsWith("+zstd")), layerTypes.join(", ")).toBe(true);

    const r = slipwayDiff("--json", a, b);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(changedFiles(JSON.parse(r.stdout) as ImageDiff)).toEqual(["changed /etc/app/a.conf content"]);
  });
  it("refuses input that is not an image with one line naming it, exit 2", () => {
    const dir = scratchDir("diff-garbage");
    writeFileSync(join(dir, "notes.txt"), "not an image\n");
    const cases: [string[], RegExp][] = [
      [[join(dir, "missing.tar"), join(dir, "notes.txt")], /missing\.tar: no such file or directory, and not an image reference/],
      [[join(dir, "notes.txt"), join(dir, "notes.txt")], /notes\.txt: is neither a tar archive nor a directory, so not an OCI layout$/],
      [[dir, dir], /: is a directory but not an OCI layout \(it has no index\.json\)$/],
      [[`${REGISTRY}/slipway-e2e/diff:no-such-tag`, `${REGISTRY}/slipway-e2e/diff:scratch-assets`], /^slipway diff: 127\.0\.0\.1:5000\/slipway-e2e\/diff:no-such-tag: \/v2\/slipway-e2e\/diff\/manifests\/no-such-tag not found on the registry$/],
      [["Not::A Reference", join(dir, "notes.txt")], /^slipway diff: Not::A Reference: no such file or directory, and not an image reference/],
    ];
    for (const [args, pattern] of cases) {
      const r = slipwayDiff(...args);
      expect(r.stdout, args.join(" ")).toBe("");
      expect(r.stderr, args.join(" ")).toMatch(/^slipway diff: [^\n]+\n$/);
      expect(r.stderr.trimEnd(), args.join(" ")).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\bat .*\.(ts|js|cjs):\d+/);
      expect(r.code, args.join(" ")).toBe(2);
    }
  });
});

/** Two context files copied into a scratch image. */
function contextFiles(): Record<string, string> {
  return {
    "slipway.hcl": `${syntaxLine()}image "ctx" {
  base_image = "scratch"
  file "/etc/app/a.conf" {
    from_context {
      path = "a.conf"
    }
  }
  file "/etc/app/b.conf" {
    from_context {
      path = "b.conf"
    }
  }
}
`,
    "a.conf": "alpha = 1\n",
    "b.conf": "beta = 1\n",
  };
}

function changedFiles(diff: ImageDiff): string[] {
  return diff.images.flatMap((i) => i.layers.flatMap((l) => l.files.map((f) => `${f.change} ${f.path} ${f.fields.join(",")}`)));
}

/** The media types of the layers of every image manifest in an OCI archive (attestations left out). */
function ociLayerMediaTypes(archive: string): string[] {
  const blob = (digest: string) => JSON.parse(execFileSync("tar", ["-xOf", archive, `blobs/sha256/${digest.slice("sha256:".length)}`], { encoding: "utf8" })) as { manifests?: { digest: string; mediaType: string; annotations?: Record<string, string> }[]; layers?: { mediaType: string }[] };
  const index = JSON.parse(execFileSync("tar", ["-xOf", archive, "index.json"], { encoding: "utf8" })) as { manifests: { digest: string }[] };
  const out: string[] = [];
  const walk = (digest: string): void => {
    const doc = blob(digest);
    for (const m of doc.manifests ?? []) if (m.annotations?.["vnd.docker.reference.type"] !== "attestation-manifest") walk(m.digest);
    for (const l of doc.layers ?? []) out.push(l.mediaType);
  };
  for (const m of index.manifests) walk(m.digest);
  return out;
}
