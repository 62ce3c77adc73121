/**
 * Reading OCI images from outside a build, with every read bounded and every blob checked against its
 * digest: tar archives, OCI image layouts (a directory or an archive), registries (the distribution API,
 * anonymously, docker.io through a mirror), and image references. `slipway bom`, `slipway diff` and
 * `slipway lock` read images through this; `bom/` keeps the documents, `image-files/` the files.
 */
export { ImageReadError, isImageReadError } from "./errors.js";
export { sha256Hex, verifyDigest } from "./digest.js";
export { formatImageRef, parseImageRef, type ImageRef } from "./image-ref.js";
export {
  DEFAULT_READ_LIMITS,
  formatBytes,
  pathKind,
  readRegularFile,
  type PathKind,
  type ReadLimits,
  type RegularFileOptions,
} from "./limits.js";
export { boundedGunzip, type GunzipBudget } from "./bounded-gunzip.js";
export { DEFAULT_LAYER_BLOB_OPTIONS, LayerBlobError, layerCompression, layerTar, type LayerBlobOptions, type LayerCompression } from "./layer-blob.js";
export { openTar, readTarStream, TarFormatError, tarKind, type TarArchive, type TarEntry } from "./tar.js";
export {
  ATTESTATION_REFERENCE_DIGEST,
  ATTESTATION_REFERENCE_TYPE,
  PREDICATE_TYPE_ANNOTATION,
  findBomInImage,
  type ImageBom,
  type ImageStore,
} from "./store.js";
export { directoryReader, layoutStore, parseJson, tarReader } from "./layout-store.js";
export { registryStore, type RegistryOptions } from "./registry-store.js";
export { dockerHubMirror, type MirrorSettings, type MirrorSource, type RegistryMirror } from "./mirror.js";
