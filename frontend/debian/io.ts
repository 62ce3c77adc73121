/**
 * The two ways the Debian machinery touches the world. The frontend implements them through BuildKit
 * (an LLB http source per URL, the gateway's ReadFile/ReadDir on the solved base image), the CLI with
 * Node's HTTP client and a local directory, and tests in memory.
 */

/** What a download must match; an implementation must refuse bytes that do not. */
export interface FetchExpectation {
  /** Lowercase hex SHA256. */
  readonly sha256?: string;
  readonly size?: number;
}

export interface Fetcher {
  /** The bytes at `url`, verified against `expect`. Rejects with a `FetchError` naming the URL. */
  fetch(url: string, expect?: FetchExpectation): Promise<Uint8Array>;
}

/** The solved base image's filesystem, read-only. */
export interface ImageFiles {
  /** The file's bytes, or undefined when it does not exist. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /** Entry names (not paths) of a directory, or undefined when it does not exist. */
  readDir(path: string): Promise<string[] | undefined>;
}

/** A download that failed or did not match what the verified index says. */
export class FetchError extends Error {
  override readonly name = "FetchError" as const;
  constructor(
    readonly url: string,
    readonly reason: string,
    /** `mismatch` when the bytes arrived but differ from the expected checksum or size. */
    readonly kind: "network" | "status" | "mismatch" = "network",
  ) {
    super(`${url}: ${reason}`);
  }
}

export function isFetchError(e: unknown): e is FetchError {
  return e instanceof Error && e.name === "FetchError";
}

/** An `ImageFiles` over an in-memory map of path → contents (tests, and the lock check of the CLI). */
export function imageFilesFromMap(files: ReadonlyMap<string, Uint8Array | string>): ImageFiles {
  const encoder = new TextEncoder();
  return {
    async readFile(path) {
      const v = files.get(path);
      return v === undefined ? undefined : typeof v === "string" ? encoder.encode(v) : v;
    },
    async readDir(path) {
      const prefix = path.endsWith("/") ? path : `${path}/`;
      const names = new Set<string>();
      for (const p of files.keys()) if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split("/")[0]!);
      return names.size > 0 ? [...names].sort() : undefined;
    },
  };
}
