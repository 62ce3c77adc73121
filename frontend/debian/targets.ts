import { componentProblem, errorAt, failure, reasonOf, repositoryUriProblem, suiteProblem, warningAt, type Apt, type Diagnostic, type Range, type Result } from "../../grammar/index.js";
import { readImageKeyring, readImageSources, readImageTrustedKeys } from "./base-image.js";
import { isFetchError, type Fetcher, type ImageFiles } from "./io.js";
import { keyMatches, readKeyring, type TrustedKey } from "./keyring.js";
import type { RepositoryTarget } from "./repository.js";
import type { SignedBy } from "./sources-list.js";
import { createHash } from "node:crypto";

/** A repository to read, where it was declared, and the range to report its problems at. */
export interface PlannedRepository {
  readonly target: RepositoryTarget;
  /** `repository "docker"`, `repositories[0]`, `/etc/apt/sources.list:1`. */
  readonly where: string;
  readonly subject?: Range;
}

export interface TargetsInput {
  readonly apt: readonly Apt[];
  readonly architecture: string;
  /** Range for problems with the base image's own sources (the `base_image` value). */
  readonly baseSubject?: Range;
}

// long because: declared repositories, then the base image's, each choosing the keys it may be signed by; both passes share the diagnostics and the lazily read global keys.
/**
 * Decides which repositories to read and which keys each may be signed by: the declared repositories
 * (each with its own key, a `signed-by` keyring in the base image, or apt's global keys plus declared
 * `key` blocks), first, then the base image's own sources and keyrings, unless an apt block says
 * `replace_sources = true`.
 */
