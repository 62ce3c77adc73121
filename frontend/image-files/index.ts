/**
 * An image's files read straight from its registry, without BuildKit: the manifest for a platform, its
 * layers with their whiteouts applied, as the `ImageFiles` the Debian machinery reads (for `slipway lock`).
 */
export { readRegistryImage, type RegistryImage, type RegistryImageOptions } from "./registry.js";
export { layerFiles, DEFAULT_KEPT_PATHS, type Layer, type LayerFilesOptions } from "./layers.js";
// The docker.io mirror lives with the registry client (oci/); re-exported while `slipway lock` imports it from here.
export { dockerHubMirror, type MirrorSettings, type MirrorSource, type RegistryMirror } from "../oci/index.js";
export { ImageFilesError, isImageFilesError } from "./errors.js";
