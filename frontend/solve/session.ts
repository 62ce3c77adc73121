import { createHash } from "node:crypto";
import { checkCaps, formatPlatform, marshal, parsePlatform, SourceMap, toPbRange, type Definition, type Platform, type State } from "../../llb/index.js";
import { gw, type GatewayClient, type PongResponse, type Stat } from "../gateway/index.js";
import type { BuildOptions } from "../gateway/index.js";
import type { Diagnostic, SourceFile } from "../../grammar/index.js";

export const nodeSha256 = (bytes: Uint8Array): Uint8Array => createHash("sha256").update(bytes).digest();

/** Gateway API caps slipway cannot work without (all present since BuildKit v0.8, Docker 20.10). */
const REQUIRED_GATEWAY_CAPS = ["solve.base", "readfile", "return", "proto.refarray", "reference.output"] as const;

/** What BuildKit told us in Ping, as sets. */
export class Capabilities {
  readonly gateway: ReadonlySet<string>;
  readonly llb: ReadonlySet<string>;

  constructor(pong: PongResponse) {
    // Ancient daemons send no caps at all; BuildKit's Go client then assumes a frozen base set.
    this.gateway = new Set(pong.FrontendAPICaps.filter((c) => c.Enabled).map((c) => c.ID));
    this.llb = new Set(pong.LLBCaps.filter((c) => c.Enabled).map((c) => c.ID));
  }

  /** The first required gateway cap the daemon lacks, if any. */
  missingGatewayCap(): string | undefined {
    return REQUIRED_GATEWAY_CAPS.find((c) => !this.gateway.has(c));
  }
}

export class CapabilityError extends Error {
  override readonly name = "CapabilityError" as const;
}

export function isCapabilityError(e: unknown): e is CapabilityError {
  return e instanceof Error && e.name === "CapabilityError";
}

/**
 * One build request: the gateway client with the options and caps of this request, and the few gateway
 * operations the build uses, typed. Every solve goes through `solve`, which checks the definition's caps
 * against the daemon's first (old daemons silently ignore fields they do not know).
 */
export class BuildSession {
  /** Every declaration file read so far, so that errors can show their snippets (filled as files are read). */
  readonly sourceFiles = new Map<string, SourceFile>();
  /** The digest of the op that loaded the declaration: BuildKit attaches warnings to a vertex of the build. */
  declarationVertex: string | undefined;
  /** Warnings already sent, so that a repeated one (per platform) is shown once. */
  private readonly warned = new Set<string>();

  /** Warn calls sent and not yet answered: `settle` waits for them before Return. */
  private readonly pendingWarnings: Promise<void>[] = [];

  /**
   * Shows warnings to the user through BuildKit (`docker build` lists them at the end, with the snippet),
   * when the daemon supports it (gateway.warnings, BuildKit v0.10); otherwise only the daemon log has them.
   * The calls are sent at once and not waited for: no build step depends on their answer, and a cached
   * rebuild would otherwise pay one more round trip. `settle` waits for them.
   */
  warn(diagnostics: readonly Diagnostic[]): void {
    for (const d of diagnostics) {
      if (d.severity !== "warning") continue;
      const key = `${d.summary}\0${d.detail ?? ""}\0${d.subject?.file ?? ""}:${d.subject?.start.offset ?? -1}`;
      if (this.warned.has(key)) continue;
      this.warned.add(key);
      console.error(`slipway: warning: ${d.summary}${d.detail ? `: ${d.detail}` : ""}`);
      if (!this.caps.gateway.has("gateway.warnings") || !this.declarationVertex) continue;
      const file = d.subject && this.sourceFiles.get(d.subject.file);
      const sent = this.client.warn(
        new gw.WarnRequest({
          digest: this.declarationVertex,
          level: 1,
          short: new TextEncoder().encode(`${d.subject ? `${d.subject.file}:${d.subject.start.line}: ` : ""}${d.summary}`),
          detail: [d.detail, d.hint].filter((x): x is string => Boolean(x)).map((x) => new TextEncoder().encode(x)),
          ...(file &&
            d.subject && {
              info: new SourceMap(file.name, file.text).info(),
              ranges: [toPbRange(d.subject)],
            }),
        }),
      );
      // A warning BuildKit did not take is still in the daemon log (above); it does not fail the build.
      this.pendingWarnings.push(sent.then(() => undefined, (e: unknown) => console.error(`slipway: BuildKit did not take a warning: ${e instanceof Error ? e.message : String(e)}`)));
    }
  }

  /** Waits for every Warn call sent so far (BuildKit drops what arrives after Return). Never rejects. */
  async settle(): Promise<void> {
    await Promise.all(this.pendingWarnings);
  }

