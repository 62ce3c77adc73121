import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { hasErrors, renderDiagnostics } from "../../../grammar/index.js";
import type { Fetcher } from "../../debian/index.js";
import { lockFileName } from "../../debian/lock-schema.js";
import { dockerHubMirror } from "../../oci/index.js";
import { HELP_OPTION, VAR_OPTION, parseCommandLine, parseVars } from "../args.js";
import { describeIoError, errorCode, UsageError, type CliIO, type Command } from "../streams.js";
import { contextReader, loadWithContext, readDeclaration } from "../load-from-disk.js";
import { cliMirrors, hostPlatform, MIRROR_HELP, packageTools, platformFlag, platformsFor, readLockBeside } from "../resolving.js";

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
  const { formatPlatform, hasPackages, mergeLock, mirroredFetcher, nodeFetcher, parsePlatform } = await packageTools();
  const given = { ...defaultOptions, fetcher: options.fetcher ?? nodeFetcher(), ...options };
  const o = { ...given, fetcher: mirroredFetcher(given.fetcher, cliMirrors(values.mirror, given.env)) };
  const color = io.color ?? false;
  const { value: declaration, diagnostics } = await loadWithContext(file, parseVars(values.var), contextReader(arg, io));
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
  const { lockEntries } = await import("../../resolve/index.js");
  const { registryFacts } = await import("../offline-facts.js");
  const { entries, diagnostics: problems } = await lockEntries(
    declaration,
    (image) => platformsFor(image, platformFlags).map(parsePlatform),
    registryFacts({ mirror, fetch: o.fetch, fetcher: o.fetcher }),
    (entry, image, platform, base) => {
      io.stderr(`slipway lock: ${image.name.value} (${formatPlatform(platform)}): ${entry.packages.length} package${entry.packages.length === 1 ? "" : "s"} on ${base.pinned}\n`);
    },
  );
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
