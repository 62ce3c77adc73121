/**
 * Facts handed to `buildBom` that cannot describe a real image (a digest that is not hex, two files at one
 * path). Inside a build that is a slipway bug; when reading a document back it means the document is
 * damaged, and the reader wraps it into a `BomReadError` naming the document.
 */
export class BomInputError extends Error {
  override readonly name = "BomInputError" as const;
  /** Every problem found, each `path.to.field: what is wrong`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      problems.length === 1
        ? `invalid bill of materials: ${problems[0]}`
        : `invalid bill of materials (${problems.length} problems):\n  ${problems.join("\n  ")}`,
    );
    this.problems = problems;
  }
}

/**
 * Runs `read` on a document read back from outside (bom.json, bom.yaml). `buildBom` checks every fact but
 * expects the shapes its typed callers give it; a document may hold anything, so a field of the wrong
 * type (a number where a list belongs) that trips it up is reported as the damaged document it is.
 */
export function readingDocument<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (isBomInputError(e) || !(e instanceof TypeError || e instanceof RangeError)) throw e;
    throw new BomInputError([`a field has the wrong type or shape (${e.message})`]);
  }
}

export function isBomInputError(e: unknown): e is BomInputError {
  return e instanceof Error && e.name === "BomInputError";
}

/**
 * A BOM could not be read from where the user pointed. It is the OCI reader's error (`ImageReadError`):
 * a BOM is read from an image, and both failures are reported alike, naming the source.
 */
export { ImageReadError as BomReadError, isImageReadError as isBomReadError } from "../oci/index.js";
