import type { IOrAlt, IToken } from "chevrotain";
import type { Attribute, Block, Label } from "./ast.js";
import type { ParseIssue } from "./parser-base.js";
import { ExpressionParser } from "./parser-expressions.js";
import type { Builder } from "./to-ast.js";
import * as T from "./tokens.js";

export type { GuardKind, ParseIssue } from "./parser-base.js";

/**
 * The grammar of HCL native syntax, as a chevrotain parser whose actions build the AST through `Builder`
 * (to-ast.ts) as they go. This file has the structure — bodies, attributes, blocks — on top of the
 * expression and template rules (parser-expressions.ts) and the guard-based recovery (parser-base.ts).
 *
 * An earlier version built chevrotain's CST and converted it afterwards; the CST doubled what a parse
 * allocates and, for a 1 MiB file, garbage collection alone took longer than the whole parse budget, so
 * the AST is built directly.
 */

type Item = Attribute | Block;

export class HclParser extends ExpressionParser {
  /** `validate`: run chevrotain's grammar checks (test/grammar/parser-grammar.test.ts does). */
  constructor(validate = false) {
    super(validate);
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

  /** As in parser-expressions.ts, hot rules keep alternatives in fields and pass state through stacks. */
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
}

/** Built once, without grammar checks: performSelfAnalysis still costs ~20 ms, and one instance parses any number of files in turn. */
export const hclParser = new HclParser();
