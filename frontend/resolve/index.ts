// The resolve stage: a Declaration and a source of facts → a fully resolved plan (digests, commits, step
// definitions, packages, accounts, epoch), which frontend/compile turns into LLB with no I/O. One
// implementation for every caller: a build asks BuildKit (frontend/solve), the CLI asks registries and the
// archive or takes names as declared (frontend/cli/facts.ts).
export type { FactSource, PackageIndexes } from "./facts.js";
export { lockEntryFor, resolvePlan, type PlanRequest, type ResolvedPlan } from "./plan.js";
export { lockEntries, type LockEntries } from "./lock-entries.js";
export { pinnedName, pinnedTo } from "./pin.js";
