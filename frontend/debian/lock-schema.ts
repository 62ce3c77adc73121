import type { AptResolution, PackageSource, ResolvedPackage, ResolvedRepository } from "./resolution.js";

/**
 * `slipway.lock.json`: versioned, one entry per image and architecture, every list sorted, keys in a
 * fixed order and two-space indentation, so that a lock diff reads as "these packages changed".
 */
export const lockFileName = "slipway.lock.json";
export const lockVersion = 1;

export interface LockFile {
  readonly lockVersion: typeof lockVersion;
  readonly images: readonly AptLock[];
}

export interface AptLock {
  readonly image: string;
  readonly architecture: string;
  readonly base?: { readonly ref: string; readonly digest?: string };
  readonly installRecommends: boolean;
  /** What the declaration asked for when the lock was made (to detect drift). */
  readonly requests: readonly { readonly name: string; readonly version?: string }[];
  readonly repositories: readonly ResolvedRepository[];
  readonly stages: readonly (readonly string[])[];
  /** Sorted by name. */
  readonly packages: readonly ResolvedPackage[];
}

type Problem = (path: string, message: string) => void;

/**
 * The largest file size a lock may state: no .deb, source file or InRelease comes near 32 GiB, and a
 * size beyond it (2^60, say) means the lock was altered.
 */
export const maxLockedFileSize = 2 ** 35;

