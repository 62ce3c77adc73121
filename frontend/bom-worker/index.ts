/**
 * The bill of materials worker: what the frontend asks (`BomRequest`), the exec that runs it in the
 * frontend's own image (`bomFacts`), and the worker itself (`runBomWorker`, entry `main`).
 */
export { measureRequests, plannedTarballs, originAt } from "./request.js";
export type { BomRequest, MeasureRequest, ExpectedPackage, OriginFacts, PlannedOrigin } from "./request.js";
export { bomFacts, currentFrontendImage, FRONTEND_DEFINITION } from "./side-tree.js";
export type { FactsInput, WorkerImage } from "./side-tree.js";
export { runBomWorker, WorkerError } from "./run.js";
export { WORKER_LAYOUT, REQUEST_FILE, FACTS_FILE } from "./layout.js";
export type { WorkerPaths } from "./run.js";
export { MountedTree, TreeError } from "./measured-tree.js";
