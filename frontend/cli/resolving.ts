import { arch } from "node:process";
import { dirname, join, resolve } from "node:path";
import { parsePlatform as checkPlatform, reasonOf, SourceFile, type Diagnostic, type Image } from "../../grammar/index.js";
import type { LockFile } from "../debian/index.js";
import { lockFileName } from "../debian/lock-schema.js";
import { MIRROR_VARIABLE, parseMirrors, type Mirror } from "../debian/mirrors.js";
import { describeIoError, errorCode, UsageError, type CliIO } from "./streams.js";

// What the commands that resolve images (lock, llb, build) share: platforms, Debian mirrors, the lock
// beside a declaration, and the Debian tools, loaded only when one of them runs.

/** Node's names for CPUs, as platform architectures. */
const NODE_ARCH: Readonly<Record<string, string>> = { x64: "amd64", arm64: "arm64", arm: "arm/v7", ia32: "386", ppc64: "ppc64le", s390x: "s390x", riscv64: "riscv64" };

/** The --mirror option of `slipway lock` and `slipway llb`, in their help. */
export const MIRROR_HELP = `  --mirror ORIGINAL=REPLACEMENT[,...]
                           fetch Debian files whose URL starts with ORIGINAL from
                           REPLACEMENT (the lock keeps the original URLs and every
                           sha256); default: $SLIPWAY_MIRROR, the same value as the
                           build argument of that name
`;

/**
 * The mirrors of `--mirror`, else of `$SLIPWAY_MIRROR` (the build argument's name and syntax, so one
 * value serves the CLI and a build); a malformed value is a usage error naming where it came from.
 */
export function cliMirrors(flag: string | undefined, env: NodeJS.ProcessEnv): readonly Mirror[] {
  const value = flag ?? env[MIRROR_VARIABLE];
  if (value === undefined) return [];
  const parsed = parseMirrors(value);
  if (parsed.value !== undefined) return parsed.value;
  throw new UsageError(`${flag !== undefined ? "--mirror" : `$${MIRROR_VARIABLE}`}: ${reasonOf(parsed)}; give ORIGINAL=REPLACEMENT[,ORIGINAL=REPLACEMENT...], each an http:// or https:// URL prefix`);
}

/**
 * The Debian machinery (OpenPGP included) and the LLB layer, loaded when a command needs them, so that
 * the commands that do not (check, fmt, print) start as fast as before.
 */
export async function packageTools() {
  const [debian, llb] = await Promise.all([import("../debian/index.js"), import("../../llb/index.js")]);
  return { ...debian, parsePlatform: llb.parsePlatform, formatPlatform: llb.formatPlatform };
}

/** The lock beside a declaration, as read by `slipway lock` and `slipway llb`. */
export type LockBeside =
  | { readonly kind: "missing"; readonly path: string }
  | { readonly kind: "error"; readonly path: string; readonly message: string }
  | { readonly kind: "found"; readonly path: string; readonly file: SourceFile; readonly lock?: LockFile; readonly diagnostics: readonly Diagnostic[] };

/** Reads and validates `slipway.lock.json` beside the declaration `arg`; `path` is as the user would write it. */
export async function readLockBeside(arg: string, io: CliIO): Promise<LockBeside> {
  const path = join(dirname(arg), lockFileName);
  let text: string;
  try {
    text = await io.readFile(resolve(io.cwd, path));
  } catch (e) {
    return errorCode(e) === "ENOENT" ? { kind: "missing", path } : { kind: "error", path, message: `cannot read it: ${describeIoError(e)}` };
  }
  const { parseLock } = await packageTools();
  const parsed = parseLock(text, path);
  return { kind: "found", path, file: new SourceFile(path, text), ...(parsed.value && { lock: parsed.value }), diagnostics: parsed.diagnostics };
}

/** `--platform` values, else the image's `platforms`, else this machine's platform (`os/arch[/variant]`, normalised). */
export function platformsFor(image: Image, flags: readonly string[]): string[] {
  if (flags.length > 0) return [...flags];
  if (image.platforms) return [...image.platforms.value];
  return [hostPlatform()];
}

/** A `--platform` value, normalised; a usage error when it is not a platform. */
export function platformFlag(text: string): string {
  const parsed = checkPlatform(text);
  if (parsed.value === undefined) throw new UsageError(`--platform: ${reasonOf(parsed)}`);
  return parsed.value;
}

/** The platform a Docker Engine on this machine builds for by default: Linux, this CPU. */
export function hostPlatform(): string {
  return `linux/${NODE_ARCH[arch] ?? arch}`;
}