// Debian policy §5.6.1 (package names, with apt's optional `:arch`), §5.6.12 (versions), and dpkg's
// architecture names. A lock's names and versions reach dpkg's command line; nothing else may.
const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+(?::[a-z0-9][a-z0-9-]*)?$/;
const VERSION = /^(?:\d+:)?[0-9][A-Za-z0-9.+~:-]*$/;
const ARCHITECTURE = /^[a-z0-9][a-z0-9-]*$/;
// A repository-relative path (`pool/main/c/curl/curl_….deb`): no empty, `.` or `..` part.
const RELATIVE_PATH = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9._~+%:-]+(?:\/[A-Za-z0-9._~+%:-]+)*$/;
const RFC2822_DATE = /^[A-Za-z0-9 ,:+-]{1,64}$/;
const HTTP_URI = /^https?:\/\/[^\s/?#@]+(?:\/[^\s?#]*)?$/;

export interface LockProblem {
  /** JSON path of the offending field, e.g. `images[0].packages[3].sha256`. */
  readonly path: string;
  readonly message: string;
}

/** Checks the shape of a parsed lock; each problem names the JSON path of the offending field. */
export function validateLock(value: unknown): LockProblem[] {
  const problems: LockProblem[] = [];
  const problem: Problem = (path, message) => problems.push({ path, message });
  if (!isObject(value)) {
    problem("$", "a lock file is a JSON object");
    return problems;
  }
  if (value["lockVersion"] !== lockVersion) problem("lockVersion", `must be ${lockVersion} (this slipway reads version ${lockVersion} locks)`);
  const images = value["images"];
  if (!Array.isArray(images)) problem("images", "must be a list");
  else images.forEach((img, i) => validateImage(img, `images[${i}]`, problem));
  return problems;
}

function validateImage(v: unknown, path: string, problem: Problem): void {
  if (!isObject(v)) return problem(path, "must be an object");
  str(v, "image", path, problem);
  str(v, "architecture", path, problem, ARCHITECTURE, "a Debian architecture");
  if (v["base"] !== undefined) {
    const b = v["base"];
    if (!isObject(b)) problem(`${path}.base`, "must be an object");
    else {
      str(b, "ref", `${path}.base`, problem);
      if (b["digest"] !== undefined && !(typeof b["digest"] === "string" && /^sha256:[0-9a-f]{64}$/.test(b["digest"]))) problem(`${path}.base.digest`, "must be sha256:<64 hex digits>");
    }
  }
  if (typeof v["installRecommends"] !== "boolean") problem(`${path}.installRecommends`, "must be true or false");
  list(v, "requests", path, problem, (r, p) => {
    str(r, "name", p, problem, PACKAGE_NAME, "a Debian package name");
    if (r["version"] !== undefined) str(r, "version", p, problem, VERSION, "a Debian version");
  });
  list(v, "repositories", path, problem, (r, p) => {
    str(r, "uri", p, problem, HTTP_URI, "an http:// or https:// URI");
    str(r, "suite", p, problem, RELATIVE_PATH, "a suite name");
    strings(r, "components", p, problem);
    fileRef(r["inRelease"], `${p}.inRelease`, problem);
    // optional: locks made before slipway recorded it are read as they are
    if (r["date"] !== undefined) str(r, "date", p, problem, RFC2822_DATE, "an InRelease date such as \"Sat, 01 Jun 2024 00:00:00 UTC\"");
    const s = r["signedBy"];
    if (!isObject(s)) problem(`${p}.signedBy`, "must be an object");
    else {
      if (!(typeof s["fingerprint"] === "string" && /^[0-9a-f]{16,64}$/.test(s["fingerprint"]))) problem(`${p}.signedBy.fingerprint`, "must be a lowercase hex fingerprint");
      strings(s, "userIds", `${p}.signedBy`, problem);
    }
  });
  if (!Array.isArray(v["stages"]) || !v["stages"].every((s) => Array.isArray(s) && s.every((n) => typeof n === "string"))) {
    problem(`${path}.stages`, "must be a list of lists of package names");
  }
  const repoCount = Array.isArray(v["repositories"]) ? v["repositories"].length : 0;
  list(v, "packages", path, problem, (pkg, p) => {
    str(pkg, "name", p, problem, PACKAGE_NAME, "a Debian package name");
    str(pkg, "version", p, problem, VERSION, "a Debian version");
    str(pkg, "architecture", p, problem, ARCHITECTURE, "a Debian architecture");
    str(pkg, "filename", p, problem, RELATIVE_PATH, "a path in the repository");
    str(pkg, "uri", p, problem, HTTP_URI, "an http:// or https:// URI");
    if (!["no", "same", "foreign", "allowed"].includes(pkg["multiArch"] as string)) problem(`${p}.multiArch`, "must be no, same, foreign or allowed");
    if (!(Number.isInteger(pkg["repository"]) && (pkg["repository"] as number) >= 0 && (pkg["repository"] as number) < repoCount)) problem(`${p}.repository`, `must be the index of one of the ${repoCount} repositories`);
    sha(pkg, p, problem);
    size(pkg, p, problem);
    if (pkg["replaces"] !== undefined) str(pkg, "replaces", p, problem, VERSION, "a Debian version");
    strings(pkg, "preDepends", p, problem);
    strings(pkg, "depends", p, problem);
    validateSource(pkg["source"], `${p}.source`, problem);
  });
}

function validateSource(v: unknown, path: string, problem: Problem): void {
  if (!isObject(v)) return problem(path, "must be an object");
  str(v, "name", path, problem);
  str(v, "version", path, problem);
  if (v["kind"] === "archive") {
    list(v, "files", path, problem, (f, p) => {
      str(f, "name", p, problem, RELATIVE_PATH, "a file name");
      str(f, "uri", p, problem, HTTP_URI, "an http:// or https:// URI");
      sha(f, p, problem);
      size(f, p, problem);
    });
  } else if (v["kind"] === "vcs") {
    for (const f of ["type", "repository", "ref"]) str(v, f, path, problem);
  } else problem(`${path}.kind`, 'must be "archive" or "vcs"');
}

function fileRef(v: unknown, path: string, problem: Problem): void {
  if (!isObject(v)) return problem(path, "must be an object");
  str(v, "url", path, problem, HTTP_URI, "an http:// or https:// URI");
  sha(v, path, problem);
  size(v, path, problem);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function str(o: Record<string, unknown>, key: string, path: string, problem: Problem, shape?: RegExp, what?: string): void {
  const v = o[key];
  if (typeof v !== "string" || v === "") problem(`${path}.${key}`, "must be a non-empty string");
  else if (shape && !shape.test(v)) problem(`${path}.${key}`, `must be ${what} (${JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v)} is not)`);
  else if (/[\u0000-\u001f\u007f-\u009f]/.test(v)) problem(`${path}.${key}`, "must not contain control characters");
}
function strings(o: Record<string, unknown>, key: string, path: string, problem: Problem): void {
  if (!Array.isArray(o[key]) || !(o[key] as unknown[]).every((s) => typeof s === "string" && s !== "" && !/[\u0000-\u001f\u007f-\u009f]/.test(s))) {
    problem(`${path}.${key}`, "must be a list of non-empty strings without control characters");
  }
}
function sha(o: Record<string, unknown>, path: string, problem: Problem): void {
  if (!(typeof o["sha256"] === "string" && /^[0-9a-f]{64}$/.test(o["sha256"]))) problem(`${path}.sha256`, "must be 64 lowercase hex digits");
}
function size(o: Record<string, unknown>, path: string, problem: Problem): void {
  if (!(Number.isInteger(o["size"]) && (o["size"] as number) >= 0)) problem(`${path}.size`, "must be a whole number of bytes");
  else if ((o["size"] as number) > maxLockedFileSize) problem(`${path}.size`, `must be at most ${maxLockedFileSize} bytes (32 GiB); ${o["size"]} is no real package`);
}
function list(o: Record<string, unknown>, key: string, path: string, problem: Problem, each: (item: Record<string, unknown>, path: string) => void): void {
  const v = o[key];
  if (!Array.isArray(v)) return problem(`${path}.${key}`, "must be a list");
  v.forEach((item, i) => (isObject(item) ? each(item, `${path}.${key}[${i}]`) : problem(`${path}.${key}[${i}]`, "must be an object")));
}

/** The lock entry of one resolution, with every list in a canonical order. */
export function lockFromResolution(resolution: AptResolution, image: string, requests: AptLock["requests"]): AptLock {
  const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return {
    image,
    architecture: resolution.architecture,
    ...(resolution.baseImage ? { base: { ref: resolution.baseImage.ref, ...(resolution.baseImage.digest ? { digest: resolution.baseImage.digest } : {}) } } : {}),
    installRecommends: resolution.installRecommends,
    requests: [...requests].map((r) => ({ name: r.name, ...(r.version ? { version: r.version } : {}) })).sort(byName),
    repositories: resolution.repositories.map((r) => ({
      uri: r.uri,
      suite: r.suite,
      components: [...r.components],
      inRelease: { url: r.inRelease.url, sha256: r.inRelease.sha256, size: r.inRelease.size },
      ...(r.date !== undefined && { date: r.date }),
      signedBy: { fingerprint: r.signedBy.fingerprint, userIds: [...r.signedBy.userIds] },
    })),
    stages: resolution.stages.map((s) => [...s]),
    packages: [...resolution.packages].sort(byName).map(canonicalPackage),
  };
}

function canonicalPackage(p: ResolvedPackage): ResolvedPackage {
  return {
    name: p.name,
    version: p.version,
    architecture: p.architecture,
    multiArch: p.multiArch,
    repository: p.repository,
    filename: p.filename,
    uri: p.uri,
    sha256: p.sha256,
    size: p.size,
    ...(p.replaces !== undefined ? { replaces: p.replaces } : {}),
    preDepends: [...p.preDepends].sort(),
    depends: [...p.depends].sort(),
    source: canonicalSource(p.source),
  };
}

function canonicalSource(s: PackageSource): PackageSource {
  if (s.kind === "vcs") return { kind: "vcs", name: s.name, version: s.version, type: s.type, repository: s.repository, ref: s.ref };
  return {
    kind: "archive",
    name: s.name,
    version: s.version,
    files: [...s.files].sort((a, b) => (a.name < b.name ? -1 : 1)).map((f) => ({ name: f.name, uri: f.uri, sha256: f.sha256, size: f.size })),
  };
}

/** The lock file text: entries sorted by image and architecture, two-space JSON, final newline. */
export function formatLock(images: readonly AptLock[]): string {
  const sorted = [...images].sort((a, b) => (a.image + "\0" + a.architecture < b.image + "\0" + b.architecture ? -1 : 1));
  const file: LockFile = { lockVersion, images: sorted };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * The lock after re-resolving some images: their entries (by image and architecture) replace the old
 * ones; entries of other images and architectures are kept, so locking one image of a file with several
 * does not drop the others.
 */
export function mergeLock(existing: LockFile | undefined, entries: readonly AptLock[]): string {
  const key = (e: AptLock) => `${e.image}\0${e.architecture}`;
  const replaced = new Set(entries.map(key));
  return formatLock([...(existing?.images ?? []).filter((e) => !replaced.has(key(e))), ...entries]);
}
