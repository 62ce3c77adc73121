// The BOM worker's own cost, as the build pays it: `node /slipway/bom-worker.cjs` in a frontend image,
// with the built image, its base and a request mounted where the exec mounts them (WORKER_LAYOUT): the
// CPU time of the worker process (user + system, node's start-up included, read by a preloaded hook at
// exit) and its wall time from spawn to exit inside the container (docker's start-up excluded). CPU is
// the figure to compare on a shared machine; wall time varies with the load. Several images are
// measured alternately, run after run, so a busy machine slows them alike.
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
mkdirSync(join(dir, "hook"));
writeFileSync(join(dir, "hook", "cpu.cjs"), `process.on("exit", () => { const c = process.cpuUsage(); process.stderr.write("cpu-ms " + (c.user + c.system) / 1000 + "\\n"); });\n`);

const timer = `const t=process.hrtime.bigint();const r=require("child_process").spawnSync(process.execPath,["-r","/hook/cpu.cjs","/slipway/bom-worker.cjs"],{encoding:"utf8",stdio:["ignore","ignore","pipe"]});if(r.status!==0){process.stderr.write(r.stderr);process.exit(1)}console.log(Number(process.hrtime.bigint()-t)/1e6, r.stderr.match(/cpu-ms (\\S+)/)[1])`;
const times = new Map(images.map((i) => [i, []]));
const cpus = new Map(images.map((i) => [i, []]));
for (let run = 0; run < Number(runsText); run++) {
  for (const image of images) {
    const out = join(dir, `out-${run}-${images.indexOf(image)}`);
    mkdirSync(out);
    const r = spawnSync("docker", [
      "run", "--rm", "--network=none", "--entrypoint", "node",
      "-v", `${join(dir, "in")}:/slipway-bom/in:ro`, "-v", `${rootfs}:/slipway-bom/image:ro`, "-v", `${base}:/slipway-bom/base:ro`, "-v", `${out}:/slipway-bom/out`, "-v", `${join(dir, "hook")}:/hook:ro`,
      image, "-e", timer,
    ], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${image}: ${r.stderr}`);
    const [wall, cpu] = r.stdout.trim().split(" ").map(Number);
    times.get(image).push(wall);
    cpus.get(image).push(cpu);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [image, xs] of times) {
  const cs = cpus.get(image);
  console.log(`${image}: CPU median ${median(cs).toFixed(0)} ms, min ${Math.min(...cs).toFixed(0)} ms; wall median ${median(xs).toFixed(0)} ms, min ${Math.min(...xs).toFixed(0)} ms; ${xs.length} runs`);
  console.log(`  CPU ${cs.map((x) => x.toFixed(0)).join(" ")}`);
}
console.log(`outputs in ${dir}`);
