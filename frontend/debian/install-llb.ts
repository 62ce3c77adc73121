import { customName, http, merge, mergeConstraints, type Constraints, type State } from "../../llb/index.js";
import { debFileName, defaultInstallPlanOptions, installProgressName, installScript, type InstallPlanOptions } from "./install-plan.js";
import { mirroredUrl, MIRROR_VARIABLE, type Mirror } from "./mirrors.js";
import type { AptResolution, ResolvedPackage } from "./resolution.js";
import { VENDOR_TARGET, VENDOR_VARIABLE, vendoredDebDirectory, verifyScript } from "./vendor.js";

export interface InstallPackagesOptions extends InstallPlanOptions {
  /** Added to every op (the compiler passes the declaration's source location here). */
  readonly constraints?: Constraints;
  /** Where each .deb is fetched from instead of its locked URL (`SLIPWAY_MIRROR`); its checksum stays. */
  readonly mirrors?: readonly Mirror[];
  /**
   * The vendored image (`SLIPWAY_VENDOR`, an LLB image source pinned by digest) every .deb is taken from
   * instead of any URL; the install exec checks each against its SHA256 before dpkg runs.
   */
  readonly vendor?: State;
}

/**
 * The image state with the resolution's packages installed: one LLB http source per .deb, checked by
 * BuildKit against the SHA256 from the verified index or the lock and cached by content; the files
 * merged into one directory mounted read-only; and one exec with no network that runs dpkg on them, then
 * clamps what it wrote to the build's epoch (`installScript`).
 *
 * @example
 * const withPackages = installPackages(base, resolution, { constraints: sourceMap.location(apt.range) });
 */
export function installPackages(state: State, resolution: AptResolution, options: Partial<InstallPackagesOptions> = {}): State {
  if (resolution.packages.length === 0) return state;
  const o = { ...defaultInstallPlanOptions, ...options };
  // The downloads collapse into one progress line; the install exec keeps its own name, which lists
  // every package and version.
  // No progress group: buildx's plain output shows a group as one vertex named after the group, so a
  // failed download (a checksum mismatch) would not say which package it was.
  // BuildKit keys a checksummed http source by checksum and file name, not by URL, so a mirror changes
  // neither the cache nor the image (../shared/reference/buildkit-cache-and-mounts.md, §1.1).
  const extra = o.constraints ?? {};
  let directory: State;
  let verify = "";
  if (o.vendor) {
    directory = vendoredDebDirectory(o.vendor, resolution.packages, extra);
    verify = verifyScript(resolution.packages, o.debDirectory);
  } else {
    const debs = resolution.packages.map((p) => debSource(p, o.mirrors ?? [], resolution.repositories[p.repository]?.uri, extra));
    directory = merge(debs, mergeConstraints(customName(`[apt] gather ${debs.length} .deb files`), extra));
  }
  const byName = new Map(resolution.packages.map((p) => [p.name, p]));
  const stages = resolution.stages.map((s) => s.map((n) => byName.get(n)!));
  return state
    .run({
      args: ["/bin/sh", "-c", verify + installScript(stages, { debDirectory: o.debDirectory, epoch: o.epoch })],
      // the script sets them too; here they show in the op, for whoever reads the LLB
      env: [
        ["LC_ALL", "C"],
        ["SOURCE_DATE_EPOCH", String(o.epoch)],
        ["TZ", "UTC"],
      ],
      cwd: "/",
      user: "0:0",
      network: "none",
      mounts: [{ kind: "bind", dest: o.debDirectory, source: directory, readonly: true }],
      constraints: mergeConstraints(customName(installProgressName(resolution.packages)), extra),
    })
    .root();
}

/**
 * A .deb's download: an LLB http source checked by BuildKit against the SHA256, named for `debFileName`,
 * fetched from its mirror when one matches. The vendor target fetches through the same source, so a file
 * a build already has is not fetched again.
 */
export function debSource(p: ResolvedPackage | (Pick<ResolvedPackage, "name" | "version" | "architecture" | "uri" | "sha256">), mirrors: readonly Mirror[], repository: string | undefined, constraints: Constraints = {}): State {
  const url = mirroredUrl(p.uri, mirrors);
  return http(url, {
    checksum: `sha256:${p.sha256}`,
    filename: debFileName(p),
    perm: 0o644,
    constraints: mergeConstraints(customName(fetchName(p, url, repository)), constraints),
  });
}

/**
 * The progress name of a .deb's download. BuildKit's own error for a failed http source says only what
 * went wrong (connection refused, digest mismatch); buildx prints it under this name and the apt block's
 * location, so the name carries the package, the URL and what to do when the URL is gone.
 */
export function fetchName(p: Pick<ResolvedPackage, "name" | "version">, url: string, repository: string | undefined): string {
  const copy = repository ? `${repository.replace(/\/+$/, "")}=<a copy>` : "<locked URL prefix>=<a copy>";
  return `[apt] fetch ${p.name} ${p.version} from ${url} (if it cannot be fetched: --build-arg ${MIRROR_VARIABLE}=${copy}, --build-arg ${VENDOR_VARIABLE}=<image@sha256 made by --target ${VENDOR_TARGET}>, or re-lock)`;
}
