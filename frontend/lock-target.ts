import type { Image } from "../grammar/index.js";
import { DiagnosticsError, hasErrors } from "../grammar/index.js";
import { customName, mkfile, scratch, type Platform } from "../llb/index.js";
import { buildArgMirrors } from "./build-args.js";
import { lockFileName, mergeLock, parseLock } from "./debian/index.js";
import { gw, type Result } from "./gateway/index.js";
import type { LoadedDeclaration } from "./load/index.js";
import { lockEntries } from "./resolve/index.js";
import { gatewayFacts, type BuildSession } from "./solve/index.js";

/** The reserved target that exports `slipway.lock.json` instead of an image. */
export const LOCK_TARGET = "lock";

/**
 * `--target lock`: resolve every image's packages afresh, for every platform, and return only
 * `slipway.lock.json` (export it with `--output type=local,dest=<the declaration's directory>`).
 * `slipway lock` writes the same file from the same `lockEntries`, asking the registry instead.
 */
export async function exportLock(session: BuildSession, loaded: LoadedDeclaration, platformsOf: (image: Image) => Platform[]): Promise<Result> {
  const { entries, diagnostics } = await lockEntries(loaded.declaration, platformsOf, gatewayFacts(session, buildArgMirrors(session.options.buildArgs)));
  session.warn(diagnostics);
  if (hasErrors(diagnostics)) throw new DiagnosticsError(diagnostics);
  // Entries for images or architectures not locked now (e.g. another --platform) are kept, as
  // `slipway lock` keeps them; an unreadable old lock is simply replaced.
  const existing = loaded.lock ? parseLock(loaded.lock.text, loaded.lock.path).value : undefined;
  const text = mergeLock(existing, entries);
  const state = scratch().file(mkfile(`/${lockFileName}`, 0o644, text), customName(`[slipway] ${lockFileName}: ${entries.length} image${entries.length === 1 ? "" : "s"}`));
  const ref = await session.solve(state, platformsOf(loaded.declaration.images[0]!)[0]!);
  return new gw.Result({ ref: new gw.Ref({ id: ref }) });
}
