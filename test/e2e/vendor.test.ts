import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { serveRepoCopy, startDebianRepo } from "../support/debian-repo.js";
import { buildx, must, project, REGISTRY, run, scratchDir } from "./harness.js";
import { helloDeclaration } from "./hello-declaration.js";

/**
 * Issue 10's vendoring, on the test's own signed repository over http on 127.0.0.1: `--target vendor`
 * pushed to the lab registry makes the same image again from a copy of the archive; with the archive and
 * its copy both gone and the cache pruned, a build given the vendored image installs the same image; a
 * vendored image without one package fails naming it, one with other bytes for a package fails at the
 * sha256 check naming it. Tags: slipway-e2e/vendor-*.
 */
const EPOCH = "1717200000";
const TAG = `${REGISTRY}/slipway-e2e/vendor-debs`;

/** Builds and returns the result's digest (from buildx's metadata file), or the failed run. */
async function build(dir: string, options: { target?: string; output?: string; buildArgs?: Record<string, string> } = {}) {
  const out = scratchDir("vendor-out");
  const r = await buildx(dir, {
    ...(options.target && { target: options.target }),
    output: options.output ?? `type=oci,dest=${join(out, "image.tar")},rewrite-timestamp=true`,
    buildArgs: { SOURCE_DATE_EPOCH: EPOCH, ...options.buildArgs },
    extra: ["--metadata-file", join(out, "metadata.json")],
  });
  if (r.code !== 0) return { ...r, digest: undefined };
  const metadata = JSON.parse(readFileSync(join(out, "metadata.json"), "utf8")) as Record<string, unknown>;
  return { ...r, digest: metadata["containerimage.digest"] as string };
}

function prune(): void {
  must("docker", ["buildx", "prune", "-af"], { timeoutMs: 300_000 });
}

/** A Dockerfile build pushed to the lab registry: a vendored image altered by the test. */
function pushDockerfile(name: string, files: Record<string, string>): string {
  const dir = project(`vendor-${name}`, files);
  const meta = join(dir, "metadata.json");
  must("docker", ["buildx", "build", "--provenance=false", "--output", `type=image,name=${TAG}:${name}-${process.pid},push=true`, "--metadata-file", meta, dir], { timeoutMs: 300_000 });
  const digest = (JSON.parse(readFileSync(meta, "utf8")) as Record<string, string>)["containerimage.digest"]!;
  return `${TAG}:${name}-${process.pid}@${digest}`;
}

