/** `merge`: a MergeOp, the layers of several states stacked in order (later ones win). */
import { mergeConstraints, noConstraints, type Constraints } from "./constraints.js";
import { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";
import { State } from "./state.js";
import type { BuildContext, BuiltVertex, Output, Vertex } from "./vertex.js";

class MergeVertex implements Vertex {
  constructor(
    readonly inputs: readonly Output[],
    readonly constraints: Constraints,
  ) {}

  build(context: BuildContext): BuiltVertex {
    // Every input gets its own index, duplicates included (client/llb does the same): order is the meaning.
    const inputs = this.inputs.map((output) => context.input(output));
    const merge = new pb.MergeOp({ inputs: inputs.map((_, i) => new pb.MergeInput({ input: i })) });
    return { kind: "op", op: new pb.Op({ inputs, merge }) };
  }
}

/**
 * Stacks `states` (the first at the bottom). Scratch inputs are dropped; one remaining input is returned as
 * is, none gives scratch. The result keeps the first state's settings (env, dir, …).
 * @example merge([base, diff(base, withPackages), diff(base, withConfig)])
 */
export function merge(states: readonly State[], constraints?: Constraints): State {
  const nonEmpty = states.filter((state) => !state.isScratch);
  if (nonEmpty.length === 0) return new State(undefined);
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  const vertex = new MergeVertex(
    nonEmpty.map((state) => state.output!),
    mergeConstraints(noConstraints, constraints),
  );
  return nonEmpty[0]!.withOutput({ vertex, index: 0 });
}
