import { failure, type Result } from "../../grammar/index.js";
import type { Fetcher } from "./io.js";

/**
 * Mirrors: where locked files are fetched from, apart from what they are. A lock pins every .deb (and a
 * resolution every index) by SHA256, so a file may come from any copy of the repository: another mirror,
 * an internal proxy, a snapshot archive. `ORIGINAL=REPLACEMENT[,…]` (the `SLIPWAY_MIRROR` build argument,
 * and `slipway lock|llb --mirror`) rewrites each URL that starts with ORIGINAL. The URLs recorded in the
 * lock and the BOM stay the original ones, and the checksum stays the lock's, so the image is the same.
 */

export interface Mirror {
  /** A URL prefix, without a trailing slash: matches itself and everything under it. */
  readonly original: string;
  /** What replaces `original`, without a trailing slash. */
  readonly replacement: string;
}

/** The name of the build argument, of the CLI's environment variable, and (lowercased) of its flag. */
export const MIRROR_VARIABLE = "SLIPWAY_MIRROR";

/** More rules than any real set of repositories needs; a longer value is refused, not read. */
export const maxMirrors = 64;
const maxUrlLength = 2048;
const HTTP_PREFIX = /^https?:\/\/[^\s/?#@]+(?:\/[^\s?#]*)?$/;

/** The rules, or undefined with an error whose reason (see `failure`) reads as the end of a sentence about the value. */
export type MirrorsParse = Result<readonly Mirror[] | undefined>;

/**
 * Parses `ORIGINAL=REPLACEMENT[,…]`; an empty value is no mirror. Every part must be an http(s) URL
 * (no query, fragment or credentials); an ORIGINAL given twice is refused, since which one wins would be
 * a guess. A problem reads as the end of a sentence about the value, e.g. "SLIPWAY_MIRROR: <problem>".
 */
export function parseMirrors(text: string): MirrorsParse {
  if (text.trim() === "") return { value: [], diagnostics: [] };
  const parts = text.split(",").map((p) => p.trim());
  if (parts.length > maxMirrors) return malformed(`${parts.length} rules, more than the ${maxMirrors} slipway reads`);
  const mirrors: Mirror[] = [];
  for (const [i, part] of parts.entries()) {
    const where = parts.length === 1 ? "" : `rule ${i + 1} `;
    const eq = part.indexOf("=");
    if (eq < 0) return malformed(`${where}${quote(part)} is not ORIGINAL=REPLACEMENT`);
    const original = part.slice(0, eq).trim().replace(/\/+$/, "");
    const replacement = part.slice(eq + 1).trim().replace(/\/+$/, "");
    for (const [what, url] of [["ORIGINAL", original], ["REPLACEMENT", replacement]] as const) {
      if (url.length > maxUrlLength) return malformed(`${where}${what} is ${url.length} characters, more than ${maxUrlLength}`);
      if (!HTTP_PREFIX.test(url)) return malformed(`${where}${what} ${quote(url)} is not an http:// or https:// URL (without query, fragment or user name)`);
    }
    if (mirrors.some((m) => m.original === original)) return malformed(`${where}gives ${quote(original)} a second replacement`);
    mirrors.push({ original, replacement });
  }
  // the longest prefix wins, so `http://a/debian-security=…` is not taken by a rule for `http://a`
  mirrors.sort((a, b) => b.original.length - a.original.length);
  return { value: mirrors, diagnostics: [] };
}

function malformed(reason: string): Result<undefined> {
  return failure("Malformed mirror list", reason);
}

/** `url` with the longest matching ORIGINAL replaced; unchanged when none matches. */
export function mirroredUrl(url: string, mirrors: readonly Mirror[]): string {
  for (const m of mirrors) {
    if (url === m.original || url.startsWith(`${m.original}/`)) return m.replacement + url.slice(m.original.length);
  }
  return url;
}

/** A fetcher that fetches each URL from its mirror; the checksums expected stay the same. */
export function mirroredFetcher(fetcher: Fetcher, mirrors: readonly Mirror[]): Fetcher {
  if (mirrors.length === 0) return fetcher;
  return { fetch: (url, expect) => fetcher.fetch(mirroredUrl(url, mirrors), expect) };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * An InRelease `Date` (RFC 2822, e.g. `Sat, 01 Jun 2024 00:00:00 UTC`) as the `YYYYMMDDThhmmssZ` stamp
 * snapshot archives name their states by: a snapshot taken at or after that time holds every file of the
 * lock. Undefined when the date cannot be read.
 */
export function snapshotTimestamp(date: string): string | undefined {
  const m = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\s*(UTC|GMT|Z|[+-]\d{4})$/.exec(date.trim());
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2]!);
  if (month < 0) return undefined;
  const zone = m[7]!;
  const offsetMinutes = /^[+-]/.test(zone) ? (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3))) : 0;
  const ms = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offsetMinutes * 60_000;
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
