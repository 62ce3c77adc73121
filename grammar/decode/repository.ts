import type { Located, Repository } from "../model/declaration.js";
import { errorAt, type Result } from "../source/diagnostic.js";
import type { Range } from "../source/pos.js";

/** What one sources line says: the repository without the name, form, range and key its block gives it. */
export type RepositoryLine = Omit<Repository, "name" | "form" | "range" | "key">;

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const ARCHITECTURE = /^[a-z0-9][a-z0-9-]*$/;
// `signed-by=` takes absolute keyring paths or key fingerprints (optionally with apt's `!` suffix).
const SIGNED_BY = /^(?:\/[A-Za-z0-9._+~\/-]+|[0-9A-Fa-f]{16,40}!?)$/;

/**
 * Parses a one-line sources.list entry, estaleiro's `repositories` form:
 * `deb URI SUITE COMPONENT…`, `deb-src …`, `deb [arch=amd64,arm64 signed-by=/usr/share/keyrings/x.gpg] URI …`.
 * A suite ending in `/` is a flat repository and takes no components. Every part is located at `range`
 * (the string it came from); so is the error when the line is not one (with `hint`, when given).
 */
export function parseRepositoryLine(line: string, range: Range, options: { readonly hint?: string } = {}): Result<RepositoryLine | undefined> {
  const read = readRepositoryLine(line, range);
  if (typeof read !== "string") return { value: read, diagnostics: [] };
  const detail = `${read[0]!.toUpperCase()}${read.slice(1)}.`;
  return { value: undefined, diagnostics: [errorAt(range, "Invalid repository line", detail, options.hint !== undefined ? { hint: options.hint } : {})] };
}

/** The repository a line names, or what is wrong with the line. */
function readRepositoryLine(line: string, range: Range): RepositoryLine | string {
  // One string is one sources line: a newline (or any other control character) would make apt read
  // the rest as another line, so it is refused rather than split.
  const control = controlCharacter(line);
  if (control !== undefined) return `a sources line is one line of text, but this one contains ${control}`;
  let rest = line.trim();
  const typeMatch = /^(\S+)\s*/.exec(rest);
  const type = typeMatch?.[1];
  if (type !== "deb" && type !== "deb-src") {
    return `a sources line starts with "deb" or "deb-src", not ${type ? `"${type}"` : "nothing"}`;
  }
  rest = rest.slice(typeMatch![0].length);

  let architectures: string[] = [];
  let signedBy: string | undefined;
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0) return 'the options starting with "[" have no closing "]"';
    for (const option of rest.slice(1, close).trim().split(/\s+/).filter(Boolean)) {
      const eq = option.indexOf("=");
      const key = eq < 0 ? option : option.slice(0, eq);
      const value = eq < 0 ? "" : option.slice(eq + 1);
      if (key === "arch") {
        architectures = value.split(",").filter(Boolean);
        const bad = architectures.find((a) => !ARCHITECTURE.test(a));
        if (architectures.length === 0 || bad !== undefined) return `"arch=${value}" does not list Debian architectures (e.g. arch=amd64,arm64)`;
      } else if (key === "signed-by") {
        if (value === "") return "signed-by= needs a keyring path";
        const bad = value.split(",").find((v) => !SIGNED_BY.test(v) || v.split("/").includes(".."));
        if (bad !== undefined) return `signed-by=${value}: "${bad}" is neither an absolute keyring path nor a key fingerprint`;
        signedBy = value;
      } else if (key === "trusted") {
        return '"trusted" turns off signature checks, which slipway does not allow; give the repository a key instead';
      } else {
        return `the option "${key}" is not supported (use arch= or signed-by=)`;
      }
    }
    rest = rest.slice(close + 1).trim();
  }

  const [uri, suite, ...components] = rest.split(/\s+/).filter(Boolean);
  if (uri === undefined) return "the line has no repository URI";
  if (suite === undefined) return `the line has no suite after the URI (e.g. "bookworm")`;
  const problem = repositoryUriProblem(uri) ?? suiteProblem(suite) ?? components.map(componentProblem).find((p) => p !== undefined) ?? componentsProblem(suite, components);
  if (problem) return problem;
  return {
    types: [type],
    uri: located(uri, range),
    suite: located(suite, range),
    components,
    architectures,
    ...(signedBy !== undefined ? { signedBy } : {}),
  };
}

