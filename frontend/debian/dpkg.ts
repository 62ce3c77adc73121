/**
 * debian/'s second surface: what reading an installed system takes (dpkg's database, Debian's version
 * and relation rules), without the resolver, the archive's readers and OpenPGP that index.ts brings.
 * For the BOM worker's own bundle, which runs in every measuring exec; it names what the worker uses.
 */
export { readImagePackages, type InstalledPackage } from "./status.js";
export type { ImageFiles } from "./io.js";
export { compareVersions, satisfiesVersion } from "./version.js";
export { parseRelations, type Relation } from "./relations.js";
