import type { Image } from "../grammar/index.js";
import type { Platform } from "../llb/index.js";
import type { Result } from "./gateway/client.js";
import type { PackageResolver } from "./image-build.js";
import type { LoadedDeclaration } from "./load.js";
import { resolvePackages } from "./packages.js";
import type { BuildSession } from "./session.js";

export const LOCK_TARGET = "lock";

/** How this build resolves packages: from the lock beside the declaration, or from the indexes. */
export function packageResolver(session: BuildSession, loaded: LoadedDeclaration, image: Image): PackageResolver {
  return (base, baseRef, platform) => {
    if (image.base.kind !== "image") throw new Error("bug: packages on scratch");
    return resolvePackages(session, image, base, baseRef, image.base.ref.range, platform);
  };
}

export async function exportLock(_session: BuildSession, _loaded: LoadedDeclaration, _image: Image, _platforms: Platform[]): Promise<Result> {
  throw new Error("the lock target is not wired yet");
}
