import { hasErrors, type Declaration, type Diagnostic, type Image, type Result } from "../../grammar/index.js";
import type { Platform, State } from "../../llb/index.js";
import { homesMade, planAccounts, type AccountsPlan } from "../accounts/index.js";
import { buildEpoch, gitKey, parseEpochArg, type BuildEpoch, type InstallInput, type ResolvedGit, type ResolvedImage, type ResolvedStep } from "../compile/index.js";
import { debianArchitecture, findLockEntry, hasPackages, resolveApt, resolveAptFromLock, type AptLock, type AptResolution, type AptResult, type LockFile, type Mirror } from "../debian/index.js";
import type { FactSource } from "./facts.js";
import { pinnedTo } from "./pin.js";

/** What to resolve: one image of a declaration, for one platform. */
export interface PlanRequest {
  readonly declaration: Declaration;
  readonly image: Image;
  readonly platform: Platform;
  /** The lock beside the declaration: packages and the base digest come from it when it is given. */
  readonly lock: LockFile | undefined;
  /** SOURCE_DATE_EPOCH as given (a build argument), else the base image's `created` is the epoch. */
  readonly epochArg: string | undefined;
  /** Where each .deb is fetched instead of its recorded URL (`SLIPWAY_MIRROR`). */
  readonly mirrors: readonly Mirror[];
  /** The vendored image every .deb is taken from instead (`SLIPWAY_VENDOR`), for this platform. */
  readonly vendor?: State;
}

/** Everything the compiler needs that had to be looked up first: frontend/compile turns it into LLB with no I/O. */
export interface ResolvedPlan {
  /** The base image, unless it is `scratch`. */
  readonly base: ResolvedImage | undefined;
  /** `from_image` images, by canonical reference as declared. */
  readonly images: ReadonlyMap<string, ResolvedImage>;
  /** `from_git` refs, by `gitKey(repository, ref)`. */
  readonly git: ReadonlyMap<string, ResolvedGit>;
  readonly steps: ReadonlyMap<string, ResolvedStep>;
  readonly epoch: BuildEpoch;
  /** The packages to install (from the indexes or the lock), when the image has any. */
  readonly packages: InstallInput | undefined;
  /** The image's account files with its declared users and groups, when it declares any and they can be read. */
  readonly accounts: AccountsPlan | undefined;
}

/** The lock's entry for this image and platform, when the build uses a lock (an error when Debian has no such architecture). */
export function lockEntryFor(lock: LockFile | undefined, image: Image, platform: Platform): Result<AptLock | undefined> {
  if (!lock || !hasPackages(image) || image.base.kind !== "image") return { value: undefined, diagnostics: [] };
  const architecture = debianArchitecture(platform, image.base.ref.range);
  if (architecture.value === undefined) return { value: undefined, diagnostics: architecture.diagnostics };
  return { value: findLockEntry(lock, image.name.value, architecture.value), diagnostics: [] };
}

/**
 * Declaration → resolved plan for one image and platform, asking `source` for every fact: the base
 * image (pinned to the lock's digest when there is a lock), `from_image` images, git commits and steps
 * at once; then the packages and the accounts, which read the base. Every located problem is collected
 * and returned together, with no plan; anything else (a gateway failure) is thrown as it is.
 */
export async function resolvePlan(request: PlanRequest, source: FactSource): Promise<Result<ResolvedPlan | undefined>> {
  // checked before anything is asked: a bad value fails the build at once
  const given = parseEpochArg(request.epochArg);
  if (hasErrors(given.diagnostics)) return { value: undefined, diagnostics: given.diagnostics };
  const entry = lockEntryFor(request.lock, request.image, request.platform);
  if (hasErrors(entry.diagnostics)) return { value: undefined, diagnostics: entry.diagnostics };
  const errors: Diagnostic[] = [];
  const inputs = await source.time("resolve", () => resolveInputs(request, given.value, entry.value?.base?.digest, source, errors));
  const { base, epoch } = inputs;
  const { image, platform } = request;
  // a base that could not be resolved has been reported: nothing that reads it is tried
  const baseKnown = image.base.kind === "scratch" || base !== undefined;
  // a source with no indexes plans packages only from a lock; without one its caller has already refused the image (slipway llb)
  const withPackages = hasPackages(image) && (request.lock !== undefined || source.indexes !== undefined);
  const resolution = base && withPackages ? collect(await source.time("packages", () => packagesOf(request, base, source)), errors) : undefined;
  const accounts = baseKnown && epoch ? collect(await source.time("accounts", () => accountsOf(image, base, platform, source, epoch.seconds)), errors) : undefined;
  if (errors.length > 0 || !epoch) return { value: undefined, diagnostics: errors };
  const plan: ResolvedPlan = {
    ...inputs,
    epoch,
    packages: resolution && { resolution, mirrors: request.mirrors, ...(request.vendor && { vendor: request.vendor }) },
    accounts,
  };
  return { value: plan, diagnostics: [] };
}

/**
 * Everything asked before compiling, at once, and the build's epoch. Steps get the epoch as
 * SOURCE_DATE_EPOCH (`given`, the build argument checked); without it, it is the base image's `created`,
 * so they wait for the base (one image config lookup) and start beside the other lookups.
 */
