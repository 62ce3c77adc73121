import type { Located, Repository } from "../model/declaration.js";
import type { Range } from "../source/pos.js";

export type RepositoryLineResult =
  | { readonly ok: true; readonly repository: Omit<Repository, "name" | "form" | "range" | "key"> }
  | { readonly ok: false; readonly message: string };

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const ARCHITECTURE = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Parses a one-line sources.list entry, estaleiro's `repositories` form:
 * `deb URI SUITE COMPONENT…`, `deb-src …`, `deb [arch=amd64,arm64 signed-by=/usr/share/keyrings/x.gpg] URI …`.
 * A suite ending in `/` is a flat repository and takes no components. Every part is located at `range`
 * (the string it came from).
 */
export function parseRepositoryLine(line: string, range: Range): RepositoryLineResult {
  let rest = line.trim();
  const typeMatch = /^(\S+)\s*/.exec(rest);
  const type = typeMatch?.[1];
  if (type !== "deb" && type !== "deb-src") {
    return fail(`a sources line starts with "deb" or "deb-src", not ${type ? `"${type}"` : "nothing"}`);
  }
  rest = rest.slice(typeMatch![0].length);

  let architectures: string[] = [];
  let signedBy: string | undefined;
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0) return fail('the options starting with "[" have no closing "]"');
    for (const option of rest.slice(1, close).trim().split(/\s+/).filter(Boolean)) {
      const eq = option.indexOf("=");
      const key = eq < 0 ? option : option.slice(0, eq);
      const value = eq < 0 ? "" : option.slice(eq + 1);
      if (key === "arch") {
        architectures = value.split(",").filter(Boolean);
        const bad = architectures.find((a) => !ARCHITECTURE.test(a));
        if (architectures.length === 0 || bad !== undefined) return fail(`"arch=${value}" does not list Debian architectures (e.g. arch=amd64,arm64)`);
      } else if (key === "signed-by") {
        if (value === "") return fail("signed-by= needs a keyring path");
        signedBy = value;
      } else if (key === "trusted") {
        return fail('"trusted" turns off signature checks, which slipway does not allow; give the repository a key instead');
      } else {
        return fail(`the option "${key}" is not supported (use arch= or signed-by=)`);
      }
    }
    rest = rest.slice(close + 1).trim();
  }

  const [uri, suite, ...components] = rest.split(/\s+/).filter(Boolean);
  if (uri === undefined) return fail("the line has no repository URI");
  if (!SCHEME.test(uri)) return fail(`"${uri}" is not a URI (it needs a scheme such as http:// or https://)`);
  if (suite === undefined) return fail(`the line has no suite after the URI (e.g. "bookworm")`);
  const problem = componentsProblem(suite, components);
  if (problem) return fail(problem);
  return {
    ok: true,
    repository: {
      types: [type],
      uri: located(uri, range),
      suite: located(suite, range),
      components,
      architectures,
      ...(signedBy !== undefined ? { signedBy } : {}),
    },
  };
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

function fail(message: string): RepositoryLineResult {
  return { ok: false, message };
}
