import type { Diagnostic, ImageReference, Located, Range, Result, Step } from "../../grammar/index.js";
import type { Platform } from "../../llb/index.js";
import type { BaseAccounts } from "../accounts/index.js";
import type { ResolvedGit, ResolvedImage, ResolvedStep } from "../compile/index.js";
import type { Fetcher, ImageFiles } from "../debian/index.js";

/**
 * Where the resolver learns what a declaration's names stand for. A build asks BuildKit through the
 * gateway (frontend/solve); the CLI asks registries and the Debian archive, or takes names as declared
 * (`slipway llb`). The resolver's logic is the same for every source: only the answers differ. Each fact
 * comes back as a `Result`, with the located problems met finding it (undefined with an error when it
 * cannot be found); only a failure that is no problem of the declaration (a gateway gone) is thrown.
 */
export interface FactSource {
  /** An image reference resolved to a digest and its config for `platform` (`role` names it in errors). */
  image(ref: Located<ImageReference>, platform: Platform, role: string): Promise<Result<ResolvedImage | undefined>>;
  /** A git ref resolved to the commit it names. */
  git(repository: string, ref: string, platform: Platform, range: Range): Promise<Result<ResolvedGit | undefined>>;
  /** A Dockerfile step as LLB, built with `epoch` as SOURCE_DATE_EPOCH. */
  step(step: Step, platform: Platform, epoch: number): Promise<Result<ResolvedStep | undefined>>;
  /**
   * The base image's account files, and which of `homes` it has already; undefined with an error when
   * they cannot be used, and undefined with none when this source cannot read them (the accounts are
   * then left out).
   */
  baseAccounts(base: ResolvedImage, platform: Platform, at: Range, homes: readonly string[]): Promise<Result<BaseAccounts | undefined>>;
  /** The repositories' indexes and the base image's files, to resolve packages without a lock; absent where only a lock will do. */
  readonly indexes?: PackageIndexes;
  /** Diagnostics to show even when an error follows (a resolution's warnings). */
  warn(diagnostics: readonly Diagnostic[]): void;
  /** Runs one phase of the resolution, timed where the source reports timings (the build's metadata). */
  time<T>(phase: string, work: () => Promise<T>): Promise<T>;
}

/** What resolving packages from the repositories' verified indexes reads. */
export interface PackageIndexes {
  fetcher(platform: Platform): Fetcher;
  baseFiles(base: ResolvedImage, platform: Platform): Promise<ImageFiles>;
}
