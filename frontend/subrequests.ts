import { DiagnosticsError, RESERVED_TARGETS, selectImage, type Declaration, type Diagnostic, type Image, type SourceFile } from "../grammar/index.js";
import { sortedMap } from "../llb/index.js";
import { google as anyPb } from "../llb/proto/google/protobuf/any.js";
import { google } from "../llb/proto/google/rpc/status.js";
import { unusedBuildArgWarnings } from "./build-args.js";
import { gw } from "./gateway/client.js";
import type { LoadedDeclaration } from "./load.js";

type ReturnRequest = InstanceType<typeof gw.ReturnRequest>;
type Range = Image["range"];

const DESCRIBE = "frontend.subrequests.describe";
const TARGETS = "frontend.targets";
const OUTLINE = "frontend.outline";
const LINT = "frontend.lint";

/** The subrequests slipway answers (`docker buildx build --call NAME`), in BuildKit's frontend/subrequests shapes. */
const SUPPORTED = [
  { name: DESCRIBE, version: "1.0.0", type: "rpc", description: "List available subrequest types", opts: [], metadata: [{ name: "result.json" }, { name: "result.txt" }] },
  { name: TARGETS, version: "1.0.0", type: "rpc", description: "List all targets current build supports", opts: [], metadata: [{ name: "result.json" }, { name: "result.txt" }] },
  {
    name: OUTLINE,
    version: "1.0.0",
    type: "rpc",
    description: "List all parameters current build takes",
    opts: [{ name: "target", description: "Target build stage" }],
    metadata: [{ name: "result.json" }, { name: "result.txt" }],
  },
  {
    name: LINT,
    version: "1.0.0",
    type: "rpc",
    description: "Lint a declaration",
    opts: [],
    metadata: [{ name: "result.json" }, { name: "result.txt" }, { name: "result.statuscode" }],
  },
];

/** What the reserved targets do, for `--call targets`. */
const RESERVED_DESCRIPTIONS: Record<(typeof RESERVED_TARGETS)[number], string> = {
  lock: "slipway.lock.json: every image's packages resolved afresh (export with --output type=local)",
  bom: "only the bill of materials of the default image (--build-arg SLIPWAY_IMAGE=NAME for another one)",
};

/**
 * Answers a subrequest (`requestid` option). `load` reads the declaration, for the subrequests that need it.
 * Unknown ones get BuildKit's "unsupported request" error with an `errdefs.Subrequest` detail, which tells
 * buildx to fall back to its own handling.
 */
export async function handleSubrequest(id: string, target: string | undefined, load: () => Promise<LoadedDeclaration>): Promise<ReturnRequest> {
  if (id === DESCRIBE) {
    const txt = SUPPORTED.map((s) => `${s.name} - ${s.description}`).join("\n") + "\n";
    return metadataResult(JSON.stringify(SUPPORTED), txt);
  }
  if (id === TARGETS) {
    const list = targetList((await load()).declaration);
    return metadataResult(JSON.stringify(list, null, 2), printTargets(list));
  }
  if (id === OUTLINE) {
    const o = outline(await load(), target);
    return metadataResult(JSON.stringify(o, null, 2), printOutline(o));
  }
  if (id === LINT) {
    const loaded = await load();
    const results = lintResults(loaded.declaration.file, [...loaded.warnings, ...unusedBuildArgWarnings(loaded)]);
    return metadataResult(JSON.stringify(results, null, 2), printLint(results), { "result.statuscode": results.warnings.length > 0 ? "1" : "0" });
  }
  const detail = new anyPb.protobuf.Any({
    type_url: "github.com/moby/buildkit/errdefs.Subrequest+json",
    value: new TextEncoder().encode(JSON.stringify({ name: id })),
  });
  return new gw.ReturnRequest({ error: new google.rpc.Status({ code: 12, message: `unsupported request ${id}`, details: [detail] }) });
}

/** BuildKit's `targets.List`: `location.sourceIndex` points into `sources` (the declaration's bytes, base64). */
export interface TargetList {
  readonly targets: readonly {
    readonly name: string;
    readonly default?: boolean;
    readonly description?: string;
    readonly base?: string;
    readonly platform?: string;
    readonly location?: { readonly sourceIndex: number; readonly ranges: readonly { start: Position; end: Position }[] };
  }[];
  readonly sources: readonly string[];
}

interface Position {
  readonly line: number;
  readonly character: number;
}

/**
 * Every image of the declaration (the default one, built without --target, marked), then the reserved
 * targets. An image's description is its `org.opencontainers.image.description` label, when it has one.
 */
export function targetList(declaration: Declaration): TargetList {
  const fallback = selectImage(declaration, undefined);
  const images = declaration.images.map((image) => {
    const description = descriptionOf(image);
    return {
      name: image.name.value,
      ...(image === fallback && { default: true }),
      ...(description && { description }),
      base: image.base.kind === "scratch" ? "scratch" : image.base.ref.value.original,
      ...(image.platforms && { platform: image.platforms.value.join(",") }),
      location: { sourceIndex: 0, ranges: [pbRange(image.defRange)] },
    };
  });
  const reserved = RESERVED_TARGETS.map((name) => ({ name, description: RESERVED_DESCRIPTIONS[name] }));
  return { targets: [...images, ...reserved], sources: [base64(declaration.file.text)] };
}

