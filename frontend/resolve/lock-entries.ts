import { hasErrors, type Declaration, type Diagnostic, type Image } from "../../grammar/index.js";
import type { Platform } from "../../llb/index.js";
import type { ResolvedImage } from "../compile/index.js";
import { debianArchitecture, hasPackages, lockFromResolution, lockRequests, resolveApt, type AptLock } from "../debian/index.js";
import type { FactSource, PackageIndexes } from "./facts.js";

/** The lock's entries, and every problem met on the way (each image and platform is tried). */
export interface LockEntries {
  readonly entries: AptLock[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Resolves every image's packages afresh against the repositories' verified indexes, for each of its
 * platforms: what `--target lock` exports and `slipway lock` writes, given BuildKit or the registry and
 * the archive as `source`. `locked` hears of each entry as it is made (the CLI reports it).
 */
export async function lockEntries(
  declaration: Declaration,
  platformsOf: (image: Image) => readonly Platform[],
  source: FactSource & { readonly indexes: PackageIndexes },
  locked: (entry: AptLock, image: Image, platform: Platform, base: ResolvedImage) => void = () => {},
): Promise<LockEntries> {
  const entries: AptLock[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const image of declaration.images) {
    if (!hasPackages(image) || image.base.kind !== "image") continue;
    const ref = image.base.ref;
    for (const platform of platformsOf(image)) {
      const { value: architecture, diagnostics: unknownArchitecture } = debianArchitecture(platform, ref.range);
      if (architecture === undefined) {
        diagnostics.push(...unknownArchitecture);
        continue;
      }
      const { value: base, diagnostics: unresolved } = await source.image(ref, platform, "base image");
      if (base === undefined) {
        diagnostics.push(...unresolved);
        continue;
      }
      const files = await source.indexes.baseFiles(base, platform);
      const result = await resolveApt(
        { apt: image.apt, architecture, baseImage: { ref: base.pinned, digest: base.digest, range: ref.range } },
        { fetcher: source.indexes.fetcher(platform), base: files },
      );
      diagnostics.push(...result.diagnostics);
      if (!result.value || hasErrors(result.diagnostics)) continue;
      const entry = lockFromResolution(result.value, image.name.value, lockRequests(image.apt));
      entries.push(entry);
      locked(entry, image, platform, base);
    }
  }
  return { entries, diagnostics };
}