export async function planRepositories(
  input: TargetsInput,
  io: { fetcher: Fetcher; base: ImageFiles },
): Promise<{ repositories: PlannedRepository[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const declared = input.apt.flatMap((a) => a.repositories);
  const globalKeys = lazy(async () => {
    const image = await readImageTrustedKeys(io.base);
    for (const p of image.problems) diagnostics.push(warningAt(input.baseSubject, "Unreadable keyring in the base image", `${p}; its keys are not trusted.`));
    return [...image.keys, ...(await fetchDeclaredKeys(input.apt, io.fetcher, diagnostics))];
  });
  const planned: PlannedRepository[] = [];

  for (const repo of declared) {
    let trusted: TrustedKey[] | undefined;
    if (repo.key) {
      try {
        trusted = await readKeyring(repo.key.value, `the key of repository "${repo.name}"`);
      } catch (e) {
        diagnostics.push(errorAt(repo.key.range, "Unreadable repository key", `${errorText(e)}.`, { hint: "Give an ASCII-armored OpenPGP public key, e.g. key = file(\"keys/repo.asc\")." }));
        continue;
      }
    } else if (repo.signedBy) {
      const r = await readImageKeyring(io.base, repo.signedBy);
      if (r.value === undefined) {
        diagnostics.push(errorAt(repo.uri.range, "Missing repository keyring", `${reasonOf(r)}.`, { hint: "Declare the key with key = file(\"keys/repo.asc\")." }));
        continue;
      }
      trusted = r.value;
    } else {
      trusted = await globalKeys();
    }
    planned.push({
      target: {
        uri: repo.uri.value,
        suite: repo.suite.value,
        components: repo.components,
        architectures: repo.architectures.length > 0 ? repo.architectures.filter((a) => a !== "all") : [input.architecture],
        binaries: repo.types.includes("deb"),
        sources: repo.types.includes("deb-src") ? "required" : "no",
        trusted,
      },
      where: repo.form === "block" ? `repository "${repo.name}"` : repo.name,
      subject: repo.range,
    });
  }
  // estaleiro added its `repositories` lines to the distribution's own; so do declared repositories here,
  // unless the declaration asks for them alone.
  if (replaceSources(input.apt)) return { repositories: merge(planned), diagnostics };

  const { entries, problems } = await readImageSources(io.base);
  for (const p of problems) diagnostics.push(warningAt(input.baseSubject, "Unreadable apt source in the base image", `${p.file}:${p.line}: ${p.message}; it is ignored.`));
  for (const e of entries) {
    const where = `${e.file}:${e.line}`;
    const shape = repositoryUriProblem(e.uri) ?? suiteProblem(e.suite) ?? e.components.map(componentProblem).find((p) => p !== undefined);
    if (shape !== undefined) {
      diagnostics.push(warningAt(input.baseSubject, "Unreadable apt source in the base image", `${where}: ${shape}; it is ignored.`));
      continue;
    }
    if (e.trusted) {
      diagnostics.push(
        errorAt(input.baseSubject, "Unverified repository", `${where} marks ${e.uri} as trusted=yes; slipway verifies every repository.`, {
          hint: "Declare the repository with its key in an apt { repository … } block, and set replace_sources = true so that only declared repositories are read.",
        }),
      );
      continue;
    }
    const trusted = await keysFor(e.signedBy, io.base, globalKeys);
    if (trusted.value === undefined) {
      diagnostics.push(errorAt(input.baseSubject, "Missing repository keyring", `${where}: ${reasonOf(trusted)}.`));
      continue;
    }
    planned.push({
      target: {
        uri: e.uri,
        suite: e.suite,
        components: e.components,
        architectures: e.architectures.length > 0 ? e.architectures.filter((a) => a !== "all") : [input.architecture],
        binaries: e.types.includes("deb"),
        sources: e.types.includes("deb-src") ? "required" : "if-listed",
        trusted: trusted.value,
      },
      where,
      ...(input.baseSubject ? { subject: input.baseSubject } : {}),
    });
  }
  if (planned.length === 0 && diagnostics.every((d) => d.severity !== "error")) {
    diagnostics.push(errorAt(input.baseSubject, "No apt repository", "The base image lists no apt sources, and the declaration declares no repository.", { hint: 'Add apt { repository "name" { uri, suite, components, key } }.' }));
  }
  return { repositories: merge(planned), diagnostics };
}

async function keysFor(
  signedBy: SignedBy | undefined,
  base: ImageFiles,
  globalKeys: () => Promise<TrustedKey[]>,
): Promise<Result<TrustedKey[] | undefined>> {
  if (!signedBy) return { value: await globalKeys(), diagnostics: [] };
  if (signedBy.kind === "inline") {
    try {
      return { value: await readKeyring(signedBy.armored, "an inline Signed-By key"), diagnostics: [] };
    } catch (e) {
      return failure("Missing repository keyring", errorText(e));
    }
  }
  if (signedBy.kind === "fingerprints") {
    const all = await globalKeys();
    return { value: all.filter((k) => signedBy.fingerprints.some((f) => keyMatches(k, f))), diagnostics: [] };
  }
  const keys: TrustedKey[] = [];
  for (const path of signedBy.paths) {
    const r = await readImageKeyring(base, path);
    if (r.value === undefined) return r;
    keys.push(...r.value);
  }
  return { value: keys, diagnostics: [] };
}

/** estaleiro's `key "name" { uri }` blocks: fetched, checked against `sha256` when given, else a warning. */
async function fetchDeclaredKeys(apt: readonly Apt[], fetcher: Fetcher, diagnostics: Diagnostic[]): Promise<TrustedKey[]> {
  const keys: TrustedKey[] = [];
  for (const key of apt.flatMap((a) => a.keys)) {
    try {
      const sha256 = key.sha256?.value.toLowerCase();
      const bytes = await fetcher.fetch(key.uri.value, sha256 ? { sha256 } : undefined);
      if (!sha256) {
        const actual = createHash("sha256").update(bytes).digest("hex");
        diagnostics.push(warningAt(key.uri.range, "Key fetched without a checksum", `The key at ${key.uri.value} was trusted without verifying its bytes.`, { hint: `Add sha256 = "${actual}" to pin the key that was fetched.` }));
      }
      keys.push(...(await readKeyring(bytes, key.uri.value)));
    } catch (e) {
      const subject = isFetchError(e) && e.kind === "mismatch" ? (key.sha256?.range ?? key.uri.range) : key.uri.range;
      diagnostics.push(errorAt(subject, "Cannot use key", `${isFetchError(e) ? `${e.url}: ${e.reason}` : errorText(e)}.`));
    }
  }
  return keys;
}

/** One target per URI and suite: `deb` and `deb-src` lines of the same repository share one InRelease. */
function merge(planned: PlannedRepository[]): PlannedRepository[] {
  const out: PlannedRepository[] = [];
  for (const p of planned) {
    const key = (t: RepositoryTarget) => `${t.uri.replace(/\/+$/, "")} ${t.suite}`;
    const i = out.findIndex((o) => key(o.target) === key(p.target));
    if (i < 0) {
      out.push(p);
      continue;
    }
    const a = out[i]!.target;
    const b = p.target;
    const rank = { no: 0, "if-listed": 1, required: 2 } as const;
    out[i] = {
      ...out[i]!,
      target: {
        ...a,
        components: [...new Set([...a.components, ...b.components])],
        architectures: [...new Set([...a.architectures, ...b.architectures])],
        binaries: a.binaries || b.binaries,
        sources: rank[a.sources] >= rank[b.sources] ? a.sources : b.sources,
        trusted: [...a.trusted, ...b.trusted.filter((k) => !a.trusted.some((t) => t.fingerprint === k.fingerprint))],
      },
    };
  }
  return out;
}

/** `replace_sources = true` in any apt block of the image: only the declared repositories are read. */
export function replaceSources(apt: readonly Apt[]): boolean {
  return apt.some((a) => a.replaceSources?.value === true);
}

function lazy<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= f());
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
