import { EMPTY_ALT, tokenMatcher, type IOrAlt, type IToken, type OrMethodOpts } from "chevrotain";
import type { Expr, ObjectItem, TemplateExpr } from "./ast.js";
import { RecoveringParser } from "./parser-base.js";
import { buildTemplate, type RawPiece } from "./to-ast-template.js";
import type { ForParts, Postfix } from "./to-ast.js";
import * as T from "./tokens.js";

/**
 * The expression and template rules of the HCL grammar (parser.ts adds the structure: bodies, attributes,
 * blocks). The actions build AST nodes through the Builder as they go; everything that touches values is
 * skipped while chevrotain records the grammar (`RECORDING_PHASE`), and rules only read what a DSL call
 * returned.
 *
 * Hot rules keep their alternatives and loop bodies in fields, built once, and pass state through small
 * stacks rather than closures over locals, and skip an optional repetition when the next token cannot
 * start it: chevrotain's DSL otherwise allocates every closure and alternatives array on every call, as
 * much short-lived garbage as the AST itself (chevrotain's performance guide recommends this caching).
 */
export abstract class ExpressionParser extends RecoveringParser {
  /** `operand (op operand)* (? expression : expression)?`; the Builder applies precedence. */
  protected expression = this.RULE("expression", (): Expr => {
    const first = this.SUBRULE(this.operand);
    let operands: Expr[] | undefined;
    let ops: IToken[] | undefined;
    if (this.RECORDING_PHASE || tokenMatcher(this.LA(1), T.BinaryOperator)) {
      this.MANY(() => {
        const op = this.CONSUME(T.BinaryOperator);
        const right = this.SUBRULE2(this.operand);
        if (!this.RECORDING_PHASE) {
          (operands ??= [first]).push(right);
          (ops ??= []).push(op);
        }
      });
    }
    let expr = ops === undefined || this.RECORDING_PHASE ? first : this.b.operation(operands!, ops);
    if (this.RECORDING_PHASE || this.LA(1).tokenType === T.Question) {
      this.OPTION(() => {
        this.CONSUME(T.Question);
        const then = this.SUBRULE3(this.expression);
        this.CONSUME(T.Colon);
        const otherwise = this.SUBRULE4(this.expression);
        if (!this.RECORDING_PHASE) expr = this.b.conditional(expr, then, otherwise);
      });
    }
    return expr;
  });

  /** Unary operators, one term, and its postfix operators (attribute access, index, splat). */
  private operand = this.RULE("operand", (): Expr => {
    let unary: IToken[] | undefined;
    if (this.RECORDING_PHASE || tokenMatcher(this.LA(1), T.UnaryOperator)) {
      this.MANY(() => {
        const t = this.CONSUME(T.UnaryOperator);
        if (!this.RECORDING_PHASE) (unary ??= []).push(t);
      });
    }
    const term: Expr = this.OR((this.termAlternatives ??= { IGNORE_AMBIGUITIES: true, DEF: this.termAlternativesOf() }));
    let post: Postfix[] | undefined;
    const next = this.LA(1).tokenType;
    if (this.RECORDING_PHASE || next === T.Dot || next === T.LBracket) {
      this.MANY2(() => {
        const p = this.SUBRULE(this.postfix);
        if (!this.RECORDING_PHASE) (post ??= []).push(p);
      });
    }
    if (this.RECORDING_PHASE) return term;
    let expr = post === undefined ? term : this.b.postfixes(term, post);
    if (unary !== undefined) for (let i = unary.length - 1; i >= 0; i--) expr = this.b.unary(unary[i]!, expr);
    return expr;
  });

  /**
   * The alternatives of a term. Built once and reused: an `OR` given a fresh array on every call allocates
   * it and its closures for each operand, which showed up as garbage-collection time (chevrotain's
   * performance guide recommends this caching). The closures only use `this`, never a rule's locals.
   */
  private termAlternatives: OrMethodOpts<Expr> | undefined;
  private termAlternativesOf(): IOrAlt<Expr>[] {
    return [
      { ALT: () => this.leaf(this.CONSUME(T.NumberLit), "number") },
      { ALT: () => this.leaf(this.CONSUME(T.TrueKw), true) },
      { ALT: () => this.leaf(this.CONSUME(T.FalseKw), false) },
      { ALT: () => this.leaf(this.CONSUME(T.NullKw), null) },
      { ALT: () => this.SUBRULE(this.functionCall) },
      { ALT: () => this.leaf(this.CONSUME(T.Ident), "variable") },
      { ALT: () => this.SUBRULE(this.tupleCons) },
      { ALT: () => this.SUBRULE(this.objectCons) },
      { ALT: () => this.SUBRULE(this.quotedTemplate) },
      { ALT: () => this.SUBRULE(this.heredocTemplate) },
      {
        ALT: () => {
          const open = this.CONSUME(T.LParen);
          const inner = this.SUBRULE(this.expression);
          const close = this.CONSUME(T.RParen);
          return this.RECORDING_PHASE ? (undefined as never) : this.b.parens(open, inner, close);
        },
      },
    ];
  }

