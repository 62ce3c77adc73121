import type { Type } from "../types.js";
import type { Value } from "../value.js";

/** What a build context read returns: the file's text, or why there is none (see `file()`). */
export type FileRead =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "missing" }
  | { readonly kind: "error"; readonly message: string }
  /** Not available yet: `file()` yields the unknown value and no diagnostic (the caller reads it and retries). */
  | { readonly kind: "deferred" };

/** Reads a file of the build context by its cleaned, relative path. grammar/ does no I/O of its own. */
export type FileReader = (path: string) => FileRead;

/** A function parameter. Arguments are converted to `type` before the implementation sees them. */
export interface Param {
  readonly name: string;
  readonly type: Type;
  /** Null reaches the implementation instead of being an error. */
  readonly allowNull?: boolean;
}

/** What an implementation may use besides its arguments. */
export interface CallInfo {
  readonly readFile?: FileReader;
}

/**
 * A function of the expression language, as cty's `function.Spec`: parameters with types, an optional
 * variadic parameter, and an implementation that sees only known, converted arguments. Implementations are
 * pure (no clocks, no randomness); they report a bad argument by throwing `ArgumentError` and any other
 * failure with `FunctionError`, which the evaluator turns into a located diagnostic.
 */
export interface FunctionDef {
  readonly name: string;
  /** One sentence for `--help`-style listings and the language reference. */
  readonly description: string;
  readonly params: readonly Param[];
  readonly variadic?: Param & { readonly min?: number; readonly max?: number };
  /**
   * `try` and `can` see their arguments' diagnostics, not values, so the evaluator implements them itself;
   * their entries here exist for lookup, suggestions and documentation.
   */
  readonly special?: "try" | "can";
  readonly impl: (args: readonly Value[], call: CallInfo) => Value;
}

/** A bad argument: the evaluator reports it at that argument, naming the function and the parameter. */
export class ArgumentError extends Error {
  override readonly name = "ArgumentError" as const;
  constructor(
    readonly argIndex: number,
    message: string,
  ) {
    super(message);
  }
}

/** A failure not tied to one argument; reported at the whole call. */
export class FunctionError extends Error {
  override readonly name = "FunctionError" as const;
}

export function isArgumentError(e: unknown): e is ArgumentError {
  return e instanceof Error && e.name === "ArgumentError" && typeof (e as ArgumentError).argIndex === "number";
}

export function isFunctionError(e: unknown): e is FunctionError {
  return e instanceof Error && e.name === "FunctionError";
}
