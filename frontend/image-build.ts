import type { Image } from "../grammar/index.js";
import { copy, customName, ignoreCache, image as imageSource, local, mergeConstraints, SourceMap, type Platform } from "../llb/index.js";
import { buildArgMirrors, SOURCE_DATE_EPOCH_ARG } from "./build-args.js";
import { bomInputsOf } from "./bom-inputs.js";
import { BOM_FILES, ESTALEIRO_LABEL } from "./bom/names.js";
// the worker's modules, not its index: the frontend must not load the BOM writers the worker runs
import { measureRequests, plannedTarballs, type BomRequest } from "./bom-worker/request.js";
import { bomSideTree, currentFrontendImage, type WorkerImage } from "./bom-worker/side-tree.js";
import { historyEntry, stampAncestors, type OciImageConfig } from "./compile/index.js";
import { epochNanoseconds, type BuildEpoch } from "./epoch.js";
import type { AptResolution, LockFile } from "./debian/index.js";
import { imageLlb } from "./image-llb.js";
import type { LoadedDeclaration } from "./load/index.js";
import { CapabilityError, gatewayFacts, type BuildSession } from "./solve/index.js";

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

/**
 * Builds `image` for `platform`: ask BuildKit what must be resolved first (base and other images, git
 * commits, Dockerfile steps, packages, accounts), compile to LLB, solve, then measure what was built and
 * write the bill of materials into its side-tree.
 */
export async function buildPlatformImage(session: BuildSession, loaded: LoadedDeclaration, image: Image, platform: Platform, target: string | undefined, lock: LockFile | undefined): Promise<PlatformImage> {
  const declaration = loaded.declaration;
  const { plan, compiled, sourceMap } = await compileForBuild(session, loaded, image, platform, lock);
  const { base, images, git, steps, epoch, accounts } = plan;
  const resolution = plan.packages?.resolution;
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
 * The image's LLB as a build compiles it: `imageLlb` with BuildKit's facts and the build's options (the
 * same function `slipway llb` calls with the declaration's own facts).
 */
export async function compileForBuild(session: BuildSession, loaded: LoadedDeclaration, image: Image, platform: Platform, lock: LockFile | undefined) {
  const declaration = loaded.declaration;
  const sourceMap = new SourceMap(declaration.file.name, declaration.file.text, loaded.loadedBy && { definition: loaded.loadedBy.proto });
  const mirrors = buildArgMirrors(session.options.buildArgs);
  const { plan, compiled } = await imageLlb(
    { declaration, image, platform, lock, epochArg: session.options.buildArgs.get(SOURCE_DATE_EPOCH_ARG), mirrors },
    gatewayFacts(session, mirrors),
    { sourceMap, context: { localName: session.options.contextLocal, sessionId: session.options.sessionId }, optionLabels: session.options.labels, noCache: session.options.noCache },
  );
  return { plan, compiled, sourceMap };
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
