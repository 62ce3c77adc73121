// Where the frontend's own time goes on a fully cached rebuild of the spine's example (b): node's start,
// loading the bundle, Ping, every gRPC call, the frontend's work between calls, its CPU time, and with
// --profile a CPU profile by bundle module and function.
//
//   node bench/frontend-trace.mjs [--runs 5] [--frontend REF[,REF…]] [--profile] [--daemon-log FILE]
//
// Several frontends (comma-separated) are traced interleaved and reported side by side (median, and min–max).
// It builds a derived image, FROM the frontend image, that preloads bench/frontend-trace-preload.cjs
// (through NODE_OPTIONS; the frontend itself is unchanged) and pushes it to the lab registry, then reads
// what the preload writes to stderr back from the daemon's log (default: the lab's dockerd.log). The
// profiler slows the process down: compare --profile runs with each other, not with plain ones.
import { existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync, closeSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { assertCached, buildx, checkoutFrontend, fail, machine, openExample, REPO, runAsync, stats } from "./spine-example.mjs";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    frontend: { type: "string" },
    profile: { type: "boolean", default: false },
    "daemon-log": { type: "string" },
  },
});
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a positive integer, not ${args.runs}`);
const daemonLog = args["daemon-log"] ?? ["/var/lib/slipway-lab/dockerd.log", "/var/lib/buildkit-lab/dockerd.log"].find(existsSync);
if (!daemonLog) fail("no daemon log found; pass --daemon-log FILE (where dockerd's stderr goes)");

const frontends = args.frontend ? args.frontend.split(",") : [checkoutFrontend()];
const traced = [];
for (const f of frontends) traced.push(await tracedImage(f, args.profile));
const example = await openExample();
/** Traces per frontend, in the order of `frontends`. */
const traces = frontends.map(() => []);
try {
  const files = traced.map((t) => example.declaration(t));
  for (const file of files) for (let w = 0; w < 2; w++) await buildx(example.dir, file);
  for (let i = 0; i < runs; i++) {
    const order = files.map((_, k) => k);
    if (i % 2) order.reverse();
    for (const k of order) {
      const offset = statSync(daemonLog).size;
      const r = await buildx(example.dir, files[k]);
      assertCached(r, frontends[k]);
      const lines = readFrom(daemonLog, offset).split("\n").filter((l) => l.startsWith("slipway-trace "));
      if (lines.length !== 1) fail(`expected one trace line in ${daemonLog}, found ${lines.length}: is it the daemon's log?`);
      const trace = JSON.parse(lines[0].slice("slipway-trace ".length));
      trace.wallMs = r.wallMs;
      trace.phases = JSON.parse(r.metadata["frontend.slipway.timings"] ?? "{}");
      traces[k].push(trace);
    }
  }
} finally {
  example.close();
}
report();

async function tracedImage(base, profile) {
  const preload = readFileSync(join(REPO, "bench/frontend-trace-preload.cjs"));
  const tag = createHash("sha256").update(base).update(preload).update(String(profile)).digest("hex").slice(0, 16);
  const ref = `127.0.0.1:5000/slipway/frontend-trace:${tag}`;
  const dir = mkdtempSync(join(tmpdir(), "slipway-trace-image-"));
  writeFileSync(join(dir, "preload.cjs"), preload);
  writeFileSync(
    join(dir, "Dockerfile"),
    `FROM ${base}\nCOPY preload.cjs /slipway-trace/preload.cjs\nENV NODE_OPTIONS="--require /slipway-trace/preload.cjs"${profile ? " SLIPWAY_TRACE_PROFILE=1" : ""}\n`,
  );
  const r = await runAsync("docker", ["buildx", "build", "--quiet", "--provenance=false", "-t", ref, "--output", "type=image,push=true", dir], dir);
  rmSync(dir, { recursive: true, force: true });
  if (r.code !== 0) fail(`building the traced image failed:\n${r.output}`);
  return ref;
}

