/** `diff`: a DiffOp, the changes that turn `lower` into `upper`, as a state of its own. */
import { mergeConstraints, noConstraints, type Constraints } from "./constraints.js";
import { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";
import { State } from "./state.js";
import type { BuildContext, BuiltVertex, Output, Vertex } from "./vertex.js";

class DiffVertex implements Vertex {
  readonly inputs: readonly Output[];

  constructor(
    private readonly lower: Output,
    private readonly upper: Output | undefined,
    readonly constraints: Constraints,
  ) {
    this.inputs = upper && upper !== lower ? [lower, upper] : [lower];
  }

  build(context: BuildContext): BuiltVertex {
    const inputs = [context.input(this.lower)];
    let upperIndex = -1;
    if (this.upper) upperIndex = inputs.push(context.input(this.upper)) - 1;
    const diff = new pb.DiffOp({
      lower: new pb.LowerDiffInput({ input: 0 }),
      upper: new pb.UpperDiffInput({ input: upperIndex }),
    });
    return { kind: "op", op: new pb.Op({ inputs, diff }) };
  }
}

/**
 * What `upper` adds to or removes from `lower`; merge it onto another base to replay the change without
 * copying. A scratch `lower` gives `upper` itself; both scratch gives scratch.
 * @example const packages = diff(base, base.run({ args: ["apt-get", "install", "-y", "curl"] }).root());
 */
export function diff(lower: State, upper: State, constraints?: Constraints): State {
  if (!lower.output) return upper.isScratch ? new State(undefined) : upper;
  const vertex = new DiffVertex(lower.output, upper.output, mergeConstraints(noConstraints, constraints));
  return lower.withOutput({ vertex, index: 0 });
}
