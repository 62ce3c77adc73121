import type {
  BomAccounts,
  BomEpochOrigin,
  BomExtractedLicence,
  BomFile,
  BomImage,
  BomIndexFile,
  BomPackageLicence,
  BomRemoteFile,
  BomScratchBase,
  BomTool,
  BomVariable,
  BomVcs,
} from "./model.js";

/**
 * The plain facts `buildBom` needs, in any order. Shapes are looser than `Bom` where the facts come from
 * tools (a dpkg `Source:` field as written, a `sha256:`-prefixed digest, a status line), and lists may be
 * omitted when empty. A `Bom` is itself a valid `BomInputs`.
 */
export interface BomInputs {
  readonly tool: BomTool;
  readonly image: BomImage;
  readonly declaration: {
    readonly file: string;
    /** Hex, with or without `sha256:`. */
    readonly sha256: string;
    readonly variables?: readonly BomVariable[];
    readonly packages?: readonly string[];
  };
  readonly base: BomScratchBase | BomImageBaseInput;
  readonly packages?: readonly BomAddedPackageInput[];
  readonly repositories?: readonly BomRepositoryInput[];
  readonly keys?: readonly BomSigningKeyInput[];
  readonly files?: readonly BomFileInput[];
  readonly licences?: readonly BomExtractedLicence[];
  /** The build's epoch (SOURCE_DATE_EPOCH) in seconds. */
  readonly sourceDateEpoch?: number;
  /** Where the epoch came from. */
  readonly sourceDateEpochOrigin?: BomEpochOrigin;
  readonly accounts?: BomAccounts;
}

export interface BomImageBaseInput {
  readonly kind: "image";
  /** `name[:tag]@sha256:<hex>` */
  readonly canonicalName: string;
  readonly os?: {
    readonly id: string;
    readonly versionId?: string;
    readonly versionCodename?: string;
  };
  /** dpkg status entries; entries whose `status` is not installed are dropped. */
  readonly packages?: readonly BomInstalledPackageInput[];
}

export interface BomInstalledPackageInput {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  /**
   * dpkg's `Source:` field as written (`util-linux` or `util-linux (2.38.1-5)`), or already split.
   * Absent: the binary's own name and version, as dpkg means it.
   */
  readonly source?: string | { readonly name: string; readonly version?: string };
  /** dpkg's `Status:` (`install ok installed`); when given, only installed entries are kept. */
  readonly status?: string;
  readonly maintainer?: string;
  readonly dependsOn?: readonly string[];
  readonly licence?: BomPackageLicence;
}

export interface BomAddedPackageInput extends BomInstalledPackageInput {
  readonly location: BomRemoteFileInput;
  readonly sourceFiles?: readonly BomRemoteFileInput[];
  readonly vcs?: BomVcs;
}

export interface BomRemoteFileInput extends Omit<BomRemoteFile, "filename"> {
  /** Defaults to the last path segment of `uri`. */
  readonly filename?: string;
}

export interface BomRepositoryInput {
  readonly uri: string;
  readonly suite: string;
  readonly components?: readonly string[];
  readonly types?: readonly ("deb" | "deb-src")[];
  readonly signedBy?: readonly string[];
  readonly inRelease?: BomIndexFile;
}

export interface BomSigningKeyInput {
  /** Hex, any case, spaces allowed (`gpg --fingerprint` style). */
  readonly fingerprint: string;
  readonly userIds?: readonly string[];
  readonly origin: "base-image" | "declaration";
  readonly location: string;
}

/** A file as `BomFile`, with digests allowed a `sha256:` / `sha1:` prefix. */
export type BomFileInput = BomFile;
