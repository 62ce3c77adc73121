import { fromDefinition } from "../../../llb/index.js";
import type { FileSourceCompiler } from "./types.js";

/**
 * `from_step "build" { path }`: a file of a Dockerfile step, which BuildKit's dockerfile.v0 turned into LLB
 * before compiling; its definition is embedded in our graph. Wildcards copy every match.
 */
export const fromStep: FileSourceCompiler<"step"> = {
  origin: (source, env) => {
    const step = env.input.steps.get(source.step.value);
    if (!step) throw new Error(`bug: step ${source.step.value} was not built before compiling`);
    return { state: fromDefinition(step.definition), path: source.path.value, copy: { allowWildcard: true } };
  },
  describe: (source) => `step ${source.step.value}:${source.path.value}`,
};
