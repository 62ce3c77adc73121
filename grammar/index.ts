// The public surface of grammar/: the only module other layers import. Text → AST → model, with diagnostics.
import { decodeDeclaration, defaultLoadOptions, type LoadOptions, type LoadResult } from "./decode/declaration.js";
import { hasErrors, sortDiagnostics } from "./source/diagnostic.js";
import type { SourceFile } from "./source/file.js";
import { parse } from "./syntax/index.js";

export type * from "./model/declaration.js";
export * from "./source/diagnostic.js";
export * from "./source/pos.js";
export { SourceFile } from "./source/file.js";
export { LIMITS } from "./source/limits.js";
export { renderDiagnostic, renderDiagnostics, diagnosticsToJson, escapeControls, type JsonDiagnostic, type JsonPos, type RenderOptions, type SourceLookup } from "./source/render.js";
export { didYouMean, suggest, editDistance } from "./source/suggest.js";
export { parse, format } from "./syntax/index.js";
export type * from "./syntax/ast.js";
export {
  parseImageReference,
  parsePlatform,
  parseDuration,
  compileGlob,
  componentProblem,
  repositoryUriProblem,
  suiteProblem,
  selectImage,
  declarationToJson,
  RESERVED_TARGETS,
  DOCKER_HUB,
  type ModelJsonOptions,
} from "./decode/index.js";
export { evaluate, Scope, STANDARD_FUNCTIONS, type Value, type FileRead, type FileReader, type FunctionDef, type DeclarationArgument } from "./eval/index.js";
export type { LoadOptions, LoadResult };

/**
 * Loads a declaration: parse, evaluate (variables from `options.vars`, `file()` through
 * `options.readFile`), decode into the typed model and check it. `declaration` is present exactly when
 * no diagnostic is an error; `diagnostics` holds every problem found, sorted by position. Syntax errors
 * stop before decoding, since a broken file's structure cannot be trusted.
 *
 * @example
 * const { declaration, diagnostics } = loadDeclaration(new SourceFile("slipway.hcl", text), {
 *   vars: new Map([["tag", "1.0"]]),
 *   readFile: (path) => ({ kind: "missing" }),
 * });
 */
export function loadDeclaration(file: SourceFile, options?: Partial<LoadOptions>): LoadResult {
  const opts: LoadOptions = options ? { ...defaultLoadOptions, ...options } : defaultLoadOptions;
  const parsed = parse(file);
  if (hasErrors(parsed.diagnostics)) return { value: undefined, diagnostics: sortDiagnostics(parsed.diagnostics) };
  const decoded = decodeDeclaration(parsed.file, file, opts);
  if (parsed.diagnostics.length === 0) return decoded;
  return { ...decoded, diagnostics: sortDiagnostics([...parsed.diagnostics, ...decoded.diagnostics]) };
}
