import { compareVersions } from "./version.js";
import type { AptLock, LockFile, LockProblem } from "./lock-schema.js";

/**
 * What `validateLock` cannot see field by field: whether one entry of a lock holds together. A lock is
 * user input (it is committed, reviewed, and can be edited by hand or by an attacker), and a build from
 * it fetches exactly what it names and runs dpkg on exactly its stages, so an entry that contradicts
 * itself must stop the build instead of installing less, or other bytes, than it says.
 */
export interface EntryProblem extends LockProblem {
  /** The package the problem is about, when it is one: the diagnostic is put at its declaration. */
  readonly package?: string;
}

/** Entries that appear twice (same image and architecture): which one a build uses would be arbitrary. */
export function duplicateEntries(lock: LockFile): LockProblem[] {
  const seen = new Map<string, number>();
  const out: LockProblem[] = [];
  lock.images.forEach((e, i) => {
    const key = `${e.image}\0${e.architecture}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else out.push({ path: `images[${i}]`, message: `repeats images[${first}] (image "${e.image}" on ${e.architecture})` });
  });
  return out;
}

/**
 * The problems of one entry: duplicate packages, requests or repositories; stages that do not list every
 * package exactly once (an empty `stages` would install nothing); a requested version the locked package
 * does not have; dependencies on packages the entry lacks; and package or source URIs outside their
 * repository (a lock cannot point a build at another host).
 */
export function entryProblems(entry: AptLock): EntryProblem[] {
  const all = allEntryProblems(entry);
  // A lock altered wholesale would report every package; the first few say what happened.
  if (all.length <= maxEntryProblems) return all;
  return [...all.slice(0, maxEntryProblems), { path: "packages", message: `and ${all.length - maxEntryProblems} more problems like these` }];
}

const maxEntryProblems = 10;

function allEntryProblems(entry: AptLock): EntryProblem[] {
  const out: EntryProblem[] = [];
  const packageIndex = new Map<string, number>();
  entry.packages.forEach((p, i) => {
    if (packageIndex.has(p.name)) out.push({ path: `packages[${i}]`, message: `lists "${p.name}" a second time (first at packages[${packageIndex.get(p.name)}])`, package: p.name });
    else packageIndex.set(p.name, i);
  });
  const requested = new Set<string>();
  entry.requests.forEach((r, i) => {
    if (requested.has(r.name)) out.push({ path: `requests[${i}]`, message: `lists "${r.name}" a second time`, package: r.name });
    requested.add(r.name);
    const locked = entry.packages[packageIndex.get(r.name) ?? -1];
    if (r.version !== undefined && locked !== undefined && compareVersions(locked.version, r.version) !== 0) {
      out.push({ path: `packages[${packageIndex.get(r.name)}].version`, message: `is ${locked.version}, but the lock was made for "${r.name}" version ${r.version}`, package: r.name });
    }
  });
  const repoKeys = new Set<string>();
  entry.repositories.forEach((r, i) => {
    const key = `${trimSlash(r.uri)} ${r.suite}`;
    if (repoKeys.has(key)) out.push({ path: `repositories[${i}]`, message: `repeats ${r.uri} ${r.suite}` });
    repoKeys.add(key);
  });
  out.push(...stageProblems(entry, packageIndex));
  entry.packages.forEach((p, i) => {
    for (const field of ["preDepends", "depends"] as const) {
      const missing = p[field].find((n) => !packageIndex.has(n));
      if (missing !== undefined) out.push({ path: `packages[${i}].${field}`, message: `names "${missing}", which the entry does not lock`, package: p.name });
    }
    const repo = entry.repositories[p.repository];
    if (repo !== undefined && p.uri !== `${trimSlash(repo.uri)}/${p.filename}`) {
      out.push({ path: `packages[${i}].uri`, message: `is ${p.uri}, not ${trimSlash(repo.uri)}/${p.filename} (its repository ${repo.uri} and its filename)`, package: p.name });
    }
    if (p.source.kind === "archive") {
      p.source.files.forEach((f, j) => {
        if (!entry.repositories.some((r) => f.uri.startsWith(`${trimSlash(r.uri)}/`))) {
          out.push({ path: `packages[${i}].source.files[${j}].uri`, message: `${f.uri} is in none of the entry's repositories`, package: p.name });
        }
      });
    }
  });
  return out;
}

/** Every package in exactly one stage, and nothing else in any stage. */
function stageProblems(entry: AptLock, packageIndex: ReadonlyMap<string, number>): EntryProblem[] {
  const out: EntryProblem[] = [];
  if (entry.stages.length === 0 && entry.packages.length > 0) {
    return [{ path: "stages", message: `is empty, so none of the ${entry.packages.length} locked packages would be installed` }];
  }
  const staged = new Set<string>();
  entry.stages.forEach((stage, i) => {
    if (stage.length === 0) out.push({ path: `stages[${i}]`, message: "is empty" });
    stage.forEach((name, j) => {
      if (!packageIndex.has(name)) out.push({ path: `stages[${i}][${j}]`, message: `names "${name}", which is not among the entry's packages` });
      else if (staged.has(name)) out.push({ path: `stages[${i}][${j}]`, message: `installs "${name}" a second time`, package: name });
      staged.add(name);
    });
  });
  for (const [name, i] of packageIndex) {
    if (!staged.has(name)) out.push({ path: `packages[${i}]`, message: `"${name}" is in no stage, so it would not be installed`, package: name });
  }
  return out;
}

function trimSlash(uri: string): string {
  return uri.replace(/\/+$/, "");
}
