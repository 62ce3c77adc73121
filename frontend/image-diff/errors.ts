/**
 * An image given to `slipway diff` could not be read: the message names the input (path or reference, or
 * the layer inside it) and says what is wrong with it, on one line.
 */
export class ImageDiffError extends Error {
  override readonly name = "ImageDiffError" as const;
  constructor(
    /** The input as the user wrote it, or `INPUT layer DIGEST`. */
    readonly source: string,
    readonly reason: string,
  ) {
    super(`${withoutControls(source)}: ${withoutControls(reason)}`);
  }
}

export function isImageDiffError(e: unknown): e is ImageDiffError {
  return e instanceof Error && e.name === "ImageDiffError";
}

/**
 * Text from an image or a command line as it may be shown on a terminal: quoted and escaped (as JSON) when
 * it holds a space, a quote, a backslash or a control character, so a hostile name can neither break a
 * line nor reach the terminal as an escape sequence.
 */
export function printable(text: string): string {
  return /[\s"\\\p{Cc}]/u.test(text) ? JSON.stringify(text) : text;
}

/** Control characters (a newline, an escape) written as JSON escapes, so a message stays one harmless line. */
export function withoutControls(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
