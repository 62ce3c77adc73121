import { relationsOf, type BinaryPackage, type RelationField } from "./packages.js";
import { formatRelation, type Relation, type RelationGroup } from "./relations.js";
import { explainGroup, suggestNames, type ResolveProblem } from "./resolve-explain.js";
import type { PackageRequest, ResolveOptions, ResolveResult } from "./resolve-types.js";
import { dependencyEdges } from "./resolve-edges.js";
import { satisfiesByProvides, satisfiesDirectly, Universe } from "./universe.js";
import { compareVersions } from "./version.js";

// long because: apt's MarkInstall rules and their helpers share the resolver's state; explanations and
// dependency edges already live in resolve-explain.ts and resolve-edges.ts.

/**
 * The resolver: which packages to install so that every requested package is installed with its
 * Pre-Depends and Depends, chosen the way `apt-get install --no-install-recommends` chooses them
 * (apt-pkg/depcache.cc, MarkInstall):
 *
 * - each package's candidate is its highest version (never below the installed one); a requested
 *   `version` replaces it;
 * - requested packages are marked first, then their dependencies are installed depth-first in request order;
 * - a dependency already satisfied by what is installed or marked is left alone;
 * - otherwise the first alternative that can be installed wins, with packages already installed (to be
 *   upgraded) before new ones and providers ordered as apt's CompareProviders orders them;
 * - a package whose critical dependencies no candidate can satisfy is skipped as an alternative;
 * - installing a binary upgrades the other installed binaries built from the same source version;
 * - Conflicts and Breaks against installed packages are resolved by upgrading them when the upgrade
 *   no longer conflicts, and are errors otherwise (slipway never removes base image packages).
 */

export type { PackageRequest, ResolveOptions, ResolveResult };

const criticalFields: readonly RelationField[] = ["pre-depends", "depends"];

export function resolvePackages(universe: Universe, requests: readonly PackageRequest[], options: ResolveOptions): ResolveResult {
  return new Resolver(universe, options).run(requests);
}

class Resolver {
  private readonly planned = new Map<string, BinaryPackage>();
  private readonly candidates = new Map<string, BinaryPackage | undefined>();
  private readonly protectedNames = new Set<string>();
  private readonly order: string[] = [];
  /** Problems met while trying the current request; the deepest one explains a failure. */
  private trail: ResolveProblem[] = [];
  private readonly arch: string;
  private readonly dependencyFields: readonly RelationField[];

  constructor(
    private readonly universe: Universe,
    options: ResolveOptions,
  ) {
    this.arch = universe.architecture;
    this.dependencyFields = options.installRecommends ? ["pre-depends", "depends", "recommends"] : criticalFields;
  }

  run(requests: readonly PackageRequest[]): ResolveResult {
    const problems: ResolveProblem[] = [];
    const chosen: (string | undefined)[] = requests.map((req, i) => {
      const r = this.selectRequested(req, i);
      if ("problem" in r) {
        problems.push(r.problem);
        return undefined;
      }
      this.protectedNames.add(r.name);
      return r.name;
    });
    // apt marks every requested package first, then installs their dependencies in request order.
    for (const name of chosen) if (name) this.markInstall(name, false, true, [this.describe(name)]);
    chosen.forEach((name, i) => {
      if (!name) return;
      this.trail = [];
      const ok = this.markInstall(name, true, true, [this.describe(name)]);
      if (!ok || !this.isSatisfied(name)) problems.push(this.explainFailure(name, i));
    });
    if (problems.length === 0) problems.push(...this.checkConsistency());
    if (problems.length > 0) return { install: [], dependencies: new Map(), problems };
    const install = this.order.map((n) => this.planned.get(n)!).filter((p) => p !== this.universe.installedVersion(p.name));
    return { install, dependencies: dependencyEdges(install, (n) => this.instVer(n), this.universe), problems };
  }

  // -- requests -----------------------------------------------------------------------------------------

