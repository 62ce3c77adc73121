import type { Diagnostic, SourceFile } from "../../grammar/index.js";
import { base64, declarationLocation, type Location } from "./answer.js";

/** `docker buildx build --call check`. */
export const LINT = "frontend.lint";

/**
 * BuildKit's `lint.LintResults` for `--call check`: the warnings a build of the declaration would show
 * before it resolves anything (the checks, plain-HTTP downloads, unused steps and build arguments, …),
 * located in the declaration, its only source. A declaration with errors fails the request with the
 * located errors, as a build does, rather than putting one of them in `buildError`.
 */
export interface LintResults {
  readonly warnings: readonly { readonly ruleName: string; readonly detail?: string; readonly location: Location | { readonly sourceIndex: -1 } }[];
  readonly sources: readonly { readonly filename: string; readonly data: string; readonly language: string }[];
}

export function lintResults(file: SourceFile, warnings: readonly Diagnostic[]): LintResults {
  return {
    warnings: warnings.map((d) => {
      const detail = [d.detail, d.hint].filter((x): x is string => Boolean(x)).join(" ");
      return {
        ruleName: d.summary,
        ...(detail && { detail }),
        // BuildKit prints no snippet for a negative index
        location: d.subject?.file === file.name ? declarationLocation(d.subject) : { sourceIndex: -1 as const },
      };
    }),
    sources: [{ filename: file.name, data: base64(file.text), language: "HCL" }],
  };
}

/** What `result.txt` holds for clients that only print it: one paragraph per warning (no snippets). */
export function printLint(results: LintResults): string {
  return results.warnings
    .map((w) => {
      const line = "ranges" in w.location ? `${results.sources[0]!.filename}:${w.location.ranges[0]!.start.line}: ` : "";
      return `\nWARNING: ${w.ruleName}\n${line}${w.detail ?? ""}\n`;
    })
    .join("");
}
