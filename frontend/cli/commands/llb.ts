import {
  errorAt,
  hasErrors,
  renderDiagnostics,
  selectImage,
  sortDiagnostics,
  type Declaration,
  type Diagnostic,
  type Image,
  type SourceFile,
} from "../../../grammar/index.js";
import type { Definition, Platform, State } from "../../../llb/index.js";
import type { LockFile } from "../../debian/index.js";
import { lockFileName } from "../../debian/lock-schema.js";
import { HELP_OPTION, VAR_OPTION, parseCommandLine, parseVars } from "../args.js";
import { UsageError, type CliIO, type Command } from "../streams.js";
import { contextReader, loadWithContext, readDeclaration } from "../load-from-disk.js";
import type { Mirror } from "../../debian/mirrors.js";
import { cliVendor } from "../vendor-option.js";
import { cliMirrors, MIRROR_HELP, packageTools, platformFlag, platformsFor, readLockBeside } from "../resolving.js";

/** The resolver, the compiler and the LLB layer, loaded when llb runs (see `packageTools`). */
async function compileTools() {
  const [llb, imageLlb, resolve, facts, tools] = await Promise.all([
    import("../../../llb/index.js"),
    import("../../image-llb.js"),
    import("../../resolve/index.js"),
    import("../offline-facts.js"),
    packageTools(),
  ]);
  return { ...tools, ...llb, imageLlb: imageLlb.imageLlb, resolvePlan: resolve.resolvePlan, declaredFacts: facts.declaredFacts };
}

const help = `Usage: slipway llb [--var NAME=VALUE]... [--target NAME] [--platform OS/ARCH] [--json]
                   [--mirror ORIGINAL=REPLACEMENT[,...]] FILE

Compiles one image of FILE to BuildKit's LLB without BuildKit, and writes the
serialized Definition to stdout: what \`buildctl build\` reads on stdin
(\`slipway llb FILE | buildctl build --local context=DIR --output …\`) and
\`buildctl debug dump-llb\` shows. --json prints it for people instead.

Nothing is asked of BuildKit or a registry, so the LLB differs from a build's:
  - the base image and from_image images are not resolved: referenced as declared
    (pinned when the declaration gives a digest, or the base to the digest in
    ${lockFileName} beside FILE);
  - no image config is inherited from the base image (its Env, WorkingDir, User);
  - user and group blocks are added to the base image's accounts only in a build,
    which reads them: here they are checked and written on a scratch base, and
    left out on any other;
  - the build's epoch is 0 (1970-01-01), not SOURCE_DATE_EPOCH or the base
    image's \`created\` (file times and the install's clamp use it);
  - from_git is checked out at the declared ref, not the commit it resolves to;
  - packages come only from ${lockFileName} beside FILE (run \`slipway lock FILE\`);
    with $SLIPWAY_VENDOR=REF@sha256:…, taken from that vendored image, as a
    build given the build argument of that name takes them (docs/offline.md);
  - an image that uses a step cannot be shown: BuildKit's Dockerfile frontend
    turns a step into LLB only during the build.

Options:
  --var NAME=VALUE     give a variable a value (repeatable)
  --target NAME        the image to compile (default: the last one)
  --platform OS/ARCH   the platform (default: the image's first \`platforms\`
                       entry, else this machine's)
  --json               one JSON object per op, in order: digest, op, metadata and
                       the declaration lines it comes from
${MIRROR_HELP}  -h, --help           show this help
`;

export const llb: Command = {
  name: "llb",
  summary: "write an image's LLB Definition (for buildctl), or show it as JSON",
  help,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandLine(args, {
      ...VAR_OPTION,
      ...HELP_OPTION,
      target: { type: "string" },
      platform: { type: "string" },
      json: { type: "boolean" },
      mirror: { type: "string" },
    });
    if (values.help) {
      io.stdout(help);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "no declaration file given" : "llb takes one file");
    const platformFlags = values.platform === undefined ? [] : [platformFlag(values.platform)];
    const mirrors = cliMirrors(values.mirror, process.env);
    const vendor = await cliVendor(process.env);
    if (!values.json && !io.writeStdoutBytes) throw new UsageError("this output takes text only; use --json");
    const arg = positionals[0]!;
    const file = await readDeclaration(arg, io);
    if (typeof file === "string") {
      io.stderr(`slipway llb: ${file}\n`);
      return 1;
    }
    const color = io.color ?? false;
    const loaded = await loadWithContext(file, parseVars(values.var), contextReader(arg, io));
    const files: SourceFile[] = [file];
    const report = (diagnostics: readonly Diagnostic[]) => io.stderr(renderDiagnostics(sortDiagnostics(diagnostics), files, { color }));
    if (!loaded.value) {
      report(loaded.diagnostics);
      return 1;
    }
    const { value: image, diagnostics: selecting } = selectImage(loaded.value, values.target);
    if (!image) {
      report([...loaded.diagnostics, ...selecting]);
      return 1;
    }
    const { hasPackages, parsePlatform } = await packageTools();
    let lock: LockFile | undefined;
    const diagnostics = [...loaded.diagnostics];
    if (hasPackages(image)) {
      const beside = await readLockBeside(arg, io);
      if (beside.kind === "found") {
        files.push(beside.file);
        diagnostics.push(...beside.diagnostics);
        lock = beside.lock;
      } else {
        diagnostics.push(
          errorAt(image.apt[0]!.range, "No lock for the packages", `slipway llb takes packages from ${beside.path}, since resolving them needs the repositories' indexes; ${beside.kind === "error" ? beside.message : "there is none"}.`, {
            hint: `Run "slipway lock ${arg}" first.`,
          }),
        );
      }
    }
    const platform = parsePlatform(platformsFor(image, platformFlags)[0]!);
    const compiled = await compileWithoutBuildKit(loaded.value, image, platform, lock, hasErrors(diagnostics), mirrors, vendor);
    diagnostics.push(...compiled.diagnostics);
    report(diagnostics);
    if (!compiled.definition || hasErrors(diagnostics)) return 1;
    if (values.json) {
      io.stdout(`${JSON.stringify(await definitionToJson(compiled.definition), null, 2)}\n`);
      return 0;
    }
    if (!io.writeStdoutBytes!(compiled.definition.toBytes())) {
      throw new UsageError("refusing to write binary LLB to a terminal; redirect it (slipway llb FILE > llb.pb, or | buildctl build …) or use --json");
    }
    return 0;
  },
};

