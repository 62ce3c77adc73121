import { NUMBER } from "../types.js";
import { numberValue } from "../value.js";
import { asNumber } from "./args.js";
import type { FunctionDef } from "./function.js";

const number = (name: string) => ({ name, type: NUMBER });

/** Numeric functions. */
export const numericFunctions: readonly FunctionDef[] = [
  {
    name: "min",
    description: "The smallest of one or more numbers.",
    params: [],
    variadic: { ...number("numbers"), min: 1 },
    impl: (args) => numberValue(args.map(asNumber).reduce((a, b) => Math.min(a, b))),
  },
  {
    name: "max",
    description: "The largest of one or more numbers.",
    params: [],
    variadic: { ...number("numbers"), min: 1 },
    impl: (args) => numberValue(args.map(asNumber).reduce((a, b) => Math.max(a, b))),
  },
  {
    name: "abs",
    description: "The absolute value of a number.",
    params: [number("num")],
    impl: ([n]) => numberValue(Math.abs(asNumber(n!))),
  },
  {
    name: "ceil",
    description: "The smallest whole number greater than or equal to a number.",
    params: [number("num")],
    impl: ([n]) => numberValue(Math.ceil(asNumber(n!))),
  },
  {
    name: "floor",
    description: "The largest whole number less than or equal to a number.",
    params: [number("num")],
    impl: ([n]) => numberValue(Math.floor(asNumber(n!))),
  },
];
