import { forEachParagraph } from "./deb822.js";
import type { BinaryPackage } from "./packages.js";

/**
 * Source packages: every installed binary must name the source it was built from, with the files a
 * reviewer (or a licence scanner) would fetch: the `.dsc`, the upstream `.orig.tar.*` and the Debian
 * changes, each with its SHA256 from a verified `Sources` index.
 */
export interface SourcePackage {
  readonly name: string;
  readonly version: string;
  readonly files: readonly SourceFile[];
}

export interface SourceFile {
  readonly name: string;
  readonly uri: string;
  readonly sha256: string;
  readonly size: number;
}

/** A parsed `Sources` index of one repository: `name version` → source package. */
export type SourcesIndex = ReadonlyMap<string, SourcePackage>;

const sourceFields: ReadonlySet<string> = new Set(["package", "version", "directory", "checksums-sha256"]);

export function sourceKey(name: string, version: string): string {
  return `${name} ${version}`;
}

/**
 * Parses a Sources index whose files live under `repositoryUri`. With `only`, just the stanzas of those
 * source package names are parsed: an image needs a few dozen of the ~35 000 sources, and finding their
 * `Package:` lines is an order of magnitude faster than reading every stanza.
 */
export function parseSourcesIndex(text: string, repositoryUri: string, only?: ReadonlySet<string>): Map<string, SourcePackage> {
  const out = new Map<string, SourcePackage>();
  if (only === undefined) {
    addStanzas(text, repositoryUri, out);
    return out;
  }
  let found = false;
  for (let i = text.startsWith("Package:") ? 0 : text.indexOf("\nPackage:"); i >= 0; i = text.indexOf("\nPackage:", i + 1)) {
    found = true;
    const lineStart = text.charCodeAt(i) === 10 ? i + 1 : i;
    const lineEnd = text.indexOf("\n", lineStart);
    const name = text.slice(lineStart + "Package:".length, lineEnd < 0 ? text.length : lineEnd).trim();
    if (!only.has(name)) continue;
    const blank = text.lastIndexOf("\n\n", lineStart);
    const end = text.indexOf("\n\n", lineStart);
    addStanzas(text.slice(blank < 0 ? 0 : blank + 2, end < 0 ? text.length : end), repositoryUri, out);
  }
  // Not the usual spelling of the field: read everything rather than miss a source.
  if (!found && text.trim() !== "") addStanzas(text, repositoryUri, out);
  return out;
}

function addStanzas(text: string, repositoryUri: string, out: Map<string, SourcePackage>): void {
  const base = repositoryUri.replace(/\/+$/, "");
  forEachParagraph(
    text,
    (p) => {
      const name = p["package"];
      const version = p["version"];
      if (!name || !version) return;
      const dir = (p["directory"] ?? "").replace(/^\/+|\/+$/g, "");
      const files: SourceFile[] = [];
      for (const line of (p["checksums-sha256"] ?? "").split("\n")) {
        const [sha256, size, file] = line.trim().split(/\s+/);
        if (!sha256 || !size || !file) continue;
        files.push({ name: file, uri: `${base}/${dir ? `${dir}/` : ""}${file}`, sha256: sha256.toLowerCase(), size: Number(size) });
      }
      files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const key = sourceKey(name, version);
      if (!out.has(key)) out.set(key, { name, version, files });
    },
    sourceFields,
  );
}

/** A package's source: found in a Sources index, declared with a `vcs` block, or missing. */
export type SourceOrigin =
  | { readonly kind: "archive"; readonly source: SourcePackage }
  | { readonly kind: "vcs"; readonly name: string; readonly version: string; readonly type: string; readonly repository: string; readonly ref: string };

export interface VcsDeclaration {
  readonly package: string;
  /** When given, the declaration applies only to this binary version. */
  readonly version?: string;
  readonly type: string;
  readonly repository: string;
  readonly ref: string;
}

export interface SourceLookup {
  readonly found: ReadonlyMap<string, SourceOrigin>;
  /** Binary packages whose source is in no index and that declare no `vcs`. */
  readonly missing: readonly BinaryPackage[];
}

/**
 * Finds each package's source by the `Source:` name and version, first in the Sources index of the
 * repository the binary came from, then in any other; a `vcs` declaration (matched by name and, when
 * given, version) takes precedence, as estaleiro's did.
 */
export function findSources(
  packages: readonly BinaryPackage[],
  indexes: readonly (SourcesIndex | undefined)[],
  vcs: readonly VcsDeclaration[],
): SourceLookup {
  const found = new Map<string, SourceOrigin>();
  const missing: BinaryPackage[] = [];
  for (const pkg of packages) {
    const declared = vcs.find((v) => v.package === pkg.name && (v.version === undefined || v.version === pkg.version));
    if (declared) {
      found.set(pkg.name, { kind: "vcs", name: pkg.sourceName, version: pkg.sourceVersion, type: declared.type, repository: declared.repository, ref: declared.ref });
      continue;
    }
    const key = sourceKey(pkg.sourceName, pkg.sourceVersion);
    const own = pkg.origin !== undefined ? indexes[pkg.origin]?.get(key) : undefined;
    const source = own ?? indexes.map((i) => i?.get(key)).find((s) => s !== undefined);
    if (source) found.set(pkg.name, { kind: "archive", source });
    else missing.push(pkg);
  }
  return { found, missing };
}
