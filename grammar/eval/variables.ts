import type { Expr } from "../syntax/ast.js";
import type { VariableValue } from "../model/declaration.js";
import { errorAt, reasonOf, type Diagnostic } from "../source/diagnostic.js";
import type { Range } from "../source/pos.js";
import { suggest } from "../source/suggest.js";
import { evaluateExpr } from "./evaluate.js";
import type { FileReader, FunctionTable } from "./functions/index.js";
import { cyclePath, keyOf, type Definition } from "./definitions.js";
import { references, type Reference } from "./references.js";
import { Scope, type NameResolver } from "./scope.js";
import { ANY, BOOL, NUMBER, STRING, convert, listOf, mapOf, parseArgument, parseTypeExpr, typeString, type Type } from "./types.js";
import { runValidations } from "./validations.js";
import { UNKNOWN, formatNumber, stringValue, toJson, type Value } from "./value.js";

/** A `variable "name" { default, type, description, validation { … } }` block, as the decoder found it. */
export interface VariableDecl {
  readonly name: string;
  /** The label. */
  readonly nameRange: Range;
  readonly defRange: Range;
  readonly range: Range;
  readonly default?: Expr;
  readonly type?: Expr;
  /** What the variable is for (a string), shown by `docker buildx build --call outline`. */
  readonly description?: Expr;
  readonly validations: readonly ValidationDecl[];
}

/** A value the declaration takes from a build argument, as `--call outline` lists it. */
export interface DeclarationArgument {
  readonly name: string;
  readonly description?: string;
  /** The value the build gets (the build argument's, else the default), when it has one. */
  readonly value?: string;
  /** The variable block's label, or an implicit variable's first reference. */
  readonly range: Range;
}

export interface ValidationDecl {
  readonly condition: Expr;
  readonly errorMessage: Expr;
  readonly range: Range;
}

/** One `name = expr` of a `locals` block. */
export interface LocalDecl {
  readonly name: string;
  readonly nameRange: Range;
  readonly expr: Expr;
}

export interface InputsOptions {
  /** Build arguments / `--var` values by name. */
  readonly vars: ReadonlyMap<string, string>;
  readonly readFile?: FileReader;
  readonly functions?: FunctionTable;
}

type State =
  | { readonly phase: "resolving" }
  | { readonly phase: "done"; readonly value: Value; readonly origin?: VariableValue["origin"]; readonly noValue?: boolean };

/**
 * Variables and locals: the names a declaration's expressions refer to, resolved lazily at the reference
 * so that an unused variable without a value is not an error and a used one is an error exactly where it
 * is used. Before evaluating a definition, its references are resolved first (HCL's `Variables()`
 * ordering); a name met again while it is being resolved is a cycle, reported at that reference with the
 * cycle's path.
 *
 * Bare names resolve to a `variable` block's value (a build argument converted to its type, or its
 * default) or, as estaleiro did, to a build argument of that name without any block (an implicit
 * variable). `local.NAME` resolves to a local.
 */
export class Inputs implements NameResolver {
  /** Problems in the definitions themselves (defaults, locals, validations, cycles), each reported once. */
  readonly diagnostics: Diagnostic[] = [];
  readonly scope: Scope;
  private readonly variables = new Map<string, VariableDecl>();
  private readonly locals = new Map<string, LocalDecl>();
  private readonly states = new Map<string, State>();
  private readonly stack: { readonly key: string; readonly display: string }[] = [];
  private readonly poisoned = new Set<string>();
  private readonly uses = new Map<string, VariableValue>();
  /** Descriptions of variable blocks, evaluated by `resolveAll`. */
  private readonly descriptions = new Map<string, string>();
  private validating: string | undefined;

  constructor(
    variables: readonly VariableDecl[],
    locals: readonly LocalDecl[],
    private readonly options: InputsOptions,
  ) {
    for (const v of variables) if (!this.variables.has(v.name)) this.variables.set(v.name, v);
    for (const l of locals) if (!this.locals.has(l.name)) this.locals.set(l.name, l);
    this.scope = Scope.root({
      resolver: this,
      ...(options.readFile ? { readFile: options.readFile } : {}),
      ...(options.functions ? { functions: options.functions } : {}),
    });
  }

