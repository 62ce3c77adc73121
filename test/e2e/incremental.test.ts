import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readBomJson, writeBomDocuments, type Bom } from "../../frontend/bom/index.js";
import { buildx, project, scratchDir, syntaxLine } from "./harness.js";
import { vertexReports } from "./progress.js";

/**
 * Issue 15: editing one context file rebuilds the image and its bill of materials without starting a
 * container. The worker exec (packages, base, step files) stays cached; the frontend measures the
 * changed file in a copy of just that file and writes the documents with a file op.
 */
// new for every run, so that the first build measures with the worker rather than finding it cached
const GREETING = `built by a step, run ${process.pid}-${Date.now()}`;
const STEP_DOCKERFILE = `FROM debian:bookworm AS make
RUN mkdir /out && echo "${GREETING}" > /out/greeting && chmod 0755 /out/greeting
`;

const declaration = () => `${syntaxLine()}
image "incr" {
  base_image = "debian:bookworm"

  file "/etc/app/app.conf" {
    from_context {
      path = "conf/app.conf"
    }
    mode = "0600"
  }

  file "/usr/local/bin/greeting" {
    from_step "build" {
      path = "/out/greeting"
    }
  }
}

step "build" {
  dockerfile = "build.Dockerfile"
  target     = "make"

  source_file "/out/*" {
    vcs "git" {
      repository = "https://example.org/incr.git"
      ref        = "main"
    }
  }
}
`;

const DOCUMENTS = ["bom.cdx.json", "bom.json", "bom.spdx.json", "bom.yaml"];
const hex = (algorithm: string, text: string) => createHash(algorithm).update(text).digest("hex");

interface Vertex {
  name: string;
  cached: boolean;
  ran: boolean;
}

/**
 * The build's ops, from `--progress=rawjson`: each named once, cached or run. Vertices without inputs
 * (sources, and file ops on scratch) are left out: BuildKit reports computing their cache key as a run
 * (docs: buildkit-cache-and-mounts §1.2), and no exec is among them (an exec has at least its root).
 */
export function vertices(output: string): Vertex[] {
  const byDigest = new Map<string, Vertex>();
  for (const v of vertexReports(output)) {
    if (!v.inputs?.length) continue;
    const seen = byDigest.get(v.digest) ?? { name: "", cached: false, ran: false };
    if (v.name) seen.name = v.name;
    if (v.cached) seen.cached = true;
    // A report that ends in an error ran nothing this build used: BuildKit sometimes reports a cached
    // op a second time as started and completed within microseconds with "context canceled" (seen for
    // the worker's exec and the step's RUN); counting it made this test fail 2 runs in 6.
    if (v.started && v.completed && !v.cached && !v.error) seen.ran = true;
    byDigest.set(v.digest, seen);
  }
  // an op loaded from the cache in this build was not run in it, whatever else was reported of it
  return [...byDigest.values()].map((v) => (v.cached ? { ...v, ran: false } : v));
}

async function buildBom(dir: string): Promise<{ dest: string; vertices: Vertex[]; raw: string[] }> {
  const dest = scratchDir("incr-bom");
  const r = await buildx(dir, { target: "bom", output: `type=local,dest=${dest}`, extra: ["--progress=rawjson"] });
  expect(r.code, r.output.slice(-4000)).toBe(0);
  return { dest, vertices: vertices(r.output), raw: r.output.split("\n") };
}

describe("a changed context file", () => {
  it("is measured anew, the rest of the BOM is byte-identical, and no exec runs", async () => {
    const dir = project("incr", { "slipway.hcl": declaration(), "build.Dockerfile": STEP_DOCKERFILE, "conf/app.conf": "listen = 8080\n" });
    const first = await buildBom(dir);
    // the worker ran once, measuring the step's file and the base's packages
    expect(first.vertices.some((v) => v.name.startsWith("[slipway] bill of materials: measure") && v.ran)).toBe(true);

    const edited = "listen = 8081\n";
    writeFileSync(join(dir, "conf/app.conf"), edited);
    const second = await buildBom(dir);

    // No exec ran: the worker's exec and the step's RUN are cached; what ran is the context transfer,
    // the file ops copying the changed file and those after it, the file op copying the changed file
    // alone for the frontend to measure, and the file op writing the documents (and resolves, which
    // are no ops).
    const measure = second.vertices.filter((v) => v.name.startsWith("[slipway] bill of materials: measure"));
    expect(measure).toHaveLength(1);
    expect(measure[0]!.cached).toBe(true);
    const ran = second.vertices.filter((v) => v.ran).map((v) => v.name);
    const allowed = [
      /^\[internal\] load /,
      /^resolve image config /,
      /^\[slipway\] resolve /,
      /^\[slipway\] \/etc\/app\/app\.conf ← context conf\/app\.conf$/,
      /^\[slipway\] \/usr\/local\/bin\/greeting ← step build:\/out\/greeting$/,
      /^\[internal\] bill of materials: \/etc\/app\/app\.conf ← context conf\/app\.conf$/,
      // a file op, on the (cached) facts, which it takes as an input so a cache export carries them
      /^\[slipway\] bill of materials: write /,
      /^exporting /,
    ];
    expect(ran.filter((name) => !allowed.some((a) => a.test(name))), second.raw.filter((l) => l.includes("bill of materials: measure")).join("\n")).toEqual([]);
    // the documents come from a file op
    expect(second.raw.some((l) => l.includes('"name":"[slipway] bill of materials: write '))).toBe(true);

    // The new BOM is the previous one with the file's new digests, to the byte, in every document.
    const before = readBomJson(readFileSync(join(first.dest, "bom.json"), "utf8"));
    const conf = before.files.find((f) => f.path === "/etc/app/app.conf")!;
    expect(conf.sha256).toBe(hex("sha256", "listen = 8080\n"));
    const expected: Bom = {
      ...before,
      files: before.files.map((f) => (f === conf ? { ...f, sha256: hex("sha256", edited), sha1: hex("sha1", edited), size: edited.length } : f)),
    };
    const previous = new Map(writeBomDocuments(before).map((d) => [d.name, d.content]));
    const wanted = new Map(writeBomDocuments(expected).map((d) => [d.name, d.content]));
    for (const name of DOCUMENTS) {
      expect(readFileSync(join(first.dest, name), "utf8"), `${name}, first build`).toBe(previous.get(name));
      expect(readFileSync(join(second.dest, name), "utf8"), `${name}, after the edit`).toBe(wanted.get(name));
    }
    const after = readBomJson(readFileSync(join(second.dest, "bom.json"), "utf8"));
    expect(after.files.find((f) => f.path === "/etc/app/app.conf")).toMatchObject({ sha256: hex("sha256", edited), mode: 0o600 });
    // the step's file was measured by the worker, in the first build, and is unchanged
    expect(after.files.find((f) => f.path === "/usr/local/bin/greeting")).toMatchObject({ sha256: hex("sha256", `${GREETING}\n`), mode: 0o755 });
  });
});
