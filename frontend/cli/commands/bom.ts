import { parseArgs } from "node:util";
import type { Command } from "../streams.js";
import { BomReadError, bomDocument, diffBoms, isBomReadError, isEmptyDiff, readBomSource, renderBomDiff, renderBomSummary, type BomFormat, type ReadBomOptions } from "../../bom/index.js";

/** What the command needs of the CLI's I/O: a subset of `CliIO`, so tests can pass just the streams. */
export interface BomCommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Relative paths start here; the process's working directory when absent. */
  readonly cwd?: string;
}

const help = `Usage: slipway bom [--format yaml|spdx|cyclonedx|json] [--platform OS/ARCH] SOURCE
       slipway bom diff [--json] [--exit-code] [--platform OS/ARCH] A B

Prints a summary of an image's bill of materials (base image, packages, added
files, licences, sources), one of its documents with --format, or what changed
between two.

SOURCE (and A, B) is one of:
  DIR          documents exported with --target bom --output type=local,dest=DIR
  FILE.tar     an OCI layout (--output type=oci) or a docker save archive
  DIR          an OCI layout exported with --output type=oci,tar=false
  FILE         a bom.json or bom.yaml
  IMAGE        an image reference in a registry (anonymous; plain HTTP for localhost)

The BOM comes from the image's attestations, or its estaleiro.bom label.

Options:
  --format FORMAT      print a document instead of the summary: yaml (estaleiro's
                       format), spdx, cyclonedx or json (slipway's model)
  --platform OS/ARCH   which platform, when the source holds several
  --json               diff: print the changes as JSON
  --exit-code          diff: exit 1 when the BOMs differ
  -h, --help           show this help

diff lists added (+), removed (-) and changed (~) packages, source packages and
files from A to B, one per line, and nothing else.
`;

/** `slipway bom`, for the CLI's command table. */
export const bom: Command = {
  name: "bom",
  summary: "print an image's bill of materials, or diff two",
  help,
  run: (args, io) => runBomCommand(args, io),
};

const FORMATS: Readonly<Record<string, BomFormat>> = { yaml: "estaleiro", spdx: "spdx", cyclonedx: "cyclonedx", cdx: "cyclonedx", json: "model" };

/**
 * `slipway bom SOURCE` and `slipway bom diff A B`. Returns the exit status: 0 done, 1 the BOM could not be
 * read (or, with --exit-code, the BOMs differ), 2 bad usage.
 */
export async function runBomCommand(args: readonly string[], io: BomCommandIo, options: Partial<ReadBomOptions> = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        format: { type: "string" },
        platform: { type: "string" },
        json: { type: "boolean", default: false },
        "exit-code": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    });
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(help);
    return 0;
  }
  const readOptions = {
    ...options,
    ...(io.cwd !== undefined ? { cwd: io.cwd } : {}),
    ...(values.platform !== undefined ? { platform: values.platform } : {}),
  };
  try {
    if (positionals[0] === "diff") {
      if (positionals.length !== 3) return usage(io, "diff needs two sources, A and B");
      const [before, after] = await Promise.all([readBomSource(positionals[1]!, readOptions), readBomSource(positionals[2]!, readOptions)]);
      for (const s of [before, after]) {
        if (s.bom === undefined) throw new BomReadError(s.description, "holds only estaleiro's YAML BOM, without the facts a diff compares");
      }
      const diff = diffBoms(before.bom!, after.bom!);
      io.stdout(values.json ? `${JSON.stringify(diff, null, 2)}\n` : renderBomDiff(diff));
      return values["exit-code"] && !isEmptyDiff(diff) ? 1 : 0;
    }
    if (positionals.length !== 1) return usage(io, positionals.length === 0 ? "missing SOURCE" : `one SOURCE expected, got ${positionals.length}`);
    const format = values.format === undefined ? undefined : FORMATS[values.format];
    if (values.format !== undefined && format === undefined) return usage(io, `unknown --format ${JSON.stringify(values.format)}; use yaml, spdx, cyclonedx or json`);
    const source = await readBomSource(positionals[0]!, readOptions);
    if (format === undefined && source.bom === undefined) {
      throw new BomReadError(source.description, "holds only estaleiro's YAML BOM (no slipway facts), which has no summary; use --format yaml");
    }
    io.stdout(format === undefined ? renderBomSummary(source.bom!) : bomDocument(source, format));
    return 0;
  } catch (e) {
    if (isBomReadError(e)) {
      io.stderr(`slipway bom: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/** As the CLI reports usage mistakes: the problem and where help is. */
function usage(io: BomCommandIo, message: string): number {
  io.stderr(`slipway bom: ${message}\nRun "slipway bom --help" for usage.\n`);
  return 2;
}
