// The spine's example (b) as a benchmark project, shared by bench/spine-cached.mjs and
// bench/frontend-trace.mjs: a debian:bookworm image with a file from the build context, one over http
// (served by this process) and one from a Dockerfile step with a target and a build argument, plus the
// same image as a Dockerfile for BuildKit's built-in frontend. Also the lab plumbing both need.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const REPO = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

const PAYLOAD = "downloaded over http\n";
const MESSAGE = "built by a step";

const STEP_DOCKERFILE = `FROM debian:bookworm AS make
ARG MESSAGE
RUN mkdir /out && echo "$MESSAGE" > /out/greeting && chmod 0755 /out/greeting

FROM debian:bookworm AS other
RUN echo "wrong target" && exit 1
`;

/**
 * Writes the project into a temporary directory and serves the http file. Every docker call made while it
 * is open must be asynchronous (`runAsync`): a blocked event loop could not answer BuildKit's download.
 */
export async function openExample() {
  const sha = createHash("sha256").update(PAYLOAD).digest("hex");
  const server = createServer((req, res) => {
    if ((req.url ?? "").split("?")[0] !== "/files/payload.txt") return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": Buffer.byteLength(PAYLOAD) });
    res.end(req.method === "HEAD" ? undefined : PAYLOAD);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}/files/payload.txt`;
  const dir = mkdtempSync(join(tmpdir(), "slipway-bench-"));
  const files = {
    "build.Dockerfile": STEP_DOCKERFILE,
    "conf/app.conf": "listen = 8080\n",
    "unrelated/big.bin": new Uint8Array(1024),
    Dockerfile: dockerfile(url, sha),
  };
  for (const [path, content] of Object.entries(files)) write(dir, path, content);
  let declarations = 0;
  let dockerfiles = 0;
  return {
    dir,
    /** Build arguments the Dockerfile side needs (slipway's declaration sets them in its step). */
    dockerfileArgs: ["--build-arg", `MESSAGE=${MESSAGE}`],
    /** Writes the Dockerfile with `frontend` in a `# syntax=` line (a gateway frontend); returns its file name. */
    dockerfile(frontend) {
      const name = `syntax-${dockerfiles++}.Dockerfile`;
      write(dir, name, `# syntax=${frontend}\n${dockerfile(url, sha)}`);
      return name;
    },
    /** Writes a declaration that uses `frontend` in its `# syntax=` line; returns its file name. */
    declaration(frontend) {
      const name = `slipway-${declarations++}.hcl`;
      write(dir, name, declaration(frontend, url, sha));
      return name;
    },
    close({ keep = false } = {}) {
      server.close();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function write(dir, path, content) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

// The same image through the built-in Dockerfile frontend (no `# syntax=` line): the same base, the same
// three files with the same modes and owners, the same step (target and build arg), the same config.
function dockerfile(url, sha) {
  return `FROM debian:bookworm AS make
ARG MESSAGE
RUN mkdir /out && echo "$MESSAGE" > /out/greeting && chmod 0755 /out/greeting

FROM debian:bookworm
COPY --chmod=0600 --chown=nobody:nogroup conf/app.conf /etc/app/app.conf
ADD --checksum=sha256:${sha} ${url} /srv/payload.txt
COPY --from=make /out/greeting /usr/local/bin/greeting
ENV B=second A=first
USER nobody
WORKDIR /srv
LABEL org.opencontainers.image.title=app
EXPOSE 8080
STOPSIGNAL SIGTERM
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["echo \\"user=$(id -un) cwd=$(pwd) path=$PATH a=$A b=$B\\"; cat /usr/local/bin/greeting /srv/payload.txt /etc/app/app.conf"]
`;
}

function declaration(frontend, url, sha) {
  return `# syntax=${frontend}
image "app" {
  base_image = "debian:bookworm"

  file "/etc/app/app.conf" {
    from_context {
      path = "conf/app.conf"
    }
    mode  = "0600"
    owner = "nobody:nogroup"
  }

  file "/srv/payload.txt" {
    from_http {
      url    = "${url}"
      sha256 = "${sha}"
    }
  }

  file "/usr/local/bin/greeting" {
    from_step "build" {
      path = "/out/greeting"
    }
  }

  entrypoint = ["/bin/sh", "-c"]
  cmd        = ["echo \\"user=$(id -un) cwd=$(pwd) path=$PATH a=$A b=$B\\"; cat /usr/local/bin/greeting /srv/payload.txt /etc/app/app.conf"]
  env        = { B = "second", A = "first" }
  user       = "nobody"
  workdir    = "/srv"
  labels     = { "org.opencontainers.image.title" = "app" }
  expose     = [8080]
  stopsignal = "SIGTERM"
}

step "build" {
  dockerfile = "build.Dockerfile"
  target     = "make"
  build_args = { MESSAGE = "${MESSAGE}" }

  source_file "/out/*" {
    vcs "git" {
      repository = "https://example.org/app.git"
      ref        = "main"
    }
  }
}
`;
}

/**
 * `docker buildx build` of `file` in `dir`; resolves with the wall time, the output and the build's
 * metadata (`--metadata-file`). `output` is `cacheonly`, `load` or `push` (to the lab registry);
 * `progress` is buildx's (`plain`, or `rawjson` for each vertex's start and end).
 */
export async function buildx(dir, file, { output = "cacheonly", args = [], tag, progress = "plain" } = {}) {
  const metadataFile = join(dir, `.metadata-${process.pid}.json`);
  rmSync(metadataFile, { force: true });
  const cmd = ["buildx", "build", `--progress=${progress}`, "--provenance=false", "-f", join(dir, file), "--metadata-file", metadataFile, ...args];
  const name = tag ?? `slipway-bench/${file.replace(/[^a-z0-9]/gi, "-").toLowerCase()}:latest`;
  if (output === "cacheonly") cmd.push("--output", "type=cacheonly");
  // to the lab registry, with the image's attestations (slipway's BOM): what a CI release does
  else if (output === "push") cmd.push("--output", `type=image,name=127.0.0.1:5000/${name},push=true`);
  else cmd.push("--load", "-t", name);
  cmd.push(dir);
  return timedBuild("docker", cmd, dir, metadataFile, `${file} (${output})`);
}

/**
 * The same build through `buildctl` against a BuildKit daemon of its own (`addr`, e.g.
 * unix:///run/buildkit/buildkitd.sock), as CI runs slipway: `frontend` is `dockerfile.v0` (the daemon's
 * built-in Dockerfile frontend) or an image, run as `gateway.v0`. No `# syntax=` hop. `output`:
 * `cacheonly` (no exporter: buildctl's equivalent) or `push`.
 */
export async function buildctl(dir, file, { addr, frontend, output = "cacheonly", args = [], tag, progress = "plain" } = {}) {
  const metadataFile = join(dir, `.metadata-${process.pid}.json`);
  rmSync(metadataFile, { force: true });
  const cmd = ["--addr", addr, "build", `--progress=${progress}`, "--metadata-file", metadataFile, "--local", `context=${dir}`, "--local", `dockerfile=${dir}`, "--opt", `filename=${file}`, ...args];
  cmd.push(...(frontend === "dockerfile.v0" ? ["--frontend", "dockerfile.v0"] : ["--frontend", "gateway.v0", "--opt", `source=${frontend}`]));
  const name = tag ?? `slipway-bench/${file.replace(/[^a-z0-9]/gi, "-").toLowerCase()}:latest`;
  if (output === "push") cmd.push("--output", `type=image,name=127.0.0.1:5000/${name},push=true`);
  else if (output !== "cacheonly") fail(`buildctl: --output ${output} is not measured (cacheonly or push)`);
  return timedBuild("buildctl", cmd, dir, metadataFile, `${file} (${output})`);
}

/** Runs a build, timed; fails the bench if it fails. No metadata file (buildctl writes none without an exporter) reads as no metadata. */
async function timedBuild(command, argv, dir, metadataFile, what) {
  const start = process.hrtime.bigint();
  const r = await runAsync(command, argv, dir);
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.code !== 0) fail(`build of ${what} failed:\n${command} ${argv.join(" ")}\n${r.output.slice(-6000)}`);
  return { wallMs, output: r.output, metadata: existsSync(metadataFile) ? JSON.parse(readFileSync(metadataFile, "utf8")) : {} };
}

/** A fully cached rebuild runs nothing: the step's RUN must come from the cache. */
/**
 * The frontend's own time, from a build's metadata: `frontend.slipway.time_to_return_ms` (process start to
 * Return) and `frontend.slipway.timings` (its phases); undefined for a frontend that sets neither.
 */
export function frontendTimes(metadata) {
  const timeToReturn = metadata["frontend.slipway.time_to_return_ms"];
  const phases = metadata["frontend.slipway.timings"];
  return { frontendMs: timeToReturn === undefined ? undefined : Number(timeToReturn), phases: phases === undefined ? undefined : JSON.parse(phases) };
}

export function assertCached(result, what) {
  const vertices = new Map();
  for (const line of result.output.split("\n")) {
    const m = /^#(\d+) (.*)$/.exec(line);
    if (!m) continue;
    const [, id, text] = m;
    if (!vertices.has(id)) vertices.set(id, { name: text, cached: false });
    if (text === "CACHED") vertices.get(id).cached = true;
  }
  const ran = [...vertices.values()].filter((v) => /RUN mkdir \/out|mkdir \/out &&/.test(v.name) && !v.cached);
  if (ran.length > 0) fail(`${what}: the rebuild was not fully cached (${ran.map((v) => v.name).join("; ")})\n${result.output.slice(-4000)}`);
}

/** This checkout's frontend image, built and pushed by scripts/frontend-image.sh. */
export function checkoutFrontend() {
  const r = spawnSync(join(REPO, "scripts/frontend-image.sh"), [], { cwd: REPO, encoding: "utf8" });
  if (r.status !== 0) fail(`scripts/frontend-image.sh failed (is the lab up? scripts/lab-up.sh):\n${r.stderr}`);
  return r.stdout.trim().split("\n").pop();
}

export function machine() {
  const out = (cmd, a) => spawnSync(cmd, a, { encoding: "utf8" }).stdout?.trim() ?? "?";
  return {
    cores: out("nproc", []),
    node: process.versions.node,
    docker: out("docker", ["version", "--format", "{{.Server.Version}}"]),
    buildx: out("docker", ["buildx", "version"]).split(" ")[1] ?? "?",
    // what buildx reports for the builder's BuildKit (Debian's engine build says v0.0.0+unknown)
    buildkit: /BuildKit version:\s*(\S+)/.exec(out("docker", ["buildx", "inspect"]))?.[1] ?? "?",
    load: out("cat", ["/proc/loadavg"]).split(" ").slice(0, 3).join(" "),
  };
}

/**
 * A report's ratio lines: every side against the built-in Dockerfile frontend (`dockerfile`), and slipway's
 * against BuildKit's Go Dockerfile frontend (`dockerfile-go`) when measured, the other gateway frontend.
 * `median(name)` is a side's median wall time, undefined for a side not measured.
 */
export function ratios(label, names, median) {
  const lines = [];
  for (const baseline of ["dockerfile", "dockerfile-go"]) {
    const base = median(baseline);
    if (base === undefined) continue;
    for (const name of names.filter((n) => n !== baseline && (baseline === "dockerfile" || n.startsWith("slipway")))) {
      const mine = median(name);
      const diff = mine - base;
      lines.push(`${label}: ${name} / ${baseline} = ${(mine / base).toFixed(2)}× (medians ${ms(mine)} vs ${ms(base)}, ${diff < 0 ? "−" : "+"}${ms(Math.abs(diff))})`);
    }
  }
  return lines;
}

export function ms(x) {
  return `${Math.round(x)} ms`;
}

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { min: s[0], max: s[s.length - 1], median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2 };
}

export function runAsync(cmd, argv, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const chunks = [];
    child.stdout.on("data", (b) => chunks.push(b));
    child.stderr.on("data", (b) => chunks.push(b));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output: Buffer.concat(chunks).toString("utf8") }));
  });
}

export function fail(text) {
  console.error(`bench: ${text}`);
  process.exit(1);
}
