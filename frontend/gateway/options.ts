import { formatPlatform, parsePlatform } from "../../llb/index.js";

/**
 * The frontend's options, as BuildKit passes them: environment variables `BUILDKIT_FRONTEND_OPT_<n>` whose
 * values are `key=value` (split at the first `=`; values may hold `=`, commas, JSON, newlines), plus the
 * session id and the worker list. Presence matters: `no-cache=` (empty) means "no cache for everything".
 */
export interface BuildOptions {
  /** Every raw option, for forwarding to nested frontends (dockerfile.v0 for steps). */
  readonly raw: ReadonlyMap<string, string>;
  /** `filename`: the declaration's path in the `dockerfile` local; undefined means "try the defaults". */
  readonly filename: string | undefined;
  readonly target: string | undefined;
  /** `build-arg:NAME` options, in sorted name order. */
  readonly buildArgs: ReadonlyMap<string, string>;
  /** `label:NAME` options. */
  readonly labels: ReadonlyMap<string, string>;
  /** `platform` (comma-separated specifiers), normalised; empty means the worker's default. */
  readonly platforms: readonly string[];
  /** `no-cache` present (empty value or a list that names the target or `*`). */
  readonly noCache: boolean;
  readonly imageResolveMode: "default" | "pull" | "local";
  /** `context:<name>` named contexts (raw values such as `docker-image://…`, `local:<name>`, `input:<name>`). */
  readonly namedContexts: ReadonlyMap<string, string>;
  /** `cache-imports`: passed to our solves as SolveRequest.CacheImports (BuildKit does not apply them itself). */
  readonly cacheImports: readonly { type: string; attrs: Record<string, string> }[];
  /** Local names: `context` and `dockerfile` unless `contextkey`/`dockerfilekey` override them. */
  readonly contextLocal: string;
  readonly dockerfileLocal: string;
  /** `requestid` of a subrequest (`frontend.subrequests.describe`, `frontend.outline`, …), if any. */
  readonly requestId: string | undefined;
  /** The client asked for an SBOM (`attest:sbom`); slipway always attaches its own. */
  readonly attestSbom: string | undefined;
  readonly sessionId: string;
  readonly workerPlatforms: readonly WorkerPlatform[];
}

export interface WorkerPlatform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export class OptionError extends Error {
  override readonly name = "OptionError" as const;
}

export function isOptionError(e: unknown): e is OptionError {
  return e instanceof Error && e.name === "OptionError";
}

/** Reads the options from an environment (process.env in the frontend, a literal in tests). */
export function readBuildOptions(env: Readonly<Record<string, string | undefined>>): BuildOptions {
  const raw = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith("BUILDKIT_FRONTEND_OPT_") || value === undefined) continue;
    const eq = value.indexOf("=");
    if (eq < 0) raw.set(value, "");
    else raw.set(value.slice(0, eq), value.slice(eq + 1));
  }
  const sorted = new Map([...raw].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return parseOptions(sorted, env.BUILDKIT_SESSION_ID ?? "", env.BUILDKIT_WORKERS);
}

function prefixed(raw: ReadonlyMap<string, string>, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of raw) if (k.startsWith(prefix)) out.set(k.slice(prefix.length), v);
  return out;
}

/**
 * Options a Dockerfile build honours that would change what slipway builds, and that slipway cannot honour
 * yet: refused, never ignored. A remote context (`docker buildx build <git or https URL>`) comes with no
 * `dockerfile` local to read the declaration from, and would be built from a different tree.
 */
const REFUSED_OPTIONS: readonly { readonly key: string; readonly why: string }[] = [
  { key: "context", why: "remote build contexts (a git or https URL instead of a directory) are not supported yet: clone the repository and build the checkout's directory" },
  { key: "contextsubdir", why: "a remote context's subdirectory is not supported yet: clone the repository and build that directory" },
];

function parseOptions(raw: ReadonlyMap<string, string>, sessionId: string, workersJson: string | undefined): BuildOptions {
  for (const { key, why } of REFUSED_OPTIONS) {
    const value = raw.get(key);
    if (value !== undefined) throw new OptionError(`${key}=${JSON.stringify(value)}: ${why}`);
  }
  const target = raw.get("target") || undefined;
  const noCacheValue = raw.get("no-cache");
  const noCache =
    noCacheValue !== undefined &&
    (noCacheValue === "" || noCacheValue.split(",").some((s) => s.trim() === "*" || s.trim() === (target ?? "")));
  const resolveMode = raw.get("image-resolve-mode") ?? "default";
  if (resolveMode !== "default" && resolveMode !== "pull" && resolveMode !== "local") {
    throw new OptionError(`image-resolve-mode must be default, pull or local, not ${JSON.stringify(resolveMode)}`);
  }
  return {
    raw,
    filename: raw.get("filename") || undefined,
    target,
    buildArgs: prefixed(raw, "build-arg:"),
    labels: prefixed(raw, "label:"),
    platforms: (raw.get("platform") ?? "")
      .split(",")
      .map((p) => p.trim())
      .filter((p) => p !== "")
      .map(normalizePlatform),
    noCache,
    imageResolveMode: resolveMode,
    namedContexts: prefixed(raw, "context:"),
    cacheImports: parseCacheImports(raw.get("cache-imports")),
    contextLocal: raw.get("contextkey") || "context",
    dockerfileLocal: raw.get("dockerfilekey") || "dockerfile",
    requestId: raw.get("requestid") || undefined,
    attestSbom: raw.get("attest:sbom"),
    sessionId,
    workerPlatforms: parseWorkers(workersJson),
  };
}

function parseCacheImports(json: string | undefined): { type: string; attrs: Record<string, string> }[] {
  if (!json) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new OptionError(`cache-imports is not valid JSON: ${json.slice(0, 200)}`);
  }
  if (!Array.isArray(parsed)) throw new OptionError("cache-imports must be a JSON array");
  return parsed.map((e: { Type?: unknown; Attrs?: unknown }) => ({
    type: String(e.Type ?? ""),
    attrs: Object.fromEntries(Object.entries((e.Attrs ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)])),
  }));
}

function parseWorkers(json: string | undefined): WorkerPlatform[] {
  if (!json) return [];
  try {
    const workers = JSON.parse(json) as { Platforms?: { os: string; architecture: string; variant?: string }[] }[];
    return (workers[0]?.Platforms ?? []).map((p) => ({ os: p.os, architecture: p.architecture, ...(p.variant ? { variant: p.variant } : {}) }));
  } catch {
    return [];
  }
}

/**
 * A `platform` option entry as `os/arch[/variant]`, normalised like containerd (llb/'s rules): a bare
 * architecture gets `linux/`, as buildx does.
 */
export function normalizePlatform(spec: string): string {
  const full = spec.includes("/") ? spec : `linux/${spec}`;
  try {
    return formatPlatform(parsePlatform(full));
  } catch (e) {
    throw new OptionError(`platform ${JSON.stringify(spec)}: ${e instanceof Error ? e.message : String(e)} (use os/arch[/variant], e.g. linux/amd64)`);
  }
}
