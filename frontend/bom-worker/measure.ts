import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { InstalledSet } from "./base-facts.js";
import type { BomFile } from "../bom/index.js";
import { compareVersions } from "../debian/dpkg.js";
import { originAt, type ExpectedPackage, type MeasureRequest, type RequestedPackage } from "./request.js";
import { compareNames, hashFile, TreeError, type MountedTree } from "./measured-tree.js";

/**
 * Measures every file the declaration added, in the built image itself: sha256, sha1, size and mode come
 * from the bytes BuildKit produced (a directory or wildcard copy contributes each regular file under it),
 * so the BOM states what is in the image, not what the declaration claims.
 */
export async function measureFiles(image: MountedTree, requests: readonly MeasureRequest[], tarballs: ReadonlyMap<string, string>): Promise<BomFile[]> {
  const perFile = await Promise.all(
    requests.map(async (request) => {
      const dest = request.destination;
      const found = await image.stat(dest);
      if (!found) throw new TreeError(`${dest} is not in the built image`);
      const entries = found.stat.isDirectory() ? await walk(found.host, dest) : [{ path: dest, host: found.host }];
      const measured = await Promise.all(
        entries.map(async (e): Promise<BomFile | undefined> => {
          const { stat } = (await image.stat(e.path)) ?? {};
          if (!stat?.isFile()) return undefined;
          const { sha256, sha1, size } = await hashFile(e.host);
          const relative = e.path === dest ? "" : e.path.slice(dest.length).replace(/^\/+/, "");
          return { path: e.path, sha256, sha1, size, mode: stat.mode & 0o7777, origin: originAt(request, relative, tarballs) };
        }),
      );
      return measured.filter((f): f is BomFile => f !== undefined);
    }),
  );
  return perFile.flat();
}

/** Regular files and symlinks under a directory, by image path (symlinks are listed, never followed). */
async function walk(host: string, path: string): Promise<{ path: string; host: string }[]> {
  const out: { path: string; host: string }[] = [];
  const entries = (await readdir(host, { withFileTypes: true })).sort((a, b) => compareNames(a.name, b.name));
  for (const e of entries) {
    const child = { path: `${path.replace(/\/$/, "")}/${e.name}`, host: join(host, e.name) };
    if (e.isDirectory()) out.push(...(await walk(child.host, child.path)));
    else if (e.isFile()) out.push(child);
  }
  return out;
}

/** sha256 of each tarball, read from the mounted build context. */
export async function hashTarballs(context: MountedTree, names: readonly string[]): Promise<Map<string, string>> {
  const hashed = await Promise.all(
    names.map(async (name) => {
      const found = await context.stat(name);
      if (!found?.stat.isFile()) throw new TreeError(`tarball ${name} is not in the build context`);
      return [name, (await hashFile(found.host)).sha256] as const;
    }),
  );
  return new Map(hashed);
}

/**
 * Packages dpkg did not install as resolved: the installed set must hold every resolved package at its
 * version, or the image is not what the lock and the BOM say.
 */
export function notInstalledAsResolved(installed: InstalledSet, expected: readonly ExpectedPackage[]): string[] {
  const have = new Map(installed.packages.map((p) => [`${p.name}:${p.architecture}`, p.version]));
  const problems: string[] = [];
  for (const p of expected) {
    const v = have.get(`${p.name}:${p.architecture}`);
    if (v !== p.version) problems.push(`${p.name} ${p.version} (${v === undefined ? "not installed" : `found ${v}`})`);
  }
  return problems;
}

/** An installed package as the requested-package check needs it: with the names it provides. */
export interface InstalledWithProvides {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  /** Virtual package names from `Provides:` (a request may name one, e.g. `awk`). */
  readonly provides: readonly string[];
}

/** Requested packages the image does not hold (at the pinned version, when one is declared). */
export function requestedNotInstalled(installed: readonly InstalledWithProvides[], requested: readonly RequestedPackage[]): string[] {
  const problems: string[] = [];
  for (const r of requested) {
    const [name, architecture] = r.name.split(":");
    const found = installed.filter((p) => p.name === name && (architecture === undefined || p.architecture === architecture));
    if (found.length === 0) {
      const provided = r.version === undefined && installed.some((p) => p.provides.includes(name!) && (architecture === undefined || p.architecture === architecture));
      if (!provided) problems.push(`${r.name} (not installed)`);
    } else if (r.version !== undefined && !found.some((p) => compareVersions(p.version, r.version!) === 0)) {
      problems.push(`${r.name} ${r.version} (found ${found.map((p) => p.version).join(", ")})`);
    }
  }
  return problems;
}

/** The names a `Provides:` field lists (`mail-transport-agent, awk (= 1.0)` → both names). */
export function providedNames(field: string | undefined): string[] {
  return (field ?? "").split(",").map((p) => /^\s*([a-z0-9][a-z0-9+.-]*)/.exec(p)?.[1]).filter((n): n is string => n !== undefined);
}
