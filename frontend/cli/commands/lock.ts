import { readFile } from "node:fs/promises";
import { arch } from "node:process";
import { dirname, join, resolve } from "node:path";
import {
  errorAt,
  hasErrors,
  isDiagnosticsError,
  parsePlatform as checkPlatform,
  renderDiagnostics,
  SourceFile,
  type Diagnostic,
  type Image,
} from "../../../grammar/index.js";
import type { AptLock, Fetcher, LockFile } from "../../debian/index.js";
import { lockFileName } from "../../debian/lock-schema.js";
import { MIRROR_VARIABLE, type Mirror } from "../../debian/mirrors.js";
import { dockerHubMirror, isImageFilesError, readRegistryImage, type RegistryImage } from "../../image-files/index.js";
import { HELP_OPTION, VAR_OPTION, parseCommandLine, parseVars } from "../args.js";
import { describeIoError, errorCode, UsageError, type CliIO, type Command } from "../io.js";
import { contextReader, loadWithContext, readDeclaration } from "../load.js";

/** Node's names for CPUs, as platform architectures. */
const NODE_ARCH: Readonly<Record<string, string>> = { x64: "amd64", arm64: "arm64", arm: "arm/v7", ia32: "386", ppc64: "ppc64le", s390x: "s390x", riscv64: "riscv64" };

/** The --mirror option of `slipway lock` and `slipway llb`, in their help. */
export const MIRROR_HELP = `  --mirror ORIGINAL=REPLACEMENT[,...]
                           fetch Debian files whose URL starts with ORIGINAL from
                           REPLACEMENT (the lock keeps the original URLs and every
                           sha256); default: $SLIPWAY_MIRROR, the same value as the
                           build argument of that name
`;

const help = `Usage: slipway lock [--var NAME=VALUE]... [--platform OS/ARCH]... [--registry-mirror URL]
                    [--mirror ORIGINAL=REPLACEMENT[,...]] FILE

Resolves the Debian packages of every image in FILE against its repositories'
signed indexes and writes ${lockFileName} beside FILE: the file the
\`--target lock\` build exports, byte for byte, made here without BuildKit. Builds
with the lock fetch no index and install exactly what it records.

The base image's apt sources, keys and dpkg status are read from its registry
(anonymously; plain http for localhost and 127.0.0.1); indexes and keys are
fetched with Node's HTTP client from the same repositories a build uses. Entries
for other images and architectures already in the lock are kept.

Options:
  --var NAME=VALUE         give a variable a value (repeatable)
  --platform OS/ARCH       lock for this platform (repeatable); default: each
                           image's \`platforms\`, else this machine's (${hostPlatform()})
  --registry-mirror URL    read docker.io images through this mirror; default:
                           $SLIPWAY_REGISTRY_MIRROR (empty for none), else the first
                           of "registry-mirrors" in /etc/docker/daemon.json
${MIRROR_HELP}  -h, --help               show this help
`;


/**
 * The mirrors of `--mirror`, else of `$SLIPWAY_MIRROR` (the build argument's name and syntax, so one
 * value serves the CLI and a build); a malformed value is a usage error naming where it came from.
 */
export async function cliMirrors(flag: string | undefined, env: NodeJS.ProcessEnv): Promise<readonly Mirror[]> {
  const value = flag ?? env[MIRROR_VARIABLE];
  if (value === undefined) return [];
  const { parseMirrors } = await packageTools();
  const parsed = parseMirrors(value);
  if (parsed.ok) return parsed.mirrors;
  throw new UsageError(`${flag !== undefined ? "--mirror" : `$${MIRROR_VARIABLE}`}: ${parsed.problem}; give ORIGINAL=REPLACEMENT[,ORIGINAL=REPLACEMENT...], each an http:// or https:// URL prefix`);
}

/** What `slipway lock` reaches outside the CLI's I/O; tests replace it. */
export interface LockCommandOptions {
  /** The environment (`SLIPWAY_REGISTRY_MIRROR`, `SLIPWAY_MIRROR`). */
  readonly env: NodeJS.ProcessEnv;
  /** The Docker daemon's configuration, for its `registry-mirrors`. */
  readonly daemonConfigPath: string;
  /** Fetches repository indexes and keys. */
  readonly fetcher: Fetcher;
  /** Talks to image registries. */
  readonly fetch: typeof globalThis.fetch;
}

