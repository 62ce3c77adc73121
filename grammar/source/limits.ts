/**
 * The limits on what a declaration may ask of slipway. A declaration is hostile input: a frontend runs
 * whatever a CI job hands it, so every resource a declaration controls (nesting, evaluation work, sizes,
 * diagnostics) is bounded, and crossing a bound is a located error at the construct that crossed it, never
 * a crash, a hang or unbounded memory. Each limit is far beyond anything a person would write; they are
 * listed, with their reasons, in docs/declaration.md ("Limits").
 */
export const LIMITS = Object.freeze({
  /** Brackets, blocks, templates, template directives and conditionals nested in one another. */
  nesting: 128,
  /** Depth of one expression's syntax tree (operator chains, `a.b.c` chains, unary runs count). */
  expressionDepth: 512,
  /** Lists and maps nested in one another in a value (what `jsondecode`, locals and functions build). */
  valueDepth: 128,
  /**
   * Evaluation steps for the whole declaration: each expression evaluated is one (so each `for` iteration
   * is at least one), and a function call also costs what its arguments weigh (budget.ts).
   */
  evaluationSteps: 250_000,
  /** Characters in one string value. */
  stringLength: 4 * 1024 * 1024,
  /** Elements in one list or map value. */
  collectionLength: 100_000,
  /**
   * The size of all the strings and collections one declaration's evaluation builds, where a character
   * counts 1 and a list or map element 32 (roughly their cost in memory, in bytes).
   */
  producedSize: 16 * 1024 * 1024,
  /** Diagnostics printed for one run; the rest are counted in one last line. */
  diagnostics: 100,
  /** Columns of a source line shown in a diagnostic's snippet; longer lines are cut around the range. */
  snippetWidth: 160,
});
