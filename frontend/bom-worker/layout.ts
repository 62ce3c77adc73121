/** Where the exec mounts what the worker reads and writes (see `bomSideTree`). */
export const WORKER_LAYOUT = {
  root: "/slipway-bom",
  request: "/slipway-bom/in",
  image: "/slipway-bom/image",
  base: "/slipway-bom/base",
  context: "/slipway-bom/context",
  out: "/slipway-bom/out",
} as const;

export const REQUEST_FILE = "request.json";
