import type { Bom, BomAddedPackage, BomInstalledPackage, BomRemoteFile, BomVcs } from "./model.js";
import { compareBy } from "./order.js";

/** A binary package in the final image, and whether the build installed it or it came with the base. */
export interface ImagePackage {
  readonly package: BomInstalledPackage | BomAddedPackage;
  readonly added: boolean;
}

/**
 * What `dpkg-query -W` lists in the built image: the base image's packages, except those the build
 * replaced with another version of the same name and architecture, plus every package the build added.
 * Sorted by name, architecture, version.
 */
export function imagePackages(bom: Bom): readonly ImagePackage[] {
  const added = new Set(bom.packages.map((p) => `${p.name}:${p.architecture}`));
  const base = bom.base.kind === "image" ? bom.base.packages : [];
  return [
    ...base.filter((p) => !added.has(`${p.name}:${p.architecture}`)).map((p) => ({ package: p, added: false })),
    ...bom.packages.map((p) => ({ package: p, added: true })),
  ].sort(compareBy((x) => [x.package.name, x.package.architecture, x.package.version]));
}

export function isAddedPackage(p: BomInstalledPackage | BomAddedPackage): p is BomAddedPackage {
  return "location" in p;
}

/** A Debian source package, with what the binaries built from it tell about it. */
export interface SourcePackage {
  readonly name: string;
  readonly version: string;
  /** Union of the binaries' source files, by file name. */
  readonly files: readonly BomRemoteFile[];
  /** Distinct declared vcs blocks of its binaries. */
  readonly vcs: readonly BomVcs[];
  /** `name:arch` of the binaries (in `packages`) built from it. */
  readonly binaries: readonly string[];
}

/** Source packages of the given binaries, sorted by name then version. */
export function sourcePackagesOf(packages: readonly (BomInstalledPackage | BomAddedPackage)[]): readonly SourcePackage[] {
  const byKey = new Map<string, { name: string; version: string; files: Map<string, BomRemoteFile>; vcs: Map<string, BomVcs>; binaries: string[] }>();
  for (const p of packages) {
    const key = `${p.source.name}@${p.source.version}`;
    let entry = byKey.get(key);
    if (entry === undefined) {
      entry = { name: p.source.name, version: p.source.version, files: new Map(), vcs: new Map(), binaries: [] };
      byKey.set(key, entry);
    }
    entry.binaries.push(`${p.name}:${p.architecture}`);
    if (isAddedPackage(p)) {
      for (const f of p.sourceFiles) if (!entry.files.has(f.filename)) entry.files.set(f.filename, f);
      if (p.vcs !== undefined) entry.vcs.set(JSON.stringify(p.vcs), p.vcs);
    }
  }
  return [...byKey.values()]
    .map((e) => ({
      name: e.name,
      version: e.version,
      files: [...e.files.values()].sort(compareBy((f) => [f.filename, f.uri])),
      vcs: [...e.vcs.values()].sort(compareBy((v) => [v.repository, v.ref, v.commit ?? ""])),
      binaries: e.binaries.sort(),
    }))
    .sort(compareBy((s) => [s.name, s.version]));
}

/**
 * The installed packages a package depends on (its `dependsOn` keys), found in the same set it belongs
 * to: the image's packages, or for a base package the build replaced, the base image's.
 */
export function dependencyLookup(bom: Bom): (p: BomInstalledPackage) => BomInstalledPackage[] {
  const inImage = new Map(imagePackages(bom).map((x) => [`${x.package.name}:${x.package.architecture}`, x.package]));
  const base = bom.base.kind === "image" ? bom.base.packages : [];
  const inBase = new Map(base.map((p) => [`${p.name}:${p.architecture}`, p]));
  return (p) => {
    const key = `${p.name}:${p.architecture}`;
    const world = inImage.get(key) === p ? inImage : inBase;
    return (p.dependsOn ?? []).flatMap((d) => world.get(d) ?? []);
  };
}

/** The image's packages the declaration asked for (`name` or `name:arch`), each resolved once. */
export function requestedPackages(bom: Bom): BomInstalledPackage[] {
  const inImage = imagePackages(bom).map((x) => x.package);
  return (bom.declaration.packages ?? []).flatMap((asked) => {
    const [name, arch] = asked.split(":");
    const hit = inImage.find((p) => p.name === name && (arch === undefined || p.architecture === arch));
    return hit ? [hit] : [];
  });
}
