import type { IToken } from "chevrotain";
import { errorAt, type Diagnostic } from "../source/diagnostic.js";
import type { Pos, Range } from "../source/pos.js";
import type { Attribute, BinaryOperator, Block, Body, Expr, ForExpr, Label, ObjectItem, TemplateExpr } from "./ast.js";
import type { Positions } from "./positions.js";
import { tokenEnd } from "./token.js";

/**
 * Builds AST nodes from tokens and sub-nodes for the parser's actions, and keeps the diagnostics found
 * while doing so (escapes, legacy indexes, misplaced `...`). Nothing outside the syntax layer sees tokens.
 *
 * Ranges are most of what the AST allocates, and neighbouring nodes share endpoints (an attribute starts
 * where its name does), so positions come from a small direct-mapped cache keyed by offset.
 */

/** A postfix operator as the parser read it, applied to its operand by `Builder.postfixes`. */
export type Postfix =
  | { readonly kind: "attr"; readonly name: IToken }
  | { readonly kind: "legacyIndex"; readonly number: IToken }
  | { readonly kind: "attrSplat"; readonly dot: IToken; readonly star: IToken }
  | { readonly kind: "fullSplat"; readonly open: IToken; readonly close: IToken }
  | { readonly kind: "index"; readonly key: Expr; readonly close: IToken };

const CACHE_SIZE = 4096;

export class Builder {
  readonly diagnostics: Diagnostic[] = [];
  private readonly cache: (Pos | undefined)[] = new Array<Pos | undefined>(CACHE_SIZE).fill(undefined);

  constructor(readonly at: Positions) {}

  pos(offset: number): Pos {
    const slot = offset & (CACHE_SIZE - 1);
    const hit = this.cache[slot];
    if (hit !== undefined && hit.offset === offset) return hit;
    return (this.cache[slot] = this.at.pos(offset));
  }

  range(start: number, end: number): Range {
    return { file: this.at.name, start: this.pos(start), end: this.pos(end) };
  }

  /** A token's range. Tokens other than line breaks and heredoc parts sit on one line, so the end
   *  position follows from the start without another line lookup. */
  tokenRange(t: IToken): Range {
    const start = this.pos(t.startOffset);
    const length = t.image.length;
    const endOffset = t.startOffset + length;
    const slot = endOffset & (CACHE_SIZE - 1);
    let end = this.cache[slot];
    if (end === undefined || end.offset !== endOffset) {
      end =
        t.image.indexOf("\n") === -1
          ? { line: start.line, column: start.column + length, offset: endOffset }
          : this.at.pos(endOffset);
      this.cache[slot] = end;
    }
    return { file: this.at.name, start, end };
  }

  error(start: number, end: number, summary: string, detail: string): void {
    this.diagnostics.push(errorAt(this.at.range(start, end), summary, detail));
  }

  // -------------------------------------------------------------------------------------------------------
  // structure

  body(items: (Attribute | Block)[], start: number, end: number): Body {
    return { kind: "body", items, range: this.range(start, end) };
  }

  attribute(name: IToken, expr: Expr): Attribute {
    return { kind: "attribute", name: name.image, nameRange: this.tokenRange(name), expr, range: this.range(name.startOffset, expr.range.end.offset) };
  }

  block(type: IToken, labels: Label[], open: IToken, items: (Attribute | Block)[], close: IToken): Block {
    const end = tokenEnd(close);
    const headerEnd = labels.length > 0 ? labels[labels.length - 1]!.range.end.offset : tokenEnd(type);
    return {
      kind: "block",
      type: type.image,
      typeRange: this.tokenRange(type),
      labels,
      body: this.body(items, open.startOffset, end),
      openBraceRange: this.tokenRange(open),
      closeBraceRange: this.tokenRange(close),
      defRange: this.range(type.startOffset, headerEnd),
      range: this.range(type.startOffset, end),
    };
  }

  identLabel(t: IToken): Label {
    return { kind: "identLabel", name: t.image, range: this.tokenRange(t) };
  }

  quotedLabel(template: TemplateExpr): Label {
    return { kind: "quotedLabel", template, range: template.range };
  }

  // -------------------------------------------------------------------------------------------------------
  // expressions

  literal(t: IToken, value: boolean | null): Expr {
    return { kind: "literal", value, raw: t.image, range: this.tokenRange(t) };
  }

