import { customName, http, merge, mergeConstraints, type Constraints, type State } from "../../llb/index.js";
import { debFileName, defaultInstallPlanOptions, installProgressName, installScript, type InstallPlanOptions } from "./install-plan.js";
import type { AptResolution } from "./resolution.js";

export interface InstallPackagesOptions extends InstallPlanOptions {
  /** Added to every op (the compiler passes the declaration's source location here). */
  readonly constraints?: Constraints;
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
  const extra = o.constraints ?? {};
  const debs = resolution.packages.map((p) =>
    http(p.uri, {
      checksum: `sha256:${p.sha256}`,
      filename: debFileName(p),
      perm: 0o644,
      constraints: mergeConstraints(customName(`[apt] fetch ${p.name} ${p.version}`), extra),
    }),
  );
  const directory = merge(debs, mergeConstraints(customName(`[apt] gather ${debs.length} .deb files`), extra));
  const byName = new Map(resolution.packages.map((p) => [p.name, p]));
  const stages = resolution.stages.map((s) => s.map((n) => byName.get(n)!));
  return state
    .run({
      args: ["/bin/sh", "-c", installScript(stages, { debDirectory: o.debDirectory, epoch: o.epoch })],
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
