/**
 * debian/'s second surface: what reading an installed system takes (dpkg's database, Debian's version
 * and relation rules), without the resolver, the archive's readers and OpenPGP that index.ts brings.
 * For the BOM worker's own bundle, which runs in every measuring exec.
 */
export { readImagePackages, parseStatus, dpkgStatusPath, type InstalledPackage } from "./status.js";
export type { ImageFiles } from "./io.js";
export { compareVersions, satisfiesVersion, type VersionOperator } from "./version.js";
export { parseRelations, type Relation } from "./relations.js";
