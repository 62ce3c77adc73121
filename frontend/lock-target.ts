import type { Image } from "../grammar/index.js";
import { DiagnosticsError, SourceFile } from "../grammar/index.js";
import { customName, formatPlatform, mkfile, scratch, type Platform } from "../llb/index.js";
import { LOCK_MODE_ARG } from "./build-args.js";
import {
  debianArchitecture,
  findLockEntry,
  hasPackages,
  mergeLock,
  lockFileName,
  lockFromResolution,
  lockRequests,
  parseLock,
  resolveAptFromLock,
  type AptLock,
  type LockFile,
} from "./debian/index.js";
import { gw, type Result } from "./gateway/client.js";
import type { PackageResolver } from "./image-build.js";
import type { LoadedDeclaration } from "./load.js";
import { resolvePackages, solveBase } from "./packages.js";
import { resolveImage } from "./solve/images.js";
import type { BuildSession } from "./solve/session.js";

/** The reserved target that exports `slipway.lock.json` instead of an image. */
export const LOCK_TARGET = "lock";

/** The lock beside the declaration, parsed; problems are located in the lock file. */
export function loadLock(session: BuildSession, loaded: LoadedDeclaration): LockFile | undefined {
  if (!loaded.lock || session.options.buildArgs.get(LOCK_MODE_ARG) === "update") return undefined;
  session.sourceFiles.set(loaded.lock.path, new SourceFile(loaded.lock.path, loaded.lock.text));
  const parsed = parseLock(loaded.lock.text, loaded.lock.path);
  if (!parsed.lock) throw new DiagnosticsError(parsed.diagnostics);
  return parsed.lock;
}

/** The lock's entry for this image and platform, when the build uses a lock. */
export function lockEntryFor(session: BuildSession, lock: LockFile | undefined, image: Image, platform: Platform): AptLock | undefined {
  if (!lock || !hasPackages(image) || image.base.kind !== "image") return undefined;
  return findLockEntry(lock, image.name.value, debianArchitecture(platform, image.base.ref.range));
}

/**
 * How this build resolves packages: from the lock beside the declaration (no index is fetched; every
 * .deb is checked against the lock's sha256), or from the repositories' verified indexes.
 */
export function packageResolver(session: BuildSession, loaded: LoadedDeclaration, image: Image, lock: LockFile | undefined): PackageResolver {
  return async (base, platform, solveBaseRef) => {
    if (image.base.kind !== "image") throw new Error("bug: packages on scratch");
    if (!lock) return resolvePackages(session, image, base, await solveBaseRef(), image.base.ref.range, platform);
    // The lock names every package; what the base image holds is checked after dpkg ran (the BOM worker
    // compares the installed set with the resolution), so nothing of the base is read here.
    const result = await resolveAptFromLock(
      {
        apt: image.apt,
        image: image.name.value,
        architecture: debianArchitecture(platform, image.base.ref.range),
        baseImage: { ref: base.pinned, digest: base.digest, range: image.base.ref.range },
      },
      lockEntryFor(session, lock, image, platform),
    );
    session.warn(result.diagnostics); // shown even when an error follows
    if (!result.resolution || result.diagnostics.some((d) => d.severity === "error")) throw new DiagnosticsError(result.diagnostics);
    return result.resolution;
  };
}

/**
 * `--target lock`: resolve every image's packages afresh, for every platform, and return only
 * `slipway.lock.json` (export it with `--output type=local,dest=<the declaration's directory>`).
 */
export async function exportLock(session: BuildSession, loaded: LoadedDeclaration, platformsOf: (image: Image) => Platform[]): Promise<Result> {
  const entries: AptLock[] = [];
  for (const image of loaded.declaration.images) {
    if (!hasPackages(image) || image.base.kind !== "image") continue;
    for (const platform of platformsOf(image)) {
      const base = await resolveImage(session, image.base.ref, platform, "base image");
      const baseRef = await solveBase(session, base, platform);
      const resolution = await resolvePackages(session, image, base, baseRef, image.base.ref.range, platform);
      entries.push(lockFromResolution(resolution, image.name.value, lockRequests(image.apt)));
    }
  }
  // Entries for images or architectures not locked now (e.g. another --platform) are kept, as
  // `slipway lock` keeps them; an unreadable old lock is simply replaced.
  const existing = loaded.lock ? parseLock(loaded.lock.text, loaded.lock.path).lock : undefined;
  const text = mergeLock(existing, entries);
  const state = scratch().file(mkfile(`/${lockFileName}`, 0o644, text), customName(`[slipway] ${lockFileName}: ${entries.length} image${entries.length === 1 ? "" : "s"}`));
  const ref = await session.solve(state, platformsOf(loaded.declaration.images[0]!)[0]!);
  return new gw.Result({ ref: new gw.Ref({ id: ref }) });
}

export { formatPlatform };
