import { DiagnosticsError, type Image } from "../grammar/index.js";
import { SourceMap, type Platform } from "../llb/index.js";
import { buildArgMirrors, SOURCE_DATE_EPOCH_ARG } from "./build-args.js";
import { solveWithBom } from "./bom-stage/index.js";
import { currentFrontendImage, FRONTEND_DEFINITION, type WorkerImage, type WorkerImageOptions } from "./bom-worker/index.js";
import type { OciImageConfig } from "./compile/index.js";
import type { BuildEpoch } from "./compile/index.js";
import type { AptResolution, LockFile } from "./debian/index.js";
import { imageLlb } from "./image-llb.js";
import type { LoadedDeclaration } from "./load/index.js";
import { CapabilityError, gatewayFacts, type BuildSession } from "./solve/index.js";
import { checkVendored, vendorInstall } from "./vendor-target.js";

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
  if (resolution) await session.time("vendored packages", () => checkVendored(session, image, resolution, platform));
  // Measure what was built and write the bill of materials (frontend/bom-stage).
  const { ref, bomRef, config } = await solveWithBom(session, {
    declaration, image, target, platform, sourceMap, compiled, base, resolution, steps, git, images, accounts, epoch,
    worker: () => frontendImage({ cacheImports: session.cacheImports().length > 0 }),
  });
  return { platform, ref, config, bomRef, resolution, epoch, ...(base && { baseConfig: base.config }) };
}

/**
 * The image's LLB as a build compiles it: `imageLlb` with BuildKit's facts and the build's options (the
 * same function `slipway llb` calls with the declaration's own facts). The plan's errors are thrown here,
 * at the gateway's edge, for the request handler (build.ts) to answer BuildKit with.
 */
export async function compileForBuild(session: BuildSession, loaded: LoadedDeclaration, image: Image, platform: Platform, lock: LockFile | undefined) {
  const declaration = loaded.declaration;
  const sourceMap = new SourceMap(declaration.file.name, declaration.file.text, loaded.loadedBy && { definition: loaded.loadedBy.proto });
  const mirrors = buildArgMirrors(session.options.buildArgs);
  const { value: built, diagnostics } = await imageLlb(
    { declaration, image, platform, lock, epochArg: session.options.buildArgs.get(SOURCE_DATE_EPOCH_ARG), mirrors, ...vendorInstall(session, platform) },
    gatewayFacts(session, mirrors),
    { sourceMap, context: { localName: session.options.contextLocal, sessionId: session.options.sessionId }, optionLabels: session.options.labels, noCache: session.options.noCache },
  );
  if (built === undefined) throw new DiagnosticsError(diagnostics);
  return { ...built, sourceMap };
}

let workerImage: WorkerImage | undefined;

/** The frontend's own image, read once (one build per process): the BOM worker runs in it. */
function frontendImage(options: WorkerImageOptions): WorkerImage {
  workerImage ??= currentFrontendImage(FRONTEND_DEFINITION, options);
  if (!workerImage) {
    throw new CapabilityError(
      "BuildKit gave slipway no definition of its own image (/run/config/buildkit/metadata/frontend.bin, BuildKit v0.10 and later); the bill of materials is measured by an op that runs in it. Upgrade BuildKit (Docker Engine 23 or later)",
    );
  }
  return workerImage;
}
