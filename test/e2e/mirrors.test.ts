import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { serveRepoCopy, startDebianRepo } from "../support/debian-repo.js";
import { buildx, must, project, scratchDir } from "./harness.js";
import { helloDeclaration } from "./hello-declaration.js";

/**
 * Issue 10's mirrors, on the test's own signed repository over http on 127.0.0.1: a lock made against
 * server A still builds, to the same image, when A is gone and SLIPWAY_MIRROR points A's URL at B, a copy
 * of its files on another port; without a mirror the build fails fast at the apt block saying what to do;
 * a copy that serves other bytes for one .deb fails naming that package.
 */
const EPOCH = "1717200000";

/** The image's manifest digest, config and layers, from an OCI export whose timestamps are the epoch. */
async function build(dir: string, buildArgs: Record<string, string> = {}) {
  const out = scratchDir("mirrors-out");
  const started = Date.now();
  const r = await buildx(dir, {
    output: `type=oci,dest=${join(out, "image.tar")},rewrite-timestamp=true`,
    buildArgs: { SOURCE_DATE_EPOCH: EPOCH, ...buildArgs },
    extra: ["--metadata-file", join(out, "metadata.json")],
  });
  const seconds = (Date.now() - started) / 1000;
  if (r.code !== 0) return { ...r, seconds, digest: undefined, diffIds: undefined };
  const metadata = JSON.parse(readFileSync(join(out, "metadata.json"), "utf8")) as Record<string, unknown>;
  const digest = metadata["containerimage.digest"] as string;
  const tar = join(out, "image.tar");
  const blob = (d: string) => JSON.parse(must("tar", ["-xOf", tar, `blobs/sha256/${d.replace(/^sha256:/, "")}`]).stdout) as Record<string, unknown>;
  // an index: the image's manifest beside the BOM attestations (platform unknown/unknown)
  const index = blob(digest) as { manifests: { digest: string; platform?: { os: string } }[] };
  const manifest = blob(index.manifests.find((m) => m.platform?.os !== "unknown")!.digest) as { config: { digest: string } };
  const config = blob(manifest.config.digest) as { rootfs: { diff_ids: string[] } };
  return { ...r, seconds, digest, diffIds: config.rootfs.diff_ids };
}

function prune(): void {
  must("docker", ["buildx", "prune", "-af"], { timeoutMs: 300_000 });
}

describe("SLIPWAY_MIRROR", () => {
  it("a lock outlives its archive: fails fast at the apt block without it, the same image through a copy, a copy with other bytes fails naming the package", async () => {
    // salted: these .debs are this run's own, so no earlier download of them can stand in for a fetch
    const a = await startDebianRepo({ salt: `mirrors-${process.pid}-${Date.now()}` });
    // copies made while A still has its files: B serves them as they are, C alters one .deb
    const b = await serveRepoCopy(a);
    const c = await serveRepoCopy(a, { tamperDeb: "libslipway1" });
    let aStopped = false;
    try {
      const dir = project("mirrors", { "slipway.hcl": helloDeclaration("mirrored", a.url, a.suite), "repo.asc": a.armoredPublicKey });
      const locked = await buildx(dir, { target: "lock", output: `type=local,dest=${dir}` });
      expect(locked.code, locked.output.slice(-3000)).toBe(0);
      const lock = JSON.parse(readFileSync(join(dir, "slipway.lock.json"), "utf8")) as { images: { repositories: { uri: string; date?: string }[] }[] };
      expect(lock.images[0]!.repositories.map((r) => [r.uri, r.date])).toEqual([[a.url, "Sat, 01 Jun 2024 00:00:00 UTC"]]);

      const first = await build(dir);
      expect(first.code, first.output.slice(-3000)).toBe(0);
      expect(a.requests.some((p) => p.endsWith(".deb"))).toBe(true);

      // the URL is no part of a checksummed download's cache key: through B, nothing is fetched again and
      // dpkg's result is reused
      const cached = await build(dir, { SLIPWAY_MIRROR: `${a.url}=${b.url}` });
      expect(cached.code, cached.output.slice(-3000)).toBe(0);
      expect(cached.digest).toBe(first.digest);
      expect(cached.output).toMatch(/\[apt\] dpkg --install 4 packages[^\n]*\n#\d+ CACHED/);
      expect(b.requests.filter((p) => p.endsWith(".deb"))).toEqual([]);

      await a.close();
      aStopped = true;
      prune();
      const gone = await build(dir);
      expect(gone.code, gone.output.slice(-3000)).not.toBe(0);
      expect(gone.seconds).toBeLessThan(60);
      // at the apt block, naming a package, its URL on A, and the two ways out
      expect(gone.output).toContain("slipway.hcl:5");
      expect(gone.output).toMatch(new RegExp(`\\[apt\\] fetch [a-z-]+ [0-9.-]+ from ${a.url.replace(/[.]/g, "\\.")}/pool/[^ ]+\\.deb \\(if it cannot be fetched: --build-arg SLIPWAY_MIRROR=${a.url.replace(/[.]/g, "\\.")}=<a copy>, --build-arg SLIPWAY_VENDOR=<image@sha256 made by --target vendor>, or re-lock\\)`));
      expect(gone.output).toMatch(/connection refused/i);

      const viaB = await build(dir, { SLIPWAY_MIRROR: `${a.url}=${b.url}` });
      expect(viaB.code, viaB.output.slice(-3000)).toBe(0);
      expect(b.requests.filter((p) => p.endsWith(".deb")).length).toBeGreaterThan(0);
      expect(viaB.digest).toBe(first.digest);
      expect(viaB.diffIds).toEqual(first.diffIds);

      prune(); // else the genuine libslipway1, cached by its checksum, would be used without a fetch
      const viaC = await build(dir, { SLIPWAY_MIRROR: `${a.url}=${c.url}` });
      expect(viaC.code, viaC.output.slice(-3000)).not.toBe(0);
      expect(viaC.output).toContain("slipway.hcl:5");
      expect(viaC.output).toMatch(new RegExp(`\\[apt\\] fetch libslipway1 1\\.1-1 from ${c.url.replace(/[.]/g, "\\.")}/pool/[^ ]+libslipway1_1\\.1-1_all\\.deb[\\s\\S]*digest mismatch`, "i"));

      const malformed = await build(dir, { SLIPWAY_MIRROR: a.url });
      expect(malformed.code).not.toBe(0);
      expect(malformed.output).toMatch(/Malformed build argument SLIPWAY_MIRROR/);
      expect(malformed.output).toContain(`--build-arg SLIPWAY_MIRROR: "${a.url}" is not ORIGINAL=REPLACEMENT`);
    } finally {
      await Promise.all([aStopped ? undefined : a.close(), b.close(), c.close()]);
    }
  });
});
