import { STRING } from "../types.js";
import { UNKNOWN, stringValue } from "../value.js";
import { cleanPath, escapesBase, isAbsolutePath } from "../path.js";
import { asString } from "./args.js";
import { ArgumentError, FunctionError, type FunctionDef } from "./function.js";

/**
 * `file(path)`: the text of a file in the build context, read through the injected `readFile` (grammar/
 * does no I/O). Paths are relative to the context root; absolute paths and `..` escapes are refused,
 * because the frontend can only read the context.
 */
export const fileFunctions: readonly FunctionDef[] = [
  {
    name: "file",
    description: "The text of a file in the build context, by a path relative to the context's root.",
    params: [{ name: "path", type: STRING }],
    impl: ([p], call) => {
      const given = asString(p!);
      if (given === "") throw new ArgumentError(0, "the path is empty");
      if (isAbsolutePath(given)) {
        throw new ArgumentError(0, `"${given}" is an absolute path; file() reads from the build context, so give a path relative to its root`);
      }
      const path = cleanPath(given);
      if (escapesBase(path)) {
        throw new ArgumentError(0, `"${given}" leaves the build context; file() can only read files inside it`);
      }
      if (!call.readFile) throw new FunctionError("there is no build context to read files from here");
      const read = call.readFile(path);
      switch (read.kind) {
        case "text":
          return stringValue(read.text);
        case "deferred":
          return UNKNOWN;
        case "missing":
          throw new ArgumentError(0, `there is no file "${path}" in the build context`);
        case "error":
          throw new ArgumentError(0, `"${path}" could not be read: ${read.message}`);
      }
    },
  },
];
