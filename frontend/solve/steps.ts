import { createHash } from "node:crypto";
import { errorAt, type Result, type Step } from "../../grammar/index.js";
import { copy, customName, Definition, formatPlatform, local, scratch, sortedMap, type Platform, type State } from "../../llb/index.js";
import { gw, isGatewayError, type Result as GatewayResult } from "../gateway/index.js";
import type { ResolvedStep } from "../compile/index.js";
import type { BuildSession } from "./session.js";
import { SOURCE_DATE_EPOCH_ARG } from "../compile/index.js";

/**
 * Options of the build that BuildKit's Dockerfile frontend applies to RUN instructions (names as
 * frontend/dockerui reads them), passed on to every step unchanged.
 */
const STEP_RUN_OPTIONS = [
  "add-hosts",
  "hostname",
  "shm-size",
  "ulimit",
  "cgroup-parent",
  "force-network-mode",
  "memory",
  "memswap",
  "cpushares",
  "cpuperiod",
  "cpuquota",
  "cpusetcpus",
  "cpusetmems",
] as const;

/**
 * Builds a `step` with BuildKit's own Dockerfile frontend (dockerfile.v0) through the gateway, giving it
 * the Dockerfile and the build context as frontend inputs. What comes back is the step's result as LLB
 * (`Ref.def`), which the compiler embeds in the image graph: files are copied from it in the same solve.
 */
export async function buildStep(session: BuildSession, step: Step, platform: Platform, epoch: number): Promise<Result<ResolvedStep | undefined>> {
  const { options } = session;
  const dockerfilePath = step.dockerfile.value.replace(/^\.\//, "");
  const dockerfile = local(options.dockerfileLocal, {
    sessionId: options.sessionId,
    followPaths: [dockerfilePath],
    sharedKeyHint: options.dockerfileLocal,
    constraints: customName(`[internal] load Dockerfile ${dockerfilePath} of step ${step.name.value}`),
  });
  let context: State = local(options.contextLocal, {
    sessionId: options.sessionId,
    sharedKeyHint: options.contextLocal,
    ...(step.context && { includePatterns: [`${step.context.value.replace(/^\.\//, "").replace(/\/$/, "")}/`] }),
    constraints: customName(`[internal] load build context of step ${step.name.value}`),
  });
  if (step.context) {
    const sub = step.context.value.replace(/^\.\//, "").replace(/\/$/, "");
    if (sub !== "" && sub !== ".") {
      context = scratch().file(copy(context, `/${sub}/`, "/", { copyDirContents: true }), customName(`[internal] context ${sub} of step ${step.name.value}`));
    }
  }

  const frontendOpt = new Map<string, string>([["filename", dockerfilePath], ["platform", formatPlatform(platform)]]);
  if (step.target) frontendOpt.set("target", step.target.value);
  // the build's epoch, so the Dockerfile frontend stamps what it writes with it (a step's own
  // `build_args` may still set it)
  frontendOpt.set(`build-arg:${SOURCE_DATE_EPOCH_ARG}`, String(epoch));
  for (const arg of step.buildArgs) frontendOpt.set(`build-arg:${arg.key}`, arg.value);
  if (options.noCache) frontendOpt.set("no-cache", "");
  // what `docker buildx build --add-host/--ulimit/--shm-size/--network/--cgroup-parent/…` asks of RUN: only
  // a step runs anything, so only a step gets them
  for (const key of STEP_RUN_OPTIONS) {
    const value = options.raw.get(key);
    if (value !== undefined) frontendOpt.set(key, value);
  }

  // BuildKit's Dockerfile frontend runs while the Dockerfile is read back for its digest: two round trips
  // in a row instead of four on every (cached) build. A missing Dockerfile makes both fail; ours is the
  // error shown, located at the step.
  const dockerfileRead = session.solve(dockerfile, platform).then((ref) => session.readFileIfPresent(ref, dockerfilePath));
  const solved = session.client.solve(
    new gw.SolveRequest({
      Frontend: "dockerfile.v0",
      FrontendOpt: sortedMap(frontendOpt),
      FrontendInputs: sortedMap([
        ["context", session.marshal(context, platform).proto],
        ["dockerfile", session.marshal(dockerfile, platform).proto],
      ]),
      allowResultReturn: true,
      allowResultArrayRef: true,
      CacheImports: session.cacheImports(),
    }),
  );
  const [dockerfileBytes, result] = await Promise.allSettled([dockerfileRead, solved]);
  return stepOutcome(step, dockerfileBytes, result);
}

/**
 * The step built, from the two round trips' outcomes; a missing Dockerfile or a failed step is a located
 * error, anything else (the Dockerfile's read failing) is thrown as it is.
 */
function stepOutcome(step: Step, dockerfileBytes: PromiseSettledResult<Uint8Array | undefined>, result: PromiseSettledResult<GatewayResult>): Result<ResolvedStep | undefined> {
  if (dockerfileBytes.status === "rejected") throw dockerfileBytes.reason;
  if (dockerfileBytes.value === undefined) {
    return {
      value: undefined,
      diagnostics: [
        errorAt(step.dockerfile.range, `Dockerfile "${step.dockerfile.value}" not found`, `Step "${step.name.value}" names a Dockerfile that is not in the declaration's directory.`, {
          hint: "paths are relative to the directory of the declaration file",
        }),
      ],
    };
  }
  if (result.status === "rejected") {
    const e: unknown = result.reason;
    if (!isGatewayError(e)) throw e;
    return {
      value: undefined,
      diagnostics: [errorAt(step.defRange, `Step "${step.name.value}" failed`, e.status.message, { hint: `the Dockerfile is ${step.dockerfile.value}` })],
    };
  }
  const ref = result.value.ref;
  if (!ref || !ref.has_def) {
    return { value: undefined, diagnostics: [errorAt(step.defRange, `Step "${step.name.value}" produced no result`, "BuildKit's Dockerfile frontend returned no reference.")] };
  }
  const built: ResolvedStep = {
    name: step.name.value,
    definition: new Definition(ref.def),
    dockerfileSha256: createHash("sha256").update(dockerfileBytes.value).digest("hex"),
  };
  return { value: built, diagnostics: [] };
}