  variable(name: string, range: Range, diagnostics: Diagnostic[]): Value {
    const decl = this.variables.get(name);
    if (decl) {
      const state = this.resolveVariable(decl, range, diagnostics);
      if (state.noValue) {
        diagnostics.push(this.scope.env.budget.once(range, "no value", () => this.noValue(name, range, decl)));
        return UNKNOWN;
      }
      if (this.validating !== name) this.recordUse(name, state.value, state.origin!, decl.range);
      return state.value;
    }
    const raw = this.options.vars.get(name);
    if (raw !== undefined) {
      const value = stringValue(raw);
      this.recordUse(name, value, "build-arg", range);
      return value;
    }
    // made once per place: a loop asks for the same missing name on every pass (see Budget.once)
    diagnostics.push(this.scope.env.budget.once(range, "no value", () => this.noValue(name, range, undefined)));
    return UNKNOWN;
  }

  local(name: string, range: Range, diagnostics: Diagnostic[]): Value | undefined {
    const decl = this.locals.get(name);
    return decl ? this.resolveLocal(decl, range, diagnostics) : undefined;
  }

  /**
   * The given values (`vars`: build arguments, `--var`) that no variable block declares and no expression
   * read, each with the closest declared or read name: most often a misspelt name, which would otherwise
   * leave the variable at its default without a word.
   */
  unusedValues(): { readonly name: string; readonly closest?: string }[] {
    const known = [...this.variables.keys(), ...this.uses.keys()];
    return [...this.options.vars.keys()]
      .filter((name) => !this.variables.has(name) && !this.uses.has(name))
      .map((name) => {
        const closest = suggest(name, known);
        return closest ? { name, closest } : { name };
      });
  }

  variableNames(): Iterable<string> {
    return [...this.variables.keys(), ...this.options.vars.keys()];
  }

  localNames(): Iterable<string> {
    return this.locals.keys();
  }

  /**
   * Resolves every declared variable that has a value (running its validations) and every local, so that
   * mistakes in definitions nothing uses are still reported.
   */
  resolveAll(): void {
    for (const decl of this.variables.values()) {
      if (decl.description) this.describe(decl, decl.description);
      if (this.options.vars.has(decl.name) || decl.default) this.resolveVariable(decl, decl.nameRange, this.diagnostics);
      else if (decl.type) parseTypeExpr(decl.type, this.diagnostics);
    }
    for (const decl of this.locals.values()) this.resolveLocal(decl, decl.nameRange, this.diagnostics);
  }

  /**
   * Every variable block (used or not) and every implicit variable used, in source order, with the value
   * each gets; call after `resolveAll`.
   */
  arguments(): DeclarationArgument[] {
    const out: DeclarationArgument[] = [];
    for (const decl of this.variables.values()) {
      const state = this.states.get(`var ${decl.name}`);
      const value = state?.phase === "done" && !state.noValue && state.value.kind !== "unknown" ? valueText(state.value) : undefined;
      const description = this.descriptions.get(decl.name);
      out.push({ name: decl.name, range: decl.nameRange, ...(description !== undefined && { description }), ...(value !== undefined && { value }) });
    }
    for (const use of this.uses.values()) if (!this.variables.has(use.name)) out.push({ name: use.name, value: use.value, range: use.range });
    return out.sort((a, b) => a.range.start.offset - b.range.start.offset);
  }

  private describe(decl: VariableDecl, expr: Expr): void {
    for (const r of references(expr)) {
      const def = this.definition(r);
      if (def) this.settle(def, r.range, this.diagnostics);
    }
    const value = evaluateExpr(expr, this.scope, this.diagnostics);
    if (value.kind === "unknown") return;
    const c = convert(value, STRING);
    if (c.value?.kind === "string") this.descriptions.set(decl.name, c.value.value);
    else this.diagnostics.push(errorAt(expr.range, "Invalid description", `The description of variable "${decl.name}" must be a string.`));
  }

  /** The variables the declaration used, with their values and origins, in source order. */
  used(): VariableValue[] {
    return [...this.uses.values()].sort((a, b) => a.range.start.offset - b.range.start.offset);
  }

