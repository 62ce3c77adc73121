/**
 * An image's files could not be read: the message names the image (or its layer) and what went wrong,
 * e.g. `docker.io/library/debian:bookworm: has no image for linux/s390x; it has linux/amd64, linux/arm64`.
 */
export class ImageFilesError extends Error {
  override readonly name = "ImageFilesError" as const;

  constructor(
    /** The image reference, or `REFERENCE layer DIGEST`. */
    readonly image: string,
    readonly reason: string,
  ) {
    super(`${image}: ${reason}`);
  }
}

export function isImageFilesError(e: unknown): e is ImageFilesError {
  return e instanceof Error && e.name === "ImageFilesError";
}
