import type { BinaryPackage, RelationField } from "./packages.js";
import { formatRelation, type Relation, type RelationGroup } from "./relations.js";
import { compareVersions, satisfiesVersion } from "./version.js";

/** Why a requested package cannot be installed, with the dependency chain that leads there. */
export interface ResolveProblem {
  /** Index of the request it belongs to; -1 when it concerns the final set as a whole. */
  readonly request: number;
  readonly kind: "unknown" | "virtual" | "version" | "unsatisfiable" | "conflict";
  readonly summary: string;
  readonly detail: string;
  readonly hint?: string | undefined;
  /** `curl (7.88.1-10+deb12u5)`, `libcurl4 (7.88.1-10+deb12u5)`, …, then the relation that fails. */
  readonly chain: readonly string[];
  /** Close names (unknown package) or offered versions (missing version). */
  readonly suggestions?: readonly string[];
}

/** What explainGroup needs to know about the resolver's world. */
export interface ExplainContext {
  versionsOf(name: string): readonly BinaryPackage[];
  installedOf(name: string): BinaryPackage | undefined;
  providersOf(name: string): readonly string[];
  candidate(name: string): BinaryPackage | undefined;
}

/** A problem for an unsatisfiable dependency group of the last package in `chain`. */
export function explainGroup(ctx: ExplainContext, chain: readonly string[], group: RelationGroup, field: RelationField): ResolveProblem {
  const reasons = group.map((r) => `${formatRelation(r)}: ${whyNot(ctx, r)}`);
  const label = field === "pre-depends" ? "Pre-Depends" : field === "depends" ? "Depends" : "Recommends";
  const path = [...chain, group.map(formatRelation).join(" | ")];
  return {
    request: -1,
    kind: "unsatisfiable",
    summary: "Unsatisfiable dependency",
    detail: `${path.join(" → ")}: ${chain[chain.length - 1]} ${label} on ${group.map(formatRelation).join(" | ")}, and ${reasons.join("; ")}.`,
    hint: "Pin a different version of the requested package, or add the repository that provides the missing package.",
    chain: path,
  };
}

function whyNot(ctx: ExplainContext, r: Relation): string {
  const versions = [...ctx.versionsOf(r.name)];
  const installed = ctx.installedOf(r.name);
  if (installed && !versions.some((v) => v.version === installed.version)) versions.push(installed);
  const providers = ctx.providersOf(r.name);
  if (versions.length === 0 && providers.length === 0) return "no repository offers it and no package provides it";
  if (versions.length > 0 && r.operator) {
    const matching = versions.filter((v) => satisfiesVersion(v.version, r.operator!, r.version!));
    if (matching.length === 0) {
      const list = versions.map((v) => v.version).sort((a, b) => compareVersions(b, a));
      return `only version${list.length > 1 ? "s" : ""} ${list.join(", ")} ${list.length > 1 ? "are" : "is"} available${installed ? ` (${installed.version} installed)` : ""}`;
    }
    const cand = ctx.candidate(r.name);
    if (cand && !matching.includes(cand)) {
      const fit = matching.sort((a, b) => compareVersions(b.version, a.version))[0]!;
      return `the candidate version ${cand.version} does not match (declare package "${r.name}" with version = "${fit.version}" to use ${fit.version})`;
    }
  }
  if (r.archQualifier && r.archQualifier !== "native") return `no version can satisfy the :${r.archQualifier} qualifier`;
  if (versions.length === 0) return `it is virtual (provided by ${providers.join(", ")}) and no provider can be installed`;
  return "it cannot be installed (see above)";
}

/**
 * Names close to `name` for a "did you mean": the smallest edit distances (at most a third of the name's
 * length, at least 1, at most 3), then names that contain it or that it starts like; at most `limit`.
 */
export function suggestNames(name: string, names: Iterable<string>, limit = 3): string[] {
  const maxDistance = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  const scored: [number, string][] = [];
  for (const candidate of names) {
    if (Math.abs(candidate.length - name.length) <= maxDistance) {
      const d = editDistance(name, candidate, maxDistance);
      if (d <= maxDistance) {
        scored.push([d, candidate]);
        continue;
      }
    }
    if (name.length >= 3 && (candidate.startsWith(`${name}-`) || candidate === `${name}s`)) scored.push([maxDistance + 1, candidate]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].length - b[1].length || (a[1] < b[1] ? -1 : 1));
  return scored.slice(0, limit).map(([, n]) => n);
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment); max + 1 once exceeded. */
function editDistance(a: string, b: string, max: number): number {
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1);
      row.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length]!;
}
