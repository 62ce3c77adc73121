/**
 * What the Debian machinery hands to the compiler (which builds the install step) and to the BOM: plain,
 * serialisable data, the same whether it came from indexes or from a lock file.
 */

export interface AptResolution {
  readonly architecture: string;
  readonly baseImage?: { readonly ref: string; readonly digest?: string };
  readonly installRecommends: boolean;
  readonly repositories: readonly ResolvedRepository[];
  /** The base image's installed packages (dpkg status), by name. */
  readonly basePackages: readonly InstalledPackage[];
  /** Packages to install (new or upgraded), in install order (see `stages`). */
  readonly packages: readonly ResolvedPackage[];
  /** Names per dpkg run, in order: a package's pre-dependencies are configured by an earlier run. */
  readonly stages: readonly (readonly string[])[];
  /** Every index file read (InRelease, Packages, Sources), for the BOM's provenance; empty from a lock. */
  readonly indexFiles: readonly IndexFileRef[];
}

export interface ResolvedRepository {
  readonly uri: string;
  readonly suite: string;
  readonly components: readonly string[];
  readonly inRelease: IndexFileRef;
  /**
   * The InRelease `Date` (RFC 2822), when it has one: the time the repository's state was published, from
   * which a snapshot archive's URL for it is worked out (docs/offline.md). Locks made before it was
   * recorded lack it.
   */
  readonly date?: string;
  readonly signedBy: { readonly fingerprint: string; readonly userIds: readonly string[] };
}

export interface IndexFileRef {
  readonly url: string;
  readonly sha256: string;
  readonly size: number;
}

export interface InstalledPackage {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  readonly source: { readonly name: string; readonly version: string };
}

export interface ResolvedPackage {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  readonly multiArch: "no" | "same" | "foreign" | "allowed";
  /** Index into `repositories`. */
  readonly repository: number;
  /** Path under the repository URI (`pool/main/c/curl/curl_….deb`). */
  readonly filename: string;
  readonly uri: string;
  readonly sha256: string;
  readonly size: number;
  /** The installed version this replaces, when it is an upgrade of a base image package. */
  readonly replaces?: string;
  /** New packages in this resolution that satisfy its Pre-Depends and Depends. */
  readonly preDepends: readonly string[];
  readonly depends: readonly string[];
  readonly source: PackageSource;
}

export type PackageSource =
  | {
      readonly kind: "archive";
      readonly name: string;
      readonly version: string;
      readonly files: readonly { readonly name: string; readonly uri: string; readonly sha256: string; readonly size: number }[];
    }
  | {
      readonly kind: "vcs";
      readonly name: string;
      readonly version: string;
      readonly type: string;
      readonly repository: string;
      readonly ref: string;
    };
