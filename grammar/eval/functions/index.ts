import { ANY } from "../types.js";
import { collectionFunctions } from "./collections.js";
import { conversionFunctions } from "./conversion.js";
import { encodingFunctions } from "./encoding.js";
import { fileFunctions } from "./file.js";
import { formatFunctions } from "./format.js";
import type { FunctionDef } from "./function.js";
import { hashFunctions } from "./hash.js";
import { numericFunctions } from "./numeric.js";
import { regexFunctions } from "./regex.js";
import { stringFunctions } from "./strings.js";

export * from "./function.js";

const specialFunctions: readonly FunctionDef[] = [
  {
    name: "try",
    description: "The value of the first argument that evaluates without an error.",
    params: [],
    variadic: { name: "expressions", type: ANY, allowNull: true, min: 1 },
    special: "try",
    impl: () => {
      throw new Error("try is evaluated by the evaluator");
    },
  },
  {
    name: "can",
    description: "Whether an expression evaluates without an error.",
    params: [{ name: "expression", type: ANY, allowNull: true }],
    special: "can",
    impl: () => {
      throw new Error("can is evaluated by the evaluator");
    },
  },
];

/** Every function of the language, by name. One table, filled from one file per family. */
export type FunctionTable = ReadonlyMap<string, FunctionDef>;

export const STANDARD_FUNCTIONS: FunctionTable = new Map(
  [
    ...stringFunctions,
    ...formatFunctions,
    ...regexFunctions,
    ...collectionFunctions,
    ...numericFunctions,
    ...conversionFunctions,
    ...encodingFunctions,
    ...hashFunctions,
    ...fileFunctions,
    ...specialFunctions,
  ].map((f) => [f.name, f] as const),
);
