import { declarationToJson, renderDiagnostics } from "../../../grammar/index.js";
import { HELP_OPTION, VAR_OPTION, parseCommandLine, parseVars } from "../args.js";
import { UsageError, type CliIO, type Command } from "../streams.js";
import { contextReader, loadWithContext, readDeclaration } from "../load-from-disk.js";

const help = `Usage: slipway print [--var NAME=VALUE]... [--ranges] FILE

Prints the evaluated declaration as JSON: every image, step and tarball with
variables, functions and interpolation resolved and paths normalised, plus the
variables it used. Problems go to stderr; with an error, nothing is printed and
the exit code is 1.

Options:
  --var NAME=VALUE   give a variable a value (repeatable)
  --ranges           keep the source range of every value
  -h, --help         show this help
`;

export const print: Command = {
  name: "print",
  summary: "print the evaluated declaration as JSON",
  help,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandLine(args, { ...VAR_OPTION, ...HELP_OPTION, ranges: { type: "boolean" } });
    if (values.help) {
      io.stdout(help);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "no declaration file given" : "print takes one file");
    const arg = positionals[0]!;
    const file = await readDeclaration(arg, io);
    if (typeof file === "string") {
      io.stderr(`slipway print: ${file}\n`);
      return 1;
    }
    const { value: declaration, diagnostics } = await loadWithContext(file, parseVars(values.var), contextReader(arg, io));
    io.stderr(renderDiagnostics(diagnostics, [file], { color: io.color ?? false }));
    if (!declaration) return 1;
    io.stdout(`${JSON.stringify(declarationToJson(declaration, { ranges: values.ranges ?? false }), null, 2)}\n`);
    return 0;
  },
};
