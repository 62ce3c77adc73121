import { errorAt, type Result } from "../../grammar/index.js";
import type { OciImageConfig } from "./types.js";

/** The build argument that sets the epoch (reproducible-builds.org's SOURCE_DATE_EPOCH). */
export const SOURCE_DATE_EPOCH_ARG = "SOURCE_DATE_EPOCH";

/** Where the build's epoch came from (recorded in the BOM). */
export type EpochOrigin = "build-argument" | "base-image" | "default";

/**
 * The one time every timestamp slipway writes is taken from: file times, the image config's `created` and
 * history, the BOM. Whole seconds since 1970-01-01T00:00:00Z, as SOURCE_DATE_EPOCH.
 */
export interface BuildEpoch {
  readonly seconds: number;
  readonly origin: EpochOrigin;
}

/** 9999-12-31T23:59:59Z: the latest time RFC 3339 (and so the image config) can write. */
const MAX_EPOCH = 253402300799;

/**
 * The build argument when given (as `parseEpochArg` read it); otherwise the base image's `created` (whole seconds); otherwise 0. Never
 * the clock: the default changes only when the base image does, and it is the same whether the packages
 * come from the repositories' indexes or from the lock (an InRelease `Date` would move every few hours
 * with no package of the image changing, and the lock does not record it). See docs/design.md.
 */
export function buildEpoch(given: number | undefined, base: OciImageConfig | undefined): BuildEpoch {
  if (given !== undefined) return { seconds: given, origin: "build-argument" };
  const created = base?.created !== undefined ? Date.parse(base.created) : NaN;
  // a base config is the registry's word: a `created` that is no time, or is before 1970, is not used
  if (Number.isFinite(created) && created >= 0) return { seconds: Math.min(Math.floor(created / 1000), MAX_EPOCH), origin: "base-image" };
  return { seconds: 0, origin: "default" };
}

/**
 * SOURCE_DATE_EPOCH as given, checked: whole seconds, 0 to 253402300799; undefined with no error when it
 * is not given. A value that means nothing is refused.
 */
export function parseEpochArg(value: string | undefined): Result<number | undefined> {
  if (value === undefined) return { value: undefined, diagnostics: [] };
  if (!/^\d{1,12}$/.test(value) || Number(value) > MAX_EPOCH) {
    return {
      value: undefined,
      diagnostics: [
        errorAt(
          undefined,
          `Invalid build argument ${SOURCE_DATE_EPOCH_ARG}=${JSON.stringify(value).slice(1, -1).slice(0, 40)}`,
          `${SOURCE_DATE_EPOCH_ARG} is a time in whole seconds since 1970-01-01T00:00:00Z (0 to ${MAX_EPOCH}).`,
          { hint: `e.g. --build-arg ${SOURCE_DATE_EPOCH_ARG}=$(git log -1 --pretty=%ct), or leave it out for the default` },
        ),
      ],
    };
  }
  return { value: Number(value), diagnostics: [] };
}

/** RFC 3339 in UTC with no fraction, as the image config and the BOM documents write it. */
export function epochTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, "Z");
}

/** The epoch as a FileOp timestamp: Unix nanoseconds. */
export function epochNanoseconds(seconds: number): bigint {
  return BigInt(seconds) * 1_000_000_000n;
}
