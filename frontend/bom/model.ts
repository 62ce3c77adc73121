/**
 * The bill of materials: one model, from which every document (bom.yaml, bom.spdx.json, bom.cdx.json,
 * bom.json) is written. Everything here is plain readonly data with no BuildKit or gateway types, so the
 * lead can fill `BomInputs` from whatever the build learnt and the CLI can rebuild a `Bom` from a document.
 *
 * Facts, not claims: every digest is computed from the bytes during the build. Nothing depends on the
 * wall clock or on randomness; `buildBom` sorts every list, so the same facts in any order give the same
 * `Bom` and therefore the same bytes in every document.
 *
 * `Bom` is structurally a `BomInputs` (the inputs only add optional fields and looser shapes), so
 * `buildBom(bom)` returns an equal `Bom`; readers use that to validate what they parse.
 */

/** Lowercase hex sha256 (64 characters) — never prefixed; writers add `sha256:` where a format wants it. */
export type Sha256Hex = string;
/** Lowercase hex sha1 (40 characters), needed because SPDX 2.x requires a SHA1 on every file. */
export type Sha1Hex = string;

export interface Bom {
  /** The model's own version; bumped when a field changes meaning. */
  readonly schema: typeof BOM_SCHEMA;
  /** The tool that wrote the BOM (SPDX `creators`, CycloneDX `metadata.tools`). */
  readonly tool: BomTool;
  readonly image: BomImage;
  readonly declaration: BomDeclaration;
  readonly base: BomBaseImage;
  /** Packages the build installed (the full closure apt resolved), sorted by name, architecture, version. */
  readonly packages: readonly BomAddedPackage[];
  /** Repositories the packages were resolved from, sorted by uri then suite. */
  readonly repositories: readonly BomRepository[];
  /** OpenPGP keys that verified those repositories, sorted by fingerprint. */
  readonly keys: readonly BomSigningKey[];
  /** Every file the declaration added to the image, sorted by path. */
  readonly files: readonly BomFile[];
  /**
   * The licences packages name that have no SPDX id (`LicenseRef-…`), with their texts from the
   * packages' copyright files, sorted by id. Absent in BOMs written before licences were read.
   */
  readonly licences?: readonly BomExtractedLicence[];
  /**
   * The build's epoch (SOURCE_DATE_EPOCH, seconds): every time in the image and the documents' creation
   * time. Absent (documents then say 1970) only in BOMs read from before slipway chose one for every build.
   */
  readonly sourceDateEpoch?: number;
  /** Where the epoch came from: the SOURCE_DATE_EPOCH build argument, the base image's `created`, or 0. */
  readonly sourceDateEpochOrigin?: BomEpochOrigin;
  /**
   * The image's accounts, read from its /etc/passwd and /etc/group after the build (package maintainer
   * scripts' included), and which the declaration's user and group blocks added. Present when the
   * declaration has such blocks.
   */
  readonly accounts?: BomAccounts;
}

/** Users sorted by uid then name, groups by gid then name. */
export interface BomAccounts {
  readonly users: readonly BomUser[];
  readonly groups: readonly BomGroup[];
}

export interface BomUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  readonly shell: string;
  /** Declared by a `user` block (else the base image's, or a package's). */
  readonly added: boolean;
}

export interface BomGroup {
  readonly name: string;
  readonly gid: number;
  /** Declared by a `group` block. */
  readonly added: boolean;
}

export const BOM_EPOCH_ORIGINS = ["build-argument", "base-image", "default"] as const;
export type BomEpochOrigin = (typeof BOM_EPOCH_ORIGINS)[number];

export const BOM_SCHEMA = "slipway.dev/bom/v1";

export interface BomTool {
  readonly name: string;
  readonly version: string;
}

export interface BomImage {
  /** The `image "<name>"` block label. */
  readonly name: string;
  /** The build's `target` option when one selected this image; absent when the file has one image. */
  readonly target?: string;
  /** Normalised platform id, `os/arch[/variant]`, e.g. `linux/amd64`, `linux/arm/v7`. */
  readonly platform: string;
}

