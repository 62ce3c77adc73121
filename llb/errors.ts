/**
 * The two ways llb/ fails. Both mean a slipway bug or a daemon that is too old, never a user mistake: the
 * grammar has already turned every user mistake into a diagnostic before a State is built.
 */

/** A builder got an argument it cannot turn into LLB. Thrown at the call, never stored for `marshal`. */
export class LlbArgumentError extends Error {
  override readonly name = "LlbArgumentError";
}

/** True when `error` is an {@link LlbArgumentError} (also across bundle copies of this module). */
export function isLlbArgumentError(error: unknown): error is LlbArgumentError {
  return error instanceof Error && error.name === "LlbArgumentError";
}

/** The daemon lacks LLB capabilities that a definition needs; `missing` holds their IDs, sorted. */
export class LlbCapsError extends Error {
  override readonly name = "LlbCapsError";
  readonly missing: readonly string[];

  constructor(message: string, missing: readonly string[]) {
    super(message);
    this.missing = Object.freeze([...missing]);
  }
}

/** True when `error` is an {@link LlbCapsError}. */
export function isLlbCapsError(error: unknown): error is LlbCapsError {
  return error instanceof Error && error.name === "LlbCapsError";
}

/** Throws an {@link LlbArgumentError} with `message` unless `condition` holds. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new LlbArgumentError(message);
}
