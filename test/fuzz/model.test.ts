import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateDeclaration } from "../../bench/generate-declaration.js";
import { declarationToJson, format, loadDeclaration, SourceFile } from "../../grammar/index.js";
import { parseWithTokens } from "../../grammar/syntax/parse.js";
import * as T from "../../grammar/syntax/tokens.js";
import { tokenEnd } from "../../grammar/syntax/token.js";

/**
 * format keeps the meaning of a declaration: the evaluated, decoded model (without ranges) of a valid
 * declaration is the same before and after formatting. Inputs are real declarations (corpus files that
 * load, and generated ones) whose layout is first disturbed in ways that keep their meaning — random
 * spacing between tokens and at line starts, extra blank lines, added end-of-line comments — so that
 * format has real work to do. The disturbed file must load to the same model too.
 */

const corpus = join(import.meta.dirname, "..", "grammar", "syntax", "corpus");
const vars = new Map([
  ["estaleiro-commit", "0123abc"],
  ["ref", "v1.0.0"],
  ["registry", "127.0.0.1:5000"],
  ["variant", "slim"],
  ["suite", "bookworm"],
]);
const readFile = (path: string) => ({ kind: "text" as const, text: `contents of ${path}` });

function model(text: string): unknown {
  const r = loadDeclaration(new SourceFile("model.hcl", text), { vars, readFile });
  return r.value === undefined ? { errors: r.diagnostics.map((d) => `${d.subject?.start.line} ${d.summary}`) } : declarationToJson(r.value);
}

/** Changes the layout of a valid file without changing its meaning, driven by `choices`. */
function disturb(text: string, choices: readonly number[]): string {
  const { tokens } = parseWithTokens(new SourceFile("d.hcl", text)).tokens;
  let c = 0;
  const choose = (n: number): number => (choices.length === 0 ? 0 : choices[c++ % choices.length]! % n);
  let out = "";
  let pos = 0;
  let depth = 0; // inside quoted strings and heredocs nothing is touched
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const type = t.tokenType;
    const gap = text.slice(pos, t.startOffset);
    if (depth === 0 && /^[ \t]*$/.test(gap) && tokens[i - 1]?.tokenType !== T.HeredocClose) {
      const spaces = ["", " ", "  ", "\t", "    "][choose(5)]!;
      out += gap.length > 0 && spaces === "" ? " " : spaces;
      if (type === T.Newline && choose(4) === 0) out += " # disturbed";
    } else out += gap;
    out += t.image;
    if (depth === 0 && type === T.Newline && choose(3) === 0) out += "\n";
    if (type === T.OQuote || type === T.HeredocOpen) depth++;
    else if (type === T.CQuote || type === T.HeredocClose) depth--;
    pos = tokenEnd(t);
  }
  return out + text.slice(pos);
}

const seeds = ["estaleiro.hcl", "docker-image-resource.hcl", "slipway.hcl", "ext-interpolated-labels.hcl"].map((f) => readFileSync(join(corpus, f), "utf8"));
const declaration = fc.oneof(
  fc.constantFrom(...seeds),
  fc.tuple(fc.integer({ min: 1500, max: 6000 }), fc.integer({ min: 1, max: 1_000_000 })).map(([size, seed]) => generateDeclaration(size, seed)),
);

describe("format keeps the evaluated model", () => {
  it("of every corpus declaration", () => {
    for (const text of seeds) {
      const before = model(text);
      expect(before).not.toHaveProperty("errors");
      expect(model(format(text, "model.hcl").text)).toEqual(before);
    }
  });

  it("of declarations with a disturbed layout (400 inputs)", () => {
    fc.assert(
      fc.property(declaration, fc.array(fc.nat(), { minLength: 1, maxLength: 64 }), (text, choices) => {
        const before = model(text);
        expect(before).not.toHaveProperty("errors");
        const disturbed = disturb(text, choices);
        expect(model(disturbed), `disturbing changed the model:\n${disturbed}`).toEqual(before);
        const formatted = format(disturbed, "model.hcl");
        expect(formatted.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(model(formatted.text), `format changed the model of:\n${disturbed}\ninto:\n${formatted.text}`).toEqual(before);
      }),
      { numRuns: 400 },
    );
  });

  it("the check can fail: a changed value changes the model", () => {
    const text = seeds[0]!;
    expect(model(text.replace('"jq"', '"curl"'))).not.toEqual(model(text));
  });
});