  private leaf(t: IToken, what: "number" | "variable" | boolean | null): Expr {
    if (this.RECORDING_PHASE) return undefined as unknown as Expr;
    return what === "number" ? this.b.number(t) : what === "variable" ? this.b.variable(t) : this.b.literal(t, what);
  }

  private postfix = this.RULE("postfix", (): Postfix =>
    this.OR([
      {
        ALT: (): Postfix => {
          const dot = this.CONSUME(T.Dot);
          return this.OR2([
            { ALT: (): Postfix => ({ kind: "attr", name: this.CONSUME(T.Ident) }) },
            { ALT: (): Postfix => ({ kind: "legacyIndex", number: this.CONSUME(T.NumberLit) }) },
            { ALT: (): Postfix => ({ kind: "attrSplat", dot, star: this.CONSUME(T.Star) }) },
          ]);
        },
      },
      {
        ALT: (): Postfix => {
          const open = this.CONSUME(T.LBracket);
          return this.OR3([
            {
              ALT: (): Postfix => {
                this.CONSUME2(T.Star);
                return { kind: "fullSplat", open, close: this.CONSUME(T.RBracket) };
              },
            },
            {
              ALT: (): Postfix => {
                const key = this.SUBRULE(this.expression);
                return { kind: "index", key, close: this.CONSUME2(T.RBracket) };
              },
            },
          ]);
        },
      },
    ]),
  );

  private functionCall = this.RULE("functionCall", (): Expr => {
    const name = this.CONSUME(T.Ident);
    this.CONSUME(T.LParen);
    const args: Expr[] = [];
    const ellipses: IToken[] = [];
    this.MANY(() =>
      this.guard("argument", () => {
        const arg = this.SUBRULE(this.expression);
        if (!this.RECORDING_PHASE) args.push(arg);
        this.OR([
          { ALT: () => void this.CONSUME(T.Comma) },
          {
            ALT: () => {
              const t = this.CONSUME(T.Ellipsis);
              if (!this.RECORDING_PHASE) ellipses.push(t);
              this.OPTION(() => this.CONSUME2(T.Comma)); // misplaced "...": reported by the Builder
            },
          },
          { GATE: () => this.LA(1).tokenType === T.RParen, ALT: EMPTY_ALT() },
        ]);
      }),
    );
    const close = this.CONSUME(T.RParen);
    return this.RECORDING_PHASE ? (undefined as never) : this.b.call(name, args, ellipses, close);
  });

  private tupleCons = this.RULE("tupleCons", (): Expr => {
    const open = this.CONSUME(T.LBracket);
    const items: Expr[] = [];
    const forParts = this.OR([
      { GATE: () => this.LA(1).tokenType === T.ForKw, ALT: () => this.SUBRULE(this.forBody) },
      {
        ALT: () => {
          this.MANY(() =>
            this.guard("tupleItem", () => {
              const item = this.SUBRULE(this.expression);
              if (!this.RECORDING_PHASE) items.push(item);
              this.OR2([
                { ALT: () => void this.CONSUME(T.Comma) },
                { GATE: () => this.LA(1).tokenType === T.RBracket, ALT: EMPTY_ALT() },
              ]);
            }),
          );
          return undefined;
        },
      },
    ]);
    const close = this.CONSUME(T.RBracket);
    if (this.RECORDING_PHASE) return undefined as never;
    return forParts !== undefined ? this.b.forExpr(open, forParts, close) : this.b.tuple(open, items, close);
  });

  private objectCons = this.RULE("objectCons", (): Expr => {
    const open = this.CONSUME(T.LBrace);
    const items: ObjectItem[] = [];
    const forParts = this.OR([
      { GATE: () => this.LA(1).tokenType === T.ForKw, ALT: () => this.SUBRULE(this.forBody) },
      {
        ALT: () => {
          this.MANY(() => this.CONSUME(T.Newline));
          this.MANY2(() =>
            this.guard("objectItem", () => {
              const item = this.SUBRULE(this.objectItem);
              if (!this.RECORDING_PHASE) items.push(item);
              this.OR2([
                {
                  ALT: () => {
                    this.CONSUME(T.Comma);
                    this.MANY3(() => this.CONSUME2(T.Newline));
                  },
                },
                { ALT: () => this.AT_LEAST_ONE(() => this.CONSUME3(T.Newline)) },
                { GATE: () => this.LA(1).tokenType === T.RBrace, ALT: EMPTY_ALT() },
              ]);
            }),
          );
          return undefined;
        },
      },
    ]);
    const close = this.CONSUME(T.RBrace);
    if (this.RECORDING_PHASE) return undefined as never;
    return forParts !== undefined ? this.b.forExpr(open, forParts, close) : this.b.object(open, items, close);
  });

  private objectItem = this.RULE("objectItem", (): ObjectItem => {
    const key = this.SUBRULE(this.expression);
    const separator = this.OR([{ ALT: () => this.CONSUME(T.Assign) }, { ALT: () => this.CONSUME(T.Colon) }]);
    const value = this.SUBRULE2(this.expression);
    return this.RECORDING_PHASE ? (undefined as never) : this.b.objectItem(key, separator, value);
  });

