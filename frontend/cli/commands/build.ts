import { spawn } from "node:child_process";
import { constants } from "node:os";
import { dirname, resolve } from "node:path";
import { HELP_OPTION, VAR_OPTION, parseCommandLine, parseVars } from "../args.js";
import { UsageError, type CliIO, type Command } from "../streams.js";
import { readDeclaration } from "../load-from-disk.js";
import { cliMirrors, MIRROR_HELP, platformFlag } from "../resolving.js";
import { cliVendor, VENDOR_VARIABLE } from "../vendor-option.js";
import { MIRROR_VARIABLE } from "../../debian/mirrors.js";

/** The environment variable naming the frontend image when neither --frontend nor `# syntax=` does. */
export const FRONTEND_ENV = "SLIPWAY_FRONTEND";

const help = `Usage: slipway build [--var NAME=VALUE]... [--target NAME] [--platform OS/ARCH]...
                     [--frontend IMAGE] [--context DIR] [-t TAG]... [--output SPEC]
                     [--bom DIR] [--mirror ORIGINAL=REPLACEMENT[,...]] FILE
                     [-- BUILDX-ARGS...]

Builds FILE with \`docker buildx build\`, showing buildx's output as it comes,
then says where the result went. The exit code is buildx's.

The frontend image is --frontend, else $${FRONTEND_ENV}, else FILE's
\`# syntax=IMAGE\` line; the first two are passed as BUILDKIT_SYNTAX, which
wins over the line. $SLIPWAY_VENDOR, when set, is passed as the build argument
of that name, as --mirror (else $SLIPWAY_MIRROR) is: the same values \`slipway
lock\` and \`slipway llb\` take, checked before docker runs.

Options:
  --var NAME=VALUE     a variable, passed as --build-arg NAME=VALUE (repeatable)
  --target NAME        the image to build (default: the last one)
  --platform OS/ARCH   build for this platform (repeatable)
  --frontend IMAGE     the slipway frontend image to build with
  --context DIR        the build context (default: FILE's directory)
  -t, --tag TAG        name the image; without --output it is loaded into Docker
  -o, --output SPEC    where buildx puts the result (type=local,dest=DIR,
                       type=oci,dest=FILE.tar, type=image,push=true, …)
  --bom DIR            then export the bill of materials into DIR (a second
                       build with --target bom; cached, so it costs little)
${MIRROR_HELP}  -h, --help           show this help

Arguments after -- go to docker buildx build unchanged (e.g. -- --no-cache).
`;

/** What `slipway build` reaches outside the CLI's I/O; tests replace it. */
export interface BuildCommandOptions {
  /** The environment buildx runs with ($PATH finds docker; $SLIPWAY_FRONTEND). */
  readonly env: NodeJS.ProcessEnv;
  /** The docker executable. */
  readonly docker: string;
}

const defaultOptions: Readonly<BuildCommandOptions> = Object.freeze({ env: process.env, docker: "docker" });

export const build: Command = {
  name: "build",
  summary: "build a declaration with docker buildx and say where the result went",
  help,
  run: (args, io) => runBuildCommand(args, io),
};

/** `slipway build`: buildx's exit code; 1 when docker cannot be run, 2 bad usage. */
export async function runBuildCommand(args: readonly string[], io: CliIO, options: Partial<BuildCommandOptions> = {}): Promise<number> {
  const o = { ...defaultOptions, ...options };
  const dashes = args.indexOf("--");
  const extra = dashes < 0 ? [] : args.slice(dashes + 1);
  const { values, positionals } = parseCommandLine(dashes < 0 ? args : args.slice(0, dashes), {
    ...VAR_OPTION,
    ...HELP_OPTION,
    target: { type: "string" },
    platform: { type: "string", multiple: true },
    frontend: { type: "string" },
    context: { type: "string" },
    tag: { type: "string", short: "t", multiple: true },
    output: { type: "string", short: "o" },
    bom: { type: "string" },
    mirror: { type: "string" },
  });
  if (values.help) {
    io.stdout(help);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "no declaration file given" : "build takes one file");
  const vars = parseVars(values.var);
  const platforms = (values.platform ?? []).map(platformFlag);
  const arg = positionals[0]!;
  const file = await readDeclaration(arg, io);
  if (typeof file === "string") {
    io.stderr(`slipway build: ${file}\n`);
    return 1;
  }
  const frontend = values.frontend ?? (o.env[FRONTEND_ENV] || undefined);
  if (frontend === undefined && syntaxDirective(file.text) === undefined) {
    throw new UsageError(`${arg} has no "# syntax=IMAGE" line, so buildx would not know the slipway frontend; give it with --frontend IMAGE or $${FRONTEND_ENV}, or add the line at the top of the file`);
  }
  // refused here, as slipway lock and llb refuse them, rather than by the frontend after buildx started
  const mirror = cliMirrors(values.mirror, o.env).length > 0 ? (values.mirror ?? o.env[MIRROR_VARIABLE]) : undefined;
  const vendor = (await cliVendor(o.env)) !== undefined ? o.env[VENDOR_VARIABLE] : undefined;
  const path = resolve(io.cwd, arg);
  const common = [
    "buildx",
    "build",
    "-f",
    path,
    ...(frontend !== undefined ? ["--build-arg", `BUILDKIT_SYNTAX=${frontend}`] : []),
    ...[...vars].flatMap(([k, v]) => ["--build-arg", `${k}=${v}`]),
    ...(mirror !== undefined ? ["--build-arg", `${MIRROR_VARIABLE}=${mirror}`] : []),
    ...(vendor !== undefined ? ["--build-arg", `${VENDOR_VARIABLE}=${vendor}`] : []),
    ...platforms.flatMap((p) => ["--platform", p]),
  ];
  const context = resolve(io.cwd, values.context ?? dirname(arg));
  const tags = values.tag ?? [];
  const load = tags.length > 0 && values.output === undefined;
  const imageArgs = [
    ...common,
    ...(values.target !== undefined ? ["--target", values.target] : []),
    ...(values.output !== undefined ? ["--output", values.output] : load ? ["--load"] : []),
    ...tags.flatMap((t) => ["-t", t]),
    ...extra,
    context,
  ];
  const code = await runDocker(o, imageArgs, io);
  if (code !== 0) return code;
  const went = [...describeOutput(values.output, tags, load)];
  if (values.bom !== undefined) {
    const bomDir = resolve(io.cwd, values.bom);
    // the bom target exports the default image's BOM unless SLIPWAY_IMAGE names another
    const which = values.target !== undefined ? ["--build-arg", `SLIPWAY_IMAGE=${values.target}`] : [];
    const bomCode = await runDocker(o, [...common, "--target", "bom", ...which, "--output", `type=local,dest=${bomDir}`, ...extra, context], io);
    if (bomCode !== 0) return bomCode;
    went.push(`bill of materials in ${values.bom}`);
  }
  for (const line of went) io.stderr(`slipway build: ${line}\n`);
  return 0;
}

