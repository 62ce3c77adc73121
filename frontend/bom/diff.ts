import type { Bom, BomFile } from "./model.js";
import { compareBy, compareStrings } from "./order.js";
import { describeOrigin, describeVcs } from "./origins.js";
import { imagePackages, isAddedPackage, sourcePackagesOf, type ImagePackage } from "./image-packages.js";

/**
 * What changed between two BOMs of an image, for reviewing a bump: the base image, the binary packages in
 * the image (by name and architecture), their Debian source packages (by name) and the added files (by
 * path). Only differences are listed; the declaration's own digest and variables are not compared (they
 * change whenever anything is edited and say nothing about the image).
 */
export interface BomDiff {
  readonly baseImage?: { readonly before: string; readonly after: string };
  readonly packages: Changes<PackageState, PackageChange>;
  readonly sources: Changes<SourceState, SourceChange>;
  readonly files: Changes<FileState, FileChange>;
}

export interface Changes<S, C> {
  readonly added: readonly S[];
  readonly removed: readonly S[];
  readonly changed: readonly C[];
}

export interface PackageState {
  readonly name: string;
  readonly architecture: string;
  readonly version: string;
  readonly source: { readonly name: string; readonly version: string };
  /** sha256 of the .deb, for packages the build installed. */
  readonly sha256?: string;
  readonly vcs?: string;
}

export interface PackageChange {
  readonly name: string;
  readonly architecture: string;
  readonly before: PackageState;
  readonly after: PackageState;
  /** What differs: `version`, `source` (name or version), `deb` (same version, other bytes), `vcs`. */
  readonly fields: readonly ("version" | "source" | "deb" | "vcs")[];
}

export interface SourceState {
  readonly name: string;
  /** Versions of this source in the image (more than one when binaries of two versions are installed). */
  readonly versions: readonly string[];
  /** `filename sha256` of known source files, per version. */
  readonly files: readonly string[];
  readonly vcs: readonly string[];
}

export interface SourceChange {
  readonly name: string;
  readonly before: SourceState;
  readonly after: SourceState;
  /** `versions`; or, at the same versions, `files` (different bytes) and `vcs`. */
  readonly fields: readonly ("versions" | "files" | "vcs")[];
}

export interface FileState {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly mode: number;
  readonly origin: string;
}

export interface FileChange {
  readonly path: string;
  readonly before: FileState;
  readonly after: FileState;
  readonly fields: readonly ("content" | "mode" | "origin")[];
}

export function diffBoms(before: Bom, after: Bom): BomDiff {
  const baseName = (b: Bom) => (b.base.kind === "image" ? b.base.canonicalName : "scratch");
  return {
    ...(baseName(before) !== baseName(after) ? { baseImage: { before: baseName(before), after: baseName(after) } } : {}),
    packages: compare(
      imagePackages(before).map(packageState),
      imagePackages(after).map(packageState),
      (p) => `${p.name}:${p.architecture}`,
      (a, b) => {
        const fields: PackageChange["fields"][number][] = [];
        if (a.version !== b.version) fields.push("version");
        if (a.source.name !== b.source.name || a.source.version !== b.source.version) fields.push("source");
        if (a.version === b.version && a.sha256 !== undefined && b.sha256 !== undefined && a.sha256 !== b.sha256) fields.push("deb");
        if (a.vcs !== b.vcs) fields.push("vcs");
        return fields.length > 0 ? { name: a.name, architecture: a.architecture, before: a, after: b, fields } : undefined;
      },
    ),
    sources: compare(
      sourceStates(imagePackages(before)),
      sourceStates(imagePackages(after)),
      (s) => s.name,
      (a, b) => {
        if (!sameList(a.versions, b.versions)) return { name: a.name, before: a, after: b, fields: ["versions"] };
        const fields: SourceChange["fields"][number][] = [];
        if (!sameList(a.files, b.files)) fields.push("files");
        if (!sameList(a.vcs, b.vcs)) fields.push("vcs");
        return fields.length > 0 ? { name: a.name, before: a, after: b, fields } : undefined;
      },
    ),
    files: compare(
      before.files.map(fileState),
      after.files.map(fileState),
      (f) => f.path,
      (a, b) => {
        const fields: FileChange["fields"][number][] = [];
        if (a.sha256 !== b.sha256 || a.size !== b.size) fields.push("content");
        if (a.mode !== b.mode) fields.push("mode");
        if (a.origin !== b.origin) fields.push("origin");
        return fields.length > 0 ? { path: a.path, before: a, after: b, fields } : undefined;
      },
    ),
  };
}

/** True when nothing differs. */
export function isEmptyDiff(d: BomDiff): boolean {
  return d.baseImage === undefined && [d.packages, d.sources, d.files].every((c) => c.added.length + c.removed.length + c.changed.length === 0);
}

function packageState(x: ImagePackage): PackageState {
  const p = x.package;
  const added = isAddedPackage(p) ? p : undefined;
  return {
    name: p.name,
    architecture: p.architecture,
    version: p.version,
    source: { name: p.source.name, version: p.source.version },
    ...(added !== undefined ? { sha256: added.location.sha256 } : {}),
    ...(added?.vcs !== undefined ? { vcs: describeVcs(added.vcs) } : {}),
  };
}

function sourceStates(packages: readonly ImagePackage[]): SourceState[] {
  const byName = new Map<string, { versions: Set<string>; files: Set<string>; vcs: Set<string> }>();
  for (const s of sourcePackagesOf(packages.map((x) => x.package))) {
    let entry = byName.get(s.name);
    if (entry === undefined) byName.set(s.name, (entry = { versions: new Set(), files: new Set(), vcs: new Set() }));
    entry.versions.add(s.version);
    for (const f of s.files) entry.files.add(`${f.filename} sha256:${f.sha256}`);
    for (const v of s.vcs) entry.vcs.add(describeVcs(v));
  }
  return [...byName.entries()].map(([name, e]) => ({
    name,
    versions: [...e.versions].sort(compareStrings),
    files: [...e.files].sort(compareStrings),
    vcs: [...e.vcs].sort(compareStrings),
  }));
}

function fileState(f: BomFile): FileState {
  return { path: f.path, sha256: f.sha256, size: f.size, mode: f.mode, origin: describeOrigin(f.origin) };
}

function compare<S, C>(before: readonly S[], after: readonly S[], key: (x: S) => string, change: (a: S, b: S) => C | undefined): Changes<S, C> {
  const a = new Map(before.map((x) => [key(x), x]));
  const b = new Map(after.map((x) => [key(x), x]));
  const byKey = compareBy<S>((x) => [key(x)]);
  const changed: [string, C][] = [];
  for (const [k, x] of a) {
    const y = b.get(k);
    const c = y !== undefined ? change(x, y) : undefined;
    if (c !== undefined) changed.push([k, c]);
  }
  return {
    added: after.filter((x) => !a.has(key(x))).sort(byKey),
    removed: before.filter((x) => !b.has(key(x))).sort(byKey),
    changed: changed.sort((x, y) => compareStrings(x[0], y[0])).map(([, c]) => c),
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
