// Fully cached rebuilds of the spine's example (b) with slipway against the same image as a Dockerfile
// built by the daemon's built-in Dockerfile frontend, on the same daemon, interleaved. Issue 3's bench.
//
//   node bench/spine-cached.mjs [--runs 15] [--outputs cacheonly,load,push] [--frontend REF[,REF…]] [--go-frontend REF]
//                               [--json FILE] [--buildctl ADDR]
//
// --frontend   the frontend image for the `# syntax=` line; default: this checkout's, built and pushed by
//              scripts/frontend-image.sh. Several (comma-separated) are measured interleaved, for A/B runs.
// --go-frontend a third side, `dockerfile-go`: the built-in side's Dockerfile with `# syntax=REF` first, REF
//              being BuildKit's own Go Dockerfile frontend as an image (bench/go-dockerfile-frontend.sh).
// --outputs    `cacheonly` (--output type=cacheonly), `load` (--load -t TAG: export into the daemon's
//              image store, which drops attestations) and/or `push` (to the lab registry, attestations
//              included: the release build, the one output where every side evaluates its BOM).
// --json       also write every sample to FILE.
// --buildctl   build with `buildctl --addr ADDR` against that BuildKit daemon instead of `docker buildx`
//              (slipway and the Go frontend as `gateway.v0`, the Dockerfile side with `dockerfile.v0`;
//              `buildctl` on the PATH); only `--outputs cacheonly` (no exporter) then.
//
// Plain Node, no build step. Needs the lab (scripts/lab-up.sh): Docker with BuildKit, and the registry on
// 127.0.0.1:5000 holding debian:bookworm. Each side is built twice first (the first does the work, the
// second must already be cached), then every measured rebuild is checked to have run nothing.
// The frontend's own time comes from the build's metadata: `frontend.slipway.time_to_return_ms` (process
// start to Return) and `frontend.slipway.timings` (phases).
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { assertCached, buildctl, buildx, checkoutFrontend, fail, frontendTimes, machine, ms, openExample, ratios, stats } from "./spine-example.mjs";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "15" },
    outputs: { type: "string", default: "cacheonly,load" },
    frontend: { type: "string" },
    "go-frontend": { type: "string" },
    json: { type: "string" },
    buildctl: { type: "string" },
  },
});
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 5) fail(`--runs must be an integer ≥ 5, not ${args.runs}`);
const outputs = args.outputs.split(",").filter(Boolean);
for (const o of outputs) if (!["cacheonly", "load", "push"].includes(o)) fail(`--outputs takes cacheonly, load and/or push, not ${o}`);
if (args.buildctl && outputs.some((o) => o !== "cacheonly")) fail("--buildctl measures --outputs cacheonly only");
const frontends = args.frontend ? args.frontend.split(",") : [checkoutFrontend()];

const before = machine();
const example = await openExample();
try {
  const sides = [
    ...frontends.map((f, i) => ({ name: frontends.length > 1 ? `slipway[${i}]` : "slipway", file: example.declaration(f), args: [], frontend: f })),
    { name: "dockerfile", file: "Dockerfile", args: example.dockerfileArgs, frontend: "dockerfile.v0" },
    // through buildctl the Go frontend is named on the command line: the plain Dockerfile, no `# syntax=`
    ...(args["go-frontend"] ? [{ name: "dockerfile-go", file: args.buildctl ? "Dockerfile" : example.dockerfile(args["go-frontend"]), args: example.dockerfileArgs, frontend: args["go-frontend"] }] : []),
  ];
  const build = (side, output) =>
    args.buildctl
      ? buildctl(example.dir, side.file, { addr: args.buildctl, frontend: side.frontend, output, args: buildctlArgs(side.args) })
      : buildx(example.dir, side.file, { output, args: side.args });
  for (const side of sides) for (const output of outputs) for (let w = 0; w < 2; w++) await build(side, output);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    // alternate the order each round so that neither side always runs right after the other
    const order = i % 2 === 0 ? sides : [...sides].reverse();
    for (const output of outputs) {
      for (const side of order) {
        const r = await build(side, output);
        assertCached(r, `${side.name} (${output})`);
        samples.push({ side: side.name, output, wallMs: r.wallMs, ...frontendTimes(r.metadata) });
      }
    }
  }
  report(sides, samples);
  if (args.json) writeFileSync(args.json, JSON.stringify({ machine: before, frontends, goFrontend: args["go-frontend"], samples }, null, 2));
} finally {
  example.close();
}

/** buildx's `--build-arg NAME=VALUE` as buildctl's `--opt build-arg:NAME=VALUE`. */
function buildctlArgs(buildxArgs) {
  const out = [];
  for (let i = 0; i < buildxArgs.length; i += 2) {
    if (buildxArgs[i] !== "--build-arg") fail(`--buildctl: cannot pass ${buildxArgs[i]}`);
    out.push("--opt", `build-arg:${buildxArgs[i + 1]}`);
  }
  return out;
}

function report(sides, samples) {
  const m = before;
  console.log(`Machine: ${m.cores} cores, Node ${m.node}, Docker Engine ${m.docker}, buildx ${m.buildx}, BuildKit ${m.buildkit}`);
  console.log(`Load average before / after: ${m.load} / ${machine().load}`);
  if (args.buildctl) console.log(`Through buildctl at ${args.buildctl}, not the Docker Engine above`);
  console.log(`Frontends: ${frontends.join(", ")}${args["go-frontend"] ? `; dockerfile-go: ${args["go-frontend"]}` : ""}`);
  console.log(`${runs} fully cached rebuilds per side and output, interleaved, after 2 warm-up builds each\n`);
  console.log("| output | side | wall min | wall median | wall max | frontend start → Return (min / median / max) |");
  console.log("|---|---|---|---|---|---|");
  const medians = new Map();
  for (const output of outputs) {
    for (const side of sides) {
      const mine = samples.filter((s) => s.side === side.name && s.output === output);
      const wall = stats(mine.map((s) => s.wallMs));
      medians.set(`${output}/${side.name}`, wall.median);
      const fe = mine.every((s) => s.frontendMs !== undefined) ? stats(mine.map((s) => s.frontendMs)) : undefined;
      const feText = fe ? `${ms(fe.min)} / ${ms(fe.median)} / ${ms(fe.max)}` : "—";
      console.log(`| ${output} | ${side.name} | ${ms(wall.min)} | ${ms(wall.median)} | ${ms(wall.max)} | ${feText} |`);
    }
  }
  console.log("");
  for (const output of outputs) {
    for (const line of ratios(output, sides.map((s) => s.name), (name) => medians.get(`${output}/${name}`))) console.log(line);
  }
  for (const side of sides.filter((s) => s.name !== "dockerfile")) {
    const withPhases = samples.filter((s) => s.side === side.name && s.phases);
    if (withPhases.length === 0) continue;
    const names = [...new Set(withPhases.flatMap((s) => Object.keys(s.phases)))];
    console.log(`\n${side.name}: frontend.slipway.timings, median over every output (ms; "at X" is time since process start)`);
    for (const n of names) {
      const xs = withPhases.flatMap((s) => (n in s.phases ? [s.phases[n]] : []));
      const st = stats(xs);
      console.log(`  ${n.padEnd(22)} ${st.median.toFixed(1).padStart(7)}   (min ${st.min.toFixed(1)}, max ${st.max.toFixed(1)})`);
    }
  }
}
