import type { Image, Located, Range } from "../grammar/index.js";
import { DiagnosticsError, errorAt } from "../grammar/index.js";
import { image as imageSource, type Platform, type State } from "../llb/index.js";
import type { ResolvedImage } from "./compile/types.js";
import { resolveApt, type AptResolution } from "./debian/index.js";
import { gatewayFetcher, gatewayImageFiles } from "./gateway-io.js";
import type { BuildSession } from "./session.js";

/** Debian architecture names for OCI platforms (dpkg --print-architecture). */
const DEBIAN_ARCH: Record<string, string> = {
  "linux/amd64": "amd64",
  "linux/arm64": "arm64",
  "linux/arm/v7": "armhf",
  "linux/arm/v6": "armel",
  "linux/386": "i386",
  "linux/ppc64le": "ppc64el",
  "linux/s390x": "s390x",
  "linux/riscv64": "riscv64",
  "linux/mips64le": "mips64el",
};

export function debianArchitecture(platform: Platform, at: Range): string {
  const id = `${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ""}`;
  const arch = DEBIAN_ARCH[id];
  if (!arch) throw new DiagnosticsError([errorAt(at, "No Debian architecture for this platform", `Debian packages cannot be installed for ${id}.`)]);
  return arch;
}

export function hasPackages(image: Image): boolean {
  return image.apt.some((a) => a.packages.length > 0);
}

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
  if (!result.resolution || result.diagnostics.some((d) => d.severity === "error")) throw new DiagnosticsError(result.diagnostics);
  return result.resolution;
}

export type { State };