/**
 * The Debian machinery (OpenPGP included) and the LLB layer, loaded when a command needs them, so that
 * the commands that do not (check, fmt, print) start as fast as before.
 */
export async function packageTools() {
  const [debian, llb] = await Promise.all([import("../../debian/index.js"), import("../../../llb/index.js")]);
  return { ...debian, parsePlatform: llb.parsePlatform };
}

const defaultOptions: Readonly<Omit<LockCommandOptions, "fetcher">> = Object.freeze({
  env: process.env,
  daemonConfigPath: "/etc/docker/daemon.json",
  fetch: (...args: Parameters<typeof fetch>) => globalThis.fetch(...args),
});

export const lock: Command = {
  name: "lock",
  summary: `resolve every image's packages and write ${lockFileName}`,
  help,
  run: (args, io) => runLockCommand(args, io),
};

/** `slipway lock`: 0 written (or already current), 1 a problem with the input, 2 bad usage. */
export async function runLockCommand(args: readonly string[], io: CliIO, options: Partial<LockCommandOptions> = {}): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    ...VAR_OPTION,
    ...HELP_OPTION,
    platform: { type: "string", multiple: true },
    "registry-mirror": { type: "string" },
    mirror: { type: "string" },
  });
  if (values.help) {
    io.stdout(help);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "no declaration file given" : "lock takes one file");
  const platformFlags = (values.platform ?? []).map(platformFlag);
  const arg = positionals[0]!;
  const file = await readDeclaration(arg, io);
  if (typeof file === "string") {
    io.stderr(`slipway lock: ${file}\n`);
    return 1;
  }
  const { debianArchitecture, hasPackages, lockFromResolution, lockRequests, mergeLock, mirroredFetcher, nodeFetcher, parsePlatform, resolveApt } = await packageTools();
  const given = { ...defaultOptions, fetcher: options.fetcher ?? nodeFetcher(), ...options };
  const o = { ...given, fetcher: mirroredFetcher(given.fetcher, await cliMirrors(values.mirror, given.env)) };
  const color = io.color ?? false;
  const { declaration, diagnostics } = await loadWithContext(file, parseVars(values.var), contextReader(arg, io));
  io.stderr(renderDiagnostics(diagnostics, [file], { color }));
  if (!declaration) return 1;

  const existing = await readLockBeside(arg, io);
  if (existing.kind === "error" || (existing.kind === "found" && !existing.lock)) {
    const why = existing.kind === "error" ? existing.message : existing.diagnostics.map((d) => d.detail ?? d.summary).join(" ");
    io.stderr(`slipway lock: cannot keep the entries of ${existing.path}: ${why}\nMove it away (or fix it) and run slipway lock again; nothing was written.\n`);
    return 1;
  }

  const images = declaration.images.filter((i) => hasPackages(i) && i.base.kind === "image");
  const fromDockerHub = images.some((i) => i.base.kind === "image" && i.base.ref.value.domain === "docker.io");
  const mirror = fromDockerHub || values["registry-mirror"] !== undefined ? await mirrorFor(values["registry-mirror"], o) : undefined;
  const fetched = new Map<string, Promise<RegistryImage>>();
  const entries: AptLock[] = [];
  const problems: Diagnostic[] = [];
  for (const image of images) {
    if (image.base.kind !== "image") continue;
    const ref = image.base.ref;
    for (const id of platformsFor(image, platformFlags)) {
      try {
        const architecture = debianArchitecture(parsePlatform(id), ref.range);
        const key = `${ref.value.canonical} ${id}`;
        if (!fetched.has(key)) fetched.set(key, readRegistryImage(ref.value.canonical, { platform: id, mirror, fetch: o.fetch }));
        const base = await fetched.get(key)!;
        const name = ref.value.tag ? `${ref.value.domain}/${ref.value.path}:${ref.value.tag}` : `${ref.value.domain}/${ref.value.path}`;
        const result = await resolveApt(
          { apt: image.apt, architecture, baseImage: { ref: `${name}@${base.digest}`, digest: base.digest, range: ref.range } },
          { fetcher: o.fetcher, base: base.files },
        );
        problems.push(...result.diagnostics);
        if (!result.resolution || hasErrors(result.diagnostics)) continue;
        const entry = lockFromResolution(result.resolution, image.name.value, lockRequests(image.apt));
        entries.push(entry);
        io.stderr(`slipway lock: ${image.name.value} (${id}): ${entry.packages.length} package${entry.packages.length === 1 ? "" : "s"} on ${name}@${base.digest}\n`);
      } catch (e) {
        if (isDiagnosticsError(e)) problems.push(...e.diagnostics);
        else if (isImageFilesError(e)) {
          problems.push(errorAt(ref.range, "Cannot read the base image", `${e.message}.`, { hint: mirrorHint(ref.value.domain, mirror) }));
        } else throw e;
      }
    }
  }
  io.stderr(renderDiagnostics(problems, [file], { color }));
  if (hasErrors(problems)) {
    io.stderr(`slipway lock: nothing was written.\n`);
    return 1;
  }
  if (images.length === 0) io.stderr(`slipway lock: no image in ${arg} installs Debian packages.\n`);
  const text = mergeLock(existing.kind === "found" ? existing.lock : undefined, entries);
  if (existing.kind === "found" && existing.file.text === text) {
    io.stderr(`slipway lock: ${existing.path} is up to date.\n`);
    return 0;
  }
  await io.writeFile(resolve(io.cwd, existing.path), text);
  io.stderr(`slipway lock: wrote ${existing.path}.\n`);
  return 0;
}