  private selectRequested(req: PackageRequest, index: number): { name: string } | { problem: ResolveProblem } {
    let name = req.name;
    if (!this.universe.isReal(name)) {
      const providers = this.universe.providers(name).filter((p) => this.candidate(p));
      if (providers.length === 1 && !req.version) {
        name = providers[0]!;
      } else if (providers.length > 1) {
        return {
          problem: {
            request: index,
            kind: "virtual",
            summary: `"${req.name}" is a virtual package`,
            detail: `"${req.name}" is provided by ${providers.sort().join(", ")}; it cannot be installed by itself.`,
            hint: "Name one of the providing packages instead.",
            chain: [req.name],
            suggestions: providers,
          },
        };
      } else {
        const suggestions = suggestNames(req.name, this.universe.names());
        return {
          problem: {
            request: index,
            kind: "unknown",
            summary: `Unknown package "${req.name}"`,
            detail: `No repository offers a package named "${req.name}", and no package provides it.`,
            ...(suggestions.length > 0 ? { hint: `Did you mean ${suggestions.map((s) => `"${s}"`).join(", ")}?` } : {}),
            chain: [req.name],
            suggestions,
          },
        };
      }
    }
    if (req.version !== undefined) {
      const all = [...this.universe.versions(name)];
      const current = this.universe.installedVersion(name);
      if (current && !all.some((p) => p.version === current.version)) all.push(current);
      const exact = all.find((p) => compareVersions(p.version, req.version!) === 0);
      if (!exact) {
        const offered = all.map((p) => p.version).sort((a, b) => compareVersions(b, a));
        return {
          problem: {
            request: index,
            kind: "version",
            summary: `Version ${req.version} of "${name}" is not available`,
            detail:
              offered.length > 0
                ? `The repositories offer "${name}" in version${offered.length > 1 ? "s" : ""} ${offered.join(", ")}.`
                : `No repository offers any version of "${name}".`,
            hint: offered.length > 0 ? `Use version = "${offered[0]}", or remove the version to take the newest.` : undefined,
            chain: [`${name} (= ${req.version})`],
            suggestions: offered,
          },
        };
      }
      this.candidates.set(name, exact);
    }
    return { name };
  }

  // -- apt's MarkInstall ----------------------------------------------------------------------------------

  candidate(name: string): BinaryPackage | undefined {
    if (!this.candidates.has(name)) this.candidates.set(name, this.universe.defaultCandidate(name));
    return this.candidates.get(name);
  }

  /** The version `name` will have: marked for install, else installed. */
  private instVer(name: string): BinaryPackage | undefined {
    return this.planned.get(name) ?? this.universe.installedVersion(name);
  }

  private describe(name: string): string {
    const c = this.candidate(name);
    return c ? `${name} (${c.version})` : name;
  }

  private markInstall(name: string, autoInst: boolean, fromUser: boolean, chain: readonly string[]): boolean {
    if (chain.length > 1000) throw new Error(`resolver recursion too deep at ${chain.slice(-5).join(" → ")}`);
    const cand = this.candidate(name);
    if (!cand) return false;
    const current = this.universe.installedVersion(name);
    const isProtected = this.protectedNames.has(name);
    const keep = current !== undefined && cand.version === current.version;
    if (!isProtected && (keep || this.planned.get(name) === cand)) return true;
    if (autoInst && !keep && !this.dependenciesSatisfiableByCandidates(cand, chain)) {
      // apt drops such a candidate so later alternatives do not try it again.
      if (!isProtected) this.candidates.set(name, current);
      return false;
    }
    if (!keep && this.planned.get(name) !== cand) {
      this.planned.set(name, cand);
      if (!this.order.includes(name)) this.order.push(name);
    }
    if (!autoInst) return true;

    const failEarly = !isProtected && !fromUser;
    let failed = !this.resolveConflicts(cand, chain);
    if (failed && failEarly) return this.discard(name);
    this.upgradeOtherBinaries(cand, chain);
    for (const field of this.dependencyFields) {
      const critical = field !== "recommends";
      for (const group of relationsOf(cand, field, this.arch)) {
        if (this.groupSatisfied(group, (n) => this.instVer(n))) continue;
        const solutions = this.possibleSolutions(group);
        let found = false;
        for (const sol of solutions) {
          if (isProtected && critical && solutions.length === 1) this.protectedNames.add(sol);
          if (this.markInstall(sol, true, false, [...chain, this.describe(sol)])) {
            found = true;
            break;
          }
        }
        if (!found && critical) {
          this.trail.push(explainGroup(this, chain, group, field));
          failed = true;
          if (failEarly) return this.discard(name);
        }
      }
    }
    return !failed;
  }

