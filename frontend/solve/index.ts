// The solve stage: the gateway session with BuildKit (solves, file reads, warnings, timings), and the facts
// of a build that only BuildKit can answer (frontend/resolve asks them through `gatewayFacts`).
export { BuildSession, Capabilities, CapabilityError, isCapabilityError, isNotFound, nodeSha256, solveDefinition, workerPlatform } from "./session.js";
export { gatewayFetcher, gatewayImageFiles, isDirectory } from "./gateway-io.js";
export { gatewayFacts } from "./gateway-facts.js";
export { unusedNamedContexts } from "./named-contexts.js";
