import type { Block } from "../syntax/ast.js";
import { errorAt, type Diagnostic } from "../source/diagnostic.js";
import type { LocalDecl, ValidationDecl, VariableDecl } from "../eval/variables.js";
import { content, type BodySchema } from "./schema.js";

export const VARIABLE_SCHEMA: BodySchema = {
  attributes: [{ name: "default" }, { name: "type" }, { name: "description" }],
  blocks: [{ type: "validation", labels: [] }],
};

export const VALIDATION_SCHEMA: BodySchema = {
  attributes: [
    { name: "condition", required: true, example: 'condition = can(regex("^v[0-9]", version))' },
    { name: "error_message", required: true, example: 'error_message = "The version must start with v."' },
  ],
  blocks: [],
};

/** A name `${name}` and `local.name` can refer to: letters, digits, `_` and `-`, not starting with a digit or `-`. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * The `variable` and `locals` blocks, as declarations for the resolver (eval/variables.ts). Their
 * expressions are not evaluated here: variables and locals are resolved lazily, where they are used.
 */
export function decodeInputs(
  variableBlocks: readonly Block[],
  localsBlocks: readonly Block[],
  diagnostics: Diagnostic[],
): { variables: VariableDecl[]; locals: LocalDecl[] } {
  const variables: VariableDecl[] = [];
  const seen = new Map<string, VariableDecl>();
  for (const block of variableBlocks) {
    const label = block.labels[0]!;
    if (label.kind === "quotedLabel" && !(label.template.parts.length <= 1 && label.template.parts.every((p) => p.kind === "text"))) {
      diagnostics.push(errorAt(label.range, "Invalid variable name", "A variable's name must be written literally, without interpolation."));
      continue;
    }
    const name = label.kind === "identLabel" ? label.name : label.template.parts[0]?.kind === "text" ? label.template.parts[0].value : "";
    if (!IDENTIFIER.test(name) || name === "local") {
      diagnostics.push(
        errorAt(label.range, "Invalid variable name", `"${name}" cannot be a variable name${name === "local" ? ": it is reserved for local.NAME" : ""}.`, {
          hint: "Use letters, digits, _ and -, starting with a letter or _.",
        }),
      );
      continue;
    }
    const first = seen.get(name);
    if (first) {
      diagnostics.push(
        errorAt(label.range, "Duplicate variable", `The variable "${name}" is already declared at line ${first.nameRange.start.line}.`, {
          hint: "Remove one of the two variable blocks.",
        }),
      );
      continue;
    }
    const c = content(block.body, VARIABLE_SCHEMA, { description: `variable "${name}"`, defRange: block.defRange }, diagnostics);
    const validations: ValidationDecl[] = [];
    for (const v of c.blocks) {
      const vc = content(v.body, VALIDATION_SCHEMA, { description: "the validation block", defRange: v.defRange }, diagnostics);
      const condition = vc.attributes.get("condition");
      const errorMessage = vc.attributes.get("error_message");
      if (condition && errorMessage) validations.push({ condition: condition.expr, errorMessage: errorMessage.expr, range: v.range });
    }
    const decl: VariableDecl = {
      name,
      nameRange: label.range,
      defRange: block.defRange,
      range: block.range,
      validations,
      ...(c.attributes.get("default") ? { default: c.attributes.get("default")!.expr } : {}),
      ...(c.attributes.get("type") ? { type: c.attributes.get("type")!.expr } : {}),
      ...(c.attributes.get("description") ? { description: c.attributes.get("description")!.expr } : {}),
    };
    seen.set(name, decl);
    variables.push(decl);
  }

  const locals: LocalDecl[] = [];
  const localNames = new Map<string, LocalDecl>();
  for (const block of localsBlocks) {
    for (const item of block.body.items) {
      if (item.kind === "block") {
        diagnostics.push(
          errorAt(item.typeRange, "Unsupported block type", "A locals block holds only name = value definitions, not blocks."),
        );
        continue;
      }
      const first = localNames.get(item.name);
      if (first) {
        diagnostics.push(
          errorAt(item.nameRange, "Duplicate local value", `local.${item.name} is already defined at line ${first.nameRange.start.line}.`, {
            hint: "Each local may be defined only once, across all locals blocks.",
          }),
        );
        continue;
      }
      const decl: LocalDecl = { name: item.name, nameRange: item.nameRange, expr: item.expr };
      localNames.set(item.name, decl);
      locals.push(decl);
    }
  }
  return { variables, locals };
}