/**
 * The text buildx shows, as BuildKit's `targets.PrintTargets` writes it (a tabwriter with one space of
 * padding), for clients that only print `result.txt`.
 */
export function printTargets(list: TargetList): string {
  return table([["TARGET", "DESCRIPTION"], ...list.targets.map((t) => [t.default ? `${t.name} (default)` : t.name, t.description ?? ""])], 1);
}

/** BuildKit's `outline.Outline`, without secrets, ssh and cache mounts (a declaration has none). */
export interface Outline {
  readonly name: string;
  readonly description?: string;
  readonly args: readonly { readonly name: string; readonly description?: string; readonly value?: string; readonly location: Location }[];
  readonly sources: readonly string[];
}

type Location = NonNullable<TargetList["targets"][number]["location"]>;

/**
 * The image `target` names (the default one without a target) and the build arguments the declaration
 * takes: every variable block and every implicit variable, with the value the build would give it. They
 * are the declaration's, not only the image's: all images share the variables.
 */
export function outline(loaded: LoadedDeclaration, target: string | undefined): Outline {
  const image = selectImage(loaded.declaration, target);
  if ("severity" in image) throw new DiagnosticsError([image]);
  const description = descriptionOf(image);
  return {
    name: image.name.value,
    ...(description && { description }),
    args: loaded.arguments.map((a) => ({
      name: a.name,
      ...(a.description !== undefined && { description: a.description }),
      ...(a.value !== undefined && { value: a.value }),
      location: { sourceIndex: 0, ranges: [pbRange(a.range)] },
    })),
    sources: [base64(loaded.declaration.file.text)],
  };
}

/** The text of BuildKit's `outline.PrintOutline` (tabwriters with one and three spaces of padding). */
export function printOutline(o: Outline): string {
  let out = table([["TARGET:", o.name], ...(o.description ? [["DESCRIPTION:", o.description]] : [])], 1) + "\n";
  if (o.args.length > 0) out += table([["BUILD ARG", "VALUE", "DESCRIPTION"], ...o.args.map((a) => [a.name, a.value ?? "", a.description ?? ""])], 3) + "\n";
  return out;
}

/** Rows as Go's text/tabwriter aligns them: every cell but the last padded to its column's width. */
function table(rows: readonly (readonly string[])[], padding: number): string {
  const widths: number[] = [];
  for (const row of rows) row.slice(0, -1).forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length + padding)));
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]!) : cell)).join("")).join("\n") + "\n";
}

function descriptionOf(image: Image): string | undefined {
  return image.config.labels.find((l) => l.key === "org.opencontainers.image.description")?.value;
}

/**
 * BuildKit's `lint.LintResults` for `--call check`: the warnings a build of the declaration would show
 * before it resolves anything (the checks, plain-HTTP downloads, unused steps and build arguments, …),
 * located in the declaration, its only source. A declaration with errors fails the request with the
 * located errors, as a build does, rather than putting one of them in `buildError`.
 */
export interface LintResults {
  readonly warnings: readonly { readonly ruleName: string; readonly detail?: string; readonly location: Location | { readonly sourceIndex: -1 } }[];
  readonly sources: readonly { readonly filename: string; readonly data: string; readonly language: string }[];
}

export function lintResults(file: SourceFile, warnings: readonly Diagnostic[]): LintResults {
  return {
    warnings: warnings.map((d) => {
      const detail = [d.detail, d.hint].filter((x): x is string => Boolean(x)).join(" ");
      return {
        ruleName: d.summary,
        ...(detail && { detail }),
        // BuildKit prints no snippet for a negative index
        location: d.subject?.file === file.name ? { sourceIndex: 0, ranges: [pbRange(d.subject)] } : { sourceIndex: -1 as const },
      };
    }),
    sources: [{ filename: file.name, data: base64(file.text), language: "HCL" }],
  };
}

/** What `result.txt` holds for clients that only print it: one paragraph per warning (no snippets). */
export function printLint(results: LintResults): string {
  return results.warnings
    .map((w) => {
      const line = "ranges" in w.location ? `${results.sources[0]!.filename}:${w.location.ranges[0]!.start.line}: ` : "";
      return `\nWARNING: ${w.ruleName}\n${line}${w.detail ?? ""}\n`;
    })
    .join("");
}

function metadataResult(json: string, txt: string, extra: Record<string, string> = {}): ReturnRequest {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  return new gw.ReturnRequest({
    result: new gw.Result({
      metadata: sortedMap([
        ["result.json", utf8(json)],
        ["result.txt", utf8(txt)],
        ["version", utf8("1.0.0")],
        ...Object.entries(extra).map(([k, v]) => [k, utf8(v)] as const),
      ]),
    }),
  });
}

/** A pb.Range as protojson writes it (1-based lines, 0-based characters). */
function pbRange(range: Range): { start: Position; end: Position } {
  return { start: { line: range.start.line, character: range.start.column - 1 }, end: { line: range.end.line, character: range.end.column - 1 } };
}

function base64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}
