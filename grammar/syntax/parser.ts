import {
  EMPTY_ALT,
  EmbeddedActionsParser,
  isRecognitionException,
  tokenMatcher,
  type IOrAlt,
  type OrMethodOpts,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from "chevrotain";
import type { Attribute, Block, Expr, Label, ObjectItem, TemplateExpr } from "./ast.js";
import { isGroupCloser, isGroupOpener } from "./balance.js";
import { buildTemplate, type RawPiece } from "./to-ast-template.js";
import type { Builder, ForParts, Postfix } from "./to-ast.js";
import * as T from "./tokens.js";

/**
 * The grammar of HCL native syntax as a chevrotain parser whose actions build the AST (through `Builder`,
 * in to-ast.ts) as they go. An earlier version built chevrotain's CST and converted it afterwards; the CST
 * doubled what a parse allocates and, for a 1 MiB file, garbage collection alone took longer than the whole
 * parse budget, so the AST is built directly. Inside a rule, everything that touches values runs in
 * `ACTION` (skipped while chevrotain records the grammar) or only reads what a DSL call returned.
 *
 * Recovery. Chevrotain's own recovery resyncs on follow sets, which in a line-oriented language cascades:
 * after a bad token it happily restarts an attribute in the middle of the line. So it is off, and the
 * grammar has `guard`s instead, where HCL has natural separators: each body line, each object item, tuple
 * item and call argument, each template interpolation or directive. A guard catches the recognition error,
 * records it, and skips to the next separator at the same bracket depth (the scanner balanced the brackets,
 * so `pairs` lets it jump over a bracketed group in one step). The construct with the error is left out of
 * the AST; one mistake gives one error, and the rest of the file is still parsed.
 */

/** Where a syntax error was caught, which decides how far recovery skips and how the error is described. */
export type GuardKind = "line" | "objectItem" | "tupleItem" | "argument" | "templateItem";

export interface ParseIssue {
  readonly guard: GuardKind | "stray";
  readonly error?: IRecognitionException & { previousToken?: IToken };
  /** Index of the first token of the construct the guard protects (or of the stray token). */
  readonly start: number;
  /** The token a stray line starts with (for "stray"). */
  readonly token?: IToken;
}

type Item = Attribute | Block;

/** Only the expected token type is used later (see parse-errors.ts); chevrotain's messages are never shown. */
const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => expected.name,
  buildNotAllInputParsedMessage: () => "",
  buildNoViableAltMessage: () => "",
  buildEarlyExitMessage: () => "",
};

class HclParser extends EmbeddedActionsParser {
  private pairs: Int32Array = new Int32Array(0);
  private b!: Builder;
  private issues: ParseIssue[] = [];

  constructor() {
    super(T.allTokenTypes as TokenType[], { recoveryEnabled: false, maxLookahead: 3, errorMessageProvider });
    this.performSelfAnalysis();
  }

  /** Parses prepared tokens (see `prepare`) into the top-level items; never throws on any token sequence. */
  parseTokens(tokens: IToken[], pairs: Int32Array, builder: Builder): { items: Item[]; issues: ParseIssue[] } {
    this.input = tokens;
    this.pairs = pairs;
    this.b = builder;
    this.issues = [];
    const items = this.file();
    return { items, issues: this.issues };
  }

  /** Index of the next token to read (chevrotain keeps the last consumed index in `currIdx`). */
  private get next(): number {
    return (this as unknown as { currIdx: number }).currIdx + 1;
  }

  // -------------------------------------------------------------------------------------------------------
  // structure

  /** The top level: a body, and should recovery ever leave a "}" behind, a report and more body. */
  private file = this.RULE("file", (): Item[] => {
    const items: Item[] = [];
    this.SUBRULE(this.body, { ARGS: [items] });
    this.MANY(() => {
      const token = this.CONSUME(T.RBrace);
      this.ACTION(() => this.issues.push({ guard: "stray", start: this.next - 1, token }));
      this.SUBRULE2(this.body, { ARGS: [items] });
    });
    return items;
  });

  private body = this.RULE("body", (items: Item[]): void => {
    this.itemStack.push(items);
    try {
      this.MANY(this.bodyLine);
    } finally {
      this.itemStack.pop();
    }
  });

  /**
   * Hot rules keep their alternatives and loop bodies in fields, built once, and pass state through small
   * stacks rather than closures over locals: chevrotain's DSL otherwise allocates every closure and
   * alternatives array on every call, as much short-lived garbage as the AST itself.
   */
  private readonly itemStack: Item[][] = [];
  private bodyLineAlternatives: IOrAlt<void>[] | undefined;
  private readonly bodyLine = (): void => {
    this.OR(
      (this.bodyLineAlternatives ??= [
        { ALT: () => void this.CONSUME(T.Newline) },
        { ALT: () => this.guard("line", this.itemLine) },
        { ALT: () => this.SUBRULE(this.strayLine) },
      ]),
    );
  };
  private readonly itemLine = (): void => {
    const item = this.SUBRULE(this.bodyItem);
    if (!this.RECORDING_PHASE) this.itemStack[this.itemStack.length - 1]!.push(item);
    this.CONSUME2(T.Newline);
  };