  /** apt's MarkInstall_DiscardInstall: only this package goes back; what it pulled in stays marked. */
  private discard(name: string): false {
    this.planned.delete(name);
    const i = this.order.indexOf(name);
    if (i >= 0) this.order.splice(i, 1);
    return false;
  }

  /** apt's IsInstallOkDependenciesSatisfiableByCandidates. */
  private dependenciesSatisfiableByCandidates(pkg: BinaryPackage, chain: readonly string[]): boolean {
    for (const field of criticalFields) {
      for (const group of relationsOf(pkg, field, this.arch)) {
        if (this.groupSatisfied(group, (n) => this.instVer(n))) continue;
        if (this.groupSatisfied(group, (n) => this.candidate(n))) continue;
        this.trail.push(explainGroup(this, [...chain], group, field));
        return false;
      }
    }
    return true;
  }

  groupSatisfied(group: RelationGroup, version: (name: string) => BinaryPackage | undefined): boolean {
    return group.some((r) => this.relationSatisfied(r, version));
  }

  relationSatisfied(r: Relation, version: (name: string) => BinaryPackage | undefined): boolean {
    const own = version(r.name);
    if (own && satisfiesDirectly(own, r, this.arch)) return true;
    return this.universe.providers(r.name).some((p) => {
      const v = version(p);
      return v !== undefined && satisfiesByProvides(v, r, this.arch);
    });
  }

  /** apt's getAllPossibleSolutions(CANDIDATE, sorted): installed packages first, then new ones. */
  private possibleSolutions(group: RelationGroup): string[] {
    const upgrades: string[] = [];
    const fresh: string[] = [];
    for (const r of group) {
      const list: BinaryPackage[] = [];
      const own = this.candidate(r.name);
      if (own && satisfiesDirectly(own, r, this.arch)) list.push(own);
      for (const p of this.universe.providers(r.name)) {
        const c = this.candidate(p);
        if (c && satisfiesByProvides(c, r, this.arch) && !list.includes(c)) list.push(c);
      }
      list.sort((a, b) => this.compareProviders(a, b, r.name));
      for (const v of list) (this.universe.installedVersion(v.name) ? upgrades : fresh).push(v.name);
    }
    return [...new Set([...upgrades, ...fresh])];
  }

  /** apt's CompareProviders, for one architecture: negative when `a` should be tried first. */
  private compareProviders(a: BinaryPackage, b: BinaryPackage, target: string): number {
    const pa = this.protectedNames.has(a.name);
    const pb = this.protectedNames.has(b.name);
    if (pa !== pb) return pa ? -1 : 1;
    const ia = this.universe.installedVersion(a.name) !== undefined;
    const ib = this.universe.installedVersion(b.name) !== undefined;
    if (a.multiArch === "same" || b.multiArch === "same") {
      const sa = a.multiArch === "same" && ia;
      const sb = b.multiArch === "same" && ib;
      if (sa !== sb) return sa ? -1 : 1;
    }
    if (ia !== ib) return ia ? -1 : 1;
    if ((a.name === target) !== (b.name === target)) return a.name === target ? -1 : 1;
    if (a.essential !== b.essential) return a.essential ? -1 : 1;
    if (a.important !== b.important) return a.important ? -1 : 1;
    if (a.priority !== b.priority) return a.priority - b.priority;
    return this.universe.firstMention(b.name) - this.universe.firstMention(a.name);
  }

  /** apt's MarkInstall_UpgradeOtherBinaries: keep binaries of one source version in step. */
  private upgradeOtherBinaries(pkg: BinaryPackage, chain: readonly string[]): void {
    for (const other of this.universe.installed) {
      if (other.name === pkg.name) continue;
      const cand = this.candidate(other.name);
      if (!cand || cand === other || cand.version === other.version) continue;
      if (this.planned.get(other.name) === cand) continue;
      if (cand.sourceName !== pkg.sourceName || cand.sourceVersion !== pkg.sourceVersion) continue;
      this.markInstall(other.name, true, false, [...chain, this.describe(other.name)]);
    }
  }