  private recordUse(name: string, value: Value, origin: VariableValue["origin"], range: Range): void {
    if (this.uses.has(name) || value.kind === "unknown") return;
    this.uses.set(name, { name, value: valueText(value), origin, range });
  }

  private noValue(name: string, range: Range, decl: VariableDecl | undefined): Diagnostic {
    const howTo = `give it a value with --var ${name}=… (slipway) or --build-arg ${name}=… (docker build)`;
    if (decl) {
      return errorAt(
        range,
        `No value for variable "${name}"`,
        `The variable "${name}" (declared at line ${decl.nameRange.start.line}) has no default, and no build argument gives it one.`,
        { hint: `${howTo[0]!.toUpperCase()}${howTo.slice(1)}, or add a default to its variable block.` },
      );
    }
    const close = suggest(name, [...this.variables.keys(), ...this.options.vars.keys()]);
    return errorAt(
      range,
      `No value for variable "${name}"`,
      `"${name}" is not declared by a variable block, and no build argument gives it a value.`,
      { hint: close ? `Did you mean "${close}"? Otherwise ${howTo}.` : `${howTo[0]!.toUpperCase()}${howTo.slice(1)}, or declare it with a variable block and a default.` },
    );
  }

  /** Reports a cycle when `key` is being resolved already (and poisons its members); true when it was. */
  private cycleAt(key: string, display: string, range: Range, diagnostics: Diagnostic[]): boolean {
    if (this.states.get(key)?.phase !== "resolving") return false;
    const start = this.stack.findIndex((s) => s.key === key);
    const cycle = this.stack.slice(start);
    if (!this.poisoned.has(key)) {
      diagnostics.push(
        errorAt(range, "Cycle in variables and locals", `${display} depends on itself: ${cyclePath([...cycle.map((s) => s.display), display])}.`, {
          hint: "Break the cycle: one of these definitions must not refer, directly or through others, to the next.",
        }),
      );
    }
    for (const s of cycle) this.poisoned.add(s.key);
    return true;
  }

