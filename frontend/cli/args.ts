import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./streams.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The options every command that loads a declaration takes. */
export const VAR_OPTION = { var: { type: "string", multiple: true } } as const satisfies Options;
export const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const satisfies Options;

/** `node:util` parseArgs, with its errors turned into usage errors. */
export function parseCommandLine<O extends Options>(args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** `--var NAME=VALUE` options as a map; later values win, as with repeated build args. */
export function parseVars(values: readonly string[] | undefined): Map<string, string> {
  const vars = new Map<string, string>();
  for (const v of values ?? []) {
    const eq = v.indexOf("=");
    if (eq <= 0) throw new UsageError(`--var needs NAME=VALUE, but got "${v}"`);
    vars.set(v.slice(0, eq), v.slice(eq + 1));
  }
  return vars;
}
