import { errorAt, type Image, type Range, type Result } from "../../grammar/index.js";

/** A platform, as far as picking a Debian architecture goes. */
export interface PlatformLike {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

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

/** The Debian architecture of `platform`; undefined with an error at `at` when Debian has none. */
export function debianArchitecture(platform: PlatformLike, at: Range): Result<string | undefined> {
  const id = `${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ""}`;
  const arch = DEBIAN_ARCH[id];
  if (!arch) return { value: undefined, diagnostics: [errorAt(at, "No Debian architecture for this platform", `Debian packages cannot be installed for ${id}.`)] };
  return { value: arch, diagnostics: [] };
}

export function hasPackages(image: Image): boolean {
  return image.apt.some((a) => a.packages.length > 0);
}

