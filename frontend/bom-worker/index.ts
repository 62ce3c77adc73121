/**
 * The bill of materials worker, as the frontend sees it: what it asks (`BomRequest`, built from the plan
 * by `measureRequests`), where the request and the facts go (`WORKER_LAYOUT`), and the exec that runs the
 * worker in the frontend's own image (`bomFacts`). The worker itself (run.ts and its readers) is its own
 * bundle, entered at main.ts; nothing here loads it, so the frontend's bundle does not carry the readers.
 */
export { measureRequests, plannedTarballs, originAt } from "./request.js";
export type { BomRequest, MeasureRequest, ExpectedPackage, OriginFacts, PlannedOrigin } from "./request.js";
export { bomFacts, currentFrontendImage, FRONTEND_DEFINITION } from "./side-tree.js";
export type { FactsInput, WorkerImage, WorkerImageOptions } from "./side-tree.js";
export { WORKER_LAYOUT, REQUEST_FILE, FACTS_FILE } from "./layout.js";
