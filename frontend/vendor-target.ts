import { DiagnosticsError, errorAt, hasErrors, reasonOf, type Image } from "../grammar/index.js";
import { formatPlatform, sortedMap, type Platform, type State } from "../llb/index.js";
import { buildArgMirrors, SOURCE_DATE_EPOCH_ARG } from "./build-args.js";
import { debSource, lockFileName, parseLock, type AptResolution, type LockFile } from "./debian/index.js";
import { parseVendorRef, VENDOR_TARGET, VENDOR_VARIABLE, vendorDebDirectory, vendoredPackages, vendorImage, vendorImageState } from "./debian/index.js";
import { epochTime, parseEpochArg } from "./compile/index.js";
import { gw, type Result } from "./gateway/index.js";
import type { LoadedDeclaration } from "./load/index.js";
import type { BuildSession } from "./solve/index.js";

export { VENDOR_TARGET, VENDOR_VARIABLE };

/**
 * `--target vendor`: one OCI image holding every .deb the lock beside the declaration names (every image,
 * every architecture), laid out by SHA256 (debian/vendor.ts). Its files and config carry only the epoch:
 * SOURCE_DATE_EPOCH when given, else the latest InRelease date the lock records, so the same lock makes
 * the same image anywhere. Push it with `--output type=image,name=REF,push=true`.
 */
export async function exportVendor(session: BuildSession, loaded: LoadedDeclaration): Promise<Result> {
  const lock = loaded.lock && parseLock(loaded.lock.text, loaded.lock.path);
  if (!lock) throw noLock(loaded, `--target ${VENDOR_TARGET} packs the .deb files a lock names`);
  if (!lock.value) throw new DiagnosticsError(lock.diagnostics);
  const packages = vendoredPackages(lock.value.images);
  const mirrors = buildArgMirrors(session.options.buildArgs);
  const given = parseEpochArg(session.options.buildArgs.get(SOURCE_DATE_EPOCH_ARG));
  if (hasErrors(given.diagnostics)) throw new DiagnosticsError(given.diagnostics);
  const epoch = given.value ?? lockEpoch(lock.value);
  const state = vendorImageState(packages, (p) => debSource(p, mirrors, undefined), epoch);
  const platform = session.defaultPlatform();
  const ref = await session.solve(state, platform);
  const config = {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant && { variant: platform.variant }),
    created: epochTime(epoch),
    config: { Labels: { "dev.slipway.vendor.packages": String(packages.length) } },
    rootfs: { type: "layers", diff_ids: [] },
    history: [{ created: epochTime(epoch), created_by: `slipway vendor: ${packages.length} .deb files of ${lockFileName}` }],
  };
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const metadata = new Map([
    ["containerimage.config", utf8(JSON.stringify(config))],
    ["source.date.epoch", utf8(String(epoch))],
  ]);
  return new gw.Result({ ref: new gw.Ref({ id: ref }), metadata: sortedMap(metadata) });
}

/** The latest InRelease `Date` the lock records (whole seconds), or 0 when it records none. */
function lockEpoch(lock: LockFile): number {
  const times = lock.images.flatMap((e) => e.repositories.map((r) => (r.date ? Date.parse(r.date) : NaN))).filter((t) => Number.isFinite(t) && t >= 0);
  return times.length > 0 ? Math.floor(Math.max(...times) / 1000) : 0;
}

/**
 * The vendored image `SLIPWAY_VENDOR` names, pinned by digest; undefined when the argument is not given.
 * A malformed value is an error naming the argument.
 */
export function vendorRefOf(session: BuildSession): string | undefined {
  const value = session.options.buildArgs.get(VENDOR_VARIABLE);
  if (value === undefined) return undefined;
  const parsed = parseVendorRef(value);
  if (parsed.value !== undefined) return parsed.value;
  throw new DiagnosticsError([
    errorAt(undefined, `Malformed build argument ${VENDOR_VARIABLE}`, `--build-arg ${VENDOR_VARIABLE}: the value ${reasonOf(parsed)}.`, {
      hint: `Give the image --target ${VENDOR_TARGET} made, pinned by its digest: ${VENDOR_VARIABLE}=registry.example/app-debs@sha256:<64 hex digits> (the push prints it; docker buildx imagetools inspect shows it).`,
    }),
  ]);
}

/**
 * Checked before anything is built: `SLIPWAY_VENDOR` well formed, and given only to a build from a lock
 * (the vendored files are checked against the lock's SHA256; without a lock there is nothing to check
 * them against, and nothing says which files to take).
 */
export function checkVendorArg(session: BuildSession, loaded: LoadedDeclaration, lock: LockFile | undefined): void {
  if (vendorRefOf(session) !== undefined && !lock) throw noLock(loaded, `${VENDOR_VARIABLE} takes the .deb files a lock names, and checks them against its SHA256`);
}

/** The install option that takes every .deb from the vendored image, when the build has one. */
export function vendorInstall(session: BuildSession, platform: Platform): { vendor?: State } {
  const ref = vendorRefOf(session);
  return ref ? { vendor: vendorImage(ref, platform) } : {};
}

/**
 * Checks, at the image's `apt` block, that the vendored image holds every package the resolution
 * installs, by listing its /sha256 directory through the gateway: a missing package is named here,
 * rather than as a failed copy of a hash.
 */
export async function checkVendored(session: BuildSession, image: Image, resolution: AptResolution, platform: Platform): Promise<void> {
  const ref = vendorRefOf(session);
  if (!ref || resolution.packages.length === 0) return;
  const at = image.apt[0]?.range;
  const root = await session.solve(vendorImage(ref, platform), platform);
  const entries = await session.readDir(root, vendorDebDirectory);
  if (!entries) {
    throw new DiagnosticsError([
      errorAt(at, `Not a vendored package image: ${ref}`, `${ref} (for ${formatPlatform(platform)}) has no ${vendorDebDirectory} directory.`, {
        hint: `Make it with docker buildx build --target ${VENDOR_TARGET} --output type=image,name=REF,push=true, and give ${VENDOR_VARIABLE}=REF@sha256:<its digest>.`,
      }),
    ]);
  }
  const present = new Set(entries.map((e) => e.path));
  const missing = resolution.packages.filter((p) => !present.has(p.sha256));
  if (missing.length === 0) return;
  const names = missing.map((p) => `${p.name} ${p.version} (${p.architecture}, sha256:${p.sha256})`);
  throw new DiagnosticsError([
    errorAt(
      at,
      `${missing.length === 1 ? `Package ${missing[0]!.name} ${missing[0]!.version} is` : `${missing.length} packages are`} missing from the vendored image`,
      `${ref} holds no ${vendorDebDirectory}/<sha256> for ${names.join(", ")}, which the lock names.`,
      { hint: `Re-make the vendored image from this lock (docker buildx build --target ${VENDOR_TARGET} --output type=image,name=REF,push=true), or leave out ${VENDOR_VARIABLE} to fetch from the archive.` },
    ),
  ]);
}

function noLock(loaded: LoadedDeclaration, what: string): DiagnosticsError {
  return new DiagnosticsError([
    errorAt(undefined, `No lock for vendoring`, `${what}; there is no ${lockFileName} beside ${loaded.declaration.file.name} (or SLIPWAY_LOCK=update asks to resolve afresh).`, {
      hint: `Make the lock first: docker buildx build --target lock --output type=local,dest=. -f ${loaded.declaration.file.name} . (or slipway lock).`,
    }),
  ]);
}
