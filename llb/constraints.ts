/**
 * Per-op constraints and metadata as plain values, merged left to right with {@link mergeConstraints}. They
 * decide the op's platform and its `OpMetadata` (progress name, cache, group, extra caps) and carry its source
 * locations; only `platform` can change the op's bytes.
 */
import { check } from "./errors.js";
import { normalizePlatform, type Platform } from "./platform.js";
import type { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";
import type { SourceMap } from "./sourcemap.js";

/** Where in a source file an op comes from; built by {@link SourceMap.location}. */
export interface SourceLocation {
  readonly sourceMap: SourceMap;
  readonly ranges: readonly pb.Range[];
}

/** Groups vertices in progress output (`OpMetadata.progress_group`). */
export interface ProgressGroup {
  readonly id: string;
  readonly name: string;
  readonly weak?: boolean;
}

export interface Constraints {
  /** The op's platform; wins over the state's platform and the marshal default (exec and image ops only). */
  readonly platform?: Platform;
  /** `OpMetadata.description`; `llb.customname` is the progress name. Keys are written sorted. */
  readonly description?: Readonly<Record<string, string>>;
  readonly ignoreCache?: boolean;
  readonly progressGroup?: ProgressGroup;
  /** true: always export this vertex's cache; false: never; absent: the build's default. */
  readonly exportCache?: boolean;
  /** Caps to require beyond those the op's own fields need (see `capsOf`). */
  readonly caps?: readonly string[];
  readonly locations?: readonly SourceLocation[];
}

export const noConstraints: Constraints = Object.freeze({});

/** Merges constraints left to right: later scalars win, descriptions merge by key, caps and locations add up. */
export function mergeConstraints(...list: readonly (Constraints | undefined)[]): Constraints {
  const present = list.filter((c): c is Constraints => c !== undefined && c !== noConstraints);
  if (present.length === 0) return noConstraints;
  if (present.length === 1) return present[0]!;
  let merged: {
    -readonly [K in keyof Constraints]: Constraints[K];
  } = {};
  for (const c of present) {
    merged = {
      ...merged,
      ...(c.platform && { platform: c.platform }),
      ...(c.description && { description: { ...merged.description, ...c.description } }),
      ...(c.ignoreCache && { ignoreCache: true }),
      ...(c.progressGroup && { progressGroup: c.progressGroup }),
      ...(c.exportCache !== undefined && { exportCache: c.exportCache }),
      ...(c.caps && { caps: [...new Set([...(merged.caps ?? []), ...c.caps])] }),
      ...(c.locations && { locations: [...(merged.locations ?? []), ...c.locations] }),
    };
  }
  return Object.freeze(merged);
}

/**
 * The vertex's name in progress output (`llb.customname`); slipway prefixes its own plumbing with
 * `[internal] `.
 * @example state.file(mkdir("/app", 0o755), customName("[app] create /app"))
 */
export function customName(name: string): Constraints {
  return description({ "llb.customname": name });
}

export function description(entries: Readonly<Record<string, string>>): Constraints {
  return Object.freeze({ description: Object.freeze({ ...entries }) });
}

/** Run the vertex even when its result is cached (`--no-cache` for one step). */
export function ignoreCache(): Constraints {
  return Object.freeze({ ignoreCache: true });
}

export function progressGroup(id: string, name: string, weak = false): Constraints {
  check(id !== "", "a progress group needs an id");
  return Object.freeze({ progressGroup: Object.freeze({ id, name, weak }) });
}

export function exportCache(value: boolean): Constraints {
  return Object.freeze({ exportCache: value });
}

/** Pins the op to `platform` (normalized). */
export function onPlatform(platform: Platform): Constraints {
  return Object.freeze({ platform: normalizePlatform(platform) });
}

export function requireCaps(...caps: readonly string[]): Constraints {
  check(caps.every((cap) => cap !== ""), "a cap ID cannot be empty");
  return Object.freeze({ caps: Object.freeze([...caps]) });
}