async function resolveInputs(request: PlanRequest, given: number | undefined, lockedDigest: string | undefined, source: FactSource, errors: Diagnostic[]) {
  const { image, platform } = request;
  const scratch: Result<ResolvedImage | undefined> = { value: undefined, diagnostics: [] };
  const basePromise = image.base.kind === "image" ? source.image(pinnedTo(image.base.ref, lockedDigest), platform, "base image") : Promise.resolve(scratch);
  // the base's own problem is reported once, by its settle below, and a gateway failure is thrown there
  const epochPromise =
    given !== undefined ? Promise.resolve(buildEpoch(given, undefined)) : basePromise.then((b) => (hasErrors(b.diagnostics) ? undefined : buildEpoch(undefined, b.value?.config)), () => undefined);
  const [base, images, git, steps, epoch] = await Promise.all([
    settle(basePromise, errors),
    resolveFileImages(request, source, errors),
    resolveFileGit(request, source, errors),
    epochPromise.then((e) => (e ? resolveSteps(request, source, e.seconds, errors) : new Map<string, ResolvedStep>())),
    epochPromise,
  ]);
  return { base, images, git, steps, epoch };
}

async function resolveFileImages({ image, platform }: PlanRequest, source: FactSource, errors: Diagnostic[]): Promise<Map<string, ResolvedImage>> {
  const out = new Map<string, ResolvedImage>();
  for (const f of image.files) {
    if (f.source.kind !== "image" || out.has(f.source.image.value.canonical)) continue;
    const resolved = await settle(source.image(f.source.image, platform, "image"), errors);
    if (resolved) out.set(f.source.image.value.canonical, resolved);
  }
  return out;
}

async function resolveFileGit({ image, platform }: PlanRequest, source: FactSource, errors: Diagnostic[]): Promise<Map<string, ResolvedGit>> {
  const out = new Map<string, ResolvedGit>();
  for (const f of image.files) {
    if (f.source.kind !== "git") continue;
    const key = gitKey(f.source.repository.value, f.source.ref.value);
    if (out.has(key)) continue;
    const resolved = await settle(source.git(f.source.repository.value, f.source.ref.value, platform, f.source.ref.range), errors);
    if (resolved) out.set(key, resolved);
  }
  return out;
}

async function resolveSteps({ declaration, image, platform }: PlanRequest, source: FactSource, epoch: number, errors: Diagnostic[]): Promise<Map<string, ResolvedStep>> {
  const used = new Set(image.files.flatMap((f) => (f.source.kind === "step" ? [f.source.step.value] : [])));
  const steps = declaration.steps.filter((s) => used.has(s.name.value));
  const built = await Promise.all(steps.map((s) => settle(source.step(s, platform, epoch), errors)));
  return new Map(built.flatMap((b) => (b ? [[b.name, b] as const] : [])));
}

/**
 * The image's packages: from the lock beside the declaration (no index is fetched; every .deb is checked
 * against the lock's sha256, and what the base holds is checked after dpkg ran, by the BOM worker), or
 * from the repositories' verified indexes and the base image's files.
 */
async function packagesOf({ image, platform, lock }: PlanRequest, base: ResolvedImage, source: FactSource): Promise<Result<AptResolution | undefined>> {
  if (image.base.kind !== "image") throw new Error("bug: packages on scratch");
  const range = image.base.ref.range;
  const { value: architecture, diagnostics: unknownArchitecture } = debianArchitecture(platform, range);
  if (architecture === undefined) return { value: undefined, diagnostics: unknownArchitecture };
  const baseImage = { ref: base.pinned, ...(base.digest && { digest: base.digest }), range };
  let result: AptResult;
  if (lock) result = await resolveAptFromLock({ apt: image.apt, image: image.name.value, architecture, baseImage }, findLockEntry(lock, image.name.value, architecture));
  else if (source.indexes) {
    const files = await source.indexes.baseFiles(base, platform);
    result = await resolveApt({ apt: image.apt, architecture, baseImage }, { fetcher: source.indexes.fetcher(platform), base: files });
  } else throw new Error("bug: packages without a lock from a source with no indexes");
  source.warn(result.diagnostics); // shown even when an error follows
  if (!result.value || hasErrors(result.diagnostics)) return { value: undefined, diagnostics: result.diagnostics };
  return { value: result.value, diagnostics: [] };
}

/**
 * The image's account files with its declared users and groups: the base's (a scratch base has none),
 * merged here so that a clash is an error at the declaration's line. Left out when the source cannot
 * read the base's files.
 */
async function accountsOf(image: Image, base: ResolvedImage | undefined, platform: Platform, source: FactSource, epoch: number): Promise<Result<AccountsPlan | undefined>> {
  if (!image.users && !image.groups) return { value: undefined, diagnostics: [] };
  const at = image.base.kind === "image" ? image.base.ref.range : image.base.range;
  const files = base ? await source.baseAccounts(base, platform, at, homesMade(image)) : { value: {}, diagnostics: [] };
  return files.value === undefined ? { value: undefined, diagnostics: files.diagnostics } : planAccounts(image, files.value, epoch);
}

/** The value of a check that returns a Result; when there is none, its diagnostics are added to `errors`. */
function collect<T>(result: Result<T | undefined> | undefined, errors: Diagnostic[]): T | undefined {
  if (result?.value === undefined) errors.push(...(result?.diagnostics ?? []));
  return result?.value;
}

/**
 * A fact asked of the source (frontend/solve, frontend/cli), once it is known: its value, or undefined
 * with its located problems added to `errors`. A failure that is no problem of the declaration (a gateway
 * gone) is thrown as it is. The facts asked at once add their problems in the order they are answered.
 */
async function settle<T>(work: Promise<Result<T | undefined>>, errors: Diagnostic[]): Promise<T | undefined> {
  return collect(await work, errors);
}