  /** After `[` or `{`: `for k, v in coll : value if cond` or `… : key => value... if cond`. */
  private forBody = this.RULE("forBody", (): ForParts => {
    this.CONSUME(T.ForKw);
    const names = [this.CONSUME(T.Ident)];
    this.OPTION(() => {
      this.CONSUME(T.Comma);
      names.push(this.CONSUME2(T.Ident));
    });
    this.CONSUME(T.InKw);
    const collection = this.SUBRULE(this.expression);
    this.CONSUME(T.Colon);
    const first = this.SUBRULE2(this.expression);
    let arrow: IToken | undefined;
    let second: Expr | undefined;
    let group = false;
    let condition: Expr | undefined;
    this.OPTION2(() => {
      arrow = this.CONSUME(T.FatArrow);
      second = this.SUBRULE3(this.expression);
      this.OPTION3(() => {
        this.CONSUME(T.Ellipsis);
        group = true;
      });
    });
    this.OPTION4(() => {
      this.CONSUME(T.IfKw);
      condition = this.SUBRULE4(this.expression);
    });
    return arrow !== undefined
      ? { names, collection, key: first, value: second!, arrow, group, ...(condition !== undefined ? { condition } : {}) }
      : { names, collection, value: first, group, ...(condition !== undefined ? { condition } : {}) };
  });


  // -------------------------------------------------------------------------------------------------------
  // templates

  protected quotedTemplate = this.RULE("quotedTemplate", (): TemplateExpr => {
    const open = this.CONSUME(T.OQuote);
    const pieces = this.templatePieces();
    const close = this.CONSUME(T.CQuote);
    return this.RECORDING_PHASE ? (undefined as never) : buildTemplate(this.b, open, pieces, close);
  });

  private heredocTemplate = this.RULE("heredocTemplate", (): TemplateExpr => {
    const open = this.CONSUME(T.HeredocOpen);
    const pieces = this.templatePieces();
    const close = this.CONSUME(T.HeredocClose);
    return this.RECORDING_PHASE ? (undefined as never) : buildTemplate(this.b, open, pieces, close);
  });

  /** The pieces of a template: literal text, `${ … }`, `%{ … }` directives. Used by both template rules. */
  private templatePieces(): RawPiece[] {
    const pieces: RawPiece[] = [];
    this.pieceStack.push(pieces);
    try {
      this.MANY(this.templatePiece);
    } finally {
      this.pieceStack.pop();
    }
    return pieces;
  }

  private readonly pieceStack: RawPiece[][] = [];
  private readonly templatePiece = (): void => this.guard("templateItem", this.templatePieceBody);
  private templatePieceAlternatives: IOrAlt<void>[] | undefined;
  private readonly templatePieceBody = (): void => {
    this.OR(
      (this.templatePieceAlternatives ??= [
        { ALT: () => this.addPiece({ kind: "text", token: this.CONSUME(T.QuotedText) }) },
        { ALT: () => this.addPiece({ kind: "text", token: this.CONSUME(T.HeredocText) }) },
        {
          ALT: () => {
            const open = this.CONSUME(T.TemplateInterp);
            const expr = this.SUBRULE(this.expression);
            const close = this.OR2([{ ALT: () => this.CONSUME(T.RBrace) }, { ALT: () => this.CONSUME(T.StripRBrace) }]);
            this.addPiece({ kind: "interpolation", open, expr, close });
          },
        },
        { ALT: () => this.directive() },
      ]),
    );
  };

  private directive(): void {
    const open = this.CONSUME(T.TemplateControl);
    const directive = this.OR3([
      {
        ALT: () => {
          this.CONSUME(T.IfKw);
          return { kind: "if" as const, condition: this.SUBRULE2(this.expression) };
        },
      },
      { ALT: () => ({ kind: "else" as const, token: this.CONSUME(T.ElseKw) }) },
      { ALT: () => ({ kind: "endif" as const, token: this.CONSUME(T.EndIfKw) }) },
      {
        ALT: () => {
          this.CONSUME(T.ForKw);
          const names = [this.CONSUME(T.Ident)];
          this.OPTION(() => {
            this.CONSUME(T.Comma);
            names.push(this.CONSUME2(T.Ident));
          });
          this.CONSUME(T.InKw);
          return { kind: "for" as const, names, collection: this.SUBRULE3(this.expression) };
        },
      },
      { ALT: () => ({ kind: "endfor" as const, token: this.CONSUME(T.EndForKw) }) },
    ]);
    const close = this.OR4([{ ALT: () => this.CONSUME2(T.RBrace) }, { ALT: () => this.CONSUME2(T.StripRBrace) }]);
    if (this.RECORDING_PHASE) return;
    if (directive.kind === "if") this.addPiece({ kind: "if", open, condition: directive.condition, close });
    else if (directive.kind === "for") this.addPiece({ kind: "for", open, names: directive.names, collection: directive.collection, close });
    else this.addPiece({ kind: directive.kind, open, close });
  }

  private addPiece(piece: RawPiece): void {
    if (!this.RECORDING_PHASE) this.pieceStack[this.pieceStack.length - 1]!.push(piece);
  }
}
