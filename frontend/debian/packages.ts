import { forEachParagraph } from "./deb822.js";
import { parseRelations, type RelationGroup } from "./relations.js";

/**
 * One binary package version, from a repository's `Packages` index or from dpkg's status file. Only
 * the fields the resolver, the installer and the BOM use are kept; relationship fields stay as text
 * until the resolver asks for them (most of a 60 000-package index is never looked at).
 */
export interface BinaryPackage {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  readonly multiArch: MultiArch;
  readonly essential: boolean;
  /** `Important: yes` (apt's `Important` flag, preferred among providers). */
  readonly important: boolean;
  /** apt's priority rank: 1 required, 2 important, 3 standard, 4 optional, 5 extra, 0 unknown. */
  readonly priority: number;
  readonly sourceName: string;
  readonly sourceVersion: string;
  readonly fields: Readonly<Partial<Record<RelationField, string>>>;
  /** Repository files only: path under the repository URI, size and SHA256 of the .deb. */
  readonly filename?: string;
  readonly size?: number;
  readonly sha256?: string;
  /** Which index it came from (an index into the resolver's list of repositories); absent for dpkg status. */
  readonly origin?: number;
}

export type MultiArch = "no" | "same" | "foreign" | "allowed";

export type RelationField =
  | "pre-depends"
  | "depends"
  | "recommends"
  | "suggests"
  | "conflicts"
  | "breaks"
  | "replaces"
  | "enhances"
  | "provides";

/** In the order apt's cache generator reads them (it matters for apt's last-resort provider tie-break). */
export const relationFields: readonly RelationField[] = [
  "pre-depends",
  "depends",
  "conflicts",
  "breaks",
  "recommends",
  "suggests",
  "replaces",
  "enhances",
  "provides",
];

const priorityRanks: Record<string, number> = { required: 1, important: 2, standard: 3, optional: 4, extra: 5 };

export const packageFields: ReadonlySet<string> = new Set([
  "package",
  "version",
  "architecture",
  "multi-arch",
  "essential",
  "important",
  "priority",
  "source",
  "filename",
  "size",
  "sha256",
  "status",
  "protected",
  ...relationFields,
]);

/** Builds a package from a paragraph of `packageFields`; undefined when Package/Version are missing. */
export function packageFromParagraph(p: Record<string, string>, origin?: number): BinaryPackage | undefined {
  const name = p["package"];
  const version = p["version"];
  if (!name || !version) return undefined;
  const { sourceName, sourceVersion } = parseSourceField(p["source"], name, version);
  const fields: Partial<Record<RelationField, string>> = {};
  for (const f of relationFields) {
    const v = p[f];
    if (v) fields[f] = v;
  }
  const ma = p["multi-arch"];
  const size = p["size"] ? Number(p["size"]) : undefined;
  return {
    name,
    version,
    architecture: p["architecture"] ?? "all",
    multiArch: ma === "same" || ma === "foreign" || ma === "allowed" ? ma : "no",
    essential: p["essential"] === "yes",
    important: p["important"] === "yes" || p["protected"] === "yes",
    priority: priorityRanks[p["priority"] ?? ""] ?? 0,
    sourceName,
    sourceVersion,
    fields,
    ...(p["filename"] ? { filename: p["filename"] } : {}),
    ...(size !== undefined && Number.isFinite(size) ? { size } : {}),
    ...(p["sha256"] ? { sha256: p["sha256"].toLowerCase() } : {}),
    ...(origin !== undefined ? { origin } : {}),
  };
}

/**
 * `Source: gcc-12 (12.2.0-14)` names the source package and its version; `Source: gnutls28` only the
 * name (the version is the binary's); no field means the source has the binary's name and version.
 */
export function parseSourceField(
  field: string | undefined,
  name: string,
  version: string,
): { sourceName: string; sourceVersion: string } {
  if (!field) return { sourceName: name, sourceVersion: version };
  const m = /^(\S+)\s*(?:\(\s*([^)\s]+)\s*\))?$/.exec(field.trim());
  if (!m) return { sourceName: field.trim(), sourceVersion: version };
  return { sourceName: m[1]!, sourceVersion: m[2] ?? version };
}

export interface ParsePackagesOptions {
  /** Architectures to keep (the target's and `all`); other stanzas are skipped. */
  readonly architectures: ReadonlySet<string>;
  readonly origin?: number;
}

/** Parses a `Packages` index, keeping the stanzas of the wanted architectures. */
export function parsePackagesIndex(text: string, options: ParsePackagesOptions): BinaryPackage[] {
  const out: BinaryPackage[] = [];
  forEachParagraph(
    text,
    (p) => {
      if (!options.architectures.has(p["architecture"] ?? "")) return;
      const pkg = packageFromParagraph(p, options.origin);
      if (pkg) out.push(pkg);
    },
    packageFields,
  );
  return out;
}

const relationCache = new WeakMap<BinaryPackage, Map<RelationField, RelationGroup[]>>();

/** The parsed relationship field of a package, parsed on first use and remembered. */
export function relationsOf(pkg: BinaryPackage, field: RelationField, architecture: string): RelationGroup[] {
  let perPackage = relationCache.get(pkg);
  if (!perPackage) {
    perPackage = new Map();
    relationCache.set(pkg, perPackage);
  }
  let groups = perPackage.get(field);
  if (!groups) {
    groups = parseRelations(pkg.fields[field], { architecture }).groups;
    perPackage.set(field, groups);
  }
  return groups;
}
