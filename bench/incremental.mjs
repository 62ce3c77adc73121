// Incremental rebuilds: one context file changes before every build, in two images, with slipway against
// the same image as a Dockerfile built by the daemon's built-in Dockerfile frontend, on the same daemon,
// interleaved. Issue 15's bench (bench/spine-cached.mjs is the fully cached one).
//
//   node bench/incremental.mjs [--runs 7] [--images plain,scratch,packages] [--frontend REF[,REF…]] [--go-frontend REF]
//                              [--cold] [--output cacheonly|load|push] [--json FILE] [--buildctl ADDR]
//
// --images     `plain`: debian:bookworm + 1 context file; `scratch`: the same file on scratch (no base image:
//              the BOM's facts read waits on no base image's cache key); `packages`: debian:bookworm with
//              examples/debian-tools' packages (locked first, so no build reads an index) + 1 context file.
//              The Dockerfile side of `packages` installs the same packages with apt-get (its RUN is cached
//              after the warm-up; only the COPY after it is rebuilt, as only slipway's file op is).
// --frontend   the frontend image(s) for the `# syntax=` line; default: this checkout's
//              (scripts/frontend-image.sh). Several (comma-separated) are measured interleaved, for A/B runs.
// --go-frontend a third side, `dockerfile-go`: the built-in side's Dockerfile with `# syntax=REF` first, REF
//              being BuildKit's own Go Dockerfile frontend as an image (bench/go-dockerfile-frontend.sh
//              builds one offline). The same Dockerfile code as the built-in side, run as a gateway
//              frontend: what it costs over the built-in side is what any `# syntax=` frontend pays.
//
// --cold       every measured build is `--no-cache` instead (the cold build: everything runs, the base
//              image and the packages' .debs are fetched again), to check the split costs a cold build nothing.
//
// --output     cacheonly (the default), load or push. With cacheonly BuildKit evaluates only what a
//              frontend reads, so a side that reads nothing (the built-in Dockerfile frontend, slipway
//              before issue 15) runs none of its ops. load exports the image but drops its attestations,
//              so slipway before issue 15 never measured its BOM there either. push (to the lab
//              registry, attestations included, as a release does) is the one where every side builds
//              everything it returns.
//
// --buildctl   build with `buildctl --addr ADDR` against that BuildKit daemon instead of `docker buildx`:
//              slipway and the Go frontend as `gateway.v0` (no `# syntax=` hop), the Dockerfile side with
//              that daemon's built-in `dockerfile.v0`; `buildctl` must be on the PATH. `--output`
//              cacheonly (no exporter) or push.
//
// Every build changes conf/app.conf first (a new line with the build's number and this invocation's id), so
// each side has to rebuild the file op and everything after it; a measured build whose file op came from
// the cache fails the bench. The id matters: BuildKit keys the file op by the file's content, and the Go
// frontend's COPY has the built-in one's cache key, so a number alone repeats content an earlier
// invocation (or the other side) already built. The table gives that op's own time too (from BuildKit's
// rawjson progress): slipway's runs after Return, with the directory stamps the Dockerfile's COPY lacks.
// For each slipway side a line follows with where the frontend's life sits in the build: how long its
// container took to create, and how long BuildKit took from its Return to that op.
// Plain Node, no build step; needs the lab (scripts/lab-up.sh).
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { tmpdir } from "node:os";
import { buildctl, buildx, checkoutFrontend, fail, frontendTimes, machine, ms, ratios, REPO, runAsync, stats } from "./spine-example.mjs";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "7" },
    images: { type: "string", default: "plain,packages" },
    frontend: { type: "string" },
    "go-frontend": { type: "string" },
    cold: { type: "boolean", default: false },
    output: { type: "string", default: "cacheonly" },
    buildctl: { type: "string" },
    json: { type: "string" },
  },
});
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 3) fail(`--runs must be an integer ≥ 3, not ${args.runs}`);
if (!["cacheonly", "load", "push"].includes(args.output)) fail(`--output takes cacheonly, load or push, not ${args.output}`);
const images = args.images.split(",").filter(Boolean);
for (const i of images) if (!["plain", "scratch", "packages"].includes(i)) fail(`--images takes plain, scratch and/or packages, not ${i}`);
const frontends = args.frontend ? args.frontend.split(",") : [checkoutFrontend()];

