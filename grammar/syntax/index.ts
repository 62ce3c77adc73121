/**
 * The syntax layer: HCL native syntax text → AST (with every syntax error as a diagnostic), and the
 * canonical formatter. Nothing here evaluates anything; see grammar/eval and grammar/decode.
 */
export { parse, type ParseResult } from "./parse.js";
export { format, type FormatResult } from "./format.js";
export type * from "./ast.js";
