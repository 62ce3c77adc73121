import type { Declaration, Image, ImageReference, Located } from "../grammar/index.js";
import { copy, customName, ignoreCache, image as imageSource, local, mergeConstraints, SourceMap, type Platform } from "../llb/index.js";
import { buildArgMirrors, SOURCE_DATE_EPOCH_ARG } from "./build-args.js";
import { planAccounts, readBaseAccounts, type AccountsPlan } from "./accounts/index.js";
import { bomInputsOf } from "./bom-inputs.js";
import { BOM_FILES, ESTALEIRO_LABEL } from "./bom/names.js";
// the worker's modules, not its index: the frontend must not load the BOM writers the worker runs
import { measureRequests, plannedTarballs, type BomRequest } from "./bom-worker/request.js";
import { bomSideTree, currentFrontendImage, type WorkerImage } from "./bom-worker/side-tree.js";
import { compileImage, gitKey, historyEntry, stampAncestors, type CompileInput, type OciImageConfig, type ResolvedGit, type ResolvedImage, type ResolvedStep } from "./compile/index.js";
import { buildEpoch, epochNanoseconds, parseEpochArg, type BuildEpoch } from "./epoch.js";
import { hasPackages, type AptResolution } from "./debian/index.js";
import type { LoadedDeclaration } from "./load.js";
import { solveBase } from "./packages.js";
import { resolveGit } from "./solve/git.js";
import { resolveImage } from "./solve/images.js";
import { buildStep } from "./solve/steps.js";
import { CapabilityError, type BuildSession } from "./solve/session.js";

/** One platform's image: its root filesystem ref, config, and bill of materials. */
export interface PlatformImage {
  readonly platform: Platform;
  readonly ref: string;
  readonly config: OciImageConfig;
  /** The side-tree holding the BOM documents (never part of the image unless `bom { path }` asks). */
  readonly bomRef: string;
  readonly resolution: AptResolution | undefined;
  /** The epoch the image was built with (BuildKit's exporter is told it, so it agrees). */
  readonly epoch: BuildEpoch;
  /** The base image's config, for the exporter (it keeps the base's history and layers as they are). */
  readonly baseConfig?: OciImageConfig;
}

/** How the packages of an image are resolved: from the indexes, or from the lock. */
export type PackageResolver = (base: ResolvedImage, platform: Platform, solveBaseRef: () => Promise<string>) => Promise<AptResolution>;

/**
 * Builds `image` for `platform`: ask BuildKit what must be resolved first (base and other images, git
 * commits, Dockerfile steps, packages), compile to LLB, solve, then measure what was built and write the
 * bill of materials into its side-tree.
 */
