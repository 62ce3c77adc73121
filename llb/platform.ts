import { check } from "./errors.js";
import { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";

/** An OCI platform. Build them with {@link normalizePlatform} or {@link parsePlatform}. */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly osVersion?: string;
  readonly osFeatures?: readonly string[];
}

/**
 * containerd's `platforms.Normalize`: lower case, the usual aliases (x86_64 → amd64, aarch64 → arm64, armhf →
 * arm/v7 …), default variants dropped or added. Ops must carry normalized platforms: `linux/arm64/v8` and
 * `linux/arm64` are one platform to BuildKit but give different op bytes.
 */
export function normalizePlatform(platform: Platform): Platform {
  check(platform.os !== "", "platform needs an OS (llb/ has no host OS to default to)");
  check(platform.architecture !== "", "platform needs an architecture");
  let os = platform.os.toLowerCase();
  if (os === "macos") os = "darwin";
  let architecture = platform.architecture.toLowerCase();
  let variant = (platform.variant ?? "").toLowerCase();
  switch (architecture) {
    case "i386":
      architecture = "386";
      variant = "";
      break;
    case "x86_64":
    case "x86-64":
    case "amd64":
      architecture = "amd64";
      if (variant === "v1") variant = "";
      break;
    case "aarch64":
    case "arm64":
      architecture = "arm64";
      if (variant === "8" || variant === "v8" || variant === "v8.0") variant = "";
      else if (variant === "9" || variant === "9.0" || variant === "v9.0") variant = "v9";
      break;
    case "armhf":
      architecture = "arm";
      variant = "v7";
      break;
    case "armel":
      architecture = "arm";
      variant = "v6";
      break;
    case "arm":
      if (variant === "" || variant === "7") variant = "v7";
      else if (variant === "5" || variant === "6" || variant === "8") variant = "v" + variant;
      break;
  }
  const features = [...new Set(platform.osFeatures ?? [])].sort();
  return Object.freeze({
    os,
    architecture,
    ...(variant !== "" && { variant }),
    ...(platform.osVersion !== undefined && platform.osVersion !== "" && { osVersion: platform.osVersion }),
    ...(features.length > 0 && { osFeatures: Object.freeze(features) }),
  });
}

/** Parses `os/arch[/variant]` (as in `--platform`) and normalizes it. */
export function parsePlatform(specifier: string): Platform {
  const parts = specifier.split("/");
  check(
    parts.length >= 2 && parts.length <= 3 && parts.every((part) => /^[A-Za-z0-9_.-]+$/.test(part)),
    `invalid platform ${JSON.stringify(specifier)}: expected os/arch or os/arch/variant`,
  );
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  return normalizePlatform({ os, architecture, ...(variant !== undefined && { variant }) });
}

/** `os/arch[/variant]`, the platform ID BuildKit uses in `refs.platforms` (containerd `FormatAll`). */
export function formatPlatform(platform: Platform): string {
  const os = platform.osVersion ? `${platform.os}(${platform.osVersion})` : platform.os;
  return [os, platform.architecture, platform.variant].filter((part) => part).join("/");
}

export function platformsEqual(a: Platform, b: Platform): boolean {
  return formatPlatform(a) === formatPlatform(b) && (a.osFeatures ?? []).join(",") === (b.osFeatures ?? []).join(",");
}

/** The op's `platform` field. Field order is BuildKit's, and zero values are omitted by the encoder. */
export function platformToPb(platform: Platform): pb.Platform {
  return new pb.Platform({
    Architecture: platform.architecture,
    OS: platform.os,
    Variant: platform.variant ?? "",
    OSVersion: platform.osVersion ?? "",
    OSFeatures: [...(platform.osFeatures ?? [])],
  });
}

export function platformFromPb(platform: pb.Platform): Platform {
  return normalizePlatform({
    os: platform.OS,
    architecture: platform.Architecture,
    variant: platform.Variant,
    osVersion: platform.OSVersion,
    osFeatures: platform.OSFeatures,
  });
}
