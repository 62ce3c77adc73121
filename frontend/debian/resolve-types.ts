import type { BinaryPackage } from "./packages.js";
import type { ResolveProblem } from "./resolve-explain.js";

// What the resolver (resolve.ts) is asked and answers, apart from how it chooses.

export interface PackageRequest {
  readonly name: string;
  /** Exact version (the `=` relation). */
  readonly version?: string;
}

export interface ResolveOptions {
  /** Also install `Recommends` (apt's default, off in slipway as in estaleiro). */
  readonly installRecommends: boolean;
}

export interface ResolveResult {
  /** Packages to install or upgrade, in the order they were chosen. Empty when there are problems. */
  readonly install: readonly BinaryPackage[];
  /** For each package to install: names (within the final set) that satisfy each of its Pre-Depends/Depends. */
  readonly dependencies: ReadonlyMap<string, { readonly preDepends: readonly string[]; readonly depends: readonly string[] }>;
  /** One per failed request (its index in the request list), each with the chain that explains it. */
  readonly problems: readonly ResolveProblem[];
}
