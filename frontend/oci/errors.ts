/**
 * An image could not be read from where the user pointed (a layout, an archive, a registry): the message
 * names the source (path, image reference, URL or digest) and says what to do. `bom/` reports unreadable
 * BOM documents with the same class (as `BomReadError`), so a reader catches one kind.
 */
export class ImageReadError extends Error {
  override readonly name = "ImageReadError" as const;
  readonly source: string;

  constructor(source: string, message: string, options?: { cause?: unknown }) {
    super(`${source}: ${message}`, options);
    this.source = source;
  }
}

export function isImageReadError(e: unknown): e is ImageReadError {
  return e instanceof Error && e.name === "ImageReadError";
}