export interface BomDeclaration {
  /** The declaration's file name as the build received it, e.g. `slipway.hcl`. */
  readonly file: string;
  /** sha256 of the declaration's text (UTF-8 bytes). */
  readonly sha256: Sha256Hex;
  /** The variables the declaration used, sorted by name. */
  readonly variables: readonly BomVariable[];
  /**
   * The packages the declaration's apt blocks asked for, as written (`curl`, `curl:arm64`), sorted: what
   * the image depends on directly. Absent in BOMs written before dependencies were recorded.
   */
  readonly packages?: readonly string[];
}

export interface BomVariable {
  readonly name: string;
  readonly value: string;
  /** `build-arg`: given to the build; `default`: the `variable` block's default. */
  readonly origin: "build-arg" | "default";
}

/** `scratch`, or a resolved image with what its dpkg database and os-release said. */
export type BomBaseImage = BomScratchBase | BomImageBase;

export interface BomScratchBase {
  readonly kind: "scratch";
}

export interface BomImageBase {
  readonly kind: "image";
  /** `docker.io/library/debian:bookworm@sha256:<hex>`: name, tag (when one was given) and the resolved digest. */
  readonly canonicalName: string;
  /** From the image's `/etc/os-release`; absent when it has none. */
  readonly os?: BomOsRelease;
  /** Installed entries of `/var/lib/dpkg/status`, sorted by name, architecture, version. */
  readonly packages: readonly BomInstalledPackage[];
}

export interface BomOsRelease {
  /** `ID`, e.g. `debian`, `ubuntu`. */
  readonly id: string;
  /** `VERSION_ID`, e.g. `12`; empty when absent (Debian testing/sid has none). */
  readonly versionId: string;
  /** `VERSION_CODENAME`, e.g. `bookworm`; empty when absent. */
  readonly versionCodename: string;
}

/** A binary package as dpkg records it. */
export interface BomInstalledPackage {
  readonly name: string;
  readonly version: string;
  /** dpkg architecture: `amd64`, `arm64`, `all`… */
  readonly architecture: string;
  /** The source package it was built from; dpkg's `Source: name (version)`, defaulted to the binary's own. */
  readonly source: BomSourceRef;
  /** dpkg's `Maintainer:` as the package wrote it, e.g. `Debian curl Maintainers <team+curl@tracker.debian.org>`. */
  readonly maintainer?: string;
  /**
   * The installed packages its `Pre-Depends` and `Depends` resolved to in the image, as `name:arch`,
   * sorted: each alternative group resolved to the package dpkg found installed (directly or through
   * `Provides`). Absent when not measured; empty when it depends on nothing.
   */
  readonly dependsOn?: readonly string[];
  /** What its `/usr/share/doc/<name>/copyright` declares. Absent when not measured. */
  readonly licence?: BomPackageLicence;
}

export interface BomPackageLicence {
  /** An SPDX licence expression (ids from the SPDX lists and `LicenseRef-…` from `Bom.licences`), or `NOASSERTION`. */
  readonly declared: string;
  /**
   * How the copyright file was read: `dep5` (machine-readable), `common-licenses` (prose pointing at
   * /usr/share/common-licenses), `unreadable` (neither: NOASSERTION), `missing` (no copyright file).
   */
  readonly from: "dep5" | "common-licenses" | "unreadable" | "missing";
}

/** A licence with no SPDX id, as SPDX's `hasExtractedLicensingInfos` holds it. */
export interface BomExtractedLicence {
  /** `LicenseRef-…`, unique in the BOM. */
  readonly id: string;
  /** The name the copyright file used, e.g. `public-domain`. */
  readonly name: string;
  readonly text: string;
}

export interface BomSourceRef {
  readonly name: string;
  readonly version: string;
}

