// The BOM worker's own cost, as the build pays it: `node /slipway/bom-worker.cjs` in a frontend image,
// with the built image, its base and a request mounted where the exec mounts them (WORKER_LAYOUT), timed
// from spawn to exit inside the container (node's start-up included, docker's excluded). Several images
// are measured alternately, run after run, so a busy machine slows them alike.
//
//   node bench/bom-worker.mjs BOM_JSON ROOTFS BASE_ROOTFS RUNS IMAGE...
//
// BOM_JSON is a bom.json of that image (the request is rebuilt from it: its inputs, the added packages as
// the installed set to check, no added files); ROOTFS and BASE_ROOTFS are the unpacked image and base.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [bomJson, rootfs, base, runsText, ...images] = process.argv.slice(2);
if (!bomJson || !rootfs || !base || !runsText || images.length === 0) {
  console.error("usage: node bench/bom-worker.mjs BOM_JSON ROOTFS BASE_ROOTFS RUNS IMAGE...");
  process.exit(2);
}
const bom = JSON.parse(readFileSync(bomJson, "utf8"));
const dir = mkdtempSync(join(tmpdir(), "bom-worker-bench-"));
mkdirSync(join(dir, "in"));
const strip = (p) => ({ name: p.name, version: p.version, architecture: p.architecture, source: p.source, location: p.location, sourceFiles: p.sourceFiles, ...(p.vcs ? { vcs: p.vcs } : {}) });
const request = {
  version: 1,
  inputs: {
    tool: bom.tool,
    image: bom.image,
    declaration: { file: bom.declaration.file, sha256: bom.declaration.sha256, variables: bom.declaration.variables, ...(bom.declaration.packages ? { packages: bom.declaration.packages } : {}) },
    base: { kind: "image", canonicalName: bom.base.canonicalName },
    packages: bom.packages.map(strip),
    repositories: bom.repositories,
    keys: bom.keys,
    files: [],
  },
  files: [],
  tarballs: [],
  expectInstalled: bom.packages.map((p) => ({ name: p.name, architecture: p.architecture, version: p.version })),
  mtime: 0,
};
writeFileSync(join(dir, "in", "request.json"), JSON.stringify(request));

const timer = `const t=process.hrtime.bigint();const r=require("child_process").spawnSync(process.execPath,["/slipway/bom-worker.cjs"],{stdio:["ignore","ignore","inherit"]});if(r.status!==0)process.exit(1);console.log(Number(process.hrtime.bigint()-t)/1e6)`;
const times = new Map(images.map((i) => [i, []]));
for (let run = 0; run < Number(runsText); run++) {
  for (const image of images) {
    const out = join(dir, `out-${run}-${images.indexOf(image)}`);
    mkdirSync(out);
    const r = spawnSync("docker", [
      "run", "--rm", "--network=none", "--entrypoint", "node",
      "-v", `${join(dir, "in")}:/slipway-bom/in:ro`, "-v", `${rootfs}:/slipway-bom/image:ro`, "-v", `${base}:/slipway-bom/base:ro`, "-v", `${out}:/slipway-bom/out`,
      image, "-e", timer,
    ], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${image}: ${r.stderr}`);
    times.get(image).push(Number(r.stdout.trim()));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [image, xs] of times) {
  console.log(`${image}: median ${median(xs).toFixed(0)} ms, min ${Math.min(...xs).toFixed(0)} ms over ${xs.length} runs (${xs.map((x) => x.toFixed(0)).join(" ")})`);
}
console.log(`outputs in ${dir}`);
