// The language corpus, in the style of HCL's specsuite: adding a case is adding files, not code.
//   invalid/NAME.hcl + NAME.diag.json: every expected diagnostic, in order, as { summary, at: "LINE:COLUMN",
//     severity? (default error), message? (a substring of summary, detail or hint) }.
//   valid/NAME.hcl + NAME.model.json: the decoded model without ranges (what `slipway print` shows);
//     an optional NAME.diag.json lists the warnings it must produce.
// Either may have NAME.options.json: { vars: { NAME: VALUE }, files: { "path/in/context": "text" } }.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { declarationToJson, renderDiagnostics } from "../../grammar/index.js";
import { caseNames, loadCase, readJson } from "./corpus.js";

interface ExpectedDiagnostic {
  readonly summary: string;
  readonly at: string;
  readonly severity?: "error" | "warning";
  readonly message?: string;
}

const invalidDir = new URL("./invalid/", import.meta.url).pathname;
const validDir = new URL("./valid/", import.meta.url).pathname;

describe("invalid declarations", () => {
  const names = caseNames(invalidDir);

  it("has at least 40 cases, each with its expected diagnostics", () => {
    expect(names.length).toBeGreaterThanOrEqual(40);
    const files = new Set(readdirSync(invalidDir));
    expect(names.filter((n) => !files.has(`${n}.diag.json`))).toEqual([]);
    const known = new Set(names.flatMap((n) => [`${n}.hcl`, `${n}.diag.json`, `${n}.options.json`]));
    expect([...files].filter((f) => !known.has(f))).toEqual([]);
  });

  it.each(names)("%s", (name) => {
    const expected = readJson<ExpectedDiagnostic[]>(invalidDir, `${name}.diag.json`)!;
    expect(expected.length).toBeGreaterThan(0);
    const { file, result } = loadCase(invalidDir, name);
    const got = result.diagnostics.map((d) => ({
      severity: d.severity,
      summary: d.summary,
      at: d.subject ? `${d.subject.start.line}:${d.subject.start.column}` : "-",
      text: [d.summary, d.detail, d.hint].filter(Boolean).join("\n"),
    }));
    const context = `\n${renderDiagnostics(result.diagnostics, [file])}`;
    expect(got.map((g) => `${g.severity} ${g.at} ${g.summary}`), context).toEqual(
      expected.map((e) => `${e.severity ?? "error"} ${e.at} ${e.summary}`),
    );
    expected.forEach((e, i) => {
      if (e.message !== undefined) expect(got[i]!.text, context).toContain(e.message);
    });
    // The declaration is there exactly when nothing is an error.
    expect(result.value !== undefined).toBe(expected.every((e) => e.severity === "warning"));
  });
});

describe("valid declarations", () => {
  const names = caseNames(validDir);

  it("has cases, each with its expected model", () => {
    expect(names.length).toBeGreaterThan(0);
    const files = new Set(readdirSync(validDir));
    expect(names.filter((n) => !files.has(`${n}.model.json`))).toEqual([]);
  });

  it.each(names)("%s", (name) => {
    const { file, result } = loadCase(validDir, name);
    const warnings = readJson<ExpectedDiagnostic[]>(validDir, `${name}.diag.json`) ?? [];
    expect(
      result.diagnostics.map((d) => `${d.severity} ${d.subject?.start.line}:${d.subject?.start.column} ${d.summary}`),
      renderDiagnostics(result.diagnostics, [file]),
    ).toEqual(warnings.map((w) => `${w.severity ?? "warning"} ${w.at} ${w.summary}`));
    expect(result.value).toBeDefined();
    expect(declarationToJson(result.value!)).toEqual(readJson(validDir, `${name}.model.json`));
  });
});
