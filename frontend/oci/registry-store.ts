import { sha256Hex } from "./digest.js";
import { ImageReadError } from "./errors.js";
import { formatImageRef, parseImageRef } from "./image-ref.js";
import { DEFAULT_READ_LIMITS, formatBytes } from "./limits.js";
import { verifyDigest } from "./digest.js";
import type { ImageStore } from "./store.js";
import { parseJson } from "./layout-store.js";

/**
 * An image in a registry, read through the distribution HTTP API v2, anonymously: plain HTTP for
 * localhost and 127.0.0.1 (lab registries), HTTPS otherwise, following the bearer-token challenge a
 * registry answers 401 with. Every manifest and blob is checked against its digest.
 */
export function registryStore(reference: string, options: Partial<RegistryOptions> = {}): ImageStore {
  const ref = parseImageRef(reference);
  if (ref === undefined) throw new ImageReadError(reference, "is neither an existing file or directory nor an image reference");
  const { fetch: fetchImpl, mirror, credentialsAdvice, maxBlobBytes } = { ...DEFAULT_OPTIONS, ...options };
  const description = formatImageRef(ref);
  const base =
    ref.domain === "docker.io" && mirror !== undefined
      ? `${mirror.replace(/\/+$/, "")}/v2/${ref.path}`
      : `${registryScheme(ref.domain)}://${registryHost(ref.domain)}/v2/${ref.path}`;
  const tokens = new Map<string, string>();

  const get = async (url: string, accept: string): Promise<Response> => {
    let response = await send(url, accept, tokens.get("pull"));
    if (response.status === 401) {
      const token = await fetchToken(response.headers.get("www-authenticate"));
      tokens.set("pull", token);
      response = await send(url, accept, token);
    }
    if (response.status === 404) throw new ImageReadError(description, `${new URL(url).pathname} not found on the registry`);
    if (!response.ok) throw new ImageReadError(description, `the registry answered ${response.status} ${response.statusText} for ${new URL(url).pathname}`);
    return response;
  };

  const send = async (url: string, accept: string, token: string | undefined): Promise<Response> => {
    try {
      return await fetchImpl(url, { headers: { accept, ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) } });
    } catch (e) {
      throw new ImageReadError(description, `cannot reach the registry at ${new URL(url).host}: ${causeOf(e)}`);
    }
  };

  const fetchToken = async (challenge: string | null): Promise<string> => {
    const params = parseChallenge(challenge ?? "");
    if (params === undefined || params.realm === undefined) {
      throw new ImageReadError(description, `the registry wants credentials; ${credentialsAdvice}`);
    }
    const url = new URL(params.realm);
    if (params.service !== undefined) url.searchParams.set("service", params.service);
    url.searchParams.set("scope", params.scope ?? `repository:${ref.path}:pull`);
    let response: Response;
    try {
      response = await fetchImpl(url, { headers: { accept: "application/json" } });
    } catch (e) {
      throw new ImageReadError(description, `cannot reach the token service at ${url.host}: ${causeOf(e)}`);
    }
    if (!response.ok) throw new ImageReadError(description, `the token service at ${url.host} answered ${response.status}; the image may be private`);
    const body = parseJson(description, `the token from ${url.host}`, await boundedBody(description, response, "token answer", 1024 * 1024)) as { token?: string; access_token?: string } | null;
    const token = body?.token ?? body?.access_token;
    if (typeof token !== "string") throw new ImageReadError(description, `the token service at ${url.host} returned no token`);
    return token;
  };

  const manifestBytes = async (reference: string): Promise<{ bytes: Uint8Array; digest: string }> => {
    const response = await get(`${base}/manifests/${reference}`, MANIFEST_TYPES);
    const bytes = await boundedBody(description, response, `manifest ${reference}`);
    const digest = reference.startsWith("sha256:") ? reference : `sha256:${sha256Hex(bytes)}`;
    return { bytes: verifyDigest(description, digest, bytes), digest };
  };

  return {
    description,
    async root() {
      const { bytes, digest } = await manifestBytes(ref.digest ?? ref.tag ?? "latest");
      return { json: parseJson(description, ref.digest ? `manifest ${ref.digest}` : `the manifest tagged ${ref.tag ?? "latest"}`, bytes), digest };
    },
    async manifest(digest) {
      return parseJson(description, `manifest ${digest}`, (await manifestBytes(digest)).bytes);
    },
    async blob(digest) {
      const response = await get(`${base}/blobs/${digest}`, "*/*");
      return verifyDigest(description, digest, await boundedBody(description, response, `blob ${digest}`, maxBlobBytes));
    },
  };
}

export interface RegistryOptions {
  readonly fetch: typeof globalThis.fetch;
  /**
   * A registry mirror that answers for docker.io (`http://127.0.0.1:5000`), as the Docker daemon's
   * `registry-mirrors`: docker.io images are then read from it alone.
   */
  readonly mirror?: string;
  /** What to tell the user when the registry asks for credentials, which this client never sends. */
  readonly credentialsAdvice: string;
  /**
   * The largest blob read. `slipway bom` reads documents only (configs, attestations), so 32 MiB; a
   * reader of layers (`slipway lock` reading a base image) raises it.
   */
  readonly maxBlobBytes: number;
}

const DEFAULT_OPTIONS: Readonly<RegistryOptions> = Object.freeze({
  fetch: (...args: Parameters<typeof fetch>) => globalThis.fetch(...args),
  credentialsAdvice: "`slipway bom` reads registries anonymously, so export the image (`--output type=oci,dest=image.tar`) and read that file",
  maxBlobBytes: DEFAULT_READ_LIMITS.jsonBytes,
});

const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/**
 * A response body of at most `jsonBytes`: only documents (manifests, configs, attestations) are fetched,
 * and a registry that sends more, or says it will, is refused before the bytes pile up in memory.
 */
async function boundedBody(description: string, response: Response, what: string, limit: number = DEFAULT_READ_LIMITS.jsonBytes): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  const tooBig = () => new ImageReadError(description, `the registry's ${what} is more than the ${formatBytes(limit)} slipway reads of one document`);
  if (declared > limit) {
    await response.body?.cancel();
    throw tooBig();
  }
  if (response.body === null) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  let length = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > limit) {
      await reader.cancel();
      throw tooBig();
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

/** Docker Hub's references say `docker.io`, but its API answers on another host. */
function registryHost(domain: string): string {
  return domain === "docker.io" ? "registry-1.docker.io" : domain;
}

/** Plain HTTP only for the local machine, as Docker's own default insecure set. */
export function registryScheme(domain: string): "http" | "https" {
  const host = domain.replace(/:\d+$/, "");
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]" || host.endsWith(".localhost") ? "http" : "https";
}

/** `Bearer realm="…",service="…",scope="…"` → its parameters; undefined for other schemes. */
export function parseChallenge(header: string): Record<string, string> | undefined {
  const m = /^\s*Bearer\s+(.*)$/i.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[1]!.matchAll(/([A-Za-z]+)="([^"]*)"/g)) params[p[1]!.toLowerCase()] = p[2]!;
  return params;
}

function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (e as Error)?.message ?? String(e);
}