  private bodyItem = this.RULE("bodyItem", (): Item => {
    this.itemName = this.CONSUME(T.Ident);
    return this.OR((this.bodyItemAlternatives ??= [{ ALT: this.attributeRest }, { ALT: this.blockRest }]));
  });

  /** The name just read by `bodyItem`; each alternative takes it before anything else can overwrite it. */
  private itemName!: IToken;
  private bodyItemAlternatives: IOrAlt<Item>[] | undefined;

  private readonly attributeRest = (): Item => {
    const name = this.itemName;
    this.CONSUME(T.Assign);
    const expr = this.SUBRULE(this.expression);
    return this.RECORDING_PHASE ? (undefined as never) : this.b.attribute(name, expr);
  };

  private readonly blockRest = (): Item => {
    const name = this.itemName;
    const labels: Label[] = [];
    const next = this.LA(1).tokenType;
    if (this.RECORDING_PHASE || next !== T.LBrace) {
      this.MANY(() =>
        this.OR2([
          {
            ALT: () => {
              const t = this.CONSUME2(T.Ident);
              if (!this.RECORDING_PHASE) labels.push(this.b.identLabel(t));
            },
          },
          {
            ALT: () => {
              const t = this.SUBRULE(this.quotedTemplate);
              if (!this.RECORDING_PHASE) labels.push(this.b.quotedLabel(t));
            },
          },
        ]),
      );
    }
    const open = this.CONSUME(T.LBrace);
    const items: Item[] = [];
    this.OR3([
      {
        ALT: () => {
          this.CONSUME(T.Newline);
          this.SUBRULE(this.body, { ARGS: [items] });
        },
      },
      {
        ALT: () =>
          this.OPTION(() => {
            const a = this.SUBRULE(this.singleAttribute);
            if (!this.RECORDING_PHASE) items.push(a);
          }),
      },
    ]);
    const close = this.CONSUME(T.RBrace);
    return this.RECORDING_PHASE ? (undefined as never) : this.b.block(name, labels, open, items, close);
  };

  private singleAttribute = this.RULE("singleAttribute", (): Attribute => {
    const name = this.CONSUME(T.Ident);
    this.CONSUME(T.Assign);
    const expr = this.SUBRULE(this.expression);
    return this.RECORDING_PHASE ? (undefined as never) : this.b.attribute(name, expr);
  });

  /** A line that cannot start an attribute or block: reported and skipped as a whole. */
  private strayLine = this.RULE("strayLine", (): void => {
    const token = this.CONSUME(T.Stray);
    this.ACTION(() => {
      const start = this.next - 1;
      this.issues.push({ guard: "stray", start, token });
      this.skipTo(this.scanForStop(start, this.next, "line"));
    });
  });

  // -------------------------------------------------------------------------------------------------------
  // expressions

  /** `operand (op operand)* (? expression : expression)?`; the Builder applies precedence. */
  private expression = this.RULE("expression", (): Expr => {
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

  private quotedTemplate = this.RULE("quotedTemplate", (): TemplateExpr => {
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

  // -------------------------------------------------------------------------------------------------------
  // recovery

  /** Runs `body`; on a syntax error records it and skips to where the next item can start. */
  private guard(kind: GuardKind, body: () => void): void {
    const start = this.next;
    try {
      body();
    } catch (e) {
      if (!isRecognitionException(e as Error)) throw e;
      this.issues.push({ guard: kind, error: e as ParseIssue["error"], start });
      const tokens = this.input;
      let stop: number;
      if (kind === "templateItem") {
        const partner = this.pairs[start]!;
        stop = isGroupOpener(tokens[start]!.tokenType) && partner > start ? partner + 1 : Math.max(start + 1, this.next);
      } else {
        stop = this.scanForStop(start, this.next, kind);
        if (kind !== "line" && stop < tokens.length && (tokens[stop]!.tokenType === T.Comma || tokens[stop]!.tokenType === T.Newline)) {
          stop++;
          while (stop < tokens.length && tokens[stop]!.tokenType === T.Newline) stop++;
        }
      }
      this.skipTo(stop);
    }
  }

  /**
   * The index of the token where recovery for `kind` stops: a separator at the depth of the construct that
   * started at `start`, or the closer of the construct enclosing it. Groups opened since `start` are skipped
   * whole, including the one the error happened in; the result is never before `from`, where it happened.
   */
  private scanForStop(start: number, from: number, kind: GuardKind): number {
    const tokens = this.input;
    const pairs = this.pairs;
    let i = start;
    while (i < tokens.length) {
      const type = tokens[i]!.tokenType;
      const partner = pairs[i]!;
      if (isGroupOpener(type) && partner > i) {
        i = partner + 1;
        continue;
      }
      if (isGroupCloser(type) && partner < start) break;
      const separator = type === T.Newline ? kind === "line" || kind === "objectItem" : type === T.Comma && kind !== "line";
      if (separator && i >= from) break;
      i++;
    }
    return Math.max(i, from);
  }

  private skipTo(index: number): void {
    while (this.next < index) this.SKIP_TOKEN();
  }
}

/** Built once: performSelfAnalysis costs ~20 ms, and one instance parses any number of files in turn. */
export const hclParser = new HclParser();
