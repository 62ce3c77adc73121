import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildx, must, project, REGISTRY, REPO, scratchDir, syntaxLine } from "./harness.js";

/**
 * Issue 10's shared cache: examples/debian-tools, locked, built with `--cache-to type=registry,mode=max`;
 * then the local cache pruned and every archive the lock names pointed (SLIPWAY_MIRROR) at a closed local
 * port. The build from `--cache-from` must need nothing else: it succeeds, dpkg and the BOM measurement
 * are CACHED (loaded, never run), and the image is the same. (A source vertex shows DONE either way, so
 * only an unreachable archive proves nothing was fetched: ../shared/reference/buildkit-cache-and-mounts.md
 * §1.2.)
 * Tags: slipway-e2e/vendor-cache*.
 */
const EPOCH = "1700000000";

/** A local port nothing listens on: one the kernel gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function build(dir: string, extra: readonly string[], buildArgs: Record<string, string> = {}) {
  const out = scratchDir("vendor-cache-out");
  const r = await buildx(dir, {
    output: `type=oci,dest=${join(out, "image.tar")},rewrite-timestamp=true`,
    buildArgs: { SOURCE_DATE_EPOCH: EPOCH, ...buildArgs },
    extra: [...extra, "--metadata-file", join(out, "metadata.json")],
  });
  if (r.code !== 0) return { ...r, digest: undefined };
  const metadata = JSON.parse(readFileSync(join(out, "metadata.json"), "utf8")) as Record<string, unknown>;
  return { ...r, digest: metadata["containerimage.digest"] as string };
}

/**
 * What buildx's raw progress (`--progress=rawjson`, one SolveStatus per line) says of the vertex whose name
 * starts with `name`: whether BuildKit loaded it from a cache, and whether its process wrote anything (an
 * exec that runs does: dpkg prints every package it unpacks). Plain progress cannot tell: a result loaded
 * from a registry cache is pulled when a later step mounts it, and the pull ends the vertex as DONE.
 */
function vertexRun(output: string, name: string): { found: boolean; cached: boolean; logged: boolean } {
  const statuses = output
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { vertexes?: { digest: string; name?: string; cached?: boolean }[]; logs?: { vertex: string }[] });
  const vertexes = statuses.flatMap((s) => s.vertexes ?? []);
  const digests = new Set(vertexes.filter((v) => v.name?.startsWith(name)).map((v) => v.digest));
  return {
    found: digests.size > 0,
    cached: vertexes.some((v) => digests.has(v.digest) && v.cached === true),
    logged: statuses.some((s) => (s.logs ?? []).some((l) => digests.has(l.vertex))),
  };
}

describe("a registry cache", () => {
  // The build from the cache leaves records for sources whose URL is a closed port, with their content
  // never fetched (BuildKit keys a checksummed http source by the checksum alone). A later test's build of
  // the same packages then took one of them and failed to fetch it from that port (users.test.ts, CI of
  // 8b53f69). Nothing of this test is worth keeping.
  afterAll(() => {
    must("docker", ["buildx", "prune", "-af"], { timeoutMs: 300_000 });
  });

  it("carries a locked build of examples/debian-tools: after a prune, with every archive unreachable, the same image, dpkg and the BOM measurement CACHED", async () => {
    const text = readFileSync(join(REPO, "examples/debian-tools/slipway.hcl"), "utf8").replace(/^# syntax=.*\n/, syntaxLine());
    const dir = project("vendor-cache", { "slipway.hcl": text });
    const locked = await buildx(dir, { target: "lock", output: `type=local,dest=${dir}` });
    expect(locked.code, locked.output.slice(-3000)).toBe(0);
    const lock = JSON.parse(readFileSync(join(dir, "slipway.lock.json"), "utf8")) as { images: { repositories: { uri: string }[]; packages: unknown[] }[] };
    const uris = [...new Set(lock.images.flatMap((i) => i.repositories.map((r) => r.uri)))];
    expect(uris.length).toBeGreaterThan(0);

    const cache = `${REGISTRY}/slipway-e2e/vendor-cache:${process.pid}`;
    // from nothing, so every record the cache exports is this build's own
    must("docker", ["buildx", "prune", "-af"], { timeoutMs: 300_000 });
    const first = await build(dir, ["--cache-to", `type=registry,ref=${cache},mode=max`]);
    expect(first.code, first.output.slice(-3000)).toBe(0);

    // No build without the cache first to show the port is closed: BuildKit shares an in-flight source
    // between concurrent builds by its key, which is the checksum and not the URL, so another build of
    // the same packages on this shared daemon could fetch for it. dpkg's "cached" below is the proof.
    must("docker", ["buildx", "prune", "-af"], { timeoutMs: 300_000 });
    const port = await closedPort();
    const nowhere = uris.map((u, i) => `${u}=http://127.0.0.1:${port}/gone-${i}`).join(",");
    const cached = await build(dir, ["--cache-from", `type=registry,ref=${cache}`, "--progress=rawjson"], { SLIPWAY_MIRROR: nowhere });
    expect(cached.code, cached.output.slice(-3000)).toBe(0);
    expect(cached.digest).toBe(first.digest);
    const packages = lock.images[0]!.packages.length;
    writeFileSync(join(scratchDir("vendor-cache-log"), "cached.jsonl"), cached.output);
    expect(vertexRun(cached.output, `[apt] dpkg --install ${packages} packages`)).toEqual({ found: true, cached: true, logged: false });
    // The BOM measurement too: its exec runs in the frontend's image, which slipway embeds as an op of
    // its own so that it carries the imported key (frontend/bom-worker/side-tree.ts, workerRoot).
    expect(vertexRun(cached.output, "[slipway] bill of materials: measure ")).toEqual({ found: true, cached: true, logged: false });
  });
});
