// Where the frontend's own time goes on a fully cached rebuild of the spine's example (b): node's start,
// loading the bundle, Ping, every gRPC call, the frontend's work between calls, its CPU time, and with
// --profile a CPU profile by bundle module and function.
//
//   node bench/frontend-trace.mjs [--runs 5] [--frontend REF] [--profile] [--daemon-log FILE]
//
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

const frontend = args.frontend ?? checkoutFrontend();
const traced = await tracedImage(frontend, args.profile);
const example = await openExample();
const traces = [];
try {
  const file = example.declaration(traced);
  for (let w = 0; w < 2; w++) await buildx(example.dir, file);
  for (let i = 0; i < runs; i++) {
    const offset = statSync(daemonLog).size;
    const r = await buildx(example.dir, file);
    assertCached(r, "slipway");
    const lines = readFrom(daemonLog, offset).split("\n").filter((l) => l.startsWith("slipway-trace "));
    if (lines.length !== 1) fail(`expected one trace line in ${daemonLog}, found ${lines.length}: is it the daemon's log?`);
    const trace = JSON.parse(lines[0].slice("slipway-trace ".length));
    trace.wallMs = r.wallMs;
    trace.phases = JSON.parse(r.metadata["frontend.slipway.timings"] ?? "{}");
    traces.push(trace);
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
  console.log(`Frontend: ${frontend} (traced as ${traced}${args.profile ? ", profiled" : ""})`);
  console.log(`Machine: ${m.cores} cores, Docker Engine ${m.docker}, load average ${m.load}; ${runs} fully cached rebuilds, --output type=cacheonly\n`);
  const rows = traces.map((t) => {
    const ping = t.calls.find((c) => c.method === "Ping");
    const ret = t.calls.find((c) => c.method === "Return");
    const inFlight = union(t.calls.filter((c) => c.end !== undefined).map((c) => [c.start, c.end]));
    return {
      "build wall time": t.wallMs,
      "node start → preload runs (node's own start)": t.preload,
      "→ bundle loaded, main() runs": (t.phases["at main"] ?? NaN) - t.preload,
      "→ HTTP/2 connect": t.connect - (t.phases["at main"] ?? t.preload),
      "→ Ping sent": ping.start - t.connect,
      "Ping round trip": ping.end - ping.start,
      "Ping → Return ends": ret.end - ping.start,
      "  of which calls in flight": inFlight - (ping.end - ping.start),
      "  of which the frontend's own work": ret.end - ping.start - (inFlight - (ping.end - ping.start)),
      "process start → exit": t.exit,
      "CPU user": t.cpu.userMs,
      "CPU system": t.cpu.systemMs,
      "gRPC calls": t.calls.length,
    };
  });
  console.log("| step (ms) | median | min | max |\n|---|---|---|---|");
  for (const key of Object.keys(rows[0])) {
    const s = stats(rows.map((r) => r[key]));
    console.log(`| ${key} | ${fmt(s.median)} | ${fmt(s.min)} | ${fmt(s.max)} |`);
  }
  const byMethod = new Map();
  for (const t of traces) {
    for (const c of t.calls) {
      const e = byMethod.get(c.method) ?? { count: 0, ms: [] };
      e.count++;
      e.ms.push(c.end - c.start);
      byMethod.set(c.method, e);
    }
  }
  console.log("\n| gRPC method | calls per build | median ms per call | total ms per build (mean) |\n|---|---|---|---|");
  for (const [method, e] of [...byMethod].sort((a, b) => b[1].ms.reduce((x, y) => x + y, 0) - a[1].ms.reduce((x, y) => x + y, 0))) {
    console.log(`| ${method} | ${fmt(e.count / traces.length)} | ${fmt(stats(e.ms).median)} | ${fmt(e.ms.reduce((x, y) => x + y, 0) / traces.length)} |`);
  }
  const phaseNames = [...new Set(traces.flatMap((t) => Object.keys(t.phases)))];
  if (phaseNames.length > 0) {
    console.log("\n| frontend.slipway.timings (ms) | median | min | max |\n|---|---|---|---|");
    for (const n of phaseNames) {
      const s = stats(traces.flatMap((t) => (n in t.phases ? [t.phases[n]] : [])));
      console.log(`| ${n} | ${fmt(s.median)} | ${fmt(s.min)} | ${fmt(s.max)} |`);
    }
  }
  if (args.profile) {
    for (const kind of ["modules", "functions"]) {
      const total = new Map();
      for (const t of traces) for (const [k, v] of Object.entries(t.profile?.[kind] ?? {})) total.set(k, (total.get(k) ?? 0) + v);
      console.log(`\nCPU profile, self time by ${kind.slice(0, -1)} (mean ms per build, top 25):`);
      for (const [k, v] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${fmt(v / traces.length).padStart(8)}  ${k}`);
    }
  }
}

function fmt(x) {
  return Number.isFinite(x) ? (Math.round(x * 10) / 10).toString() : "—";
}