  /**
   * Conflicts/Breaks between `pkg` and what is installed or marked: an installed package is upgraded when
   * its candidate resolves the clash (apt's UpgradeOrRemoveConflicts); anything else is a problem.
   */
  private resolveConflicts(pkg: BinaryPackage, chain: readonly string[]): boolean {
    for (const [owner, other, relation] of this.clashes(pkg)) {
      const installed = this.universe.installedVersion(other.name);
      const cand = this.candidate(other.name);
      if (installed && other === installed && cand && cand !== installed && !this.clashBetween(owner === pkg ? pkg : cand, owner === pkg ? cand : pkg)) {
        if (this.markInstall(other.name, true, false, [...chain, this.describe(other.name)])) continue;
      }
      this.trail.push({
        request: -1,
        kind: "conflict",
        summary: "Conflicting packages",
        detail: `${owner.name} (${owner.version}) declares ${formatRelation(relation)}, which ${other === owner ? pkg.name : other.name} (${(other === owner ? pkg : other).version}) matches.`,
        chain: [...chain],
      });
      return false;
    }
    return true;
  }

  /** Pairs [declaring package, the other package, the relation] between `pkg` and the planned/installed set. */
  private clashes(pkg: BinaryPackage): [BinaryPackage, BinaryPackage, Relation][] {
    const out: [BinaryPackage, BinaryPackage, Relation][] = [];
    const others = new Set([...this.planned.keys(), ...this.universe.installed.map((p) => p.name)]);
    others.delete(pkg.name);
    for (const name of others) {
      const other = this.instVer(name)!;
      for (const r of this.negativeRelations(pkg)) if (this.matches(other, r)) out.push([pkg, other, r]);
      for (const r of this.negativeRelations(other)) if (this.matches(pkg, r)) out.push([other, pkg, r]);
    }
    return out;
  }

  private clashBetween(a: BinaryPackage, b: BinaryPackage): boolean {
    return this.negativeRelations(a).some((r) => this.matches(b, r)) || this.negativeRelations(b).some((r) => this.matches(a, r));
  }

  private negativeRelations(pkg: BinaryPackage): Relation[] {
    return [...relationsOf(pkg, "conflicts", this.arch), ...relationsOf(pkg, "breaks", this.arch)].flat();
  }

  private matches(pkg: BinaryPackage, r: Relation): boolean {
    return satisfiesDirectly(pkg, r, this.arch) || satisfiesByProvides(pkg, r, this.arch);
  }

  // -- results ------------------------------------------------------------------------------------------

  private isSatisfied(name: string): boolean {
    const v = this.instVer(name);
    if (!v) return false;
    return criticalFields.every((f) => relationsOf(v, f, this.arch).every((g) => this.groupSatisfied(g, (n) => this.instVer(n))));
  }

  private explainFailure(name: string, index: number): ResolveProblem {
    const deepest = [...this.trail].sort((a, b) => b.chain.length - a.chain.length)[0];
    if (deepest) return { ...deepest, request: index };
    return {
      request: index,
      kind: "unsatisfiable",
      summary: `Cannot install "${name}"`,
      detail: `${this.describe(name)} cannot be installed with the base image's packages.`,
      chain: [this.describe(name)],
    };
  }

  /** The final set must be consistent even where apt would have run its problem resolver. */
  private checkConsistency(): ResolveProblem[] {
    const problems: ResolveProblem[] = [];
    for (const name of this.order) {
      const pkg = this.planned.get(name)!;
      for (const field of criticalFields) {
        for (const group of relationsOf(pkg, field, this.arch)) {
          if (!this.groupSatisfied(group, (n) => this.instVer(n))) {
            problems.push({ ...explainGroup(this, [this.describe(name)], group, field), request: -1 });
          }
        }
      }
      for (const [owner, other, r] of this.clashes(pkg)) {
        problems.push({
          request: -1,
          kind: "conflict",
          summary: "Conflicting packages",
          detail: `${owner.name} (${owner.version}) declares ${formatRelation(r)}, which ${other.name} (${other.version}) matches.`,
          chain: [this.describe(name)],
        });
      }
    }
    return problems;
  }

  // Used by resolve-explain.ts to say why an alternative fails.
  versionsOf(name: string): readonly BinaryPackage[] {
    return this.universe.versions(name);
  }
  installedOf(name: string): BinaryPackage | undefined {
    return this.universe.installedVersion(name);
  }
  providersOf(name: string): readonly string[] {
    return this.universe.providers(name);
  }
}
