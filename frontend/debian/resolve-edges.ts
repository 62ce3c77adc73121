import { relationsOf, type BinaryPackage } from "./packages.js";
import type { RelationGroup } from "./relations.js";
import { satisfiesByProvides, satisfiesDirectly, type Universe } from "./universe.js";

/**
 * For each package to install, the packages of the same installation that satisfy its Pre-Depends and
 * Depends (the install plan orders dpkg runs by them; the lock records them so it can be ordered without
 * indexes). Packages already in the base image are left out: they are configured before anything runs.
 */
export function dependencyEdges(
  install: readonly BinaryPackage[],
  instVer: (name: string) => BinaryPackage | undefined,
  universe: Universe,
): Map<string, { preDepends: string[]; depends: string[] }> {
  const arch = universe.architecture;
  const newNames = new Set(install.map((p) => p.name));
  const satisfiers = (group: RelationGroup): string[] => {
    const out = new Set<string>();
    for (const r of group) {
      const own = instVer(r.name);
      if (own && newNames.has(own.name) && satisfiesDirectly(own, r, arch)) out.add(own.name);
      for (const p of universe.providers(r.name)) {
        const v = instVer(p);
        if (v && newNames.has(p) && satisfiesByProvides(v, r, arch)) out.add(p);
      }
    }
    return [...out];
  };
  const edges = new Map<string, { preDepends: string[]; depends: string[] }>();
  for (const pkg of install) {
    const pre = relationsOf(pkg, "pre-depends", arch).flatMap(satisfiers);
    const deps = relationsOf(pkg, "depends", arch).flatMap(satisfiers);
    edges.set(pkg.name, { preDepends: [...new Set(pre)].sort(), depends: [...new Set(deps)].sort() });
  }
  return edges;
}
