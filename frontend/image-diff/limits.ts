/** How much of an image `slipway diff` reads before it refuses the image as hostile or broken. */
export interface ImageDiffLimits {
  /** Uncompressed bytes of one layer. */
  readonly layerBytes: number;
  /** Entries in one layer. */
  readonly layerEntries: number;
  /** Bytes of one manifest, index or image config. */
  readonly jsonBytes: number;
  /** Bytes of one attestation (an in-toto statement: a BOM can be large). */
  readonly attestationBytes: number;
  /** Bytes of one blob file in a layout directory. */
  readonly blobBytes: number;
  /**
   * A gzip-compressed archive is unpacked into a temporary file, up to this many bytes or
   * `gzipArchiveRatio` times its compressed size, whichever is more.
   */
  readonly gzipArchiveBytes: number;
  readonly gzipArchiveRatio: number;
}

const GiB = 1024 ** 3;

export const DEFAULT_LIMITS: Readonly<ImageDiffLimits> = Object.freeze({
  layerBytes: 16 * GiB,
  layerEntries: 1_000_000,
  jsonBytes: 4 * 1024 ** 2,
  attestationBytes: 64 * 1024 ** 2,
  blobBytes: 4 * GiB - 1,
  gzipArchiveBytes: 256 * 1024 ** 2,
  gzipArchiveRatio: 20,
});