  /** The named contexts (`context:<name>` options) some image of the declaration was replaced by. */
  readonly usedNamedContexts = new Set<string>();

  /** Runs `work`, adding its duration to phase `name` (phases may repeat and overlap). */
  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.timings.set(name, (this.timings.get(name) ?? 0) + performance.now() - start);
    }
  }

  constructor(
    readonly client: GatewayClient,
    readonly options: BuildOptions,
    readonly caps: Capabilities,
    /** Where the time went: phase name → milliseconds, reported as `frontend.slipway.timings`. */
    readonly timings: Map<string, number> = new Map(),
  ) {}

  /** Marshals `state` for `platform` and checks its caps against the daemon's. */
  marshal(state: State, platform: Platform): Definition {
    return this.checkCaps(marshal(state, { platform, caps: this.caps.llb, sha256: nodeSha256 }));
  }

  /** `definition`, when the daemon has every LLB cap it needs; a CapabilityError naming the first missing one otherwise. */
  checkCaps(definition: Definition): Definition {
    try {
      checkCaps(definition, this.caps.llb);
    } catch (e) {
      throw new CapabilityError(`${e instanceof Error ? e.message : String(e)}; this BuildKit is too old for this declaration — upgrade BuildKit (Docker Engine 23 or later)`);
    }
    return definition;
  }

  /** Solves `state` and returns the result's ref id ("" for an empty result). */
  solve(state: State, platform: Platform, options: { evaluate?: boolean } = {}): Promise<string> {
    return solveDefinition(this.client, this.marshal(state, platform), this.options, options);
  }

  cacheImports() {
    return cacheImportsOf(this.options);
  }

  readFile(ref: string, path: string, size?: number): Promise<Uint8Array> {
    return this.client.readFile(ref, path, size === undefined ? {} : { size });
  }

  /**
   * The whole file, or undefined when `path` does not exist (or is a directory) in `ref`: one call, not
   * StatFile then ReadFile, since every round trip is on the path of a cached rebuild.
   */
  async readFileIfPresent(ref: string, path: string): Promise<Uint8Array | undefined> {
    try {
      return await this.client.readFile(ref, path);
    } catch (e) {
      if (isNotFound(e) || /is a directory/i.test(e instanceof Error ? e.message : "")) return undefined;
      throw e;
    }
  }

  /** Stat of `path` in `ref`, or undefined when it does not exist. Other errors propagate. */
  async stat(ref: string, path: string): Promise<Stat | undefined> {
    try {
      return await this.client.statFile(ref, path);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Directory entries of `dir` in `ref`, or undefined when it does not exist. */
  async readDir(ref: string, dir: string): Promise<Stat[] | undefined> {
    try {
      return await this.client.readDir(ref, dir);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** The platform to build for when neither the options nor the declaration name one: the worker's. */
  defaultPlatform(): Platform {
    return workerPlatform(this.options);
  }
}

/**
 * Solves a marshalled definition with the build's cache imports and returns the result's ref id ("" for an
 * empty result). `BuildSession.solve` checks the caps first; the declaration's early Solve, sent before
 * the caps are known, checks them before it uses the ref.
 */
export async function solveDefinition(client: GatewayClient, definition: Definition, options: BuildOptions, solve: { evaluate?: boolean } = {}): Promise<string> {
  const result = await client.solve(
    new gw.SolveRequest({
      Definition: definition.proto,
      allowResultReturn: true,
      // Without it BuildKit answers with the ref's id alone; with it, with the id and the whole definition
      // echoed back, which the caller already has and would decode for nothing.
      allowResultArrayRef: false,
      Evaluate: solve.evaluate ?? false,
      CacheImports: cacheImportsOf(options),
    }),
  );
  return result.has_refDeprecated ? result.refDeprecated : (result.ref?.id ?? "");
}

/** The `cache-imports` option as a SolveRequest's CacheImports. */
function cacheImportsOf(options: BuildOptions) {
  return options.cacheImports.map(
    (c) => new gw.CacheOptionsEntry({ Type: c.type, Attrs: new Map(Object.entries(c.attrs).sort(([a], [b]) => (a < b ? -1 : 1))) }),
  );
}

/** The platform to build for when neither the options nor the declaration name one: the worker's. */
export function workerPlatform(options: BuildOptions): Platform {
  const w = options.workerPlatforms[0];
  return w ? parsePlatform(`${w.os}/${w.architecture}${w.variant ? `/${w.variant}` : ""}`) : parsePlatform("linux/amd64");
}

/** BuildKit reports a missing path as a plain error whose message ends in ENOENT's text. */
export function isNotFound(e: unknown): boolean {
  return e instanceof Error && /no such file or directory|not found|does not exist/i.test(e.message);
}

export { formatPlatform };
