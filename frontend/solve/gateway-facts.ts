import { image as imageSource, type Platform } from "../../llb/index.js";
import { readBaseAccounts } from "../accounts/index.js";
import type { ResolvedImage } from "../compile/index.js";
import { mirroredFetcher, type Mirror } from "../debian/index.js";
import type { FactSource, PackageIndexes } from "../resolve/index.js";
import { gatewayFetcher, gatewayImageFiles } from "./gateway-io.js";
import { resolveGit } from "./git.js";
import { resolveImage } from "./images.js";
import type { BuildSession } from "./session.js";
import { buildStep } from "./steps.js";

/**
 * The facts of a build, asked of BuildKit through the gateway: images and git refs resolved with its
 * registry auth, mirrors and source policies, steps built by its Dockerfile frontend, indexes fetched as
 * LLB http sources (through `mirrors`), and the base image's files read from its solved root, which is
 * solved once per image and platform and only when something reads it (a lock needs none of it).
 */
export function gatewayFacts(session: BuildSession, mirrors: readonly Mirror[]): FactSource & { readonly indexes: PackageIndexes } {
  const solved = new Map<string, Promise<string>>();
  const baseRef = (base: ResolvedImage, platform: Platform): Promise<string> => {
    const key = `${base.pinned} ${platform.os}/${platform.architecture}/${platform.variant ?? ""}`;
    if (!solved.has(key)) solved.set(key, session.time("solve base", () => session.solve(imageSource(base.pinned, { platform }), platform)));
    return solved.get(key)!;
  };
  return {
    image: (ref, platform, role) => resolveImage(session, ref, platform, role),
    git: (repository, ref, platform, range) => resolveGit(session, repository, ref, platform, range),
    step: (step, platform, epoch) => buildStep(session, step, platform, epoch),
    baseAccounts: async (base, platform, at, homes) => readBaseAccounts(session, await baseRef(base, platform), at, homes),
    indexes: {
      fetcher: (platform) => mirroredFetcher(gatewayFetcher(session, platform), mirrors),
      baseFiles: async (base, platform) => gatewayImageFiles(session, await baseRef(base, platform)),
    },
    warn: (diagnostics) => session.warn(diagnostics),
    time: (phase, work) => session.time(phase, work),
  };
}
