import { errorAt, type Diagnostic } from "../source/diagnostic.js";
import { LIMITS } from "../source/limits.js";
import type { Range } from "../source/pos.js";
import { UNKNOWN, formatNumber, type Value } from "./value.js";

/** The limits one evaluation works within (grammar/source/limits.ts has the defaults). */
export interface BudgetLimits {
  readonly evaluationSteps: number;
  readonly producedSize: number;
  readonly stringLength: number;
  readonly collectionLength: number;
  readonly valueDepth: number;
}

/**
 * What one declaration's evaluation may spend: steps (expressions evaluated) and the total size of the
 * values it builds, so that `[for a in range(1024) : [for b in range(1024) : …]]` stops with an error
 * instead of filling memory; and the size and depth of each value, so that no single value outgrows what
 * the rest of slipway (and the stack of every walker over values) can take. Past the step or size total,
 * the first crossing is reported once and every later expression evaluates to unknown, so evaluation
 * unwinds quickly; the diagnostic is kept here too, because `try` and `can` drop their arguments'.
 */
export class Budget {
  private steps = 0;
  private produced = 0;
  /** The diagnostic of the first crossing of the step or size total. */
  exhausted: Diagnostic | undefined;

  /** Diagnostics counted so far (see `diagnosed`). */
  private diagnosedCount = 0;

  /** Diagnostics made once per place and reason (see `once`). */
  private readonly made = new Map<string, Diagnostic>();

  constructor(readonly limits: BudgetLimits = LIMITS) {}

  /**
   * The diagnostic for `reason` at `range`, made the first time only. A failing name inside a loop fails
   * the same way on every pass, and making its diagnostic (its did-you-mean above all) on each of a
   * million passes costs seconds; the same object is returned every time, so a `try` around it still
   * sees the error, and sorting drops the repeats at once.
   */
  once(range: Range, reason: string, make: () => Diagnostic): Diagnostic {
    const key = `${range.start.offset}:${range.end.offset}:${reason}`;
    let d = this.made.get(key);
    if (d === undefined) {
      d = make();
      this.made.set(key, d);
    }
    return d;
  }

  /** How many diagnostics `diagnosed` has counted; an expression reads it before and after its children. */
  get diagnosedSoFar(): number {
    return this.diagnosedCount;
  }

  /**
   * Counts `count` diagnostics an expression at `range` made itself, each worth DIAGNOSTIC_STEPS steps.
   * Making a diagnostic (its message, a did-you-mean, an error thrown and caught) costs the time of many
   * steps, and an expression failing inside a loop makes one on every pass (a different one when the
   * message quotes a value), so without this a declaration of a few lines could spend seconds within
   * its step budget. Counted by the expression that pushed them, whatever kind it is, so that no kind of
   * failure is left out; `try` and `can` drop their arguments' diagnostics but not what they cost.
   */
  diagnosed(count: number, range: Range, diagnostics: Diagnostic[]): void {
    if (count <= 0) return;
    this.diagnosedCount += count;
    this.spend(count * DIAGNOSTIC_STEPS, range, diagnostics);
  }

  /** Counts one evaluation step at `range`; false once the budget is exhausted. */
  step(range: Range, diagnostics: Diagnostic[]): boolean {
    return this.spend(1, range, diagnostics);
  }

  /**
   * Counts the work of a function call before it runs: one step, and what its arguments weigh (a
   * function's work grows with them: hashing a long string, encoding a large list). False, after the
   * diagnostic, when that would exhaust the budget, so the call is not made.
   */
  call(args: readonly Value[], range: Range, diagnostics: Diagnostic[]): boolean {
    let weight = 0;
    for (const v of args) weight += valueWeight(v);
    return this.spend(1 + Math.floor(weight), range, diagnostics);
  }

  private spend(steps: number, range: Range, diagnostics: Diagnostic[]): boolean {
    if (this.exhausted) return false;
    this.steps += steps;
    if (this.steps <= this.limits.evaluationSteps) return true;
    this.exhaust(
      errorAt(range, "Evaluation too large", `Evaluating the declaration took more than ${formatNumber(this.limits.evaluationSteps)} steps, which is slipway's limit; this is where it crossed it.`, {
        hint: "Iterate over smaller collections (nested for expressions multiply), and call functions on large values fewer times.",
      }),
      diagnostics,
    );
    return false;
  }

