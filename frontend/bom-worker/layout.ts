/** Where the exec mounts what the worker reads and writes (see `bomFacts`). */
export const WORKER_LAYOUT = {
  root: "/slipway-bom",
  request: "/slipway-bom/in",
  /** The image before its declared files (base, accounts, packages). */
  image: "/slipway-bom/image",
  base: "/slipway-bom/base",
  context: "/slipway-bom/context",
  /** One directory per measured file: a copy of just that file, made the way the image's copy is. */
  files: "/slipway-bom/files",
  out: "/slipway-bom/out",
} as const;

export const REQUEST_FILE = "request.json";
/** The worker's answer in `out`: the measured `BomInputs`, JSON. */
export const FACTS_FILE = "facts.json";
