import { suggest } from "../../grammar/index.js";
import { bom } from "./commands/bom.js";
import { build } from "./commands/build.js";
import { check } from "./commands/check.js";
import { diff } from "./commands/diff.js";
import { fmt } from "./commands/fmt.js";
import { llb } from "./commands/llb.js";
import { lock } from "./commands/lock.js";
import { print } from "./commands/print.js";
import { isUsageError, type CliIO, type Command } from "./streams.js";

export type { CliIO, Command } from "./streams.js";

/** Every subcommand; adding one is adding it here. */
const COMMANDS: readonly Command[] = [check, fmt, print, bom, diff, llb, build, lock];

/** The subcommands' names, in the order `slipway --help` lists them. */
export const COMMAND_NAMES: readonly string[] = COMMANDS.map((c) => c.name);

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: slipway COMMAND [OPTIONS] [FILE...]",
    "",
    "slipway turns an HCL image declaration (slipway.hcl, or estaleiro's estaleiro.hcl)",
    "into an OCI image and an exact bill of materials, as a BuildKit frontend.",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}   ${c.summary}`),
    "",
    'Run "slipway COMMAND --help" for a command\'s options.',
    "",
  ].join("\n");
}

/**
 * Runs the command line `argv` (without the program name) against `io` and resolves to the exit code:
 * 0 success, 1 a problem with the input (diagnostics printed), 2 a mistake in the command line or an
 * internal error. Never throws: an unexpected exception is reported as an internal error, without a
 * stack trace.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const close = suggest(name, COMMANDS.map((c) => c.name));
    io.stderr(`slipway: unknown command "${name}".${close ? ` Did you mean "${close}"?` : ""}\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(args, io);
  } catch (e) {
    if (isUsageError(e)) {
      io.stderr(`slipway ${command.name}: ${e.message}\nRun "slipway ${command.name} --help" for usage.\n`);
      return 2;
    }
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    try {
      io.stderr(`slipway ${command.name}: internal error: ${message.split("\n")[0]}\nThis is a bug in slipway; please report it with the command and file that caused it.\n`);
    } catch {
      // Nowhere left to report to; the exit code still says what happened.
    }
    return 2;
  }
}
