import { image } from "../../../llb/index.js";
import type { FileSourceCompiler } from "./types.js";

/** `from_image { image, path }`: a file of another image, pinned to the digest resolved for the platform. */
export const fromImage: FileSourceCompiler<"image"> = {
  origin: (source, env) => {
    const resolved = env.input.images.get(source.image.value.canonical);
    if (!resolved) throw new Error(`bug: image ${source.image.value.canonical} was not resolved before compiling`);
    return { state: image(resolved.pinned, { platform: env.input.platform, constraints: env.at }), path: source.path.value };
  },
  describe: (source) => `image ${source.image.value.original}:${source.path.value}`,
};
