import { errorAt, type Declaration, type Image, type ImageReference, type Result } from "../../grammar/index.js";
import { formatPlatform, type Platform } from "../../llb/index.js";
import type { OciImageConfig, ResolvedImage } from "../compile/index.js";
import type { Fetcher } from "../debian/index.js";
import { isImageFilesError, readRegistryImage, type RegistryImage } from "../image-files/index.js";
import type { FactSource, PackageIndexes } from "../resolve/index.js";
import { pinnedName } from "../resolve/index.js";

/**
 * The facts `slipway llb` has without BuildKit: every name as declared. Images are pinned only to a
 * digest already known (the declaration's or the lock's) and inherit no config, git refs stand for
 * their commits, the base's accounts are not read (a scratch base has none), and a step is a located
 * error: only BuildKit's Dockerfile frontend turns one into LLB. Packages come only from the lock.
 */
export function declaredFacts(declaration: Declaration, image: Image): FactSource {
  return {
    image: async (ref, platform) => ({ value: asDeclared(ref.value, platform), diagnostics: [] }),
    git: async (repository, ref) => ({ value: { repository, ref, commit: ref }, diagnostics: [] }),
    async step(step) {
      const uses = image.files.flatMap((f) => (f.source.kind === "step" && f.source.step.value === step.name.value ? [f.source.step] : []));
      return {
        value: undefined,
        diagnostics: uses.map((s) =>
          errorAt(s.range, "A step cannot be shown as LLB", `"${s.value}" is a Dockerfile step: BuildKit's Dockerfile frontend turns it into LLB during the build, so slipway llb, which runs without BuildKit, cannot include it.`, {
            hint: `Build the image to run the step (slipway build ${declaration.file.name}); slipway llb shows images without steps.`,
          }),
        ),
      };
    },
    baseAccounts: async () => ({ value: undefined, diagnostics: [] }),
    warn: () => {},
    time: (_phase, work) => work(),
  };
}

/** An image as declared, standing in for one BuildKit resolved: pinned only to a digest already known. */
function asDeclared(reference: ImageReference, platform: Platform): ResolvedImage {
  const config: OciImageConfig = { architecture: platform.architecture, os: platform.os, ...(platform.variant && { variant: platform.variant }), config: {} };
  const digest = reference.digest ?? "";
  return { reference, pinned: digest ? pinnedName(reference, digest) : reference.canonical, digest, config };
}

/** What `slipway lock` reads images and indexes with. */
export interface RegistryFactsOptions {
  /** A docker.io mirror (`http://127.0.0.1:5000`), if any. */
  readonly mirror: string | undefined;
  readonly fetch: typeof globalThis.fetch;
  /** Fetches repository indexes and keys. */
  readonly fetcher: Fetcher;
}

/**
 * The facts `slipway lock` has without BuildKit: base images read from their registries (anonymously,
 * each image and platform once), indexes fetched with Node's HTTP client. Only what locking asks is
 * answered.
 */
export function registryFacts(options: RegistryFactsOptions): FactSource & { readonly indexes: PackageIndexes } {
  const read = new Map<string, Promise<RegistryImage>>();
  const registryImage = (canonical: string, platform: Platform) => {
    const key = `${canonical} ${formatPlatform(platform)}`;
    if (!read.has(key)) read.set(key, readRegistryImage(canonical, { platform: formatPlatform(platform), mirror: options.mirror, fetch: options.fetch }));
    return read.get(key)!;
  };
  const unasked = async (): Promise<never> => {
    throw new Error("bug: slipway lock asked for more than base images and indexes");
  };
  return {
    async image(ref, platform): Promise<Result<ResolvedImage | undefined>> {
      try {
        const got = await registryImage(ref.value.canonical, platform);
        const config: OciImageConfig = { architecture: platform.architecture, os: platform.os, config: {} };
        return { value: { reference: ref.value, pinned: pinnedName(ref.value, got.digest), digest: got.digest, config }, diagnostics: [] };
      } catch (e) {
        if (!isImageFilesError(e)) throw e;
        return { value: undefined, diagnostics: [errorAt(ref.range, "Cannot read the base image", `${e.message}.`, { hint: mirrorHint(ref.value.domain, options.mirror) })] };
      }
    },
    git: unasked,
    step: unasked,
    baseAccounts: unasked,
    indexes: {
      fetcher: () => options.fetcher,
      baseFiles: async (base, platform) => (await registryImage(base.reference.canonical, platform)).files,
    },
    warn: () => {},
    time: (_phase, work) => work(),
  };
}

function mirrorHint(domain: string, mirror: string | undefined): string {
  if (domain !== "docker.io") return "check the reference, and that the registry can be read without logging in";
  return mirror
    ? `docker.io images were read through the mirror ${mirror}; check that it serves this image, or choose another with --registry-mirror URL`
    : "no docker.io mirror is configured; give one with --registry-mirror URL if Docker Hub cannot be reached from here";
}
