import { failure, type Result } from "../source/diagnostic.js";

const OPERATING_SYSTEMS = new Set(["linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "solaris", "illumos", "aix", "android", "ios", "plan9", "dragonfly", "wasip1", "js"]);
const ARCHITECTURES = new Set(["386", "amd64", "arm", "arm64", "ppc64", "ppc64le", "s390x", "riscv64", "mips", "mipsle", "mips64", "mips64le", "loong64", "wasm"]);
const ARCH_ALIASES = new Map([
  ["x86_64", "amd64"],
  ["x86-64", "amd64"],
  ["i386", "386"],
  ["i686", "386"],
  ["aarch64", "arm64"],
  ["armhf", "arm"],
  ["armel", "arm"],
]);
const VARIANTS: ReadonlyMap<string, readonly string[]> = new Map([
  ["arm", ["v5", "v6", "v7", "v8"]],
  ["arm64", ["v8", "v8.1", "v8.2", "v8.3", "v8.4", "v8.5", "v8.6", "v8.7", "v8.8", "v8.9", "v9", "v9.1", "v9.2", "v9.3", "v9.4", "v9.5"]],
  ["amd64", ["v1", "v2", "v3", "v4"]],
]);

/**
 * Parses and normalises a platform `os/arch[/variant]` the way containerd's `platforms.Normalize` does:
 * x86_64 → amd64, aarch64 → arm64, arm64/v8 → arm64, amd64/v1 → amd64, arm → arm/v7, armhf → arm/v7,
 * armel → arm/v6, i386 → 386. The value is the normalised platform, or undefined with an error (see
 * `failure`) when `text` is not one.
 */
export function parsePlatform(text: string): Result<string | undefined> {
  const parts = text.trim().toLowerCase().split("/");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === "")) {
    return invalid(`"${text}" is not a platform; write os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm/v7`);
  }
  let [os, arch, variant] = parts as [string, string, string | undefined];
  if (os === "macos") os = "darwin";
  if (!OPERATING_SYSTEMS.has(os)) return invalid(`"${os}" is not a known operating system (e.g. linux, windows)`);
  const alias = ARCH_ALIASES.get(arch);
  if (arch === "armhf" && variant === undefined) variant = "v7";
  if (arch === "armel" && variant === undefined) variant = "v6";
  arch = alias ?? arch;
  if (!ARCHITECTURES.has(arch)) return invalid(`"${arch}" is not a known architecture (e.g. amd64, arm64, arm, 386, ppc64le, s390x, riscv64)`);
  if (variant !== undefined && /^\d/.test(variant)) variant = `v${variant}`;
  if (arch === "arm" && variant === undefined) variant = "v7";
  if ((arch === "arm64" && variant === "v8") || (arch === "amd64" && variant === "v1")) variant = undefined;
  if (variant !== undefined && !(VARIANTS.get(arch) ?? []).includes(variant)) {
    const known = VARIANTS.get(arch);
    return invalid(`"${variant}" is not a variant of ${arch}${known ? ` (use ${known.join(", ")})` : "; it has no variants"}`);
  }
  return { value: variant === undefined ? `${os}/${arch}` : `${os}/${arch}/${variant}`, diagnostics: [] };
}

function invalid(reason: string): Result<undefined> {
  return failure("Invalid platform", reason);
}