  /**
   * Checks a value an expression at `range` built: its own size and depth, and the running total.
   * Returns the value, or unknown after a diagnostic.
   */
  account(v: Value, range: Range, diagnostics: Diagnostic[]): Value {
    let size: number;
    switch (v.kind) {
      case "string":
        size = v.value.length;
        if (size > this.limits.stringLength) {
          diagnostics.push(errorAt(range, "String too long", `This string has ${formatNumber(size)} characters; slipway's limit is ${formatNumber(this.limits.stringLength)}.`));
          return UNKNOWN;
        }
        break;
      case "tuple":
      case "object": {
        size = v.kind === "tuple" ? v.items.length : v.entries.size;
        if (size > this.limits.collectionLength) {
          diagnostics.push(
            errorAt(range, "Collection too large", `This ${v.kind === "tuple" ? "list" : "map"} has ${formatNumber(size)} elements; slipway's limit is ${formatNumber(this.limits.collectionLength)}.`),
          );
          return UNKNOWN;
        }
        if (valueDepth(v) > this.limits.valueDepth) {
          diagnostics.push(
            errorAt(range, "Value nested too deep", `This value has lists or maps nested more than ${this.limits.valueDepth} deep, which is slipway's limit.`),
          );
          return UNKNOWN;
        }
        break;
      }
      default:
        return v;
    }
    this.produced += v.kind === "string" ? size : size * ELEMENT_SIZE;
    if (this.produced > this.limits.producedSize && !this.exhausted) {
      this.exhaust(
        errorAt(range, "Evaluation too large", `The strings and collections built while evaluating the declaration exceed ${formatNumber(this.limits.producedSize / 1024 / 1024)} MiB in all, which is slipway's limit; this is where they crossed it.`, {
          hint: "Build smaller strings and collections; nested for expressions multiply.",
        }),
        diagnostics,
      );
    }
    return this.exhausted ? UNKNOWN : v;
  }

  private exhaust(d: Diagnostic, diagnostics: Diagnostic[]): void {
    this.exhausted = d;
    diagnostics.push(d);
  }
}

/**
 * What one diagnostic weighs in evaluation steps: measured, a diagnostic made in a loop costs 5–50 µs,
 * a step about 1 µs, so at this weight the whole budget pays for at most 10,000 diagnostics.
 */
const DIAGNOSTIC_STEPS = 25;

/** What a list or map element counts toward `producedSize`, against 1 for a character. */
const ELEMENT_SIZE = 32;

/** What a character and a list or map element weigh in evaluation steps, when a function works on them. */
const STEPS_PER_CHARACTER = 1 / 64;
const STEPS_PER_ELEMENT = 1 / 16;

const weights = new WeakMap<object, number>();

/** The evaluation steps a function's work on `v` is worth (cached per value, like `valueDepth`). */
export function valueWeight(v: Value): number {
  if (v.kind === "string") return v.value.length * STEPS_PER_CHARACTER;
  if (v.kind !== "tuple" && v.kind !== "object") return 0;
  const cached = weights.get(v);
  if (cached !== undefined) return cached;
  let weight = 0;
  for (const item of v.kind === "tuple" ? v.items : v.entries.values()) weight += STEPS_PER_ELEMENT + valueWeight(item);
  weights.set(v, weight);
  return weight;
}

const depths = new WeakMap<object, number>();

/**
 * How deep lists and maps nest in `v` (0 for a primitive). Cached per value: values are immutable, and the
 * parts of a new value were measured when they were built, so this looks one level down.
 */
export function valueDepth(v: Value): number {
  if (v.kind !== "tuple" && v.kind !== "object") return 0;
  const cached = depths.get(v);
  if (cached !== undefined) return cached;
  let deepest = 0;
  for (const item of v.kind === "tuple" ? v.items : v.entries.values()) {
    const d = valueDepth(item);
    if (d > deepest) deepest = d;
  }
  depths.set(v, deepest + 1);
  return deepest + 1;
}
