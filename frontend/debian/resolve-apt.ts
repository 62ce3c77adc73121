import { errorAt, reasonOf, type Apt, type Diagnostic, type Package, type Range, type Result } from "../../grammar/index.js";
import { readImagePackages } from "./base-image.js";
import { planStages } from "./install-plan.js";
import type { Fetcher, ImageFiles } from "./io.js";
import type { BinaryPackage } from "./packages.js";
import { loadRepository, type LoadedRepository } from "./repository.js";
import type { AptResolution, PackageSource, ResolvedPackage } from "./resolution.js";
import { resolvePackages } from "./resolve.js";
import type { ResolveProblem } from "./resolve-explain.js";
import { findSources, type VcsDeclaration } from "./sources.js";
import { planRepositories } from "./targets.js";
import { Universe } from "./universe.js";

/** What to install into one image. */
export interface AptRequest {
  /** The image's `apt` blocks, in order (their packages and repositories are flattened, as estaleiro did). */
  readonly apt: readonly Apt[];
  /** Debian architecture of the image, e.g. `amd64`, `arm64`. */
  readonly architecture: string;
  readonly baseImage?: { readonly ref: string; readonly digest?: string; readonly range?: Range };
}

export interface AptIo {
  readonly fetcher: Fetcher;
  readonly base: ImageFiles;
}

/** The resolution, present when there are no errors, with the diagnostics found on the way. */
export type AptResult = Result<AptResolution | undefined>;

// long because: the steps of a resolution in order (repositories, base image, choice, sources, order), each a call, with the diagnostics gathered along the way.
/**
 * Resolves the packages of an image against verified repository indexes: reads the repositories
 * (InRelease verified, Packages and Sources by hash), the base image's installed set, chooses the
 * packages as apt would, finds each one's source, and orders the installation.
 */
