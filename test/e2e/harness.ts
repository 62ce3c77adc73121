import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

/**
 * Helpers for the end-to-end tests: they build the real frontend image from this checkout's Dockerfile,
 * push it to the lab registry, and drive `docker buildx build` / `docker run` exactly as users do.
 */

export const REPO = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
export const REGISTRY = "127.0.0.1:5000";
const WORK = join(REPO, "test/e2e/.work");

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, for assertions on what a user sees. */
  readonly output: string;
}

export function run(cmd: string, args: readonly string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Run {
  const r = spawnSync(cmd, args, {
    cwd: options.cwd ?? REPO,
    input: options.input,
    env: { ...process.env, ...options.env },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeoutMs ?? 900_000,
  });
  if (r.error) throw r.error;
  const stdout = r.stdout ?? "";
  const stderr = r.stderr ?? "";
  return { code: r.status ?? -1, stdout, stderr, output: `${stdout}\n${stderr}` };
}

/**
 * `run` without blocking the event loop: needed whenever the test process itself serves something the
 * build fetches (an http server, a Debian repository), which a blocked loop could not answer.
 */
export function runAsync(cmd: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd ?? REPO, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 900_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      resolve({ code: code ?? -1, stdout, stderr, output: `${stdout}\n${stderr}` });
    });
  });
}

/** Like `run`, but fails with the command's output when it exits non-zero. */
export function must(cmd: string, args: readonly string[], options: Parameters<typeof run>[2] = {}): Run {
  const r = run(cmd, args, options);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.code}\n${r.output.slice(-8000)}`);
  return r;
}

/** Files the frontend image is built from; their hash is the image tag, so an unchanged tree is not rebuilt. */
function frontendInputs(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith(".ts") && !p.endsWith(".test.ts")) files.push(p);
    }
  };
  for (const d of ["grammar", "llb", "frontend"]) walk(join(REPO, d));
  for (const f of ["Dockerfile", ".dockerignore", "package.json", "package-lock.json", "scripts/bundle.mjs", "scripts/code-cache.mjs", "tsconfig.json", "tsconfig.base.json", "env.d.ts"]) {
    files.push(join(REPO, f));
  }
  return files;
}

let cachedImage: string | undefined;

/**
 * The frontend image for this checkout, built from the Dockerfile and pushed to the lab registry (BuildKit
 * resolves `# syntax=` images from a registry). Built at most once per content.
 */
export function frontendImage(): string {
  if (cachedImage) return cachedImage;
  const hash = createHash("sha256");
  for (const f of frontendInputs()) hash.update(relative(REPO, f)).update("\0").update(readFileSync(f)).update("\0");
  const tag = `${REGISTRY}/slipway/frontend:t-${hash.digest("hex").slice(0, 16)}`;
  mkdirSync(WORK, { recursive: true });
  const marker = join(WORK, `frontend-${tag.split(":").pop()}.pushed`);
  if (!existsSync(marker) || run("docker", ["buildx", "imagetools", "inspect", tag]).code !== 0) {
    must("docker", ["buildx", "build", "--quiet", "--provenance=false", "-t", tag, "--output", "type=image,push=true", REPO], { timeoutMs: 1_200_000 });
    writeFileSync(marker, tag);
  }
  cachedImage = tag;
  return tag;
}

/** A fresh directory under test/e2e/.work with the given files (text or bytes). */
export function project(name: string, files: Record<string, string | Uint8Array>): string {
  mkdirSync(WORK, { recursive: true });
  const dir = mkdtempSync(join(WORK, `${name}-`));
  for (const [path, content] of Object.entries(files)) {
    const p = join(dir, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return dir;
}

export function scratchDir(name: string): string {
  mkdirSync(WORK, { recursive: true });
  return mkdtempSync(join(WORK, `${name}-`));
}

export { tmpdir };

/** The probe program (fixtures/probe.c) compiled statically, so it runs in scratch images too. */
export function staticProbe(): string {
  const out = join(WORK, "probe");
  if (!existsSync(out)) {
    mkdirSync(WORK, { recursive: true });
    must("gcc", ["-static", "-O2", "-o", out, join(REPO, "test/e2e/fixtures/probe.c")]);
  }
  return out;
}

export interface BuildOptions {
  /** Declaration file name inside `dir` (passed with -f). */
  readonly file?: string;
  readonly buildArgs?: Record<string, string>;
  readonly target?: string;
  /** `--output` value; default: load into the image store as `tag`. */
  readonly output?: string;
  readonly tag?: string;
  readonly extra?: readonly string[];
  /** Use `--build-arg BUILDKIT_SYNTAX=<frontend>` instead of relying on a `# syntax=` line. */
  readonly viaBuildArg?: boolean;
}

/** `docker buildx build` of a declaration, as a user runs it. Does not throw on failure. */
export function buildx(dir: string, options: BuildOptions = {}): Promise<Run> {
  // no provenance unless a test asks for it (`extra: ["--provenance=…"]`): it slows every build down
  const provenance = options.extra?.some((a) => a.startsWith("--provenance")) ? [] : ["--provenance=false"];
  const args = ["buildx", "build", "--progress=plain", ...provenance, "-f", join(dir, options.file ?? "slipway.hcl")];
  for (const [k, v] of Object.entries(options.buildArgs ?? {})) args.push("--build-arg", `${k}=${v}`);
  if (options.viaBuildArg) args.push("--build-arg", `BUILDKIT_SYNTAX=${frontendImage()}`);
  if (options.target) args.push("--target", options.target);
  if (options.output) args.push("--output", options.output);
  else args.push("--load", "-t", options.tag ?? `slipway-e2e/${basenameOf(dir)}:latest`);
  args.push(...(options.extra ?? []), dir);
  // A build that hangs (seen once: a local export stalled while another client was exporting the same
  // snapshot) fails this test after five minutes rather than holding the suite for the test timeout.
  return runAsync("docker", args, { cwd: dir, timeoutMs: 300_000 });
}

/** The `# syntax=` line for this checkout's frontend image. */
export function syntaxLine(): string {
  return `# syntax=${frontendImage()}\n`;
}

function basenameOf(dir: string): string {
  return dir.split("/").filter(Boolean).pop()!.toLowerCase().replace(/[^a-z0-9._-]/g, "-");
}

/** Runs an image and returns its stdout (fails on a non-zero exit). */
export function dockerRun(image: string, args: readonly string[] = [], extra: readonly string[] = []): string {
  return must("docker", ["run", "--rm", ...extra, image, ...args]).stdout;
}

export function imageConfig(image: string): { Config: Record<string, unknown> } {
  const out = must("docker", ["image", "inspect", image]).stdout;
  return (JSON.parse(out) as { Config: Record<string, unknown> }[])[0]!;
}