const APT_PACKAGES = /apt \{[\s\S]*?\n  \}\n/.exec(readFileSync(join(REPO, "examples/debian-tools/slipway.hcl"), "utf8"))?.[0];
if (!APT_PACKAGES) fail("examples/debian-tools/slipway.hcl has no apt block");
const PACKAGE_NAMES = [...APT_PACKAGES.matchAll(/package "([^"]+)"/g)].map((m) => m[1]);

const before = machine();
const dir = mkdtempSync(join(tmpdir(), "slipway-bench-incr-"));
let edits = 0;
const invocation = randomUUID();
let measuring = false;
try {
  const sides = [];
  for (const image of images) {
    const project = join(dir, image);
    mkdirSync(join(project, "conf"), { recursive: true });
    writeFileSync(join(project, "conf/app.conf"), "listen = 8080\n");
    writeFileSync(join(project, "Dockerfile"), dockerfile(image));
    frontends.forEach((f, i) => {
      const file = `slipway-${i}.hcl`;
      writeFileSync(join(project, file), declaration(f, image));
      sides.push({ image, project, name: frontends.length > 1 ? `slipway[${i}]` : "slipway", file, frontend: f });
    });
    sides.push({ image, project, name: "dockerfile", file: "Dockerfile", frontend: "dockerfile.v0" });
    if (args["go-frontend"]) {
      // through buildctl the Go frontend is named on the command line; a `# syntax=` line would forward again
      writeFileSync(join(project, "go.Dockerfile"), `${args.buildctl ? "" : `# syntax=${args["go-frontend"]}\n`}${dockerfile(image)}`);
      sides.push({ image, project, name: "dockerfile-go", file: "go.Dockerfile", frontend: args["go-frontend"] });
    }
    if (image === "packages") {
      // the lock beside the declarations: every slipway build installs from it and reads no index
      const argv = args.buildctl
        ? ["--addr", args.buildctl, "build", "--progress=plain", "--frontend", "gateway.v0", "--opt", `source=${frontends[0]}`, "--opt", "filename=slipway-0.hcl", "--opt", "target=lock", "--local", `context=${project}`, "--local", `dockerfile=${project}`, "--output", `type=local,dest=${project}`]
        : ["buildx", "build", "--progress=plain", "-f", join(project, "slipway-0.hcl"), "--target", "lock", "--output", `type=local,dest=${project}`, project];
      const r = await runAsync(args.buildctl ? "buildctl" : "docker", argv, project);
      if (r.code !== 0) fail(`locking ${image} failed:\n${r.output.slice(-4000)}`);
    }
  }
  // warm-up: the first build does the work (packages, the BOM's package facts), the second must be cheap
  for (const side of sides) for (let w = 0; w < 2; w++) await rebuild(side);
  const samples = [];
  measuring = true;
  for (let i = 0; i < runs; i++) {
    // alternate the order each round so that neither side always runs right after the other
    const order = i % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      const r = await rebuild(side);
      samples.push({ image: side.image, side: side.name, wallMs: r.wallMs, fileOpMs: r.fileOpMs, containerMs: r.containerMs, afterReturnMs: r.afterReturnMs, ran: r.ran, ...frontendTimes(r.metadata) });
    }
  }
  report(sides, samples);
  if (args.json) writeFileSync(args.json, JSON.stringify({ machine: before, frontends, goFrontend: args["go-frontend"], samples }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Changes the context file, then rebuilds; names the vertices that finished without a cache hit. */
async function rebuild(side) {
  writeFileSync(join(side.project, "conf/app.conf"), `listen = 8080\n# edit ${++edits} of ${invocation}\n`);
  const extra = args.cold && measuring ? ["--no-cache"] : [];
  const r = args.buildctl
    ? await buildctl(side.project, side.file, { addr: args.buildctl, frontend: side.frontend, output: args.output, args: extra, progress: "rawjson" })
    : await buildx(side.project, side.file, { output: args.output, args: extra, progress: "rawjson" });
  const vertices = progressVertices(r.output);
  // sources report computing their key as a run (no op ran); resolves and the exporter are no ops
  const ranOps = [...vertices.values()].filter((v) => v.completed && !v.cached && !/^(\[internal\]|resolve|exporting|docker-image:|\[slipway\] (base image|resolve))/.test(v.name));
  // the one op every side must rebuild: COPY (Dockerfile) or "/etc/app/app.conf ← context" (slipway)
  const fileOp = ranOps.find((v) => v.name.includes("conf/app.conf"));
  if (fileOp === undefined) fail(`${side.image} ${side.name}: the changed conf/app.conf was not rebuilt (its file op came from the cache)\n${r.output.slice(-4000)}`);
  return { ...r, ran: ranOps.map((v) => v.name), fileOpMs: fileOp.completed - fileOp.started, ...frontendSpan(side, vertices, r.metadata, fileOp) };
}

/**
 * Where the frontend's life sits in the build, for a slipway side: from its image ready to its process's
 * start (the container's creation), and from its Return to the edited file's op starting (its exit, the
 * container torn down, the result taken). The process start is on no clock the client sees: it is taken
 * from the frontend's first request, its declaration's load (the last "load build definition" vertex; a
 * `# syntax=` build has the built-in frontend's before it), which BuildKit starts as it answers the Ping
 * sent beside it: that vertex's start less the frontend's own "at ping" mark (within 0.5 ms of the real
 * start, checked against a frontend that logged its start on the daemon's clock).
 */
function frontendSpan(side, vertices, metadata, fileOp) {
  const { frontendMs, phases } = frontendTimes(metadata);
  if (frontendMs === undefined || phases?.["at ping"] === undefined) return {};
  const all = [...vertices.values()];
  const load = all.filter((v) => v.name.startsWith("[internal] load build definition") && v.started !== undefined).sort((a, b) => a.started - b.started).at(-1);
  const image = all.find((v) => v.name.startsWith(`docker-image://${side.frontend.replace(/^docker\.io\//, "")}`) && v.completed !== undefined);
  if (!load) return {};
  const processStart = load.started - phases["at ping"];
  return { ...(image && { containerMs: processStart - image.completed }), afterReturnMs: fileOp.started - (processStart + frontendMs) };
}

/** Each vertex of a build's rawjson progress: its name, whether it came from the cache, its start and end (ms). */
function progressVertices(output) {
  const vertices = new Map();
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    for (const v of JSON.parse(line).vertexes ?? []) {
      const known = vertices.get(v.digest) ?? { name: v.name, cached: false };
      if (v.cached) known.cached = true;
      if (v.started) known.started = Date.parse(v.started) + subMillisecond(v.started);
      if (v.completed) known.completed = Date.parse(v.completed) + subMillisecond(v.completed);
      vertices.set(v.digest, known);
    }
  }
  return vertices;
}

/** The part of an RFC 3339 time below the millisecond, which Date.parse drops. */
function subMillisecond(time) {
  const fraction = /\.(\d+)/.exec(time)?.[1] ?? "";
  return Number(`0.${fraction.slice(3) || "0"}`);
}

function dockerfile(image) {
  const install =
    image === "packages" ? `RUN apt-get update && apt-get install -y --no-install-recommends ${PACKAGE_NAMES.join(" ")} && rm -rf /var/lib/apt/lists/*\n` : "";
  if (image === "scratch") return `FROM scratch\nCOPY conf/app.conf /etc/app/app.conf\n`;
  return `FROM debian:bookworm\n${install}COPY conf/app.conf /etc/app/app.conf\nCMD ["bash"]\n`;
}

function declaration(frontend, image) {
  return `# syntax=${frontend}
image "app" {
  base_image = "${image === "scratch" ? "scratch" : "debian:bookworm"}"
${image === "packages" ? APT_PACKAGES : ""}
  file "/etc/app/app.conf" {
    from_context {
      path = "conf/app.conf"
    }
  }

  cmd = ["bash"]
}
`;
}

function report(sides, samples) {
  const m = before;
  console.log(`Machine: ${m.cores} cores, Node ${m.node}, Docker Engine ${m.docker}, buildx ${m.buildx}, BuildKit ${m.buildkit}`);
  console.log(`Load average before / after: ${m.load} / ${machine().load}`);
  if (args.buildctl) console.log(`Through buildctl (${spawnSync("buildctl", ["--version"], { encoding: "utf8" }).stdout.trim()}) at ${args.buildctl}, not the Docker Engine above`);
  console.log(`Frontends: ${frontends.join(", ")}${args["go-frontend"] ? `; dockerfile-go: ${args["go-frontend"]}` : ""}`);
  const what = args.cold ? "--no-cache builds" : "rebuilds";
  console.log(`${runs} ${what} per side after a one-line change to a context file, ${args.output === "cacheonly" ? "--output type=cacheonly" : args.output === "load" ? "--load" : "--output type=image,push=true"}, interleaved, after 2 warm-up builds each\n`);
  console.log("| image | side | wall min | wall median | wall max | frontend start → Return (median) | the edited file's op (median) | vertices that ran (last run) |");
  console.log("|---|---|---|---|---|---|---|---|");
  const medians = new Map();
  for (const side of sides) {
    const mine = samples.filter((s) => s.side === side.name && s.image === side.image);
    const wall = stats(mine.map((s) => s.wallMs));
    medians.set(`${side.image}/${side.name}`, wall.median);
    const fe = mine.every((s) => s.frontendMs !== undefined) ? `${ms(stats(mine.map((s) => s.frontendMs)).median)}` : "—";
    const fileOp = `${ms(stats(mine.map((s) => s.fileOpMs)).median)}`;
    console.log(`| ${side.image} | ${side.name} | ${ms(wall.min)} | ${ms(wall.median)} | ${ms(wall.max)} | ${fe} | ${fileOp} | ${brief(mine.at(-1).ran)} |`);
  }
  console.log("");
  for (const image of images) {
    const names = sides.filter((s) => s.image === image).map((s) => s.name);
    for (const line of ratios(image, names, (name) => medians.get(`${image}/${name}`))) console.log(line);
  }
  for (const side of sides) {
    const mine = samples.filter((s) => s.side === side.name && s.image === side.image);
    const median = (key) => (mine.every((s) => s[key] !== undefined) ? ms(stats(mine.map((s) => s[key])).median) : undefined);
    const [container, afterReturn] = [median("containerMs"), median("afterReturnMs")];
    if (afterReturn === undefined) continue;
    console.log(`${side.image} ${side.name}: the frontend's container created in ${container ?? "—"}, its Return to the edited file's op ${afterReturn} (medians; process start taken from its first request)`);
  }
  for (const side of sides.filter((s) => s.name !== "dockerfile")) {
    const withPhases = samples.filter((s) => s.side === side.name && s.image === side.image && s.phases);
    if (withPhases.length === 0) continue;
    const names = [...new Set(withPhases.flatMap((s) => Object.keys(s.phases)))];
    console.log(`\n${side.image} ${side.name}: frontend.slipway.timings, medians (ms; "at X" is time since process start)`);
    for (const n of names) {
      const st = stats(withPhases.flatMap((s) => (n in s.phases ? [s.phases[n]] : [])));
      console.log(`  ${n.padEnd(26)} ${st.median.toFixed(1).padStart(7)}   (min ${st.min.toFixed(1)}, max ${st.max.toFixed(1)})`);
    }
  }
}

/** The ops that ran, shortened for a table cell. */
function brief(names) {
  const shown = names.slice(0, 4).map((n) => (n.length > 70 ? `${n.slice(0, 69)}…` : n));
  return names.length > 4 ? `${shown.join("; ")}; … (${names.length} in all)` : shown.join("; ");
}
