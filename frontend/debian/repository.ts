import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { failure, reasonOf, type Result } from "../../grammar/index.js";
import { chooseIndexFile, verifyInRelease, type IndexFileChoice, type ReleaseFile } from "./inrelease.js";
import { isFetchError, type Fetcher } from "./io.js";
import { xzDecompress } from "./xz.js";
import type { TrustedKey } from "./keyring.js";
import { parsePackagesIndex, type BinaryPackage } from "./packages.js";
import { parseSourcesIndex, type SourcePackage } from "./sources.js";

/** One repository to read: a URI and suite with its components, and the keys allowed to sign it. */
export interface RepositoryTarget {
  readonly uri: string;
  readonly suite: string;
  readonly components: readonly string[];
  /** Binary architectures to read (the target's; `all` is added). */
  readonly architectures: readonly string[];
  readonly binaries: boolean;
  /** `if-listed`: read Sources when the Release lists them (a base image's `deb` lines rarely say `deb-src`). */
  readonly sources: "required" | "if-listed" | "no";
  /** Keys that may sign this repository's InRelease. */
  readonly trusted: readonly TrustedKey[];
}

/** An index file read from a repository, for the BOM's provenance. */
export interface FetchedFile {
  readonly url: string;
  readonly sha256: string;
  readonly size: number;
}

export interface LoadedRepository {
  readonly target: RepositoryTarget;
  readonly inRelease: FetchedFile;
  readonly release: ReleaseFile;
  readonly signer: TrustedKey;
  readonly packages: BinaryPackage[];
  /** The source packages of the given names (parsed on demand); undefined when no Sources index was read. */
  readonly sources: ((names: ReadonlySet<string>) => Map<string, SourcePackage>) | undefined;
  readonly files: readonly FetchedFile[];
}

/** The repository, or undefined with an error whose reason (see `failure`) says why it cannot be used. */
export type LoadResult = Result<LoadedRepository | undefined>;

/** `http://host/debian` + `dists/bookworm/InRelease`. */
export function distsUrl(uri: string, suite: string, path: string): string {
  return `${uri.replace(/\/+$/, "")}/dists/${suite}/${path}`;
}

/**
 * Reads one repository: its InRelease (verified against `target.trusted`), then each Packages and
 * Sources index by the SHA256 the InRelease lists. `origin` tags every package with the repository's
 * position, so the resolver can tell repositories apart.
 */
