import { copy, mergeConstraints, customName, scratch } from "../../../llb/index.js";
import type { FileSourceCompiler } from "./types.js";

/**
 * `from_tarball "assets.tgz" { path }`: a member of a tarball in the build context. BuildKit unpacks the
 * tarball (any format Docker's ADD knows, modes and nested directories kept, `./` prefixes gone) into a
 * scratch state; the member is copied from there. The unpacked tree never enters the image.
 */
export const fromTarball: FileSourceCompiler<"tarball"> = {
  origin: (source, env) => {
    const name = source.tarball.value;
    const unpacked = scratch().file(
      copy(env.context, `/${name}`, "/", { attemptUnpack: true }),
      mergeConstraints(customName(`[slipway] unpack tarball ${name}`), env.at),
    );
    return { state: unpacked, path: `/${source.path.value}` };
  },
  describe: (source) => `tarball ${source.tarball.value}:${source.path.value}`,
  contextPaths: (source) => [source.tarball.value],
};
