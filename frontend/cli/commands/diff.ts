import { parsePlatform, reasonOf } from "../../../grammar/index.js";
import { compareImages, isImageDiffError, renderImageDiff, type CompareOptions } from "../../image-diff/index.js";
import { HELP_OPTION, parseCommandLine } from "../args.js";
import { UsageError, type CliIO, type Command } from "../streams.js";

const help = `Usage: slipway diff [--json] [--platform OS/ARCH] A B

Compares two images and says "identical" (exit 0) or exactly what differs
(exit 1): the image index, each platform's manifest and config fields (created,
history, Env, Entrypoint, Labels, diff_ids, ...), its attestations, and per
layer each entry added (+), removed (-) or changed (~) in content (sha256),
type, mode, owner (uid:gid), mtime or link target. Layers with the same content
are not read. When the files differ only in their mtimes, it says so.

A and B are each one of:
  FILE.tar     an OCI layout archive (--output type=oci,dest=FILE.tar; docker save),
               gzip-compressed too (FILE.tar.gz: unpacked into a temporary file)
  DIR          an OCI layout directory (--output type=oci,tar=false,dest=DIR)
  IMAGE        an image reference in a registry, REGISTRY/NAME:TAG or
               REGISTRY/NAME@sha256:... (anonymous; plain HTTP for localhost)

Options:
  --json               print the differences as JSON (see docs/cli.md)
  --platform OS/ARCH   compare only this platform
  -h, --help           show this help

Exit status: 0 identical, 1 different, 2 an input that is not an image, or a
mistake in the command line.
`;

/** `slipway diff`, for the CLI's command table. */
export const diff: Command = {
  name: "diff",
  summary: "say whether two images are identical, and if not, exactly what differs",
  help,
  run: (args, io) => runDiffCommand(args, io),
};

/** `slipway diff A B`: 0 identical, 1 different, 2 unreadable input or bad usage. */
export async function runDiffCommand(args: readonly string[], io: CliIO, options: Partial<CompareOptions> = {}): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { ...HELP_OPTION, json: { type: "boolean" }, platform: { type: "string" } });
  if (values.help) {
    io.stdout(help);
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError(`two images expected, A and B, but got ${positionals.length}`);
  const platform = values.platform === undefined ? undefined : parsePlatform(values.platform);
  if (platform && platform.value === undefined) throw new UsageError(`--platform: ${reasonOf(platform)}`);
  let result;
  try {
    result = await compareImages(positionals[0]!, positionals[1]!, { ...options, cwd: io.cwd, ...(platform?.value !== undefined && { platform: platform.value }) });
  } catch (e) {
    if (!isImageDiffError(e)) throw e;
    io.stderr(`slipway diff: ${e.message}\n`);
    return 2;
  }
  io.stdout(values.json ? `${JSON.stringify(result, null, 2)}\n` : renderImageDiff(result));
  return result.identical ? 0 : 1;
}