export async function buildPlatformImage(
  session: BuildSession,
  loaded: LoadedDeclaration,
  image: Image,
  platform: Platform,
  target: string | undefined,
  resolvePackages: PackageResolver,
  /** The base image digest a lock recorded: the build uses exactly that image, whatever the tag now names. */
  lockedBaseDigest?: string,
): Promise<PlatformImage> {
  const declaration = loaded.declaration;
  const sourceMap = new SourceMap(declaration.file.name, declaration.file.text, loaded.loadedBy && { definition: loaded.loadedBy.proto });

  const { base, images, git, steps, epoch } = await session.time("resolve", () => resolveInputs(session, declaration, image, platform, lockedBaseDigest));
  // only a resolution from the indexes reads the base image's files here (the BOM worker reads them in
  // its own op; a lock needs none of them)
  const solveBaseRef = () => session.time("solve base", () => solveBase(session, base!, platform));
  const resolution = base && hasPackages(image) ? await session.time("packages", () => resolvePackages(base, platform, solveBaseRef)) : undefined;

  const accounts = await session.time("accounts", () => accountsOf(session, image, base, solveBaseRef, epoch.seconds));

  const input: CompileInput = {
    declaration,
    image,
    platform,
    sourceMap,
    context: { localName: session.options.contextLocal, sessionId: session.options.sessionId },
    base,
    images,
    git,
    steps,
    ...(accounts && { accounts }),
    ...(resolution && { packages: { resolution, mirrors: buildArgMirrors(session.options.buildArgs) } }),
    optionLabels: session.options.labels,
    noCache: session.options.noCache,
    epoch: epoch.seconds,
  };
  const compiled = compileImage(input);
  // Measure what was built: nothing in the BOM is taken from the declaration on trust. The worker runs in
  // an exec BuildKit caches, so a rebuild that changes nothing measures and writes nothing.
  const tarballs = plannedTarballs(compiled.files);
  const request: BomRequest = {
    version: 1,
    inputs: bomInputsOf({ declaration, image, target, platform, base, resolution, steps, epoch }),
    files: measureRequests(compiled.files, { git, images }),
    tarballs,
    ...(resolution && {
      expectInstalled: resolution.packages.map((p) => ({ name: p.name, architecture: p.architecture, version: p.version })),
      expectRequested: image.apt.flatMap((a) => a.packages).map((p) => ({ name: p.name.value, ...(p.version && { version: p.version.value }) })),
    }),
    mtime: epoch.seconds,
    ...(accounts && { accounts: { users: accounts.users.map((u) => u.name), groups: accounts.groups.map((g) => g.name) } }),
  };
  const bomState = bomSideTree({
    request,
    image: compiled.state,
    ...(base && { base: imageSource(base.pinned, { platform }) }),
    ...(tarballs.length > 0 && {
      context: local(session.options.contextLocal, {
        sessionId: session.options.sessionId,
        followPaths: tarballs,
        sharedKeyHint: session.options.contextLocal,
        constraints: customName(`[internal] load ${tarballs.join(", ")} from the build context`),
      }),
    }),
    worker: frontendImage(),
    // a failure points at the image and, for a package dpkg did not install as resolved, at its apt block
    constraints: mergeConstraints(
      sourceMap.location(image.name.range),
      image.apt[0] ? sourceMap.location(image.apt[0].range) : {},
      session.options.noCache ? ignoreCache() : {},
    ),
  });
  let config = compiled.config;
  let imageState = compiled.state;
  if (image.bom?.path) {
    const dir = image.bom.path.value.replace(/\/+$/, "");
    imageState = compiled.state.file(
      stampAncestors(copy(bomState, "/", `${dir}/`, { copyDirContents: true, createDestPath: true, timestamp: epochNanoseconds(epoch.seconds) }), dir, epochNanoseconds(epoch.seconds)),
      customName(`[slipway] bill of materials → ${dir}`),
    );
    config = { ...config, history: [...(config.history ?? []), historyEntry(`bill of materials ${dir}`, epoch.seconds)] };
  }
  // two independent requests: BuildKit loads both graphs at once
  const [ref, bomRef] = await session.time("solve image and bom", () => Promise.all([session.solve(imageState, platform), session.solve(bomState, platform)]));
  if (image.bom?.estaleiroLabel?.value) {
    const labels = { ...(config.config.Labels ?? {}) };
    // opt-in, and never over a label the user set (estaleiro replaced every label with it)
    if (!(ESTALEIRO_LABEL in labels)) labels[ESTALEIRO_LABEL] = Buffer.from(await session.readFile(bomRef, BOM_FILES.estaleiro)).toString("base64");
    config = { ...config, config: { ...config.config, Labels: labels } };
  }
  return { platform, ref, config, bomRef, resolution, epoch, ...(base && { baseConfig: base.config }) };
}

/**
 * Everything BuildKit must tell us before compiling, asked at once, and the build's epoch. Steps get the
 * epoch as SOURCE_DATE_EPOCH; without the build argument it is the base image's `created`, so they wait
 * for the base (one image config lookup) and start beside the other lookups.
 */
