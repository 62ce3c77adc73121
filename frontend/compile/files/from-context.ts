import type { FileSourceCompiler } from "./types.js";

/** `from_context { path }`: a file of the build context (only the named paths are transferred). */
export const fromContext: FileSourceCompiler<"context"> = {
  origin: (source, env) => ({ state: env.context, path: `/${source.path.value}` }),
  describe: (source) => `context ${source.path.value}`,
  contextPaths: (source) => [source.path.value],
};
