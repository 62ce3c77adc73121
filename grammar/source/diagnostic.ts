import type { Range } from "./pos.js";

export type Severity = "error" | "warning";

/**
 * The one diagnostic type, used unchanged by the lexer, parser, evaluator, decoder and checks, and by the
 * frontend for errors it finds before solving (unknown packages, unsatisfiable versions, lock drift).
 *
 * `subject` is the tight range of exactly the offending construct (a name for an unknown name, a value for
 * a bad value); `context` is an optional wider range around it (a whole attribute or block) to show in
 * snippets. A diagnostic without a subject is about the file as a whole.
 */
export interface Diagnostic {
  readonly severity: Severity;
  /** Short, sentence case, no final period: "Unsupported argument". */
  readonly summary: string;
  /** Full sentences saying what is wrong, with the offending value quoted. */
  readonly detail?: string;
  readonly subject?: Range;
  readonly context?: Range;
  /** What to do about it, e.g. `Did you mean "packages"?` or `run "slipway lock" to refresh the lock`. */
  readonly hint?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** An error diagnostic at `subject`. */
export function errorAt(
  subject: Range | undefined,
  summary: string,
  detail?: string,
  extra: { hint?: string; context?: Range } = {},
): Diagnostic {
  return withOptional({ severity: "error" as const, summary }, { detail, subject, ...extra });
}

/** A warning diagnostic at `subject`. */
export function warningAt(
  subject: Range | undefined,
  summary: string,
  detail?: string,
  extra: { hint?: string; context?: Range } = {},
): Diagnostic {
  return withOptional({ severity: "warning" as const, summary }, { detail, subject, ...extra });
}

function withOptional<T extends object>(base: T, optional: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * Diagnostics in a stable order: by file, then position, then errors before warnings, then summary.
 * Identical diagnostics (same severity, summary, detail and subject) are reported once.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  // the same object repeated (a diagnostic made once per place, pushed on every pass of a loop) is
  // dropped before its key is built
  const seenObjects = new Set<Diagnostic>();
  const unique: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (seenObjects.has(d)) continue;
    seenObjects.add(d);
    const key = `${d.severity}\0${d.summary}\0${d.detail ?? ""}\0${d.subject?.file ?? ""}:${d.subject?.start.offset ?? -1}:${d.subject?.end.offset ?? -1}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(d);
  }
  return unique.sort((a, b) => {
    const fa = a.subject?.file ?? "";
    const fb = b.subject?.file ?? "";
    if (fa !== fb) return fa < fb ? -1 : 1;
    const oa = a.subject?.start.offset ?? -1;
    const ob = b.subject?.start.offset ?? -1;
    if (oa !== ob) return oa - ob;
    if (a.severity !== b.severity) return a.severity === "error" ? -1 : 1;
    return a.summary < b.summary ? -1 : a.summary > b.summary ? 1 : 0;
  });
}

/**
 * A value together with the diagnostics found while producing it: slipway's one result convention, after
 * hashicorp/hcl's `(value, hcl.Diagnostics)`. A function that checks user input returns it rather than
 * throwing or returning a union: `T` includes `undefined` when nothing usable came out, and an error among
 * the diagnostics says why. A check that works on text alone takes the subject range, so its diagnostic is
 * located where it is made (`parseDuration(text, range)`). Exceptions carry diagnostics only at the edges
 * (`DiagnosticsError`, below).
 */
export interface Result<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * A check on a bare value that has no location of its own and whose callers word the error themselves (a
 * type conversion, a platform or image reference, a mirror list, a signature) fails with `failure`: one
 * unlocated error whose detail is a phrase ("\"x\" is not a number"), which a caller reads with `reasonOf`
 * and quotes in its own located diagnostic or message, as hcl quotes a cty conversion error. The summary
 * names the check, for a caller that passes the diagnostic on as it is.
 */
export function failure(summary: string, reason: string): Result<undefined> {
  return { value: undefined, diagnostics: [errorAt(undefined, summary, reason)] };
}

/** The phrase saying why a check failed: the detail (or else the summary) of its first error. */
export function reasonOf(result: Result<unknown>): string {
  const error = result.diagnostics.find((d) => d.severity === "error") ?? result.diagnostics[0];
  return error?.detail ?? error?.summary ?? "";
}

/**
 * The only way diagnostics cross into code that works with exceptions (the frontend's request handler, the
 * CLI). Recognise it with `isDiagnosticsError`, which checks `name`, not `instanceof`, so it still works
 * when two copies of the module are loaded.
 */
export class DiagnosticsError extends Error {
  override readonly name = "DiagnosticsError" as const;
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.find((d) => d.severity === "error")?.summary ?? diagnostics[0]?.summary ?? "invalid declaration");
  }
}

export function isDiagnosticsError(e: unknown): e is DiagnosticsError {
  return e instanceof Error && e.name === "DiagnosticsError" && Array.isArray((e as DiagnosticsError).diagnostics);
}
