import { git } from "../../../llb/index.js";
import { gitKey } from "../types.js";
import type { FileSourceCompiler } from "./types.js";

/** `from_git { repository, ref, path }`: checked out at the commit the ref resolved to before the build. */
export const fromGit: FileSourceCompiler<"git"> = {
  origin: (source, env) => {
    const resolved = env.input.git.get(gitKey(source.repository.value, source.ref.value));
    if (!resolved) throw new Error(`bug: git ${source.repository.value}#${source.ref.value} was not resolved before compiling`);
    return { state: git(source.repository.value, resolved.commit, { constraints: env.at }), path: `/${source.path.value}` };
  },
  describe: (source) => `git ${source.repository.value}@${source.ref.value}:${source.path.value}`,
};