/**
 * Compiles `image` as a build does (`imageLlb`), with the declaration itself as the source of facts
 * (`declaredFacts`): references as declared, no inherited config, git refs as commits, packages from the
 * lock, and a step a located error. With `checkOnly`, the problems are collected but nothing is compiled.
 */
export async function compileWithoutBuildKit(
  declaration: Declaration,
  image: Image,
  platform: Platform,
  lock: LockFile | undefined,
  checkOnly = false,
  mirrors: readonly Mirror[] = [],
  vendor?: (platform: Platform) => State,
): Promise<{ definition?: Definition; diagnostics: Diagnostic[] }> {
  const { declaredFacts, imageLlb, marshal, resolvePlan, SourceMap } = await compileTools();
  const diagnostics: Diagnostic[] = [];
  // warnings are kept; errors come with no plan, all together
  const source = { ...declaredFacts(declaration, image), warn: (found: readonly Diagnostic[]) => diagnostics.push(...found.filter((d) => d.severity !== "error")) };
  const request = { declaration, image, platform, lock, epochArg: undefined, mirrors, ...(vendor && { vendor: vendor(platform) }) };
  if (checkOnly) {
    const checked = await resolvePlan(request, source);
    return { diagnostics: [...diagnostics, ...checked.diagnostics] };
  }
  const sourceMap = new SourceMap(declaration.file.name, declaration.file.text);
  const built = await imageLlb(request, source, { sourceMap, context: { localName: "context", sessionId: "" }, optionLabels: new Map(), noCache: false });
  if (built.value === undefined) return { diagnostics: [...diagnostics, ...built.diagnostics] };
  return { definition: marshal(built.value.compiled.state, { platform }), diagnostics };
}

/** One entry per op of a Definition, for people: what `buildctl debug dump-llb` shows, plus source lines. */
export interface OpJson {
  readonly digest: string;
  /** The decoded `pb.Op`, fields at their defaults left out. */
  readonly op: unknown;
  /** Its `pb.OpMetadata` (progress name, caps), likewise. */
  readonly metadata?: unknown;
  /** `FILE:LINE:COLUMN-LINE:COLUMN` of each declaration range the op comes from. */
  readonly locations?: readonly string[];
}

/** The ops of `definition` in order (inputs first, the terminal op last), decoded. */
export async function definitionToJson(definition: Definition): Promise<OpJson[]> {
  const { decodeOp, digestOf } = await import("../../../llb/index.js");
  const { metadata, Source: source } = definition.proto;
  return definition.ops.map((bytes) => {
    const digest = digestOf(bytes);
    const meta = metadata.get(digest);
    const locations = source?.locations.get(digest)?.locations.flatMap((l) =>
      l.ranges.map((r) => `${source.infos[l.sourceIndex]?.filename}:${r.start.line}:${r.start.character + 1}-${r.end.line}:${r.end.character + 1}`),
    );
    const metaJson = meta && withoutDefaults(meta.toObject());
    return {
      digest,
      op: withoutDefaults(decodeOp(bytes).toObject()) ?? {},
      ...(metaJson !== undefined && { metadata: metaJson }),
      ...(locations && locations.length > 0 && { locations }),
    };
  });
}

/**
 * As protobuf's JSON mapping writes a message: fields at their default ("", 0, false, empty lists, maps
 * and messages) left out, bytes (file contents) as base64. Undefined when nothing is left.
 */
function withoutDefaults(value: unknown): unknown {
  if (value instanceof Uint8Array) return value.length === 0 ? undefined : Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((v) => withoutDefaults(v) ?? {});
  if (typeof value === "object" && value !== null) {
    const kept = Object.entries(value).flatMap(([k, v]) => {
      const w = withoutDefaults(v);
      return w === undefined ? [] : [[k, w] as const];
    });
    return kept.length === 0 ? undefined : Object.fromEntries(kept);
  }
  return value === "" || value === 0 || value === false || value === undefined || value === null ? undefined : value;
}
