import { errorAt, type Apt, type Diagnostic, type Package, type Range, type Result } from "../../grammar/index.js";
import { readImagePackages } from "./base-image.js";
import type { ImageFiles } from "./io.js";
import { duplicateEntries, entryProblems } from "./lock-check.js";
import { lockFileName, validateLock, type AptLock, type LockFile } from "./lock-schema.js";
import type { AptResolution } from "./resolution.js";
import type { AptRequest, AptResult } from "./resolve-apt.js";
import { installedList } from "./resolve-apt.js";
import { replaceSources } from "./targets.js";

/**
 * Reading a lock and building from it: with a lock, no index is fetched at all; every .deb is fetched
 * by the SHA256 the lock records. A declaration that asks for anything the lock does not record is an
 * error that says how to refresh the lock.
 */

/** The largest lock read: a lock of 2 000 packages is about 3 MB. */
export const maxLockFileChars = 64 * 1024 * 1024;

/** Parses and validates `slipway.lock.json`; problems name the file and the JSON path of the field. */
export function parseLock(text: string, file: string = lockFileName): Result<LockFile | undefined> {
  const at: Range = { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
  if (text.length > maxLockFileChars) {
    return { value: undefined, diagnostics: [errorAt(at, "Lock file too large", `${file} is ${text.length} characters; slipway reads locks of at most ${maxLockFileChars} (64 Mi), far more than thousands of packages take.`, { hint: refreshHint(file) })] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { value: undefined, diagnostics: [errorAt(at, "Unreadable lock file", `${file} is not valid JSON: ${message}.`, { hint: refreshHint(file) })] };
  }
  const problems = validateLock(value);
  if (problems.length === 0) problems.push(...duplicateEntries(value as LockFile));
  if (problems.length > 0) {
    return {
      value: undefined,
      diagnostics: problems.map((p) => errorAt(at, "Invalid lock file", `${file}: field ${p.path} ${p.message}.`, { hint: refreshHint(file) })),
    };
  }
  return { value: value as LockFile, diagnostics: [] };
}

function refreshHint(declarationFile: string): string {
  return `Refresh it with "slipway lock ${declarationFile}" or build with --build-arg SLIPWAY_LOCK=update.`;
}

/** The lock entry for an image and architecture, if any. */
export function findLockEntry(lock: LockFile, image: string, architecture: string): AptLock | undefined {
  return lock.images.find((e) => e.image === image && e.architecture === architecture);
}

/**
 * The resolution recorded in `entry`, after checking that the declaration still asks for exactly what
 * the lock was made for: the same base image digest, repositories, packages and versions, vcs
 * declarations and Recommends setting. With `io.base`, the base image's installed packages are read
 * for the BOM (reading dpkg's status is not an index fetch).
 */
export async function resolveAptFromLock(
  request: AptRequest & { readonly image: string },
  entry: AptLock | undefined,
  io: { readonly base?: ImageFiles } = {},
): Promise<AptResult> {
  const packages = request.apt.flatMap((a) => a.packages);
  const declFile = request.apt[0]?.range.file ?? request.baseImage?.range?.file ?? "the declaration";
  const hint = { hint: refreshHint(declFile) };
  const blockRange = request.apt[0]?.range;
  if (!entry) {
    return { value: undefined, diagnostics: [errorAt(blockRange, "Image not in the lock", `${lockFileName} has no entry for image "${request.image}" on ${request.architecture}.`, hint)] };
  }
  // The entry must hold together before it is compared with the declaration: an entry whose stages
  // name a package it lacks would otherwise fail later, without a location.
  const inconsistent = entryProblems(entry);
  if (inconsistent.length > 0) {
    const where = `${lockFileName}, image "${entry.image}" on ${entry.architecture}`;
    return {
      value: undefined,
      diagnostics: inconsistent.map((p) => {
        const declared = p.package !== undefined ? packages.find((d) => d.name.value === p.package) : undefined;
        return errorAt(declared?.name.range ?? blockRange, "Inconsistent lock file", `${where}: ${p.path} ${p.message}.`, {
          hint: `The lock was edited or damaged. ${refreshHint(declFile)}`,
        });
      }),
    };
  }
  const diagnostics = [...driftDiagnostics(request, entry, packages, hint)];
  if (diagnostics.length > 0) return { value: undefined, diagnostics };
  let basePackages: AptResolution["basePackages"] = [];
  if (io.base) {
    const base = await readImagePackages(io.base);
    if (base) basePackages = installedList(base);
  }
  const byName = new Map(entry.packages.map((p) => [p.name, p]));
  return {
    value: {
      architecture: entry.architecture,
      ...(entry.base ? { baseImage: entry.base } : {}),
      installRecommends: entry.installRecommends,
      repositories: entry.repositories,
      basePackages,
      packages: entry.stages.flat().map((n) => byName.get(n)!),
      stages: entry.stages,
      indexFiles: [],
    },
    diagnostics: [],
  };
}

function driftDiagnostics(request: AptRequest, entry: AptLock, packages: readonly Package[], hint: { hint: string }): Diagnostic[] {
  const out: Diagnostic[] = [];
  const blockRange = request.apt[0]?.range;
  const lockDigest = entry.base?.digest;
  const wantDigest = request.baseImage?.digest;
  if (lockDigest && wantDigest && lockDigest !== wantDigest) {
    out.push(errorAt(request.baseImage?.range ?? blockRange, "Base image changed since the lock", `The lock was made for ${entry.base!.ref}@${lockDigest}; the base image is now ${wantDigest}.`, hint));
  }
  const declaredRepos = request.apt.flatMap((a) => a.repositories);
  if (declaredRepos.length > 0) {
    for (const repo of declaredRepos) {
      const inLock = entry.repositories.some((r) => sameUri(r.uri, repo.uri.value) && r.suite === repo.suite.value && repo.components.every((c) => r.components.includes(c)));
      if (!inLock) out.push(errorAt(repo.range, "Repository not in the lock", `${repo.uri.value} ${repo.suite.value} ${repo.components.join(" ")} is not among the repositories the lock was made from.`, hint));
    }
  }
  if (replaceSources(request.apt)) {
    for (const r of entry.repositories) {
      const isDeclared = declaredRepos.some((d) => sameUri(r.uri, d.uri.value) && r.suite === d.suite.value);
      if (!isDeclared) {
        const at = request.apt.find((a) => a.replaceSources)?.replaceSources?.range ?? blockRange;
        out.push(errorAt(at, "Lock reads a repository the declaration replaced", `${lockFileName} was made with ${r.uri} ${r.suite}, which is not declared, and replace_sources = true reads only declared repositories.`, hint));
      }
    }
  }
  const recommends = request.apt.some((a) => a.installRecommends?.value === true);
  if (recommends !== entry.installRecommends) {
    const r = request.apt.find((a) => a.installRecommends)?.installRecommends?.range ?? blockRange;
    out.push(errorAt(r, "Recommends setting changed since the lock", `The lock was made with install_recommends = ${entry.installRecommends}.`, hint));
  }
  const locked = new Map(entry.requests.map((r) => [r.name, r.version]));
  const lockedPackages = new Map(entry.packages.map((p) => [p.name, p]));
  const declared = new Set<string>();
  for (const p of packages) {
    const name = p.name.value;
    declared.add(name);
    if (!locked.has(name)) {
      out.push(errorAt(p.name.range, "Package not in the lock", `"${name}" is declared but ${lockFileName} was made without it.`, hint));
      continue;
    }
    const lockedVersion = locked.get(name);
    const lp = lockedPackages.get(name);
    if ((p.version?.value ?? undefined) !== lockedVersion) {
      out.push(errorAt(p.version?.range ?? p.name.range, "Package version changed since the lock", `The lock was made for "${name}" ${lockedVersion ? `version ${lockedVersion}` : "at its newest version"}; the declaration asks for ${p.version ? `version ${p.version.value}` : "the newest version"}.`, hint));
    }
    if (p.vcs && lp && (lp.source.kind !== "vcs" || lp.source.repository !== p.vcs.repository.value || lp.source.ref !== p.vcs.ref.value)) {
      out.push(errorAt(p.vcs.range, "Package source changed since the lock", `The lock records a different source for "${name}".`, hint));
    }
  }
  for (const name of locked.keys()) {
    if (!declared.has(name)) out.push(errorAt(blockRange, "Lock has a package the declaration dropped", `${lockFileName} was made for "${name}", which the declaration no longer asks for.`, hint));
  }
  return out;
}

function sameUri(a: string, b: string): boolean {
  return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}

/** The requests of a declaration, as a lock records them. */
export function lockRequests(apt: readonly Apt[]): AptLock["requests"] {
  const seen = new Map<string, { name: string; version?: string }>();
  for (const p of apt.flatMap((a) => a.packages)) if (!seen.has(p.name.value)) seen.set(p.name.value, { name: p.name.value, ...(p.version ? { version: p.version.value } : {}) });
  return [...seen.values()];
}
