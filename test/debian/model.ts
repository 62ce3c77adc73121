import type { Apt, AptKey, Package, Repository } from "../../grammar/model/declaration.js";
import type { Range } from "../../grammar/source/pos.js";

/**
 * Declaration model values for tests of the Debian machinery, with one line per declared item in a
 * pretend `slipway.hcl`, so diagnostics can be checked for the line they point at.
 */
export const declarationFile = "slipway.hcl";

export function lineRange(line: number, column = 3, length = 10): Range {
  const offset = line * 100 + column;
  return {
    file: declarationFile,
    start: { line, column, offset },
    end: { line, column: column + length, offset: offset + length },
  };
}

export interface PackageSpec {
  readonly name: string;
  readonly version?: string;
  readonly vcs?: { repository: string; ref: string };
}

/** `package "name" { version = "…" }` declared on `line`. */
export function packageDecl(spec: PackageSpec | string, line: number): Package {
  const s = typeof spec === "string" ? { name: spec } : spec;
  return {
    name: { value: s.name, range: lineRange(line, 11, s.name.length + 2) },
    ...(s.version ? { version: { value: s.version, range: lineRange(line + 1, 15, s.version.length + 2) } } : {}),
    ...(s.vcs
      ? {
          vcs: {
            type: { value: "git", range: lineRange(line + 2) },
            repository: { value: s.vcs.repository, range: lineRange(line + 2) },
            ref: { value: s.vcs.ref, range: lineRange(line + 2) },
            range: lineRange(line + 2),
          },
        }
      : {}),
    range: lineRange(line, 3, 40),
  };
}

export interface RepositorySpec {
  readonly name: string;
  readonly uri: string;
  readonly suite: string;
  readonly components: readonly string[];
  readonly key?: string;
  readonly types?: readonly ("deb" | "deb-src")[];
}

export function repositoryDecl(spec: RepositorySpec, line: number): Repository {
  return {
    name: spec.name,
    form: "block",
    types: spec.types ?? ["deb", "deb-src"],
    uri: { value: spec.uri, range: lineRange(line + 1) },
    suite: { value: spec.suite, range: lineRange(line + 2) },
    components: spec.components,
    architectures: [],
    ...(spec.key ? { key: { value: spec.key, range: lineRange(line + 3) } } : {}),
    range: lineRange(line, 3, 60),
  };
}

export interface KeySpec {
  readonly name: string;
  readonly uri: string;
  readonly sha256?: string;
}

/** `key "name" { uri = "…", sha256 = "…" }` declared on `line` (uri on the next line, sha256 after). */
export function keyDecl(spec: KeySpec, line: number): AptKey {
  return {
    name: { value: spec.name, range: lineRange(line) },
    uri: { value: spec.uri, range: lineRange(line + 1) },
    ...(spec.sha256 ? { sha256: { value: spec.sha256, range: lineRange(line + 2) } } : {}),
    range: lineRange(line, 3, 80),
  };
}

/**
 * An `apt { … }` block: repositories from line 2 (four lines each), keys from line 50 (three lines
 * each), packages from line 100 (three lines each).
 */
export function aptBlock(
  packages: readonly (PackageSpec | string)[],
  repositories: readonly RepositorySpec[] = [],
  installRecommends = false,
  keys: readonly KeySpec[] = [],
): Apt {
  return {
    range: lineRange(1, 3, 200),
    repositories: repositories.map((r, i) => repositoryDecl(r, 2 + i * 4)),
    keys: keys.map((k, i) => keyDecl(k, 50 + i * 3)),
    packages: packages.map((p, i) => packageDecl(p, 100 + i * 3)),
    ...(installRecommends ? { installRecommends: { value: true, range: lineRange(99) } } : {}),
  };
}
