import { reasonOf } from "../../source/diagnostic.js";
import { ANY, BOOL, NUMBER, STRING, convert, type Type } from "../types.js";
import type { Value } from "../value.js";
import { ArgumentError, type FunctionDef } from "./function.js";

function converter(name: string, type: Type, what: string): FunctionDef {
  return {
    name,
    description: `Converts a value to ${what}; null stays null.`,
    params: [{ name: "value", type: ANY, allowNull: true }],
    impl: ([v]): Value => {
      const c = convert(v!, type);
      if (c.value === undefined) throw new ArgumentError(0, reasonOf(c));
      return c.value;
    },
  };
}

/** Explicit conversions between strings, numbers and bools (cty's rules, see types.ts). */
export const conversionFunctions: readonly FunctionDef[] = [
  converter("tostring", STRING, "a string"),
  converter("tonumber", NUMBER, "a number"),
  converter("tobool", BOOL, "a bool"),
];
