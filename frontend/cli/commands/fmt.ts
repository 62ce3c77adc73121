import { resolve } from "node:path";
import { format, hasErrors, renderDiagnostics, SourceFile } from "../../../grammar/index.js";
import { HELP_OPTION, parseCommandLine } from "../args.js";
import { UsageError, describeIoError, type CliIO, type Command } from "../streams.js";

const help = `Usage: slipway fmt [--check] FILE...

Rewrites declarations in the canonical layout (indentation, aligned equals signs,
spacing), keeping comments. A file with a syntax error is reported and left alone.

Options:
  --check      change nothing; list the files that are not formatted and exit 1
               if there is any
  -h, --help   show this help
`;

export const fmt: Command = {
  name: "fmt",
  summary: "rewrite declarations in the canonical layout",
  help,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandLine(args, { ...HELP_OPTION, check: { type: "boolean" } });
    if (values.help) {
      io.stdout(help);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError("no declaration file given");
    let status = 0;
    for (const arg of positionals) {
      const path = resolve(io.cwd, arg);
      let text: string;
      try {
        text = await io.readFile(path);
      } catch (e) {
        io.stderr(`slipway fmt: cannot read ${arg}: ${describeIoError(e)}\n`);
        status = 1;
        continue;
      }
      const formatted = format(text, arg);
      if (hasErrors(formatted.diagnostics)) {
        io.stderr(renderDiagnostics(formatted.diagnostics, [new SourceFile(arg, text)], { color: io.color ?? false }));
        status = 1;
        continue;
      }
      if (formatted.text === text) continue;
      if (values.check) {
        io.stdout(`${arg}\n`);
        status = 1;
        continue;
      }
      try {
        await io.writeFile(path, formatted.text);
      } catch (e) {
        io.stderr(`slipway fmt: cannot write ${arg}: ${describeIoError(e)}\n`);
        status = 1;
      }
    }
    return status;
  },
};
