import type { Image, Located } from "../grammar/index.js";
import { DiagnosticsError } from "../grammar/index.js";
import { image as imageSource, type Platform } from "../llb/index.js";
import type { ResolvedImage } from "./compile/types.js";
import { buildArgMirrors } from "./build-args.js";
import { debianArchitecture, mirroredFetcher, resolveApt, type AptResolution } from "./debian/index.js";
import { gatewayFetcher, gatewayImageFiles } from "./solve/gateway-io.js";
import type { BuildSession } from "./solve/session.js";

/** Solves the base image and returns its ref, for reading its files (dpkg status, apt sources, keys). */
export async function solveBase(session: BuildSession, base: ResolvedImage, platform: Platform): Promise<string> {
  return session.solve(imageSource(base.pinned, { platform }), platform);
}

/**
 * Resolves the image's packages against the repositories' verified indexes, fetched through BuildKit
 * (from their mirrors, when `SLIPWAY_MIRROR` names any).
 * Throws DiagnosticsError located at the declaration.
 */
export async function resolvePackages(
  session: BuildSession,
  image: Image,
  base: ResolvedImage,
  baseRef: string,
  baseRange: Located<unknown>["range"],
  platform: Platform,
): Promise<AptResolution> {
  const result = await resolveApt(
    {
      apt: image.apt,
      architecture: debianArchitecture(platform, baseRange),
      baseImage: { ref: base.pinned, digest: base.digest, range: baseRange },
    },
    { fetcher: mirroredFetcher(gatewayFetcher(session, platform), buildArgMirrors(session.options.buildArgs)), base: gatewayImageFiles(session, baseRef) },
  );
  session.warn(result.diagnostics); // shown even when an error follows
  if (!result.resolution || result.diagnostics.some((d) => d.severity === "error")) throw new DiagnosticsError(result.diagnostics);
  return result.resolution;
}

