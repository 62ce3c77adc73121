/**
 * Debian packages for slipway: resolve what an image's `apt` blocks ask for against verified repository
 * indexes (or a lock), and install it with one network-less dpkg exec. Everything touching the network
 * or the base image goes through `Fetcher` and `ImageFiles`.
 */
export { resolveApt, type AptIo, type AptRequest, type AptResult } from "./resolve-apt.js";
export type { AptResolution, IndexFileRef, InstalledPackage, PackageSource, ResolvedPackage, ResolvedRepository } from "./resolution.js";
export { parseLock, findLockEntry, resolveAptFromLock, lockRequests } from "./lock.js";
export { formatLock, mergeLock, lockFromResolution, lockFileName, lockVersion, validateLock, type AptLock, type LockFile, type LockProblem } from "./lock-schema.js";
export { debSource, fetchName, installPackages, type InstallPackagesOptions } from "./install-llb.js";
export { parseVendorRef, vendorDebDirectory, vendoredPackages, vendorImage, vendorImageState, VENDOR_TARGET, VENDOR_VARIABLE } from "./vendor.js";
export { mirroredFetcher, mirroredUrl, MIRROR_VARIABLE, parseMirrors, snapshotTimestamp, type Mirror, type MirrorsParse } from "./mirrors.js";
export { debFileName, defaultInstallPlanOptions, installProgressName, installScript, planStages, type InstallPlanOptions, type PlannedPackage } from "./install-plan.js";
export { FetchError, imageFilesFromMap, isFetchError, type FetchExpectation, type Fetcher, type ImageFiles } from "./io.js";
export { nodeFetcher, type NodeFetcherOptions } from "./fetch-node.js";
export { imageFilesFromDirectory } from "./image-files-node.js";
export { readImagePackages, readImageSources, readImageTrustedKeys } from "./base-image.js";
export { compareVersions, satisfiesVersion, type VersionOperator } from "./version.js";
export type { BinaryPackage } from "./packages.js";
export { debianArchitecture, hasPackages, type PlatformLike } from "./architecture.js";
