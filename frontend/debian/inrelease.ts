import * as openpgp from "openpgp";
import { parseParagraphs } from "./deb822.js";
import { failure, type Result } from "../../grammar/index.js";
import type { TrustedKey } from "./keyring.js";

/**
 * A repository's `InRelease`: a cleartext-signed Release file. Nothing from a repository is used until
 * its InRelease verifies against the keys trusted for it; every other index is then fetched by the SHA256
 * this file lists.
 */
export interface ReleaseFile {
  readonly origin?: string;
  readonly label?: string;
  readonly suite?: string;
  readonly codename?: string;
  readonly date?: string;
  readonly validUntil?: string;
  readonly acquireByHash: boolean;
  readonly architectures: readonly string[];
  readonly components: readonly string[];
  /** `No-Support-for-Architecture-all: Packages`: arch-all packages are in every binary-ARCH index. */
  readonly archAllInArchIndexes: boolean;
  /** Path relative to the dists/SUITE directory → checksum and size. */
  readonly sha256: ReadonlyMap<string, IndexFileChecksum>;
}

export interface IndexFileChecksum {
  readonly sha256: string;
  readonly size: number;
}

/** A verified InRelease, or undefined with an error whose reason (see `failure`) says why it does not verify. */
export type VerifyResult = Result<{ readonly release: ReleaseFile; readonly signer: TrustedKey } | undefined>;

/**
 * Verifies a cleartext-signed InRelease against `trusted` and parses it. It succeeds when at least one
 * signature is valid and made by a trusted key (repositories are often signed by several keys, some of
 * which the client may not have).
 */
export async function verifyInRelease(text: string, trusted: readonly TrustedKey[]): Promise<VerifyResult> {
  if (trusted.length === 0) return failure("InRelease does not verify", "no trusted key is configured for this repository");
  let message: openpgp.CleartextMessage;
  try {
    message = await openpgp.readCleartextMessage({ cleartextMessage: text });
  } catch (e) {
    return failure("InRelease does not verify", `not a cleartext-signed message (${errorText(e)})`);
  }
  const result = await openpgp.verify({ message, verificationKeys: trusted.map((k) => k.key), expectSigned: false });
  const failures: string[] = [];
  for (const signature of result.signatures) {
    const keyId = signature.keyID.toHex();
    try {
      await signature.verified;
      const signer = trusted.find((k) => k.key.getKeys(signature.keyID).length > 0);
      if (signer) return { value: { release: parseRelease(result.data), signer }, diagnostics: [] };
    } catch (e) {
      failures.push(`signature by key ${keyId}: ${errorText(e)}`);
    }
  }
  if (result.signatures.length === 0) return failure("InRelease does not verify", "it carries no signature");
  const trustedList = trusted.map((k) => k.fingerprint).join(", ");
  return failure("InRelease does not verify", `no valid signature by a trusted key (${failures.join("; ")}); trusted: ${trustedList}`);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Parses the (already verified) body of a Release file. */
export function parseRelease(text: string): ReleaseFile {
  const p = parseParagraphs(text)[0] ?? {};
  const sha256 = new Map<string, IndexFileChecksum>();
  for (const line of (p["sha256"] ?? "").split("\n")) {
    const [hash, size, path] = line.trim().split(/\s+/);
    if (hash && size && path && /^[0-9a-fA-F]{64}$/.test(hash)) sha256.set(path, { sha256: hash.toLowerCase(), size: Number(size) });
  }
  const list = (v: string | undefined) => (v ? v.split(/\s+/).filter((x) => x !== "") : []);
  return {
    ...(p["origin"] ? { origin: p["origin"] } : {}),
    ...(p["label"] ? { label: p["label"] } : {}),
    ...(p["suite"] ? { suite: p["suite"] } : {}),
    ...(p["codename"] ? { codename: p["codename"] } : {}),
    ...(p["date"] ? { date: p["date"] } : {}),
    ...(p["valid-until"] ? { validUntil: p["valid-until"] } : {}),
    acquireByHash: (p["acquire-by-hash"] ?? "").toLowerCase() === "yes",
    architectures: list(p["architectures"]),
    components: list(p["components"]),
    archAllInArchIndexes: list(p["no-support-for-architecture-all"]).includes("Packages"),
    sha256,
  };
}

/** Compression of an index file; only these can be read without an extra decoder. */
export type IndexCompression = "gz" | "xz" | "none";

export interface IndexFileChoice {
  /** Path relative to dists/SUITE, e.g. `main/binary-amd64/Packages.gz`. */
  readonly path: string;
  readonly compression: IndexCompression;
  readonly sha256: string;
  readonly size: number;
  /** `main/binary-amd64/by-hash/SHA256/<hash>` when the repository serves files by hash. */
  readonly byHashPath?: string;
}

/** The form of an index to fetch, or undefined with an error whose reason (see `failure`) says why none is. */
export type IndexFileLookup = Result<IndexFileChoice | undefined>;

/**
 * Picks the form of an index (`main/binary-amd64/Packages`) to fetch: `.gz` when listed (Node inflates it
 * natively), else `.xz`, else the uncompressed file when it is the only form listed. Debian lists the
 * uncompressed file's hash without serving it, so when only `.bz2`/`.lzma`/`.zst` are listed besides it,
 * that is reported rather than guessed at.
 */
export function chooseIndexFile(release: ReleaseFile, basePath: string): IndexFileLookup {
  const withHash = (path: string, compression: IndexCompression): IndexFileLookup => {
    const c = release.sha256.get(path)!;
    const dir = path.slice(0, path.lastIndexOf("/"));
    return {
      value: {
        path,
        compression,
        sha256: c.sha256,
        size: c.size,
        ...(release.acquireByHash ? { byHashPath: `${dir}/by-hash/SHA256/${c.sha256}` } : {}),
      },
      diagnostics: [],
    };
  };
  if (release.sha256.has(`${basePath}.gz`)) return withHash(`${basePath}.gz`, "gz");
  if (release.sha256.has(`${basePath}.xz`)) return withHash(`${basePath}.xz`, "xz");
  const others = [".bz2", ".lzma", ".zst"].filter((ext) => release.sha256.has(basePath + ext));
  if (release.sha256.has(basePath) && others.length === 0) return withHash(basePath, "none");
  if (others.length > 0) {
    return failure(
      "No readable index",
      `the repository offers ${basePath} only as ${others.map((e) => e.slice(1)).join(", ")}, and slipway reads .gz, .xz or uncompressed indexes`,
    );
  }
  return failure("No readable index", `the Release file lists no SHA256 for ${basePath}`);
}