/**
 * Why `uri` cannot be a repository slipway reads, if it cannot: slipway fetches indexes and packages over
 * http or https (a `file:`, `cdrom:` or `copy:` repository would be a path on whatever machine runs the
 * frontend), with no credentials (they would be written into the lock and the BOM) and no query or
 * fragment (apt appends `dists/…` and `pool/…` paths to the URI).
 */
export function repositoryUriProblem(uri: string): string | undefined {
  const control = controlCharacter(uri);
  if (control !== undefined) return `the repository URI contains ${control}`;
  if (!SCHEME.test(uri)) return `"${uri}" is not a URI (it needs a scheme such as http:// or https://)`;
  // By hand rather than with URL, which grammar/ (no node: imports, no DOM) does not have.
  const m = /^([a-z][a-z0-9+.-]*):(\/\/([^/?#]*))?([^?#]*)(.*)$/i.exec(uri);
  if (!m) return `"${uri}" is not a valid URI`;
  const [, scheme, , authority, path, rest] = m;
  const protocol = scheme!.toLowerCase();
  if (protocol !== "http" && protocol !== "https") return `"${uri}" is a ${protocol}: repository; slipway reads repositories over http:// or https:// only`;
  if (authority === undefined || authority === "") return `"${uri}" names no host`;
  if (authority.includes("@")) return `"${uri}" holds credentials, which would be written into the lock and the BOM; slipway reads repositories anonymously`;
  if (!/^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(authority)) return `"${uri}" does not name a valid host`;
  if (rest !== "") return `"${uri}" has a query or a fragment, which apt's paths (dists/…, pool/…) cannot be appended to`;
  if (path!.split("/").some((s) => s === ".." || s === "." || /%2e|%2f/i.test(s))) return `"${uri}" has "." or ".." in its path`;
  return undefined;
}

// A suite or component is a path under `dists/`: letters, digits and `._~+-`, in `/`-separated parts.
const PATH_PART = /^[A-Za-z0-9_~+-][A-Za-z0-9._~+-]*$/;

/** Why `suite` is not a suite apt would read under `dists/` (or a flat repository's path), if it is not. */
export function suiteProblem(suite: string): string | undefined {
  const control = controlCharacter(suite);
  if (control !== undefined) return `the suite contains ${control}`;
  if (suite === "./" || suite === "/") return suite === "/" ? `the suite "/" is not a path under the repository` : undefined;
  const parts = suite.replace(/\/$/, "").split("/");
  if (suite.startsWith("/") || parts.some((p) => p === "" || p === "." || p === ".." || !PATH_PART.test(p))) {
    return `the suite "${suite}" is not a suite name (letters, digits and ._~+-, in parts separated by "/", no "." or ".." part)`;
  }
  return undefined;
}

/** Why `component` is not a component name (`main`, `non-free-firmware`, `updates/main`), if it is not. */
export function componentProblem(component: string): string | undefined {
  const control = controlCharacter(component);
  if (control !== undefined) return `a component contains ${control}`;
  const parts = component.split("/");
  if (parts.some((p) => p === "" || p === "." || p === ".." || !PATH_PART.test(p))) {
    return `the component "${component}" is not a component name (letters, digits and ._~+-, in parts separated by "/", no "." or ".." part)`;
  }
  return undefined;
}

/** The first control character of `text`, described, e.g. `a newline (U+000A)`. */
function controlCharacter(text: string): string | undefined {
  const m = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.exec(text);
  if (!m) return undefined;
  const code = m[0].charCodeAt(0);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  const names: Record<number, string> = { 0: "a NUL byte", 9: "a tab", 10: "a newline", 13: "a carriage return", 27: "an escape character" };
  return `${names[code] ?? "a control character"} (${hex})`;
}

/** apt's rule: a flat suite (ending in `/`) has no components, any other suite has at least one. */
export function componentsProblem(suite: string, components: readonly string[]): string | undefined {
  if (suite.endsWith("/") && components.length > 0) return `the suite "${suite}" ends with "/" (a flat repository), so it takes no components`;
  if (!suite.endsWith("/") && components.length === 0) return `the suite "${suite}" needs at least one component (e.g. main)`;
  return undefined;
}

function located<T>(value: T, range: Range): Located<T> {
  return { value, range };
}
