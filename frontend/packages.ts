import type { Image, Located } from "../grammar/index.js";
import { DiagnosticsError } from "../grammar/index.js";
import { image as imageSource, type Platform } from "../llb/index.js";
import type { ResolvedImage } from "./compile/types.js";
import { debianArchitecture, resolveApt, type AptResolution } from "./debian/index.js";
import { gatewayFetcher, gatewayImageFiles } from "./gateway-io.js";
import type { BuildSession } from "./session.js";

/** Solves the base image and returns its ref, for reading its files (dpkg status, apt sources, keys). */
export async function solveBase(session: BuildSession, base: ResolvedImage, platform: Platform): Promise<string> {
  return session.solve(imageSource(base.pinned, { platform }), platform);
}

/**
 * Resolves the image's packages against the repositories' verified indexes, fetched through BuildKit.
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
    { fetcher: gatewayFetcher(session, platform), base: gatewayImageFiles(session, baseRef) },
  );
  session.warn(result.diagnostics); // shown even when an error follows
  if (!result.resolution || result.diagnostics.some((d) => d.severity === "error")) throw new DiagnosticsError(result.diagnostics);
  return result.resolution;
}

