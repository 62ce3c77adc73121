/**
 * Debian version ordering, as deb-version(7) defines it and dpkg implements it (`verrevcmp`):
 * `[epoch:]upstream[-revision]`, epochs compared numerically, then upstream and revision compared by
 * alternating non-digit runs (where `~` sorts before everything, even the end of the string, and letters
 * sort before other characters) and digit runs compared numerically.
 */

/** A parsed version. `revision` is `""` when the version has no hyphen (a native package). */
export interface DebianVersion {
  readonly epoch: number;
  readonly upstream: string;
  readonly revision: string;
}

const validUpstream = /^[0-9][A-Za-z0-9.+~:-]*$/;
const validRevision = /^[A-Za-z0-9.+~]*$/;

/**
 * Parses a version, or returns undefined when it is not a valid Debian version. The upstream part must
 * start with a digit (dpkg warns otherwise; apt's repositories never contain such versions).
 */
export function parseVersion(text: string): DebianVersion | undefined {
  const s = text.trim();
  if (s === "") return undefined;
  let epoch = 0;
  let rest = s;
  const colon = s.indexOf(":");
  if (colon >= 0) {
    const e = s.slice(0, colon);
    if (!/^[0-9]+$/.test(e)) return undefined;
    epoch = Number(e);
    rest = s.slice(colon + 1);
  }
  const hyphen = rest.lastIndexOf("-");
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const revision = hyphen >= 0 ? rest.slice(hyphen + 1) : "";
  if (!validUpstream.test(upstream) || !validRevision.test(revision)) return undefined;
  if (hyphen >= 0 && revision === "") return undefined;
  return { epoch, upstream, revision };
}

function order(c: number): number {
  // `~` sorts first, then the end of a part (and a digit, which starts the next run), then letters, then the rest.
  if (isDigit(c)) return 0;
  if (c === 126 /* ~ */) return -1;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return c;
  return c + 256;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** dpkg's `verrevcmp` on one part (upstream or revision). */
function comparePart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = i < a.length ? order(a.charCodeAt(i)) : 0;
      const bc = j < b.length ? order(b.charCodeAt(j)) : 0;
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (i < a.length && a.charCodeAt(i) === 48) i++;
    while (j < b.length && b.charCodeAt(j) === 48) j++;
    while (i < a.length && isDigit(a.charCodeAt(i)) && j < b.length && isDigit(b.charCodeAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && isDigit(a.charCodeAt(i))) return 1;
    if (j < b.length && isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

const parsedCache = new Map<string, DebianVersion>();

function parsedOrLenient(text: string): DebianVersion {
  let v = parsedCache.get(text);
  if (v) return v;
  // Invalid versions still need a total order (a broken index must not crash the resolver): compare
  // them as an upstream part with epoch 0, the way dpkg does after warning.
  v = parseVersion(text) ?? { epoch: 0, upstream: text.trim(), revision: "" };
  if (parsedCache.size > 200_000) parsedCache.clear();
  parsedCache.set(text, v);
  return v;
}

/** Compares two version strings: negative when `a` sorts before `b`, 0 when equal, positive after. */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const va = parsedOrLenient(a);
  const vb = parsedOrLenient(b);
  if (va.epoch !== vb.epoch) return va.epoch - vb.epoch;
  const u = comparePart(va.upstream, vb.upstream);
  if (u !== 0) return u;
  return comparePart(va.revision, vb.revision);
}

/** A version relation operator as written in a relationship field. */
export type VersionOperator = "<<" | "<=" | "=" | ">=" | ">>";

/** True when `version` satisfies `operator constraint` (e.g. `7.88.1-10` satisfies `>= 7.88`). */
export function satisfiesVersion(version: string, operator: VersionOperator, constraint: string): boolean {
  const c = compareVersions(version, constraint);
  switch (operator) {
    case "<<":
      return c < 0;
    case "<=":
      return c <= 0;
    case "=":
      return c === 0;
    case ">=":
      return c >= 0;
    case ">>":
      return c > 0;
  }
}