export async function loadRepository(target: RepositoryTarget, fetcher: Fetcher, origin: number, now: Date = new Date()): Promise<LoadResult> {
  if (target.suite.endsWith("/")) {
    return unusable(`flat repositories ("${target.suite}") are not supported; use a dists/ layout with a suite and components`);
  }
  const inReleaseUrl = distsUrl(target.uri, target.suite, "InRelease");
  let inReleaseBytes: Uint8Array;
  try {
    inReleaseBytes = await fetcher.fetch(inReleaseUrl);
  } catch (e) {
    // the URL fetched, which a mirror (SLIPWAY_MIRROR) may have rewritten
    return unusable(isFetchError(e) ? `cannot fetch ${e.url}: ${e.reason}` : `cannot fetch ${inReleaseUrl}: ${String(e)}`);
  }
  const verified = await verifyInRelease(new TextDecoder().decode(inReleaseBytes), target.trusted);
  if (verified.value === undefined) return unusable(`the signature of ${inReleaseUrl} does not verify: ${reasonOf(verified)}`);
  const { release, signer } = verified.value;
  if (release.suite !== undefined && release.codename !== undefined && target.suite !== release.suite && target.suite !== release.codename) {
    return unusable(`${inReleaseUrl} is for suite "${release.suite}" (codename "${release.codename}"), not "${target.suite}"`);
  }
  if (release.validUntil !== undefined) {
    const until = Date.parse(release.validUntil);
    if (Number.isNaN(until)) return unusable(`${inReleaseUrl} has an unreadable Valid-Until date "${release.validUntil}"`);
    // As apt does: an expired Release could be a stale copy replayed to hide security updates.
    if (until < now.getTime()) return unusable(`${inReleaseUrl} expired on ${release.validUntil} (Valid-Until); the mirror is stale or the clock is wrong`);
  }
  const inRelease = { url: inReleaseUrl, sha256: createHash("sha256").update(inReleaseBytes).digest("hex"), size: inReleaseBytes.length };
  const files: FetchedFile[] = [inRelease];
  const packages: BinaryPackage[] = [];
  const sourceTexts: string[] = [];
  const archs = new Set([...target.architectures, "all"]);
  const wanted: { path: string; kind: "packages" | "sources" }[] = [];
  for (const component of target.components) {
    if (target.binaries) {
      for (const arch of target.architectures) wanted.push({ path: `${component}/binary-${arch}/Packages`, kind: "packages" });
      const allPath = `${component}/binary-all/Packages`;
      const listsAll = [...release.sha256.keys()].some((k) => k.startsWith(`${allPath}`));
      if (listsAll && !release.archAllInArchIndexes) wanted.push({ path: allPath, kind: "packages" });
    }
    if (target.sources === "required") wanted.push({ path: `${component}/source/Sources`, kind: "sources" });
    if (target.sources === "if-listed" && [...release.sha256.keys()].some((k) => k.startsWith(`${component}/source/Sources`))) {
      wanted.push({ path: `${component}/source/Sources`, kind: "sources" });
    }
  }
  const loaded = await Promise.all(
    wanted.map(async (w) => {
      const choice = chooseIndexFile(release, w.path);
      const file = choice.value;
      if (file === undefined) return unusable(`${distsUrl(target.uri, target.suite, w.path)}: ${reasonOf(choice)}`);
      try {
        return { value: { w, file, text: await fetchIndex(fetcher, target, file) }, diagnostics: [] };
      } catch (e) {
        return unusable(isFetchError(e) ? `${e.url}: ${e.reason}` : String(e));
      }
    }),
  );
  for (const result of loaded) {
    const l = result.value;
    if (l === undefined) return unusable(reasonOf(result));
    files.push({ url: indexUrl(target, l.file), sha256: l.file.sha256, size: l.file.size });
    // one by one: an index holds tens of thousands of stanzas, more than a spread's arguments may be
    if (l.w.kind === "packages") {
      for (const p of parsePackagesIndex(l.text, { architectures: archs, origin })) packages.push(p);
    } else sourceTexts.push(l.text);
  }
  const sources =
    sourceTexts.length === 0
      ? undefined
      : (names: ReadonlySet<string>) => {
          const out = new Map<string, SourcePackage>();
          for (const text of sourceTexts) for (const [k, v] of parseSourcesIndex(text, target.uri, names)) if (!out.has(k)) out.set(k, v);
          return out;
        };
  return { value: { target, inRelease, release, signer, packages, sources, files }, diagnostics: [] };
}

function unusable(reason: string): Result<undefined> {
  return failure("Repository cannot be used", reason);
}

function indexUrl(target: RepositoryTarget, file: IndexFileChoice): string {
  return distsUrl(target.uri, target.suite, file.byHashPath ?? file.path);
}

async function fetchIndex(fetcher: Fetcher, target: RepositoryTarget, file: IndexFileChoice): Promise<string> {
  const url = indexUrl(target, file);
  const bytes = await fetcher.fetch(url, { sha256: file.sha256, size: file.size });
  const plain = file.compression === "gz" ? gunzipSync(bytes) : file.compression === "xz" ? await xzDecompress(bytes, url) : bytes;
  return indexText(plain);
}

/**
 * The text of an index. Every field slipway keeps (names, versions, relations, file names, hashes) is
 * ASCII by Debian policy, so bytes are read as Latin-1: three to four times faster than UTF-8 decoding
 * on a 50 MB index, and only descriptions and maintainer names, which are dropped, would differ.
 */
export function indexText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1");
}