export async function resolveApt(request: AptRequest, io: AptIo): Promise<AptResult> {
  const packages = request.apt.flatMap((a) => a.packages);
  const diagnostics: Diagnostic[] = [...checkRequests(packages)];
  if (packages.length === 0) return { value: undefined, diagnostics };
  const baseSubject = request.baseImage?.range ?? request.apt[0]?.range;

  const base = await readImagePackages(io.base);
  if (!base) {
    diagnostics.push(errorAt(baseSubject, "Base image has no dpkg database", `${request.baseImage?.ref ?? "The base image"} has no /var/lib/dpkg/status, so Debian packages cannot be installed into it.`, { hint: "Use a Debian-based base image such as debian:bookworm." }));
    return { value: undefined, diagnostics };
  }

  const planned = await planRepositories({ apt: request.apt, architecture: request.architecture, ...(baseSubject ? { baseSubject } : {}) }, io);
  diagnostics.push(...planned.diagnostics);
  const loaded = await Promise.all(planned.repositories.map((r, i) => loadRepository(r.target, io.fetcher, i)));
  const repositories: LoadedRepository[] = [];
  loaded.forEach((l, i) => {
    const p = planned.repositories[i]!;
    if (l.value !== undefined) repositories.push(l.value);
    else diagnostics.push(errorAt(p.subject, "Repository cannot be used", `${p.where}: ${reasonOf(l)}.`));
  });
  if (diagnostics.some((d) => d.severity === "error")) return { value: undefined, diagnostics };

  const universe = new Universe(request.architecture, base, repositories.map((r) => r.packages));
  const requests = dedupe(packages).map((p) => ({ name: p.name.value, ...(p.version ? { version: p.version.value } : {}) }));
  const requested = dedupe(packages);
  const installRecommends = request.apt.some((a) => a.installRecommends?.value === true);
  const result = resolvePackages(universe, requests, { installRecommends });
  for (const problem of result.problems) diagnostics.push(problemDiagnostic(problem, requested, request.apt[0]!.range));
  if (result.problems.length > 0) return { value: undefined, diagnostics };

  const vcs: VcsDeclaration[] = packages.flatMap((p) =>
    p.vcs ? [{ package: p.name.value, ...(p.version ? { version: p.version.value } : {}), type: p.vcs.type.value, repository: p.vcs.repository.value, ref: p.vcs.ref.value }] : [],
  );
  const sourceNames = new Set(result.install.map((p) => p.sourceName));
  const sources = findSources(result.install, repositories.map((r) => r.sources?.(sourceNames)), vcs);
  for (const pkg of sources.missing) {
    const decl = requested.find((p) => p.name.value === pkg.name);
    diagnostics.push(
      errorAt(decl?.name.range ?? request.apt[0]!.range, "Package source not found", `${pkg.name} (${pkg.version}) is built from source package ${pkg.sourceName} (${pkg.sourceVersion}), which no verified Sources index lists${decl ? "" : `; ${pkg.name} is a dependency of the requested packages`}.`, {
        hint: `Add a deb-src repository that carries it, or declare package "${pkg.name}" { vcs "git" { repository = "…", ref = "…" } }.`,
      }),
    );
  }
  if (sources.missing.length > 0) return { value: undefined, diagnostics };

  const resolved: ResolvedPackage[] = result.install.map((pkg) => {
    const repo = repositories[pkg.origin!]!;
    const edges = result.dependencies.get(pkg.name)!;
    const origin = sources.found.get(pkg.name)!;
    const source: PackageSource =
      origin.kind === "archive"
        ? { kind: "archive", name: origin.source.name, version: origin.source.version, files: origin.source.files }
        : origin;
    const installed = universe.installedVersion(pkg.name);
    return {
      name: pkg.name,
      version: pkg.version,
      architecture: pkg.architecture,
      multiArch: pkg.multiArch,
      repository: pkg.origin!,
      filename: pkg.filename!,
      uri: `${repo.target.uri.replace(/\/+$/, "")}/${pkg.filename!}`,
      sha256: pkg.sha256!,
      size: pkg.size!,
      ...(installed ? { replaces: installed.version } : {}),
      preDepends: edges.preDepends,
      depends: edges.depends,
      source,
    };
  });
  const incomplete = resolved.filter((p) => !p.filename || !p.sha256 || p.size === undefined);
  for (const p of incomplete) {
    diagnostics.push(errorAt(request.apt[0]!.range, "Incomplete package index", `${repositories[p.repository]!.target.uri} lists ${p.name} (${p.version}) without Filename, Size or SHA256, so it cannot be fetched verifiably.`));
  }
  if (incomplete.length > 0) return { value: undefined, diagnostics };

  const stages = planStages(resolved).map((s) => s.map((p) => p.name));
  const byName = new Map(resolved.map((p) => [p.name, p]));
  const resolution: AptResolution = {
    architecture: request.architecture,
    ...(request.baseImage ? { baseImage: { ref: request.baseImage.ref, ...(request.baseImage.digest ? { digest: request.baseImage.digest } : {}) } } : {}),
    installRecommends,
    repositories: repositories.map((r) => ({
      uri: r.target.uri,
      suite: r.target.suite,
      components: r.target.components,
      inRelease: r.inRelease,
      ...(r.release.date !== undefined && { date: r.release.date }),
      signedBy: { fingerprint: r.signer.fingerprint, userIds: r.signer.userIds },
    })),
    basePackages: installedList(base),
    packages: stages.flat().map((n) => byName.get(n)!),
    stages,
    indexFiles: repositories.flatMap((r) => r.files),
  };
  return { value: resolution, diagnostics };
}

export function installedList(base: readonly BinaryPackage[]): AptResolution["basePackages"] {
  return [...base]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((p) => ({ name: p.name, version: p.version, architecture: p.architecture, source: { name: p.sourceName, version: p.sourceVersion } }));
}

/** Two declarations of one package must agree on its version. */
function checkRequests(packages: readonly Package[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, Package>();
  for (const p of packages) {
    const first = seen.get(p.name.value);
    if (!first) {
      seen.set(p.name.value, p);
      continue;
    }
    if ((first.version?.value ?? "") !== (p.version?.value ?? "")) {
      out.push(errorAt(p.version?.range ?? p.name.range, "Conflicting package versions", `"${p.name.value}" is declared twice with different versions (${first.version?.value ?? "newest"} at line ${first.name.range.start.line}, ${p.version?.value ?? "newest"} here).`, { hint: "Declare each package once." }));
    }
  }
  return out;
}

function dedupe(packages: readonly Package[]): Package[] {
  const seen = new Set<string>();
  return packages.filter((p) => (seen.has(p.name.value) ? false : (seen.add(p.name.value), true)));
}

function problemDiagnostic(problem: ResolveProblem, requested: readonly Package[], fallback: Range): Diagnostic {
  const decl = requested[problem.request];
  const subject = problem.kind === "version" ? (decl?.version?.range ?? decl?.name.range) : (decl?.name.range ?? fallback);
  return errorAt(subject, problem.summary, problem.detail, {
    ...(problem.hint ? { hint: problem.hint } : {}),
    ...(decl ? { context: decl.range } : {}),
  });
}
