import type { FileNode } from "../syntax/ast.js";
import type { Declaration, Image, Step, Tarball } from "../model/declaration.js";
import type { SourceFile } from "../source/file.js";
import { hasErrors, sortDiagnostics, type Diagnostic, type Result } from "../source/diagnostic.js";
import type { FileReader } from "../eval/functions/index.js";
import { Inputs, type DeclarationArgument } from "../eval/variables.js";
import { checkDeclaration } from "./checks.js";
import { decodeImage } from "./image.js";
import { decodeInputs } from "./inputs.js";
import { content, type BodySchema } from "./schema.js";
import { decodeStep, decodeTarball } from "./step.js";
import { Omissions, type DecodeContext } from "./values.js";

/** What a declaration is loaded with. */
export interface LoadOptions {
  /** Variable values: build arguments (`build-arg:NAME` frontend options) or the CLI's `--var NAME=VALUE`. */
  readonly vars: ReadonlyMap<string, string>;
  /** Reads build-context files for `file()`; without it, `file()` is an error. */
  readonly readFile?: FileReader;
}

export const defaultLoadOptions: Readonly<LoadOptions> = Object.freeze({ vars: new Map<string, string>() });

/**
 * The result of loading, in the one result convention: the declaration exactly when there is no error
 * (warnings allowed), every problem found sorted by position, and what the caller needs to word its own
 * warnings about the values it passed.
 */
export interface LoadResult extends Result<Declaration | undefined> {
  /**
   * With a declaration: the given `vars` nothing declared or read (see `Inputs.unusedValues`). Not a
   * diagnostic here: which given names are the user's is the caller's to say (BuildKit passes build
   * arguments of its own, e.g. BUILDKIT_SYNTAX).
   */
  readonly unusedVars?: readonly { readonly name: string; readonly closest?: string }[];
  /** With a declaration: every value it takes from build arguments (see `Inputs.arguments`). */
  readonly arguments?: readonly DeclarationArgument[];
}

export const TOP_LEVEL_SCHEMA: BodySchema = {
  attributes: [],
  blocks: [
    { type: "variable", labels: ["name"] },
    { type: "locals", labels: [] },
    { type: "image", labels: ["name"], required: true },
    { type: "step", labels: ["name"] },
    { type: "tarball", labels: ["name"] },
  ],
};

/**
 * Decodes a parsed file into the typed model: the top-level schema, then variables and locals (resolved
 * lazily), then one decoder per block kind, then the semantic checks. Everything found along the way is
 * reported together.
 */
export function decodeDeclaration(fileNode: FileNode, source: SourceFile, options: LoadOptions): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const start = source.range(0, 0);
  const c = content(fileNode.body, TOP_LEVEL_SCHEMA, { description: source.name, defRange: start }, diagnostics);
  const blocksOf = (type: string) => c.blocks.filter((b) => b.type === type);

  const { variables, locals } = decodeInputs(blocksOf("variable"), blocksOf("locals"), diagnostics);
  const inputs = new Inputs(variables, locals, { vars: options.vars, ...(options.readFile ? { readFile: options.readFile } : {}) });
  const ctx: DecodeContext = { scope: inputs.scope, diagnostics, omissions: new Omissions() };

  const drafts = blocksOf("image")
    .map((b) => decodeImage(ctx, b))
    .filter((x) => x !== undefined);
  const steps = blocksOf("step")
    .map((b) => decodeStep(ctx, b))
    .filter((x): x is Step => x !== undefined);
  const tarballs = blocksOf("tarball")
    .map((b) => decodeTarball(ctx, b))
    .filter((x): x is Tarball => x !== undefined);
  inputs.resolveAll();
  // appended one by one: a hostile declaration can make more diagnostics than a spread's arguments may be
  for (const d of inputs.diagnostics) diagnostics.push(d);
  for (const d of checkDeclaration({ images: drafts, steps, tarballs }, ctx.omissions)) diagnostics.push(d);
  // Past the evaluation budget everything evaluates to unknown; its one diagnostic must be there even when
  // a sink that drops diagnostics was the one to cross it (sorting removes the duplicate).
  const exhausted = inputs.scope.env.budget.exhausted;
  if (exhausted) diagnostics.push(exhausted);
  const images = drafts.filter((i): i is Image => i.base !== undefined);

  const sorted = sortDiagnostics(diagnostics);
  if (hasErrors(sorted)) return { value: undefined, diagnostics: sorted };
  return { value: { file: source, images, steps, tarballs, variables: inputs.used() }, diagnostics: sorted, unusedVars: inputs.unusedValues(), arguments: inputs.arguments() };
}
