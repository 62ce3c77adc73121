import { parseArgs } from "node:util";
import { BomReadError, bomDocument, diffBoms, isBomReadError, isEmptyDiff, readBomSource, renderBomDiff, type BomFormat, type ReadBomOptions } from "../../bom/index.js";

/** Where a command writes; the CLI passes the process streams, tests collect the text. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const BOM_USAGE = `usage: slipway bom [--format yaml|spdx|cyclonedx|json] [--platform OS/ARCH] SOURCE
       slipway bom diff [--json] [--exit-code] [--platform OS/ARCH] A B

SOURCE (and A, B) is one of:
  DIR          documents exported with --target bom --output type=local,dest=DIR
  FILE.tar     an OCI layout (--output type=oci) or a docker save archive
  DIR          an OCI layout exported with --output type=oci,tar=false
  FILE         a bom.json or bom.yaml
  IMAGE        an image reference in a registry (anonymous; plain HTTP for localhost)

The BOM comes from the image's attestations, or its estaleiro.bom label.
  --format     document to print (default yaml, estaleiro's format)
  --platform   which platform, when the source holds several
  diff         added (+), removed (-) and changed (~) packages, sources and files from A to B
  --json       the diff as JSON
  --exit-code  exit 1 when the BOMs differ
`;

const FORMATS: Readonly<Record<string, BomFormat>> = { yaml: "estaleiro", spdx: "spdx", cyclonedx: "cyclonedx", cdx: "cyclonedx", json: "model" };

/**
 * `slipway bom SOURCE` and `slipway bom diff A B`. Returns the exit status: 0 done, 1 the BOM could not be
 * read (or, with --exit-code, the BOMs differ), 2 bad usage.
 */
export async function runBomCommand(args: readonly string[], io: CommandIo, options: Partial<ReadBomOptions> = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        format: { type: "string", default: "yaml" },
        platform: { type: "string" },
        json: { type: "boolean", default: false },
        "exit-code": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(BOM_USAGE);
    return 0;
  }
  const readOptions = { ...options, ...(values.platform !== undefined ? { platform: values.platform } : {}) };
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
    const format = FORMATS[values.format];
    if (format === undefined) return usage(io, `unknown --format ${JSON.stringify(values.format)}; use yaml, spdx, cyclonedx or json`);
    io.stdout(bomDocument(await readBomSource(positionals[0]!, readOptions), format));
    return 0;
  } catch (e) {
    if (isBomReadError(e)) {
      io.stderr(`slipway bom: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

function usage(io: CommandIo, message: string): number {
  io.stderr(`slipway bom: ${message}\n\n${BOM_USAGE}`);
  return 2;
}
