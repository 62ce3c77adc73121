import { readImagePackages, type InstalledPackage, type ImageFiles } from "../debian/dpkg.js";
import type { BinaryPackage } from "../debian/index.js";

/** What an image's own files say about it: its OS release and its installed Debian packages. */
export interface BaseFacts extends InstalledSet {
  readonly os?: { readonly id: string; readonly versionId: string; readonly versionCodename: string };
  /** The dpkg database as read, for the package facts (undefined: the image has none). */
  readonly installed: readonly InstalledPackage[] | undefined;
}

/** The installed packages by name, version, architecture and source: what the BOM states of each. */
export interface InstalledSet {
  readonly packages: readonly {
    readonly name: string;
    readonly version: string;
    readonly architecture: string;
    readonly source: { readonly name: string; readonly version: string };
  }[];
}

/**
 * Reads /etc/os-release (or /usr/lib/os-release) and the dpkg database of an image.
 */
export async function readBaseFacts(files: ImageFiles): Promise<BaseFacts> {
  const [osRelease, installed] = await Promise.all([
    files.readFile("/etc/os-release").then(async (b) => b ?? (await files.readFile("/usr/lib/os-release"))),
    readImagePackages(files),
  ]);
  const os = osRelease ? parseOsRelease(new TextDecoder().decode(osRelease)) : undefined;
  return { ...(os && { os }), packages: packagesOf(installed ?? []), installed };
}

/** The facts the BOM keeps of dpkg's installed packages. */
export function packagesOf(list: readonly BinaryPackage[]): InstalledSet["packages"] {
  return list.map((p) => ({ name: p.name, version: p.version, architecture: p.architecture, source: { name: p.sourceName, version: p.sourceVersion } }));
}

/**
 * os-release(5): `KEY=value` lines, values optionally quoted with shell-style escapes; comments and
 * blank lines ignored (estaleiro's parser crashed on both).
 */
export function parseOsRelease(text: string): { id: string; versionId: string; versionCodename: string } | undefined {
  const values = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    let value = line.slice(eq + 1);
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
      value = value.slice(1, -1).replace(/\\(["'$`\\])/g, "$1");
    }
    values.set(line.slice(0, eq), value);
  }
  const id = values.get("ID");
  if (!id) return undefined;
  return { id, versionId: values.get("VERSION_ID") ?? "", versionCodename: values.get("VERSION_CODENAME") ?? "" };
}
