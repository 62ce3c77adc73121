import { DiagnosticsError, errorAt, reasonOf, warningAt, type Diagnostic } from "../grammar/index.js";
import { SOURCE_DATE_EPOCH_ARG } from "./compile/index.js";
import { MIRROR_VARIABLE, parseMirrors, VENDOR_VARIABLE, type Mirror } from "./debian/index.js";
import { LOCK_MODE_ARG, type LoadedDeclaration } from "./load/index.js";

/** With `--target bom`, the build argument that names the image whose BOM to export (default: the last). */
export const BOM_IMAGE_ARG = "SLIPWAY_IMAGE";

export { LOCK_MODE_ARG };

export { SOURCE_DATE_EPOCH_ARG };

/**
 * `ORIGINAL=REPLACEMENT[,…]`: fetch locked files (and, when resolving, indexes) whose URL starts with
 * ORIGINAL from REPLACEMENT instead; checksums, the lock and the image stay the same (docs/offline.md).
 */
export const MIRROR_ARG = MIRROR_VARIABLE;

/** Build arguments slipway reads itself. */
const SLIPWAY_BUILD_ARGS: ReadonlySet<string> = new Set([BOM_IMAGE_ARG, LOCK_MODE_ARG, MIRROR_ARG, SOURCE_DATE_EPOCH_ARG, VENDOR_VARIABLE]);

/** The mirrors `SLIPWAY_MIRROR` asks for (none when unset); a malformed value is an error naming it. */
export function buildArgMirrors(buildArgs: ReadonlyMap<string, string>): readonly Mirror[] {
  const value = buildArgs.get(MIRROR_ARG);
  if (value === undefined) return [];
  const parsed = parseMirrors(value);
  if (parsed.value !== undefined) return parsed.value;
  throw new DiagnosticsError([
    errorAt(undefined, `Malformed build argument ${MIRROR_ARG}`, `--build-arg ${MIRROR_ARG}: ${reasonOf(parsed)}.`, {
      hint: `Give ${MIRROR_ARG}=ORIGINAL=REPLACEMENT[,ORIGINAL=REPLACEMENT…], each an http:// or https:// URL prefix, e.g. ${MIRROR_ARG}=http://deb.example/debian=http://mirror.internal/debian.`,
    }),
  ]);
}

/**
 * Build arguments that clients and BuildKit pass on their own: never the user's misspelt variable. Docker
 * predefines the proxy arguments (and buildx passes the client's proxy settings as such); `BUILDKIT_*`
 * ones steer BuildKit's frontends.
 */
const PREDEFINED_BUILD_ARG = /^(BUILDKIT_\w+|(HTTPS?|FTP|NO|ALL)_PROXY|(https?|ftp|no|all)_proxy)$/;

/**
 * A build argument the declaration does not use is most often a misspelt variable, which leaves the
 * variable at its default: `docker build` warns about unconsumed build arguments of a Dockerfile, and so
 * does slipway.
 */
export function unusedBuildArgWarnings(loaded: LoadedDeclaration): Diagnostic[] {
  return loaded.unusedBuildArgs
    .filter(({ name }) => !SLIPWAY_BUILD_ARGS.has(name) && !PREDEFINED_BUILD_ARG.test(name))
    .map(({ name, closest }) =>
      // the summary is all `docker build` shows of a warning without --debug: the likely fix goes there
      warningAt(
        undefined,
        `Unused build argument "${name}"${closest ? ` (did you mean "${closest}"?)` : ""}`,
        `No variable of ${loaded.declaration.file.name} is named "${name}", so its value is not used.`,
        { hint: closest ? `Pass --build-arg ${closest}=… instead.` : `Remove --build-arg ${name}, or declare it with a variable block.` },
      ),
    );
}
