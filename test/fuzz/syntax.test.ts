import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateDeclaration } from "../../bench/generate-declaration.js";
import { hasErrors } from "../../grammar/source/diagnostic.js";
import { SourceFile } from "../../grammar/source/file.js";
import { format, parse } from "../../grammar/syntax/index.js";
import { allRanges, rangeProblem, withoutRanges } from "../grammar/syntax/helpers.js";
import { hclFile, mutated } from "./hcl-arbitrary.js";

/**
 * Property tests of the syntax layer, over generated files (valid, carelessly spaced), mutated real files
 * (mostly invalid) and random strings: 20,000 inputs per run in total. For every input: parse never throws
 * and takes under a second; every range in the AST and in the diagnostics is well-formed and inside the
 * file. For valid inputs: format is idempotent and keeps the AST (ranges aside) and the comments.
 */

const corpusDir = join(import.meta.dirname, "..", "grammar", "syntax", "corpus");
const seeds = [
  ...readdirSync(corpusDir).map((f) => readFileSync(join(corpusDir, f), "utf8")),
  readFileSync(join(import.meta.dirname, "..", "grammar", "syntax", "format", "messy.hcl"), "utf8"),
  generateDeclaration(3000, 7),
];

const LIMIT_MS = 1000;
const show = (input: string): string => JSON.stringify(input);

function timed<T>(what: string, input: string, f: () => T): T {
  const start = performance.now();
  let result: T;
  try {
    result = f();
  } catch (e) {
    throw new Error(`${what} threw on input ${show(input)}:\n${(e as Error).stack}`);
  }
  const ms = performance.now() - start;
  if (ms > LIMIT_MS) throw new Error(`${what} took ${ms.toFixed(0)} ms (limit ${LIMIT_MS}) on input ${show(input)}`);
  return result;
}

function checkRanges(value: unknown, file: SourceFile, input: string): void {
  for (const [path, range] of allRanges(value)) {
    const problem = rangeProblem(range, file);
    if (problem) throw new Error(`${path}: ${problem}, on input ${show(input)}`);
  }
}

/** The properties every input must have; returns whether it was valid. */
function check(input: string): boolean {
  const file = new SourceFile("fuzz.hcl", input);
  const parsed = timed("parse", input, () => parse(file));
  checkRanges(parsed.file, file, input);
  checkRanges(parsed.diagnostics, file, input);
  const formatted = timed("format", input, () => format(input, "fuzz.hcl"));
  if (hasErrors(parsed.diagnostics)) {
    if (formatted.text !== input) throw new Error(`format changed a file with errors: ${show(input)}`);
    return false;
  }
  const out = formatted.text;
  const again = timed("format (second time)", out, () => format(out, "fuzz.hcl"));
  if (again.text !== out) throw new Error(`format is not idempotent on ${show(input)}:\nfirst:  ${show(out)}\nsecond: ${show(again.text)}`);
  const reparsed = parse(new SourceFile("fuzz.hcl", out));
  if (reparsed.diagnostics.length > 0) throw new Error(`format output does not parse cleanly (${reparsed.diagnostics[0]!.summary}) for ${show(input)}:\n${show(out)}`);
  expect(withoutRanges(reparsed.file.body), `format changed the AST of ${show(input)} into ${show(out)}`).toEqual(withoutRanges(parsed.file.body));
  const comments = (f: typeof parsed.file) => f.comments.map((c) => (c.style === "block" ? c.text : c.text.trimEnd()));
  expect(comments(reparsed.file), `format changed the comments of ${show(input)}`).toEqual(comments(parsed.file));
  return true;
}

// Minutes, not the unit default of 60 s: on a loaded 2-core machine the mutation run alone took 73 s.
describe("syntax properties (20,000 inputs)", { timeout: 300_000 }, () => {
  it("generated files: valid, and format keeps them", () => {
    let valid = 0;
    fc.assert(
      fc.property(hclFile(2), (input) => {
        if (check(input)) valid++;
      }),
      { numRuns: 8000 },
    );
    // The generator is meant to write valid HCL; if most of it is not, it tests the wrong thing.
    expect(valid).toBeGreaterThan(7600);
  });

  it("mutated real files: parse never fails, ranges stay inside, format keeps what is still valid", () => {
    fc.assert(
      fc.property(mutated(seeds), (input) => {
        check(input);
      }),
      { numRuns: 10000 },
    );
  });

  it("random text", () => {
    const chars = fc.constantFrom(..."{}[]()\"'$%~=#/*<>-!.,:?\\\n\r\t abcEOT01é😀\u201c\u00a0".split(""), "${", "%{", "<<EOT\n", "\nEOT");
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 80 }), (input) => {
        check(input);
      }),
      { numRuns: 2000 },
    );
  });
});
