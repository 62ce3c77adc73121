import { forEachParagraph } from "./deb822.js";
import type { ImageFiles } from "./io.js";
import { packageFields, packageFromParagraph, type BinaryPackage } from "./packages.js";

/** A package dpkg lists as installed: the index fields, and the maintainer dpkg recorded (for the BOM). */
export interface InstalledPackage extends BinaryPackage {
  /** `Maintainer:` as dpkg stored it, bytes as latin1 (see `readImagePackages`). */
  readonly maintainer?: string;
}

const statusFields: ReadonlySet<string> = new Set([...packageFields, "maintainer"]);

/** Where dpkg keeps its database in every Debian-based image. */
export const dpkgStatusPath = "/var/lib/dpkg/status";

/**
 * dpkg states in which a package's files are on disk and it counts as installed for dependencies (the
 * third word of `Status:`). `config-files` and `not-installed` entries are leftovers, not packages.
 */
const installedStates = new Set(["installed", "triggers-pending", "triggers-awaited", "half-configured", "unpacked"]);

/** The installed packages listed in a dpkg status file, in file order. */
export function parseStatus(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  forEachParagraph(
    text,
    (p) => {
      const state = (p["status"] ?? "").split(/\s+/)[2];
      if (!state || !installedStates.has(state)) return;
      const pkg = packageFromParagraph(p);
      const maintainer = p["maintainer"];
      if (pkg) out.push(maintainer ? { ...pkg, maintainer } : pkg);
    },
    statusFields,
  );
  return out;
}

/**
 * The installed packages of an image (dpkg status, status-filtered), or undefined when it has no dpkg
 * database. Read as latin1, as the indexes are: field values stay byte for byte.
 */
export async function readImagePackages(files: ImageFiles): Promise<InstalledPackage[] | undefined> {
  const bytes = await files.readFile(dpkgStatusPath);
  return bytes ? parseStatus(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1")) : undefined;
}
