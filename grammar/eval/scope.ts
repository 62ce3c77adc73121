import type { Diagnostic } from "../source/diagnostic.js";
import type { Range } from "../source/pos.js";
import { Budget } from "./budget.js";
import { STANDARD_FUNCTIONS, type FileReader, type FunctionTable } from "./functions/index.js";
import type { Value } from "./value.js";

/**
 * Supplies the names that no scope binds: declared and implicit variables (bare names) and locals
 * (`local.NAME`). Lookups happen at the reference, so a resolver can resolve lazily, detect cycles and report
 * "no value" errors exactly where the name is used. Diagnostics about the reference itself go to
 * `diagnostics`; a resolver keeps its own for problems in the definitions it evaluates.
 */
export interface NameResolver {
  /** The value of a bare name, or undefined when the resolver does not know it (then it is "unknown"). */
  variable(name: string, range: Range, diagnostics: Diagnostic[]): Value | undefined;
  /** The value of `local.NAME`, or undefined when there is no such local. */
  local(name: string, range: Range, diagnostics: Diagnostic[]): Value | undefined;
  /** Names worth suggesting for a misspelt bare name. */
  variableNames(): Iterable<string>;
  /** Local names, for suggestions. */
  localNames(): Iterable<string>;
}

/** What every scope of one evaluation shares. */
export interface EvalEnv {
  readonly functions: FunctionTable;
  readonly resolver?: NameResolver;
  readonly readFile?: FileReader;
  /** What the whole evaluation may spend (steps, sizes), shared by every scope. */
  readonly budget: Budget;
}

/**
 * A scope of names, as HCL's EvalContext: the root carries the functions, the name resolver and the file
 * reader; child scopes bind block-local names (a `for` expression's key and value, the current splat item)
 * and see everything their parents see.
 */
export class Scope {
  private constructor(
    readonly env: EvalEnv,
    private readonly parent: Scope | undefined,
    private readonly bindings: ReadonlyMap<string, Value>,
    /** The element a splat's `each` expression is applied to. */
    readonly splatItem: Value | undefined,
  ) {}

  /** A root scope; functions default to the standard library. */
  static root(env: Partial<EvalEnv> = {}): Scope {
    return new Scope({ functions: STANDARD_FUNCTIONS, budget: new Budget(), ...env }, undefined, new Map(), undefined);
  }

  /** A child scope binding `bindings` over this one. */
  child(bindings: ReadonlyMap<string, Value> | Readonly<Record<string, Value>>): Scope {
    const map = bindings instanceof Map ? bindings : new Map(Object.entries(bindings));
    return new Scope(this.env, this, map, this.splatItem);
  }

  /** A child scope whose splat item is `item`. */
  withSplatItem(item: Value): Scope {
    return new Scope(this.env, this, new Map(), item);
  }

  /** A name bound by this scope or an ancestor (not the resolver's names). */
  lookup(name: string): Value | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s.bindings.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Every name bound by this scope and its ancestors, for suggestions. */
  boundNames(): string[] {
    const names: string[] = [];
    for (let s: Scope | undefined = this; s; s = s.parent) names.push(...s.bindings.keys());
    return names;
  }
}
