/**
 * An image's files read straight from its registry, without BuildKit: the manifest for a platform, its
 * layers with their whiteouts applied, as the `ImageFiles` the Debian machinery reads (for `slipway lock`).
 */
export { readRegistryImage, type RegistryImage, type RegistryImageOptions } from "./registry.js";
export { layerFiles, DEFAULT_KEPT_PATHS, type Layer, type LayerFilesOptions } from "./layers.js";
export { ImageFilesError, isImageFilesError } from "./errors.js";
