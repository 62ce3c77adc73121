import { failure, type Result } from "../../grammar/index.js";
import { copy, customName, image, isLlbArgumentError, mergeConstraints, mkdir, normalizeImageRef, scratch, type Constraints, type FileAction, type Platform, type State } from "../../llb/index.js";
import { debFileName, shellQuote } from "./install-plan.js";
import type { AptLock } from "./lock-schema.js";
import type { ResolvedPackage } from "./resolution.js";

/**
 * Vendoring: every .deb a lock names, packed into an OCI image the user pushes to a registry of their
 * own (`--target vendor`), and a build that takes its packages from that image instead of any archive
 * (`SLIPWAY_VENDOR=REF@sha256:…`). The image is laid out by content, so it does not matter which lock or
 * image a file came from:
 *
 *     /sha256/<hex>   one .deb, named by its SHA256
 *     /index.json     what each file is: {"slipwayVendor":1,"packages":[{sha256,name,version,architecture,uri}…]}
 *
 * The BOM records source packages by URL and SHA256 only (it reads none of their bytes), so the image
 * holds only .debs.
 */

/** The reserved target that exports the vendored package image. */
export const VENDOR_TARGET = "vendor";
/** The build argument (and the CLI's environment variable) naming the vendored image. */
export const VENDOR_VARIABLE = "SLIPWAY_VENDOR";
export const vendorDebDirectory = "/sha256";
export const vendorIndexPath = "/index.json";
export const vendorIndexVersion = 1;

export interface VendoredPackage {
  readonly sha256: string;
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  readonly uri: string;
}

/** The index of a vendored image: every package once (by SHA256), sorted, so the file is reproducible. */
export interface VendorIndex {
  readonly slipwayVendor: typeof vendorIndexVersion;
  readonly packages: readonly VendoredPackage[];
}

/** Every package of every lock entry, once per SHA256, sorted by it. */
export function vendoredPackages(entries: readonly AptLock[]): VendoredPackage[] {
  const bySha = new Map<string, VendoredPackage>();
  for (const entry of entries) {
    for (const p of entry.packages) {
      if (!bySha.has(p.sha256)) bySha.set(p.sha256, { sha256: p.sha256, name: p.name, version: p.version, architecture: p.architecture, uri: p.uri });
    }
  }
  return [...bySha.values()].sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0));
}

export function formatVendorIndex(packages: readonly VendoredPackage[]): string {
  const index: VendorIndex = { slipwayVendor: vendorIndexVersion, packages };
  return `${JSON.stringify(index, null, 2)}\n`;
}

/**
 * The vendored image's root: each .deb (from `debState(p)`, the same checksummed download a build uses,
 * so one already fetched is not fetched again) copied to /sha256/<hex>, and the index. Every time is the
 * epoch, every file 0644 and owned by root, and the copies are in SHA256 order.
 */
export function vendorImageState(packages: readonly VendoredPackage[], debState: (p: VendoredPackage) => State, epoch: number, constraints: Constraints = {}): State {
  const timestamp = BigInt(epoch) * 1_000_000_000n;
  let chain: FileAction = mkdir(vendorDebDirectory, 0o755, { timestamp });
  for (const p of packages) {
    chain = chain.copy(debState(p), `/${debFileName(p)}`, `${vendorDebDirectory}/${p.sha256}`, { mode: 0o644, owner: "0:0", timestamp });
  }
  chain = chain.mkfile(vendorIndexPath, 0o644, formatVendorIndex(packages), { timestamp });
  // the copies changed /sha256's mtime, and the index the root's: both back to the epoch
  chain = chain.copy(scratch(), "/", vendorDebDirectory, { copyDirContents: true, timestamp }).copy(scratch(), "/", "/", { copyDirContents: true, timestamp });
  return scratch().file(chain, mergeConstraints(customName(`[slipway] vendor ${packages.length} .deb file${packages.length === 1 ? "" : "s"} by sha256`), constraints));
}

/** The normalised reference, or undefined with an error whose reason (see `failure`) follows "the value". */
export type VendorParse = Result<string | undefined>;

const maxRefLength = 1024;

/**
 * `SLIPWAY_VENDOR`: an image reference pinned by digest (`REF@sha256:<64 hex>`, a tag beside it is
 * allowed). A tag alone could name other files tomorrow, and an empty value means nothing: both refused.
 */
export function parseVendorRef(text: string): VendorParse {
  const value = text.trim();
  if (value === "") return failure("Malformed vendor reference", "is empty");
  if (value.length > maxRefLength) return failure("Malformed vendor reference", `is ${value.length} characters, more than ${maxRefLength}`);
  const at = value.lastIndexOf("@");
  if (at < 0) return failure("Malformed vendor reference", `${quote(value)} has no digest`);
  if (!/^sha256:[0-9a-f]{64}$/.test(value.slice(at + 1))) return failure("Malformed vendor reference", `${quote(value)} does not end in @sha256: and 64 lowercase hex digits`);
  try {
    return { value: normalizeImageRef(value), diagnostics: [] };
  } catch (e) {
    if (isLlbArgumentError(e)) return failure("Malformed vendor reference", `${quote(value)} is not an image reference`);
    throw e;
  }
}

/** The vendored image as an LLB source: pulled by digest, for the build's platform. */
export function vendorImage(ref: string, platform: Platform): State {
  return image(ref, { platform, constraints: customName(`[apt] vendored packages ${ref}`) });
}

/**
 * The directory of .debs the install exec mounts, taken from the vendored image: each package's
 * /sha256/<hex> copied to the name dpkg is given. BuildKit checks nothing here; `verifyScript` does, in
 * the install exec, before dpkg runs.
 */
export function vendoredDebDirectory(vendor: State, packages: readonly ResolvedPackage[], constraints: Constraints = {}): State {
  let chain: FileAction | undefined;
  for (const p of [...packages].sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0))) {
    const args = [vendor, `${vendorDebDirectory}/${p.sha256}`, `/${debFileName(p)}`, { mode: 0o644, owner: "0:0" }] as const;
    chain = chain ? chain.copy(...args) : copy(...args);
  }
  return scratch().file(chain!, mergeConstraints(customName(`[apt] take ${packages.length} .deb file${packages.length === 1 ? "" : "s"} from the vendored image`), constraints));
}

/**
 * Shell lines that check every .deb in `directory` against the lock's SHA256 and stop, naming the
 * package, at the first that differs: a vendored image is a registry's bytes, not the lock's.
 */
export function verifyScript(packages: readonly ResolvedPackage[], directory: string): string {
  const dir = directory.replace(/\/+$/, "");
  const lines = ["set -eu"];
  for (const p of packages) {
    const path = `${dir}/${debFileName(p)}`;
    const message = `slipway: ${p.name} ${p.version} (${debFileName(p)}) in the vendored image is not the locked sha256:${p.sha256}; re-make the image with --target vendor`;
    lines.push(`echo ${shellQuote(`${p.sha256}  ${path}`)} | sha256sum -c --status || { echo ${shellQuote(message)} >&2; exit 1; }`);
  }
  return `${lines.join("\n")}\n`;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