/** The lock beside a declaration, as read by `slipway lock` and `slipway llb`. */
export type LockBeside =
  | { readonly kind: "missing"; readonly path: string }
  | { readonly kind: "error"; readonly path: string; readonly message: string }
  | { readonly kind: "found"; readonly path: string; readonly file: SourceFile; readonly lock?: LockFile; readonly diagnostics: readonly Diagnostic[] };

/** Reads and validates `slipway.lock.json` beside the declaration `arg`; `path` is as the user would write it. */
export async function readLockBeside(arg: string, io: CliIO): Promise<LockBeside> {
  const path = join(dirname(arg), lockFileName);
  let text: string;
  try {
    text = await io.readFile(resolve(io.cwd, path));
  } catch (e) {
    return errorCode(e) === "ENOENT" ? { kind: "missing", path } : { kind: "error", path, message: `cannot read it: ${describeIoError(e)}` };
  }
  const { parseLock } = await packageTools();
  const parsed = parseLock(text, path);
  return { kind: "found", path, file: new SourceFile(path, text), ...(parsed.lock && { lock: parsed.lock }), diagnostics: parsed.diagnostics };
}

/** `--platform` values, else the image's `platforms`, else this machine's platform (`os/arch[/variant]`, normalised). */
export function platformsFor(image: Image, flags: readonly string[]): string[] {
  if (flags.length > 0) return [...flags];
  if (image.platforms) return [...image.platforms.value];
  return [hostPlatform()];
}

/** A `--platform` value, normalised; a usage error when it is not a platform. */
export function platformFlag(text: string): string {
  const parsed = checkPlatform(text);
  if (!parsed.ok) throw new UsageError(`--platform: ${parsed.message}`);
  return parsed.platform;
}

/** The platform a Docker Engine on this machine builds for by default: Linux, this CPU. */
export function hostPlatform(): string {
  return `linux/${NODE_ARCH[arch] ?? arch}`;
}

async function mirrorFor(flag: string | undefined, o: LockCommandOptions): Promise<string | undefined> {
  let daemonConfig: { path: string; text: string } | undefined;
  if (flag === undefined && o.env.SLIPWAY_REGISTRY_MIRROR === undefined) {
    try {
      daemonConfig = { path: o.daemonConfigPath, text: await readFile(o.daemonConfigPath, "utf8") };
    } catch (e) {
      if (errorCode(e) !== "ENOENT") {
        throw new UsageError(`cannot read ${o.daemonConfigPath} for its registry-mirrors (${describeIoError(e)}); give the mirror with --registry-mirror URL, or none with SLIPWAY_REGISTRY_MIRROR=`);
      }
    }
  }
  const { mirror, problem } = dockerHubMirror({ flag, env: o.env.SLIPWAY_REGISTRY_MIRROR, daemonConfig });
  if (problem) throw new UsageError(problem);
  return mirror?.url;
}

function mirrorHint(domain: string, mirror: string | undefined): string {
  if (domain !== "docker.io") return "check the reference, and that the registry can be read without logging in";
  return mirror
    ? `docker.io images were read through the mirror ${mirror}; check that it serves this image, or choose another with --registry-mirror URL`
    : "no docker.io mirror is configured; give one with --registry-mirror URL if Docker Hub cannot be reached from here";
}