  number(t: IToken): Expr {
    const value = Number(t.image);
    if (!Number.isFinite(value)) {
      this.error(t.startOffset, tokenEnd(t), `Number "${t.image}" is too large`, "Numbers must be finite; this one is beyond the largest representable value.");
    } else if (/^\d+$/.test(t.image) && !Number.isSafeInteger(value) && printed(value) !== t.image.replace(/^0+(?=\d)/, "")) {
      // HCL keeps such a number exact; a double would silently change its last digits, so it is refused.
      this.error(
        t.startOffset,
        tokenEnd(t),
        `Number "${t.image}" is too large to be exact`,
        "Past 2^53 (9007199254740991), not every whole number can be held exactly, and this one cannot; write it as a string if it is an identifier.",
      );
    }
    return { kind: "literal", value, raw: t.image, range: this.tokenRange(t) };
  }

  variable(t: IToken): Expr {
    return { kind: "variable", name: t.image, range: this.tokenRange(t) };
  }

  parens(open: IToken, expr: Expr, close: IToken): Expr {
    return { kind: "parens", expr, range: this.range(open.startOffset, tokenEnd(close)) };
  }

  unary(op: IToken, operand: Expr): Expr {
    return { kind: "unary", op: op.image as "-" | "!", operand, range: this.range(op.startOffset, operand.range.end.offset) };
  }

  /** `operand (op operand)*` with HCL's precedence levels; equal levels associate to the left. */
  operation(operands: Expr[], ops: IToken[]): Expr {
    if (ops.length === 0) return operands[0]!;
    const values: Expr[] = [operands[0]!];
    const pending: IToken[] = [];
    const reduce = (): void => {
      const op = pending.pop()!;
      const right = values.pop()!;
      const left = values.pop()!;
      values.push({
        kind: "binary",
        op: op.image as BinaryOperator,
        left,
        right,
        opRange: this.tokenRange(op),
        range: this.range(left.range.start.offset, right.range.end.offset),
      });
    };
    for (let i = 0; i < ops.length; i++) {
      const level = precedence[ops[i]!.image as BinaryOperator];
      while (pending.length > 0 && precedence[pending[pending.length - 1]!.image as BinaryOperator] >= level) reduce();
      pending.push(ops[i]!);
      values.push(operands[i + 1]!);
    }
    while (pending.length > 0) reduce();
    return values[0]!;
  }

  conditional(condition: Expr, then: Expr, otherwise: Expr): Expr {
    return { kind: "conditional", condition, then, else: otherwise, range: this.range(condition.range.start.offset, otherwise.range.end.offset) };
  }

  /**
   * Applies postfix operators as HCL does: an attribute splat (`.*`) takes the attribute accesses and legacy
   * indexes after it into its per-element expression; a full splat (`[*]`) takes everything after it.
   */
  postfixes(base: Expr, list: readonly Postfix[], from = 0): Expr {
    let expr = base;
    const start = base.range.start.offset;
    for (let i = from; i < list.length; i++) {
      const p = list[i]!;
      switch (p.kind) {
        case "attr":
        case "legacyIndex":
          expr = this.dotAccess(expr, p);
          break;
        case "index":
          expr = { kind: "index", collection: expr, key: p.key, range: this.range(start, tokenEnd(p.close)) };
          break;
        case "attrSplat": {
          let each: Expr = { kind: "splatItem", range: this.range(p.dot.startOffset, tokenEnd(p.star)) };
          for (let next = list[i + 1]; next !== undefined && (next.kind === "attr" || next.kind === "legacyIndex" || next.kind === "attrSplat"); next = list[i + 1]) {
            if (next.kind === "attrSplat") {
              this.error(next.star.startOffset, tokenEnd(next.star), "Nested splat expression not allowed", "A splat (.*) cannot be used inside an attribute-only splat expression; use the full splat [*] instead.");
              break;
            }
            each = this.dotAccess(each, next);
            i++;
          }
          expr = { kind: "splat", style: "attr", source: expr, each, range: this.range(start, each.range.end.offset) };
          break;
        }
        case "fullSplat": {
          const item: Expr = { kind: "splatItem", range: this.range(p.open.startOffset, tokenEnd(p.close)) };
          const each = this.postfixes(item, list, i + 1);
          return { kind: "splat", style: "full", source: expr, each, range: this.range(start, each.range.end.offset) };
        }
      }
    }
    return expr;
  }

