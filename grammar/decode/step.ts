import type { Block } from "../syntax/ast.js";
import type { KeyValue, Located, SourceFileDecl, Step, Tarball } from "../model/declaration.js";
import { errorAt } from "../source/diagnostic.js";
import { cleanPath } from "../eval/path.js";
import { decodeVcs } from "./apt.js";
import { content, type BodySchema } from "./schema.js";
import { checkCharacters } from "./text.js";
import { labelValue, stringAttr, stringMapAttr, type DecodeContext } from "./values.js";

const SOURCE_FILE_BLOCK = { type: "source_file", labels: ["location"] } as const;

export const STEP_SCHEMA: BodySchema = {
  attributes: [
    { name: "dockerfile", required: true, example: 'dockerfile = "./Dockerfile"' },
    { name: "target" },
    { name: "context" },
    { name: "build_args" },
  ],
  blocks: [SOURCE_FILE_BLOCK],
};

export const TARBALL_SCHEMA: BodySchema = { attributes: [], blocks: [SOURCE_FILE_BLOCK] };

export const SOURCE_FILE_SCHEMA: BodySchema = {
  attributes: [],
  blocks: [{ type: "vcs", labels: ["type"], unique: true, required: true }],
};

/** A top-level `step "name" { dockerfile, target, context, build_args, source_file … }` block. */
export function decodeStep(ctx: DecodeContext, block: Block): Step | undefined {
  const name = named(ctx, labelValue(ctx, block.labels[0]!), "The step name");
  const c = content(block.body, STEP_SCHEMA, { description: `step "${name?.value ?? "?"}"`, defRange: block.defRange }, ctx.diagnostics);
  const dockerfile = named(ctx, stringAttr(ctx, c.attributes.get("dockerfile")), "The Dockerfile path");
  const target = named(ctx, stringAttr(ctx, c.attributes.get("target")), "The target");
  const context = named(ctx, stringAttr(ctx, c.attributes.get("context")), "The step's context");
  const buildArgs = (stringMapAttr(ctx, c.attributes.get("build_args")) ?? []).filter((kv) => buildArg(ctx, kv));
  const sourceFiles = decodeSourceFiles(ctx, c.blocks, `step ${name?.value}`);
  if (!name || !dockerfile) {
    ctx.omissions.steps.add(name?.value);
    return undefined;
  }
  return {
    name,
    range: block.range,
    defRange: block.defRange,
    dockerfile: cleaned(dockerfile),
    buildArgs,
    sourceFiles,
    ...(target ? { target } : {}),
    ...(context ? { context: cleaned(context) } : {}),
  };
}

/** A top-level `tarball "path/in/context.tgz" { source_file … }` block. */
export function decodeTarball(ctx: DecodeContext, block: Block): Tarball | undefined {
  const name = named(ctx, labelValue(ctx, block.labels[0]!), "The tarball name");
  const c = content(block.body, TARBALL_SCHEMA, { description: `tarball "${name?.value ?? "?"}"`, defRange: block.defRange }, ctx.diagnostics);
  const tarballName = name && cleaned(name);
  const sourceFiles = decodeSourceFiles(ctx, c.blocks, `tarball ${tarballName?.value}`);
  if (!tarballName) {
    ctx.omissions.tarballs.add(undefined);
    return undefined;
  }
  return { name: tarballName, range: block.range, defRange: block.defRange, sourceFiles };
}

function decodeSourceFiles(ctx: DecodeContext, blocks: readonly Block[], owner: string): SourceFileDecl[] {
  const out: SourceFileDecl[] = [];
  for (const b of blocks) {
    const location = named(ctx, labelValue(ctx, b.labels[0]!), "The source_file pattern");
    const c = content(b.body, SOURCE_FILE_SCHEMA, { description: `source_file "${location?.value ?? "?"}"`, defRange: b.defRange }, ctx.diagnostics);
    const vcs = c.blocks[0] && decodeVcs(ctx, c.blocks[0]);
    if (location && vcs) out.push({ location, vcs, range: b.range });
    else ctx.omissions.sourceFiles.add(owner);
  }
  return out;
}

/** A build argument reaches BuildKit as `build-arg:NAME=VALUE`: a name is not empty and holds no "=". */
function buildArg(ctx: DecodeContext, kv: KeyValue): boolean {
  if (kv.key === "" || kv.key.includes("=")) {
    ctx.diagnostics.push(errorAt(kv.range, "Invalid build argument name", `${JSON.stringify(kv.key)} cannot be a build argument name: it is empty or contains "=".`));
    return false;
  }
  return (
    checkCharacters(ctx.diagnostics, { value: kv.key, range: kv.range }, "The build argument name", "name") &&
    checkCharacters(ctx.diagnostics, { value: kv.value, range: kv.range }, `The value of the build argument "${kv.key}"`, "text")
  );
}

/** A name or relative path whose characters are checked here (its shape is checked in checks.ts). */
function named(ctx: DecodeContext, value: Located<string> | undefined, what: string): Located<string> | undefined {
  return value && checkCharacters(ctx.diagnostics, value, what, "name") ? value : undefined;
}

function cleaned(p: Located<string>): Located<string> {
  return { value: cleanPath(p.value), range: p.range };
}
