import { diagnosticsToJson, hasErrors, renderDiagnostics, type JsonDiagnostic, type SourceFile } from "../../../grammar/index.js";
import { HELP_OPTION, VAR_OPTION, parseCommandLine, parseVars } from "../args.js";
import { UsageError, type CliIO, type Command } from "../streams.js";
import { contextReader, loadWithContext, readDeclaration } from "../load-from-disk.js";

const help = `Usage: slipway check [--var NAME=VALUE]... [--format text|json] FILE...

Checks declarations: syntax, variables, functions, the schema and every semantic
check, reporting every problem with its file, line and column. Exits 0 when there
is no error (warnings are printed but allowed), 1 otherwise.

file() reads relative to each declaration's directory, the usual build context.

Options:
  --var NAME=VALUE   give a variable a value, as --build-arg NAME=VALUE does with
                     docker build (repeatable)
  --format FORMAT    text (default, on stderr) or json (an array on stdout)
  -h, --help         show this help
`;

export const check: Command = {
  name: "check",
  summary: "check declarations and report every problem",
  help,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandLine(args, { ...VAR_OPTION, ...HELP_OPTION, format: { type: "string", default: "text" } });
    if (values.help) {
      io.stdout(help);
      return 0;
    }
    if (values.format !== "text" && values.format !== "json") throw new UsageError(`--format must be text or json, not "${values.format}"`);
    if (positionals.length === 0) throw new UsageError("no declaration file given");
    const vars = parseVars(values.var);
    let failed = false;
    const json: JsonDiagnostic[] = [];
    for (const arg of positionals) {
      const file = await readDeclaration(arg, io);
      if (typeof file === "string") {
        io.stderr(`slipway check: ${file}\n`);
        failed = true;
        continue;
      }
      const { diagnostics } = await loadWithContext(file, vars, contextReader(arg, io));
      if (hasErrors(diagnostics)) failed = true;
      if (values.format === "json") json.push(...diagnosticsToJson(diagnostics, [file]));
      else io.stderr(renderDiagnostics(diagnostics, [file] as SourceFile[], { color: io.color ?? false }));
    }
    if (values.format === "json") io.stdout(`${JSON.stringify(json, null, 2)}\n`);
    return failed ? 1 : 0;
  },
};
