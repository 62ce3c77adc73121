// What the install exec's reproducibility pass costs, measured apart from the rest of a cold build (whose
// downloads and the machine's load vary by more than the pass itself): the install script of a commit
// before it and the current one, run alternately in `docker run --network none` on the same .debs.
//
//   node bench/install-clamp-cost.mjs LOCK DEBS_DIR BEFORE_COMMIT [RUNS] [IMAGE]
//
// LOCK is a slipway.lock.json (its first image), DEBS_DIR holds the .debs under their apt names (fetched
// once with the lock's URLs and checked against its sha256). IMAGE defaults to the lab's debian:bookworm.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const [lockPath, debs, beforeCommit, runsArg = "3", image = "127.0.0.1:5000/library/debian:bookworm"] = process.argv.slice(2);
if (!lockPath || !debs || !beforeCommit) {
  console.error("usage: node bench/install-clamp-cost.mjs LOCK DEBS_DIR BEFORE_COMMIT [RUNS] [IMAGE]");
  process.exit(2);
}
const repo = new URL("..", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "slipway-clamp-"));

async function installScriptOf(source, name) {
  const entry = join(work, `${name}.ts`);
  writeFileSync(entry, source);
  const out = join(work, `${name}.mjs`);
  await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", outfile: out, logLevel: "warning" });
  return (await import(pathToFileURL(out).href)).installScript;
}

const lock = JSON.parse(readFileSync(lockPath, "utf8")).images[0];
const byName = new Map(lock.packages.map((p) => [p.name, p]));
const stages = lock.stages.map((s) => s.map((n) => byName.get(n)));
mkdirSync(debs, { recursive: true });
const debName = (p) => `${p.name}_${p.version.replace(/:/g, "%3a")}_${p.architecture}.deb`;
for (const p of lock.packages) {
  const file = join(debs, debName(p));
  if (!existsSync(file)) execFileSync("curl", ["-fsSL", "-o", file, p.uri]);
  if (createHash("sha256").update(readFileSync(file)).digest("hex") !== p.sha256) throw new Error(`${file}: sha256 mismatch`);
}

const before = await installScriptOf(execFileSync("git", ["-C", repo, "show", `${beforeCommit}:frontend/debian/install-plan.ts`], { encoding: "utf8" }), "before");
const after = await installScriptOf(readFileSync(join(repo, "frontend/debian/install-plan.ts"), "utf8"), "after");
const scripts = { before: before(stages), after: after(stages, { epoch: 1700000000 }) };

// the pass alone, timed inside the exec: from dpkg's last command to the end of the script
const configure = "dpkg --force-unsafe-io --log=/dev/null --configure --pending\n";
if (!scripts.after.includes(configure)) throw new Error("the install script no longer ends dpkg's work with --configure --pending");
const timed = `${scripts.after.replace(configure, `${configure}t0=$(date +%s%N)\n`)}echo "pass $((($(date +%s%N) - t0) / 1000000)) ms; $(find / -xdev -newermt @1700000000 -cnewer /etc/hostname 2>/dev/null | wc -l) paths newer than the epoch"\n`;
const pass = [];
const times = { before: [], after: [] };
for (let i = 0; i < Number(runsArg); i++) {
  for (const which of ["before", "after"]) {
    const start = process.hrtime.bigint();
    execFileSync("docker", ["run", "--rm", "--network", "none", "-v", `${debs}:/run/slipway/debs:ro`, "-e", `S=${scripts[which]}`, image, "sh", "-c", 'sh -c "$S" >/dev/null 2>&1'], { stdio: "inherit" });
    times[which].push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  pass.push(execFileSync("docker", ["run", "--rm", "--network", "none", "-v", `${debs}:/run/slipway/debs:ro`, "-e", `S=${timed}`, image, "sh", "-c", 'sh -c "$S" 2>&1 | tail -n 1'], { encoding: "utf8" }).trim());
}
console.log(`the pass alone: ${pass.join("; ")}`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const which of ["before", "after"]) console.log(`${which}: ${times[which].map((t) => t.toFixed(2)).join(" ")} s (median ${median(times[which]).toFixed(2)} s)`);
console.log(`after/before (medians): ${(median(times.after) / median(times.before)).toFixed(3)}`);