  /**
   * Resolves `root` after every definition it refers to, depth first in dependency order (HCL's
   * `Variables()` ordering). The walk keeps its own stack rather than recursing, so a chain of thousands
   * of locals resolves and a cycle of thousands is reported, not a stack overflow; when a definition is
   * finally evaluated, everything it refers to is done and evaluation does not come back here.
   */
  private settle(root: Definition, range: Range, diagnostics: Diagnostic[]): void {
    const frames: { readonly def: Definition; readonly refs: readonly Reference[]; next: number }[] = [];
    const open = (def: Definition, at: Range, into: Diagnostic[]): void => {
      const key = keyOf(def);
      const display = def.kind === "local" ? `local.${def.decl.name}` : def.decl.name;
      if (this.states.get(key)?.phase === "done" || this.cycleAt(key, display, at, into)) return;
      this.states.set(key, { phase: "resolving" });
      this.stack.push({ key, display });
      frames.push({ def, refs: this.dependencies(def), next: 0 });
    };
    open(root, range, diagnostics);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      if (frame.next < frame.refs.length) {
        const ref = frame.refs[frame.next++]!;
        const def = this.definition(ref);
        if (def) open(def, ref.range, this.diagnostics);
        continue;
      }
      frames.pop();
      if (frame.def.kind === "local") this.finishLocal(frame.def.decl);
      else this.finishVariable(frame.def.decl);
    }
  }

  /** The declared definition a reference names, if any. */
  private definition(ref: Reference): Definition | undefined {
    if (ref.kind === "local") {
      const decl = this.locals.get(ref.name);
      return decl && { kind: "local", decl };
    }
    const decl = this.variables.get(ref.name);
    return decl && { kind: "variable", decl };
  }

  /**
   * What a definition refers to: a local's expression; a variable's default when it will be evaluated, and
   * its validations (their references to the variable itself aside), which run right after it.
   */
  private dependencies(def: Definition): Reference[] {
    if (def.kind === "local") return references(def.decl.expr);
    const decl = def.decl;
    const out: Reference[] = [];
    if (decl.default && (!this.options.vars.has(decl.name) || !decl.type)) out.push(...references(decl.default));
    for (const v of decl.validations) {
      for (const r of [...references(v.condition), ...references(v.errorMessage)]) {
        if (r.kind !== "variable" || r.name !== decl.name) out.push(r);
      }
    }
    return out;
  }

  private leave(key: string, state: State & { phase: "done" }): State & { phase: "done" } {
    this.stack.pop();
    this.states.set(key, state);
    return state;
  }

  private resolveLocal(decl: LocalDecl, range: Range, diagnostics: Diagnostic[]): Value {
    const key = `local ${decl.name}`;
    this.settle({ kind: "local", decl }, range, diagnostics);
    const state = this.states.get(key);
    return state?.phase === "done" ? state.value : UNKNOWN;
  }

  /** Evaluates a local whose references are resolved. */
  private finishLocal(decl: LocalDecl): void {
    const key = `local ${decl.name}`;
    const value = this.poisoned.has(key) ? UNKNOWN : evaluateExpr(decl.expr, this.scope, this.diagnostics);
    this.leave(key, { phase: "done", value: this.poisoned.has(key) ? UNKNOWN : value });
  }

  private resolveVariable(decl: VariableDecl, range: Range, diagnostics: Diagnostic[]): State & { phase: "done" } {
    this.settle({ kind: "variable", decl }, range, diagnostics);
    const state = this.states.get(`var ${decl.name}`);
    return state?.phase === "done" ? state : { phase: "done", value: UNKNOWN };
  }

  /** Evaluates a variable whose references are resolved, then runs its validations. */
  private finishVariable(decl: VariableDecl): void {
    const key = `var ${decl.name}`;
    const declared = decl.type ? parseTypeExpr(decl.type, this.diagnostics) : undefined;
    const raw = this.options.vars.get(decl.name);
    let state: State & { phase: "done" };
    if (raw !== undefined) {
      const type = declared ?? (decl.type ? ANY : this.impliedType(decl));
      const c = parseArgument(raw, type);
      if (c.value === undefined) {
        this.diagnostics.push(
          errorAt(
            decl.nameRange,
            "Invalid value for variable",
            `The build argument "${decl.name}" is ${JSON.stringify(raw)}, which is not a valid ${typeString(type)}: ${reasonOf(c)}.`,
            { hint: `Give a ${typeString(type)} value with --var ${decl.name}=… or --build-arg ${decl.name}=….` },
          ),
        );
      }
      state = { phase: "done", value: c.value ?? UNKNOWN, origin: "build-arg" };
    } else if (decl.default) {
      let value = evaluateExpr(decl.default, this.scope, this.diagnostics);
      if (declared) {
        const c = convert(value, declared);
        if (c.value === undefined) {
          this.diagnostics.push(
            errorAt(decl.default.range, "Invalid default value for variable", `The default of "${decl.name}" must be a ${typeString(declared)}: ${reasonOf(c)}.`),
          );
        }
        value = c.value ?? UNKNOWN;
      }
      state = { phase: "done", value, origin: "default" };
    } else {
      state = { phase: "done", value: UNKNOWN, noValue: true };
    }
    if (this.poisoned.has(key)) state = { ...state, value: UNKNOWN };
    this.leave(key, state);
    if (!state.noValue && state.value.kind !== "unknown") this.validate(decl, state);
  }

  /** Without a `type`, a build argument takes the kind of the default, as bake does. */
  private impliedType(decl: VariableDecl): Type {
    if (!decl.default) return STRING;
    const v = evaluateExpr(decl.default, this.scope, []);
    switch (v.kind) {
      case "number":
        return NUMBER;
      case "bool":
        return BOOL;
      case "tuple":
        return listOf(ANY);
      case "object":
        return mapOf(ANY);
      default:
        return STRING;
    }
  }

  private validate(decl: VariableDecl, state: State & { phase: "done" }): void {
    const previous = this.validating;
    this.validating = decl.name;
    try {
      runValidations(decl, state.value, state.origin === "build-arg", this.scope, this.diagnostics);
    } finally {
      this.validating = previous;
    }
  }
}

/** A variable's value as text: what a build argument would have to say to give it (JSON for lists and maps). */
function valueText(value: Value): string {
  return value.kind === "string"
    ? value.value
    : value.kind === "number"
      ? formatNumber(value.value)
      : value.kind === "bool"
        ? String(value.value)
        : JSON.stringify(toJson(value));
}