/** A binary package the build downloaded and installed. */
export interface BomAddedPackage extends BomInstalledPackage {
  /** The `.deb` as fetched: its URL, file name, size and the sha256 of the bytes. */
  readonly location: BomRemoteFile;
  /** Files of the source package (`.dsc`, `.orig.tar.*`, `.debian.tar.*`), sorted by file name. */
  readonly sourceFiles: readonly BomRemoteFile[];
  /** The declared `vcs` block, for packages whose repository publishes no sources. */
  readonly vcs?: BomVcs;
}

export interface BomRemoteFile {
  readonly uri: string;
  /** The file name (last path segment of `uri` unless the repository said otherwise). */
  readonly filename: string;
  readonly sha256: Sha256Hex;
  /** Bytes. */
  readonly size: number;
}

export interface BomVcs {
  /** The `vcs "<type>"` label; `git` in practice. */
  readonly type: string;
  readonly repository: string;
  /** As declared: a branch, tag or commit. */
  readonly ref: string;
  /** The commit `ref` resolved to, when the build resolved it. */
  readonly commit?: string;
}

export interface BomRepository {
  readonly uri: string;
  readonly suite: string;
  /** Sorted. */
  readonly components: readonly string[];
  /** `deb`, `deb-src`, or both; sorted. */
  readonly types: readonly ("deb" | "deb-src")[];
  /** Fingerprints of the keys that verified the repository's `InRelease`, sorted. */
  readonly signedBy: readonly string[];
  /** The signed `InRelease` file the build read: which state of the archive the packages came from. */
  readonly inRelease?: BomIndexFile;
}

export interface BomIndexFile {
  readonly uri: string;
  readonly sha256: Sha256Hex;
  readonly size: number;
}

export interface BomSigningKey {
  /** Uppercase hex, no spaces. */
  readonly fingerprint: string;
  /** The key's user ids, sorted. */
  readonly userIds: readonly string[];
  /** `base-image`: a keyring already in the base image; `declaration`: a key the declaration gave. */
  readonly origin: "base-image" | "declaration";
  /** Where it came from: the keyring path in the image, or the URL / repository name in the declaration. */
  readonly location: string;
}

/** A file the declaration put into the image, as it is in the exported rootfs. */
export interface BomFile {
  /** Absolute path in the image. */
  readonly path: string;
  readonly sha256: Sha256Hex;
  readonly sha1: Sha1Hex;
  /** Bytes. */
  readonly size: number;
  /** Permission bits, e.g. `0o755`. */
  readonly mode: number;
  readonly origin: BomFileOrigin;
}

export type BomFileOrigin =
  | BomFromContext
  | BomFromTarball
  | BomFromHttp
  | BomFromGit
  | BomFromImage
  | BomFromStep;

export type BomFileOriginKind = BomFileOrigin["kind"];

export interface BomFromContext {
  readonly kind: "context";
  /** Path in the build context. */
  readonly path: string;
}

export interface BomFromTarball {
  readonly kind: "tarball";
  /** The tarball's path in the build context. */
  readonly tarball: string;
  /** sha256 of the tarball itself. */
  readonly tarballSha256: Sha256Hex;
  /** The member's path inside the tarball. */
  readonly member: string;
  /** The `source_file` vcs the tarball block declared for this member. */
  readonly vcs?: BomVcs;
}

export interface BomFromHttp {
  readonly kind: "http";
  readonly url: string;
  /** sha256 of the downloaded bytes (BuildKit verified it against the declaration). */
  readonly sha256: Sha256Hex;
}

export interface BomFromGit {
  readonly kind: "git";
  readonly repository: string;
  readonly ref: string;
  /** The commit checked out. */
  readonly commit: string;
  /** Path inside the checkout. */
  readonly path: string;
}

export interface BomFromImage {
  readonly kind: "image";
  /** Canonical `name:tag@sha256:…` of the image the file was copied from. */
  readonly image: string;
  readonly path: string;
}

export interface BomFromStep {
  readonly kind: "step";
  readonly step: string;
  /** Path in the step's result. */
  readonly path: string;
  /** The step's `source_file` vcs matching this path. */
  readonly vcs?: BomVcs;
}
