import type { IToken } from "chevrotain";
import { errorAt, type Diagnostic } from "../source/diagnostic.js";
import { LIMITS } from "../source/limits.js";
import { isGroupCloser, isGroupOpener } from "./balance.js";
import type { Positions } from "./positions.js";
import * as T from "./tokens.js";

/**
 * The nesting limit, checked on the token list before the parser runs: the parser, and every walker after
 * it, recurses once per level, so a file nested thousands deep would exhaust the stack. A level is a
 * bracket, a block body, a quoted string or heredoc, an interpolation or directive, an open `%{ if }` or
 * `%{ for }`, and each `?` of a conditional chain (until the item ends at a comma or line break). Returns
 * the error at the first token past the limit.
 */
export function checkNesting(tokens: readonly IToken[], at: Positions): Diagnostic | undefined {
  // Per open group: how many conditionals and directives it holds open, released when it closes.
  const conditionals: number[] = [0];
  const directives: number[] = [0];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const type = t.tokenType;
    const top = conditionals.length - 1;
    if (isGroupOpener(type)) {
      depth++;
      conditionals.push(0);
      directives.push(0);
      if (type === T.TemplateControl) {
        const keyword = tokens[i + 1]?.tokenType;
        // The directive belongs to the template around the `%{ }` group, which is `top`.
        if (keyword === T.IfKw || keyword === T.ForKw) {
          directives[top]!++;
          depth++;
        } else if ((keyword === T.EndIfKw || keyword === T.EndForKw) && directives[top]! > 0) {
          directives[top]!--;
          depth--;
        }
      }
    } else if (isGroupCloser(type)) {
      if (conditionals.length > 1) {
        depth -= 1 + conditionals.pop()! + directives.pop()!;
      }
    } else if (type === T.Question) {
      conditionals[top]!++;
      depth++;
    } else if (type === T.Comma || type === T.Newline) {
      depth -= conditionals[top]!;
      conditionals[top] = 0;
    }
    if (depth > LIMITS.nesting) {
      const end = t.startOffset + Math.max(1, t.image.length);
      return errorAt(
        at.range(t.startOffset, end),
        "Nesting too deep",
        `This is nested more than ${LIMITS.nesting} levels deep (brackets, blocks, strings, template directives and conditionals count), which is slipway's limit.`,
        { hint: "Flatten the structure, for example with locals that name the inner parts." },
      );
    }
  }
  return undefined;
}
