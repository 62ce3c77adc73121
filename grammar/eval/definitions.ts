import type { LocalDecl, VariableDecl } from "./variables.js";

/** What the resolver (variables.ts) orders and evaluates: a local or a variable block. */
export type Definition = { readonly kind: "local"; readonly decl: LocalDecl } | { readonly kind: "variable"; readonly decl: VariableDecl };

export function keyOf(def: Definition): string {
  return def.kind === "local" ? `local ${def.decl.name}` : `var ${def.decl.name}`;
}

/** A cycle's path for a message: a long one shows its first and last few steps. */
export function cyclePath(names: readonly string[]): string {
  if (names.length <= 12) return names.join(" → ");
  return [...names.slice(0, 6), `… (${names.length - 10} more) …`, ...names.slice(-4)].join(" → ");
}