function readFrom(file, offset) {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(statSync(file).size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    return buffer.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** The time covered by at least one of the intervals. */
function union(intervals) {
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

function report() {
  const m = machine();
  frontends.forEach((f, k) => console.log(`[${k}] ${f} (traced as ${traced[k]}${args.profile ? ", profiled" : ""})`));
  console.log(`Machine: ${m.cores} cores, Docker Engine ${m.docker}, load average ${m.load}; ${runs} fully cached rebuilds each, interleaved, --output type=cacheonly`);
  console.log("Cells: median (min–max), ms.\n");
  const header = (first) => `| ${first} | ${frontends.map((_, k) => `[${k}]`).join(" | ")} |\n|---|${frontends.map(() => "---|").join("")}`;
  const row = (name, perFrontend) => `| ${name} | ${perFrontend.map((xs) => cell(xs)).join(" | ")} |`;

  const steps = traces.map((ts) => ts.map(stepsOf));
  console.log(header("step"));
  for (const key of Object.keys(steps[0][0])) console.log(row(key, steps.map((rows) => rows.map((r) => r[key]))));

  const methods = [...new Set(traces.flat().flatMap((t) => t.calls.map((c) => c.method)))];
  console.log(`\n${header("gRPC method: calls × median ms per call")}`);
  for (const method of methods) {
    const cells = traces.map((ts) => {
      const ms = ts.flatMap((t) => t.calls.filter((c) => c.method === method).map((c) => c.end - c.start));
      return `${fmt(ms.length / ts.length)} × ${fmt(stats(ms).median)}`;
    });
    console.log(`| ${method} | ${cells.join(" | ")} |`);
  }

  const phaseNames = [...new Set(traces.flat().flatMap((t) => Object.keys(t.phases)))];
  if (phaseNames.length > 0) {
    console.log(`\n${header("frontend.slipway.timings")}`);
    for (const n of phaseNames) console.log(row(n, traces.map((ts) => ts.flatMap((t) => (n in t.phases ? [t.phases[n]] : [])))));
  }
  if (args.profile) {
    traces.forEach((ts, k) => {
      for (const kind of ["modules", "functions"]) {
        const total = new Map();
        for (const t of ts) for (const [name, v] of Object.entries(t.profile?.[kind] ?? {})) total.set(name, (total.get(name) ?? 0) + v);
        console.log(`\n[${k}] CPU profile, self time by ${kind.slice(0, -1)} (mean ms per build, top 25):`);
        for (const [name, v] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${fmt(v / ts.length).padStart(8)}  ${name}`);
      }
    });
  }
}

function stepsOf(t) {
  const ping = t.calls.find((c) => c.method === "Ping");
  const ret = t.calls.find((c) => c.method === "Return");
  const atMain = t.phases["at main"];
  const inFlight = union(t.calls.filter((c) => c.end !== undefined && c !== ping).map((c) => [c.start, c.end]));
  return {
    "build wall time": t.wallMs,
    "node start → preload runs (node's own start)": t.preload,
    "→ bundle loaded, main() runs": atMain === undefined ? NaN : atMain - t.preload,
    "→ HTTP/2 connect": t.connect - (atMain ?? t.preload),
    "→ Ping sent": ping.start - t.connect,
    "Ping round trip": ping.end - ping.start,
    "Ping → Return ends": ret.end - ping.end,
    "  of which calls in flight": inFlight,
    "  of which the frontend's own work": ret.end - ping.end - inFlight,
    "process start → exit": t.exit,
    "CPU user + system": t.cpu.userMs + t.cpu.systemMs,
    "gRPC calls": t.calls.length,
  };
}

function cell(xs) {
  if (xs.length === 0) return "—";
  const s = stats(xs);
  return `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
}

function fmt(x) {
  return Number.isFinite(x) ? (Math.round(x * 10) / 10).toString() : "—";
}