describe("SLIPWAY_VENDOR", () => {
  it("a vendored image stands in for every archive: the same image with A and B gone; a missing or altered package fails naming it", async () => {
    // salted: these .debs are this run's own, so nothing cached earlier stands in for them
    const a = await startDebianRepo({ salt: `vendor-${process.pid}-${Date.now()}` });
    const b = await serveRepoCopy(a);
    let aStopped = false;
    let bStopped = false;
    try {
      const dir = project("vendor", { "slipway.hcl": helloDeclaration("vendored", a.url, a.suite), "repo.asc": a.armoredPublicKey });
      const locked = await buildx(dir, { target: "lock", output: `type=local,dest=${dir}` });
      expect(locked.code, locked.output.slice(-3000)).toBe(0);
      const lock = JSON.parse(readFileSync(join(dir, "slipway.lock.json"), "utf8")) as { images: { packages: { name: string; version: string; sha256: string }[] }[] };
      const packages = lock.images[0]!.packages;
      expect(packages.length).toBe(4);

      const first = await build(dir);
      expect(first.code, first.output.slice(-3000)).toBe(0);

      const vendored = await build(dir, { target: "vendor", output: `type=image,name=${TAG}:${process.pid},push=true` });
      expect(vendored.code, vendored.output.slice(-3000)).toBe(0);
      const ref = `${TAG}:${process.pid}@${vendored.digest!}`;
      // one .deb per locked sha256, and the index naming each
      const exported = scratchDir("vendor-image");
      must("docker", ["buildx", "build", "--output", `type=local,dest=${exported}`, "-"], { input: `FROM ${ref}\n`, timeoutMs: 300_000 });
      const index = JSON.parse(readFileSync(join(exported, "index.json"), "utf8")) as { slipwayVendor: number; packages: { sha256: string; name: string }[] };
      expect(index.packages.map((p) => p.sha256)).toEqual(packages.map((p) => p.sha256).sort());
      expect(must("ls", [join(exported, "sha256")]).stdout.trim().split("\n")).toEqual(packages.map((p) => p.sha256).sort());

      // reproducible: after a prune, made again from a copy of the archive, byte for byte the same
      await a.close();
      aStopped = true;
      prune();
      const again = await build(dir, { target: "vendor", output: `type=image,name=${TAG}:${process.pid}-again,push=true`, buildArgs: { SLIPWAY_MIRROR: `${a.url}=${b.url}` } });
      expect(again.code, again.output.slice(-3000)).toBe(0);
      expect(again.digest).toBe(vendored.digest);

      // no archive at all: every package from the registry, checked, installed; the same image
      await b.close();
      bStopped = true;
      prune();
      const offline = await build(dir, { buildArgs: { SLIPWAY_VENDOR: ref } });
      expect(offline.code, offline.output.slice(-3000)).toBe(0);
      expect(offline.digest).toBe(first.digest);
      expect(offline.output).toMatch(/\[apt\] take 4 \.deb files from the vendored image/);
      expect(offline.output).not.toMatch(/\[apt\] fetch /);

      // an image without one package: an error at the apt block naming it, before anything runs
      const dropped = packages.find((p) => p.name === "libslipway1")!;
      const kept = packages.filter((p) => p !== dropped);
      const withoutOne = pushDockerfile("missing", {
        Dockerfile: `FROM ${ref} AS v\nFROM scratch\n${kept.map((p) => `COPY --from=v /sha256/${p.sha256} /sha256/${p.sha256}\n`).join("")}`,
      });
      const missing = await build(dir, { buildArgs: { SLIPWAY_VENDOR: withoutOne } });
      expect(missing.code).not.toBe(0);
      expect(missing.output).toContain("slipway.hcl:5");
      expect(missing.output).toContain(`Package libslipway1 ${dropped.version} is missing from the vendored image`);

      // an image with other bytes under a package's sha256: the check before dpkg stops, naming it
      const altered = pushDockerfile("altered", {
        Dockerfile: `FROM ${ref} AS v\nFROM scratch\nCOPY --from=v /sha256 /sha256\nCOPY other.deb /sha256/${dropped.sha256}\n`,
        "other.deb": "not the locked bytes\n",
      });
      const tampered = await build(dir, { buildArgs: { SLIPWAY_VENDOR: altered } });
      expect(tampered.code).not.toBe(0);
      expect(tampered.output).toContain(`slipway: libslipway1 ${dropped.version} (libslipway1_${dropped.version}_all.deb) in the vendored image is not the locked sha256:${dropped.sha256}`);

      // a value that pins nothing is refused, naming the argument
      const unpinned = await build(dir, { buildArgs: { SLIPWAY_VENDOR: `${TAG}:${process.pid}` } });
      expect(unpinned.code).not.toBe(0);
      expect(unpinned.output).toContain(`Malformed build argument SLIPWAY_VENDOR`);
      expect(unpinned.output).toContain(`has no digest`);

      // vendoring needs the lock: without it, the error says so
      writeFileSync(join(dir, "slipway.lock.json.off"), readFileSync(join(dir, "slipway.lock.json")));
      run("rm", [join(dir, "slipway.lock.json")]);
      const unlocked = await build(dir, { buildArgs: { SLIPWAY_VENDOR: ref } });
      expect(unlocked.code).not.toBe(0);
      expect(unlocked.output).toContain("No lock for vendoring");
    } finally {
      await Promise.all([aStopped ? undefined : a.close(), bStopped ? undefined : b.close()]);
    }
  });
});
