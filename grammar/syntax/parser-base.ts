import {
  EmbeddedActionsParser,
  isRecognitionException,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from "chevrotain";
import { isGroupCloser, isGroupOpener } from "./balance.js";
import type { Builder } from "./to-ast.js";
import * as T from "./tokens.js";

/**
 * Recovery for the HCL parser (parser.ts builds on this class).
 *
 * Chevrotain's own recovery resyncs on follow sets, which in a line-oriented language cascades: after a
 * bad token it happily restarts an attribute in the middle of the line. So it is off, and the grammar has
 * `guard`s instead, where HCL has natural separators: each body line, each object item, tuple item and
 * call argument, each template interpolation or directive. A guard catches the recognition error, records
 * it, and skips to the next separator at the same bracket depth (the scanner balanced the brackets, so
 * `pairs` lets it jump over a bracketed group in one step). The construct with the error is left out of
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

/** Only the expected token type is used later (see parse-errors.ts); chevrotain's messages are never shown. */
const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => expected.name,
  buildNotAllInputParsedMessage: () => "",
  buildNoViableAltMessage: () => "",
  buildEarlyExitMessage: () => "",
};

export abstract class RecoveringParser extends EmbeddedActionsParser {
  protected pairs: Int32Array = new Int32Array(0);
  protected b!: Builder;
  protected issues: ParseIssue[] = [];

  /**
   * `validate`: chevrotain's grammar checks (ambiguities, left recursion…) when the parser is built. They
   * find bugs in the grammar, not in input, so a unit test builds a validating parser and the shared
   * instance skips them: ~25 ms less at every frontend start.
   */
  constructor(validate: boolean) {
    super(T.allTokenTypes as TokenType[], { recoveryEnabled: false, maxLookahead: 3, errorMessageProvider, skipValidations: !validate });
  }

  /** Index of the next token to read (chevrotain keeps the last consumed index in `currIdx`). */
  protected get next(): number {
    return (this as unknown as { currIdx: number }).currIdx + 1;
  }

  /** Runs `body`; on a syntax error records it and skips to where the next item can start. */
  protected guard(kind: GuardKind, body: () => void): void {
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
  protected scanForStop(start: number, from: number, kind: GuardKind): number {
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

  protected skipTo(index: number): void {
    while (this.next < index) this.SKIP_TOKEN();
  }
}