  private dotAccess(object: Expr, p: Postfix & { kind: "attr" | "legacyIndex" }): Expr {
    const start = object.range.start.offset;
    if (p.kind === "attr") {
      return { kind: "getAttr", object, name: p.name.image, nameRange: this.tokenRange(p.name), range: this.range(start, tokenEnd(p.name)) };
    }
    const n = p.number;
    if (!/^\d+$/.test(n.image)) {
      const [a, b] = n.image.split(".");
      this.error(
        n.startOffset,
        tokenEnd(n),
        "Invalid legacy index syntax",
        b !== undefined && !/[eE]/.test(n.image)
          ? `".${n.image}" reads as one fractional number, so legacy indexes cannot be chained. Use the index syntax instead: [${a}][${b}].`
          : `The legacy index syntax takes a whole number only; use [${n.image}] instead.`,
      );
    }
    return { kind: "index", collection: object, key: this.number(n), range: this.range(start, tokenEnd(n)) };
  }

  call(name: IToken, args: Expr[], ellipses: IToken[], close: IToken): Expr {
    const last = args[args.length - 1];
    let expandFinal = false;
    for (const e of ellipses) {
      if (last !== undefined && ellipses.length === 1 && e.startOffset >= last.range.end.offset) expandFinal = true;
      else this.error(e.startOffset, tokenEnd(e), 'Misplaced "..."', `Only the last argument of a function call can be expanded with "...", as in ${name.image}(a, list...).`);
    }
    return { kind: "call", name: name.image, nameRange: this.tokenRange(name), args, expandFinal, range: this.range(name.startOffset, tokenEnd(close)) };
  }

  tuple(open: IToken, items: Expr[], close: IToken): Expr {
    return { kind: "tuple", items, range: this.range(open.startOffset, tokenEnd(close)) };
  }

  object(open: IToken, items: ObjectItem[], close: IToken): Expr {
    return { kind: "object", items, range: this.range(open.startOffset, tokenEnd(close)) };
  }

  /** A bare name as key (`name = v`) is the string "name"; any other key is an expression. */
  objectItem(key: Expr, separator: IToken, value: Expr): ObjectItem {
    const ident = key.kind === "variable";
    const k: Expr = ident ? { kind: "template", parts: [{ kind: "text", value: key.name, range: key.range }], range: key.range } : key;
    return {
      key: k,
      keyForm: ident ? "ident" : "expr",
      separator: separator.image === "=" ? "=" : ":",
      value,
      range: this.range(k.range.start.offset, value.range.end.offset),
    };
  }

  forExpr(open: IToken, f: ForParts, close: IToken): Expr {
    const isObject = open.image === "{";
    if (isObject && f.arrow === undefined) {
      this.error(f.value.range.start.offset, f.value.range.end.offset, "Missing key expression", "An object for-expression needs a key and a value: {for k, v in coll : key => value}.");
    }
    if (!isObject && f.arrow !== undefined) {
      this.error(f.arrow.startOffset, tokenEnd(f.arrow), "Unexpected key expression", "A tuple for-expression produces values only: [for v in coll : value]. Use braces to build an object.");
    }
    const result: ForExpr = {
      kind: "for",
      ...(f.names.length === 2 ? { keyVar: f.names[0]!.image } : {}),
      valueVar: f.names[f.names.length - 1]!.image,
      collection: f.collection,
      ...(isObject && f.key !== undefined ? { keyExpr: f.key } : {}),
      valueExpr: f.value,
      ...(f.condition !== undefined ? { condition: f.condition } : {}),
      group: isObject && f.group,
      range: this.range(open.startOffset, tokenEnd(close)),
    };
    return result;
  }
}

/** A whole number as the language prints it (as eval's formatNumber does), to see whether a literal kept its digits. */
function printed(n: number): string {
  return Math.abs(n) >= 1e21 ? BigInt(n).toString() : String(n);
}

/** The parts of `for k, v in coll : key => value... if cond` as the parser read them. */
export interface ForParts {
  readonly names: IToken[];
  readonly collection: Expr;
  /** The expression after ":" and, with "=>", the one after it. */
  readonly key?: Expr;
  readonly value: Expr;
  readonly arrow?: IToken;
  readonly group: boolean;
  readonly condition?: Expr;
}

const precedence: Record<BinaryOperator, number> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6,
};
