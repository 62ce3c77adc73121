import { relationsOf, relationFields, type BinaryPackage } from "./packages.js";
import type { Relation } from "./relations.js";
import { parseRelations } from "./relations.js";
import { compareVersions, satisfiesVersion } from "./version.js";

/**
 * Everything the resolver can choose from: the base image's installed packages and every version the
 * repositories offer, indexed by name and by the virtual names they provide.
 */
export class Universe {
  /** name → versions offered by the repositories, highest first (equal versions: first repository first). */
  private readonly available = new Map<string, BinaryPackage[]>();
  /** virtual name → names of packages some version of which provides it. */
  private readonly providedBy = new Map<string, Set<string>>();
  private readonly installedByName = new Map<string, BinaryPackage>();
  private mentionOrder: Map<string, number> | undefined;

  constructor(
    readonly architecture: string,
    readonly installed: readonly BinaryPackage[],
    /** One list per index, in repository order. */
    readonly indexes: readonly (readonly BinaryPackage[])[],
  ) {
    for (const pkg of installed) {
      this.installedByName.set(pkg.name, pkg);
      this.addProvides(pkg);
    }
    for (const index of indexes) {
      for (const pkg of index) {
        let list = this.available.get(pkg.name);
        if (!list) this.available.set(pkg.name, (list = []));
        list.push(pkg);
        this.addProvides(pkg);
      }
    }
    // A stable sort keeps repository order among equal versions: apt then prefers the first source.
    for (const list of this.available.values()) list.sort((a, b) => compareVersions(b.version, a.version));
  }

  private addProvides(pkg: BinaryPackage): void {
    if (!pkg.fields.provides) return;
    for (const [p] of relationsOf(pkg, "provides", this.architecture)) {
      if (!p || p.name === pkg.name) continue;
      let set = this.providedBy.get(p.name);
      if (!set) this.providedBy.set(p.name, (set = new Set()));
      set.add(pkg.name);
    }
  }

  installedVersion(name: string): BinaryPackage | undefined {
    return this.installedByName.get(name);
  }

  versions(name: string): readonly BinaryPackage[] {
    return this.available.get(name) ?? [];
  }

  /** True when `name` is a real package (installed or offered), not only a virtual name. */
  isReal(name: string): boolean {
    return this.available.has(name) || this.installedByName.has(name);
  }

  /** Names of packages that provide `name` in some version. */
  providers(name: string): readonly string[] {
    return [...(this.providedBy.get(name) ?? [])];
  }

  /** Every real and virtual name (for suggestions). */
  *names(): Iterable<string> {
    yield* this.available.keys();
    for (const n of this.installedByName.keys()) if (!this.available.has(n)) yield n;
    for (const n of this.providedBy.keys()) if (!this.available.has(n) && !this.installedByName.has(n)) yield n;
  }

  /**
   * apt's default candidate: the highest version offered, but never lower than the installed one (with
   * every source at the default pin priority, apt does not downgrade).
   */
  defaultCandidate(name: string): BinaryPackage | undefined {
    const best = this.versions(name)[0];
    const current = this.installedByName.get(name);
    if (!best) return current;
    if (current && compareVersions(current.version, best.version) >= 0) return current;
    return best;
  }

  /**
   * apt's last-resort tie-break among providers is the package's id in its cache: the order in which
   * names were first mentioned while reading the indexes (as a package or in a relationship field), then
   * the status file. Computed only when a tie reaches that point.
   */
  firstMention(name: string): number {
    if (!this.mentionOrder) {
      const order = new Map<string, number>();
      const see = (n: string) => {
        if (!order.has(n)) order.set(n, order.size);
      };
      const visit = (pkg: BinaryPackage) => {
        see(pkg.name);
        for (const field of relationFields) {
          const text = pkg.fields[field];
          if (!text) continue;
          for (const group of parseRelations(text).groups) for (const r of group) see(r.name);
        }
      };
      for (const index of this.indexes) for (const pkg of index) visit(pkg);
      for (const pkg of this.installed) visit(pkg);
      this.mentionOrder = order;
    }
    return this.mentionOrder.get(name) ?? Number.MAX_SAFE_INTEGER;
  }
}

/**
 * True when version `pkg` (installed or candidate) of a package satisfies `r` directly, by its own name.
 * Architecture qualifiers: `:any` needs `Multi-Arch: allowed`; `:native` and the target's own
 * architecture are plain; any other architecture cannot be satisfied on a single-architecture image.
 */
export function satisfiesDirectly(pkg: BinaryPackage, r: Relation, architecture: string): boolean {
  if (pkg.name !== r.name) return false;
  if (!qualifierAllows(r, architecture, pkg.multiArch === "allowed")) return false;
  return !r.operator || satisfiesVersion(pkg.version, r.operator, r.version!);
}

/** True when `pkg` satisfies `r` through its `Provides` (unversioned provides satisfy only unversioned relations). */
export function satisfiesByProvides(pkg: BinaryPackage, r: Relation, architecture: string): boolean {
  if (!pkg.fields.provides || pkg.name === r.name) return false;
  if (!qualifierAllows(r, architecture, pkg.multiArch === "allowed" || pkg.multiArch === "foreign")) return false;
  for (const [p] of relationsOf(pkg, "provides", architecture)) {
    if (!p || p.name !== r.name) continue;
    if (!r.operator) return true;
    if (p.operator === "=" && satisfiesVersion(p.version!, r.operator, r.version!)) return true;
  }
  return false;
}

function qualifierAllows(r: Relation, architecture: string, multiArchAny: boolean): boolean {
  const q = r.archQualifier;
  if (q === undefined || q === "native" || q === architecture) return true;
  if (q === "any") return multiArchAny;
  return false;
}
