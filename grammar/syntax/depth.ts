import type { Body } from "./ast.js";
import { errorAt, type Diagnostic } from "../source/diagnostic.js";
import { LIMITS } from "../source/limits.js";

/**
 * The expression depth limit, checked on the AST before anything walks it. Brackets are already bounded by
 * the nesting limit (nesting.ts), but a chain needs no brackets: `a + b + …`, `a.b.c…` and `- - - x` build
 * trees as deep as they are long, and the evaluator, formatter and decoder recurse once per level. This
 * walk uses its own stack. `tokenCount` bounds the depth, so small files are not walked at all.
 */
export function checkDepth(body: Body, tokenCount: number): Diagnostic | undefined {
  if (tokenCount <= LIMITS.expressionDepth) return undefined;
  const nodes: object[] = [body];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > LIMITS.expressionDepth) {
      const range = (node as { range?: Diagnostic["subject"] }).range;
      return errorAt(
        range,
        "Expression too deep",
        `This expression is nested more than ${LIMITS.expressionDepth} levels deep (each operator, attribute access and index counts), which is slipway's limit.`,
        { hint: "Split it into locals." },
      );
    }
    for (const key in node) {
      if (key === "range" || key === "nameRange" || key === "opRange") continue;
      const v = (node as Record<string, unknown>)[key];
      if (typeof v !== "object" || v === null) continue;
      if (Array.isArray(v)) {
        for (const item of v) {
          if (typeof item !== "object" || item === null) continue;
          nodes.push(item);
          depths.push(depth + 1);
        }
      } else if ("kind" in v) {
        nodes.push(v);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}
