export { decodeDeclaration, defaultLoadOptions, type LoadOptions, type LoadResult } from "./declaration.js";
export { parseImageReference, DOCKER_HUB, type ImageReferenceResult } from "./reference.js";
export { parsePlatform, type PlatformResult } from "./platform.js";
export { parseDuration, type DurationResult } from "./duration.js";
export { compileGlob } from "./glob.js";
export { selectImage, isDiagnostic } from "./target.js";
export { RESERVED_TARGETS, checkDeclaration } from "./checks.js";
export { declarationToJson, type ModelJsonOptions } from "./model-json.js";
export { content, type BodySchema, type BodyContent } from "./schema.js";
