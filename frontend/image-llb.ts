import type { Result } from "../grammar/index.js";
import type { SourceMap } from "../llb/index.js";
import { compileImage, type CompiledImage } from "./compile/index.js";
import { resolvePlan, type FactSource, type PlanRequest, type ResolvedPlan } from "./resolve/index.js";

/** What compiling takes besides the plan: where the build context is, and the build's options. */
export interface CompileSettings {
  readonly sourceMap: SourceMap;
  readonly context: { readonly localName: string; readonly sessionId: string };
  /** `label:*` build options. */
  readonly optionLabels: ReadonlyMap<string, string>;
  readonly noCache: boolean;
}

/**
 * One image of a declaration as LLB: resolve (asking `source`), then compile (pure). The gateway build
 * and `slipway llb` both come here, with BuildKit or the declaration itself as the source, so for the same
 * facts they write the same Definition. Nothing is compiled when the plan has errors.
 */
export async function imageLlb(request: PlanRequest, source: FactSource, settings: CompileSettings): Promise<Result<{ plan: ResolvedPlan; compiled: CompiledImage } | undefined>> {
  const { value: plan, diagnostics } = await resolvePlan(request, source);
  if (plan === undefined) return { value: undefined, diagnostics };
  const compiled = compileImage({
    declaration: request.declaration,
    image: request.image,
    platform: request.platform,
    ...settings,
    base: plan.base,
    images: plan.images,
    git: plan.git,
    steps: plan.steps,
    ...(plan.accounts && { accounts: plan.accounts }),
    ...(plan.packages && { packages: plan.packages }),
    epoch: plan.epoch.seconds,
  });
  return { value: { plan, compiled }, diagnostics };
}
