import { createHash } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import { FetchError, type FetchExpectation, type Fetcher } from "./io.js";

export interface NodeFetcherOptions {
  /** Redirects followed before giving up. */
  readonly maxRedirects: number;
  /** Milliseconds without data before a request is abandoned. */
  readonly idleTimeoutMs: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
}

const defaultOptions: Readonly<NodeFetcherOptions> = Object.freeze({ maxRedirects: 5, idleTimeoutMs: 60_000, concurrency: 8 });

/**
 * A `Fetcher` on Node's own HTTP client, for the CLI (`slipway lock`) and tests: follows redirects,
 * checks the status, and verifies size and SHA256 itself, naming the URL in every error.
 */
export function nodeFetcher(options: Partial<NodeFetcherOptions> = {}): Fetcher {
  const o = { ...defaultOptions, ...options };
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = async () => {
    if (active >= o.concurrency) await new Promise<void>((r) => waiting.push(r));
    active++;
  };
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return {
    async fetch(url: string, expect?: FetchExpectation): Promise<Uint8Array> {
      await acquire();
      try {
        const bytes = await get(url, o, o.maxRedirects);
        verify(url, bytes, expect);
        return bytes;
      } finally {
        release();
      }
    },
  };
}

/** Throws a `FetchError` of kind `mismatch` when `bytes` differ from `expect`. */
export function verify(url: string, bytes: Uint8Array, expect: FetchExpectation | undefined): void {
  if (expect?.size !== undefined && bytes.length !== expect.size) {
    throw new FetchError(url, `expected ${expect.size} bytes, received ${bytes.length}`, "mismatch");
  }
  if (expect?.sha256 !== undefined) {
    const got = createHash("sha256").update(bytes).digest("hex");
    if (got !== expect.sha256.toLowerCase()) {
      throw new FetchError(url, `sha256 mismatch: expected ${expect.sha256.toLowerCase()}, received ${got}`, "mismatch");
    }
  }
}

function get(url: string, o: NodeFetcherOptions, redirectsLeft: number): Promise<Uint8Array> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.reject(new FetchError(url, "not a valid URL"));
  }
  const client = parsed.protocol === "https:" ? https : parsed.protocol === "http:" ? http : undefined;
  if (!client) return Promise.reject(new FetchError(url, `unsupported scheme ${parsed.protocol} (use http or https)`));
  return new Promise((resolve, reject) => {
    const req = client.get(parsed, { headers: { "user-agent": "slipway" } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirectsLeft <= 0) return reject(new FetchError(url, `too many redirects (last to ${res.headers.location})`, "status"));
        const next = new URL(res.headers.location, parsed).toString();
        return resolve(get(next, o, redirectsLeft - 1));
      }
      if (status !== 200) {
        res.resume();
        return reject(new FetchError(url, `HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ""}`, "status"));
      }
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const all = Buffer.concat(chunks);
        resolve(new Uint8Array(all.buffer, all.byteOffset, all.length));
      });
      res.on("error", (e) => reject(new FetchError(url, e.message)));
    });
    req.setTimeout(o.idleTimeoutMs, () => req.destroy(new Error(`no data for ${o.idleTimeoutMs} ms`)));
    req.on("error", (e) => reject(new FetchError(url, e.message)));
  });
}