async function resolveInputs(session: BuildSession, declaration: Declaration, image: Image, platform: Platform, lockedBaseDigest: string | undefined) {
  const epochArg = session.options.buildArgs.get(SOURCE_DATE_EPOCH_ARG);
  // checked before anything is asked of BuildKit: a bad value fails the build at once
  parseEpochArg(epochArg);
  const basePromise = image.base.kind === "image" ? resolveImage(session, pinnedByLock(image.base.ref, lockedBaseDigest), platform, "base image") : Promise.resolve(undefined);
  const epochPromise = epochArg !== undefined ? Promise.resolve(buildEpoch(epochArg, undefined)) : basePromise.then((b) => buildEpoch(undefined, b?.config));
  const [base, images, git, steps, epoch] = await Promise.all([
    basePromise,
    resolveFileImages(session, image, platform),
    resolveFileGit(session, image, platform),
    epochPromise.then((e) => buildSteps(session, declaration, image, platform, e.seconds)),
    epochPromise,
  ]);
  return { base, images, git, steps, epoch };
}

/**
 * The image's account files with its declared users and groups: the base's, read back through the
 * gateway (only for an image that declares accounts; a scratch base has none), merged in the frontend so
 * that a clash is an error at the declaration's line.
 */
async function accountsOf(session: BuildSession, image: Image, base: ResolvedImage | undefined, solveBaseRef: () => Promise<string>, epoch: number): Promise<AccountsPlan | undefined> {
  if (!image.users && !image.groups) return undefined;
  const at = image.base.kind === "image" ? image.base.ref.range : image.base.range;
  const files = base ? await readBaseAccounts(session, await solveBaseRef(), at) : {};
  return planAccounts(image, files, epoch);
}

/** The base reference, pinned to the lock's digest unless the declaration pins one itself. */
function pinnedByLock(ref: Located<ImageReference>, digest: string | undefined): Located<ImageReference> {
  if (!digest || ref.value.digest) return ref;
  const name = ref.value.tag ? `${ref.value.domain}/${ref.value.path}:${ref.value.tag}` : `${ref.value.domain}/${ref.value.path}`;
  return { ...ref, value: { ...ref.value, digest, canonical: `${name}@${digest}` } };
}

async function resolveFileImages(session: BuildSession, image: Image, platform: Platform): Promise<Map<string, ResolvedImage>> {
  const out = new Map<string, ResolvedImage>();
  for (const f of image.files) {
    if (f.source.kind !== "image" || out.has(f.source.image.value.canonical)) continue;
    out.set(f.source.image.value.canonical, await resolveImage(session, f.source.image, platform, "image"));
  }
  return out;
}

async function resolveFileGit(session: BuildSession, image: Image, platform: Platform): Promise<Map<string, ResolvedGit>> {
  const out = new Map<string, ResolvedGit>();
  for (const f of image.files) {
    if (f.source.kind !== "git") continue;
    const key = gitKey(f.source.repository.value, f.source.ref.value);
    if (!out.has(key)) out.set(key, await resolveGit(session, f.source.repository.value, f.source.ref.value, platform, f.source.ref.range));
  }
  return out;
}

async function buildSteps(session: BuildSession, declaration: Declaration, image: Image, platform: Platform, epoch: number): Promise<Map<string, ResolvedStep>> {
  const used = new Set(image.files.flatMap((f) => (f.source.kind === "step" ? [f.source.step.value] : [])));
  const steps = declaration.steps.filter((s) => used.has(s.name.value));
  const built = await Promise.all(steps.map((s) => buildStep(session, s, platform, epoch)));
  return new Map(built.map((b) => [b.name, b]));
}

let workerImage: WorkerImage | undefined;

/** The frontend's own image, read once: the BOM worker runs in it. */
function frontendImage(): WorkerImage {
  workerImage ??= currentFrontendImage();
  if (!workerImage) {
    throw new CapabilityError(
      "BuildKit gave slipway no definition of its own image (/run/config/buildkit/metadata/frontend.bin, BuildKit v0.10 and later); the bill of materials is measured by an op that runs in it. Upgrade BuildKit (Docker Engine 23 or later)",
    );
  }
  return workerImage;
}
