import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bomFacts, currentFrontendImage, REQUEST_FILE, WORKER_LAYOUT, type BomRequest } from "../../frontend/bom-worker/index.js";
import { digestOf, ignoreCache, image, marshal, mkfile, parsePlatform, scratch, type State } from "../../llb/index.js";
import { pb } from "../../llb/proto/github.com/moby/buildkit/solver/pb/ops.js";
import { decode, inputOp } from "../llb/decode.js";

/** The exec that runs the BOM worker, as BuildKit receives it. */

const FRONTEND = "127.0.0.1:5000/slipway/frontend@sha256:" + "f".repeat(64);

/** frontend.bin as BuildKit writes it: the frontend image, marshalled, for the worker's platform. */
function frontendDefinition(root: State = image(FRONTEND, { recordType: "frontend" })): string {
  const dir = mkdtempSync(join(tmpdir(), "slipway-frontend-bin-"));
  const file = join(dir, "frontend.bin");
  writeFileSync(file, marshal(root, { platform: parsePlatform("linux/amd64") }).toBytes());
  return file;
}

const request: BomRequest = {
  version: 2,
  inputs: { tool: { name: "slipway", version: "0" }, image: { name: "app", platform: "linux/arm64" }, declaration: { file: "slipway.hcl", sha256: "0".repeat(64) }, base: { kind: "scratch" } },
  files: [{ destination: "/app", origin: { kind: "step", step: "build", path: "/app" }, under: "/app" }],
  tarballs: [],
};

describe("bomFacts", () => {
  it("runs the worker in the frontend's own image, on its platform, with no network and every input read-only", () => {
    expect(currentFrontendImage(join(tmpdir(), "no-such-frontend.bin"))).toBeUndefined();
    const worker = currentFrontendImage(frontendDefinition())!;
    expect(worker.platform).toEqual(parsePlatform("linux/amd64"));

    const installed = image("debian:bookworm").file(mkfile("/installed", 0o644, "x"));
    const app = scratch().file(mkfile("/app", 0o644, "app"));
    const state = bomFacts({ request, installed, base: image("debian:bookworm"), files: [app], worker, constraints: ignoreCache() });
    const decoded = decode(marshal(state, { platform: parsePlatform("linux/arm64") }));
    const head = decoded.head;
    expect(head.op.op).toBe("exec");
    const exec = head.op.exec;
    expect(exec.meta.args).toEqual(worker.command);
    expect(exec.network).toBe(pb.NetMode.NONE);
    expect(head.op.platform.toObject()).toMatchObject({ Architecture: "amd64", OS: "linux" });
    expect(head.metadata?.ignore_cache).toBe(true);

    // each input keyed by its definition, not hashed file by file before the worker may start
    const off = pb.MountContentCache.OFF;
    const dflt = pb.MountContentCache.DEFAULT;
    const mounts = exec.mounts.map((m) => ({ dest: m.dest, readonly: m.readonly, output: Number(m.output), contentCache: m.contentCache }));
    expect(mounts).toEqual([
      { dest: "/", readonly: true, output: -1, contentCache: dflt },
      { dest: WORKER_LAYOUT.base, readonly: true, output: -1, contentCache: off },
      { dest: `${WORKER_LAYOUT.files}/0`, readonly: true, output: -1, contentCache: off },
      { dest: WORKER_LAYOUT.image, readonly: true, output: -1, contentCache: off },
      { dest: WORKER_LAYOUT.request, readonly: true, output: -1, contentCache: off },
      { dest: WORKER_LAYOUT.out, readonly: false, output: 0, contentCache: dflt },
    ]);
    // the root is the frontend image from frontend.bin, BuildKit's op verbatim: the vertex BuildKit solved
    // to start the frontend, its cache key computed once; the base keeps the build's platform
    const root = inputOp(decoded, head, Number(exec.mounts[0]!.input));
    expect(root.op.source.identifier).toBe(`docker-image://${FRONTEND}`);
    expect(root.digest).toBe(marshal(image(FRONTEND, { recordType: "frontend" }), { platform: parsePlatform("linux/amd64") }).head());
    expect(root.op.platform.toObject()).toMatchObject({ Architecture: "amd64", OS: "linux" });
    const base = inputOp(decoded, head, Number(exec.mounts[1]!.input));
    expect(base.op.source.identifier).toBe("docker-image://docker.io/library/debian:bookworm");
    expect(base.op.platform.toObject()).toMatchObject({ Architecture: "arm64" });
    // the request is a file in the graph, so the exec is cached by exactly these facts
    const requestOp = inputOp(decoded, head, Number(exec.mounts[4]!.input));
    const written = requestOp.op.file.actions[0]!.mkfile;
    expect(written.path).toBe(`/${REQUEST_FILE}`);
    expect(JSON.parse(new TextDecoder().decode(written.data))).toEqual(request);
  });

  it("runs the worker in an image op of slipway's own when the build imports a cache: same cache key, another vertex", () => {
    const given = marshal(image(FRONTEND, { recordType: "frontend" }), { platform: parsePlatform("linux/amd64") });
    const worker = currentFrontendImage(frontendDefinition(), { cacheImports: true })!;
    const root = decode(marshal(worker.root, { platform: parsePlatform("linux/amd64") })).head;
    expect(root.op.source.identifier).toBe(`docker-image://${FRONTEND}`);
    expect(Object.fromEntries(root.op.source.attrs)).toEqual({ "image.recordtype": "internal" });
    expect(root.op.platform.toObject()).toMatchObject({ Architecture: "amd64", OS: "linux" });
    expect(root.digest).not.toBe(given.head());
    // the same build without cache imports keeps BuildKit's op
    expect(decode(marshal(currentFrontendImage(frontendDefinition())!.root, { platform: parsePlatform("linux/amd64") })).head.digest).toBe(given.head());
  });

  it("keeps a frontend definition that is more than one image source verbatim", () => {
    const built = image(FRONTEND, { recordType: "frontend" }).file(mkfile("/x", 0o644, "x"));
    const given = marshal(built, { platform: parsePlatform("linux/amd64") });
    for (const cacheImports of [false, true]) {
      const worker = currentFrontendImage(frontendDefinition(built), { cacheImports })!;
      const again = marshal(worker.root, { platform: parsePlatform("linux/amd64") });
      expect(again.ops.map((b) => digestOf(b))).toEqual(given.ops.map((b) => digestOf(b)));
    }
  });
});