/**
 * The frontend a file's `# syntax=` directive names, by BuildKit's rule (DetectSyntax): directives are
 * the leading `#` (or `//`) comment lines of the form `key=value` (after a byte-order mark and a `#!`
 * line); the first line that is not one ends them.
 */
export function syntaxDirective(text: string): string | undefined {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines[0]?.startsWith("#!")) lines.shift();
  for (const comment of ["#", "//"]) {
    const seen = new Set<string>();
    for (const line of lines) {
      if (!line.startsWith(comment)) break;
      const m = /^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/.exec(line.slice(comment.length).trimStart());
      const key = m?.[1]!.toLowerCase();
      if (!m || key === undefined || !["syntax", "escape", "check"].includes(key) || seen.has(key)) break;
      seen.add(key);
      if (key === "syntax") return m[2]!.split(" ")[0];
    }
  }
  return undefined;
}

/** Where the image went, in words. */
function* describeOutput(output: string | undefined, tags: readonly string[], load: boolean): Generator<string> {
  if (load) {
    yield `image ${tags.join(", ")} loaded into Docker`;
    return;
  }
  if (output === undefined) {
    yield "the result stayed in the build cache (give -t TAG or --output SPEC to keep it)";
    return;
  }
  if (!output.includes("=")) {
    yield output === "-" ? "the image's files went to stdout as a tar stream" : `the image's files are in ${output}`;
    return;
  }
  const fields = new Map(output.split(",").map((f) => [f.slice(0, f.indexOf("=")), f.slice(f.indexOf("=") + 1)] as [string, string]));
  const type = fields.get("type") ?? "local";
  const dest = fields.get("dest");
  const names = fields.get("name") ?? fields.get("ref") ?? tags.join(", ");
  if (type === "local") yield `the image's files are in ${dest}`;
  else if (type === "tar") yield dest === "-" || dest === undefined ? "the image's files went to stdout as a tar stream" : `the image's files are in the tar archive ${dest}`;
  else if ((type === "oci" || type === "docker") && dest !== undefined) yield `${type === "oci" ? "OCI" : "docker"} image archive ${dest}`;
  else if (type === "docker") yield `image ${names} loaded into Docker`;
  else if (type === "registry" || fields.get("push") === "true") yield `image ${names} pushed`;
  else yield `image ${names} (output ${output})`;
}

/** Runs docker with `args`, passing its output through as it comes; resolves to its exit code. */
function runDocker(o: BuildCommandOptions, args: readonly string[], io: CliIO): Promise<number> {
  return new Promise((done) => {
    const child = spawn(o.docker, args, { env: o.env, stdio: ["ignore", "pipe", "pipe"] });
    const errText = new TextDecoder();
    const outText = new TextDecoder();
    child.stderr.on("data", (chunk: Buffer) => io.stderr(errText.decode(chunk, { stream: true })));
    child.stdout.on("data", (chunk: Buffer) => {
      // Binary output (`--output -`) must pass unchanged; a terminal gets text.
      if (!io.writeStdoutBytes?.(chunk)) io.stdout(outText.decode(chunk, { stream: true }));
    });
    child.on("error", (e: NodeJS.ErrnoException) => {
      io.stderr(
        e.code === "ENOENT"
          ? `slipway build: "${o.docker}" was not found on PATH; slipway build runs docker buildx build, so install Docker Engine with the buildx plugin (or run buildx yourself)\n`
          : `slipway build: cannot run ${o.docker}: ${e.message}\n`,
      );
      done(1);
    });
    child.on("close", (code, signal) => {
      io.stderr(errText.decode());
      const rest = outText.decode();
      if (rest !== "") io.stdout(rest);
      done(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
