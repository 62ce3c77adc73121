import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { format } from "../../../grammar/syntax/index.js";
import { parseText, withoutRanges } from "./helpers.js";

const here = import.meta.dirname;
const corpus = readdirSync(join(here, "corpus")).filter((f) => f.endsWith(".hcl"));
const goldenInputs = readdirSync(join(here, "format")).filter((f) => f.endsWith(".hcl") && !f.endsWith(".golden.hcl"));
const read = (...path: string[]): string => readFileSync(join(here, ...path), "utf8");

describe("corpus: valid files", () => {
  it("has files to test", () => expect(corpus.length).toBeGreaterThanOrEqual(6));

  it.each(corpus)("%s parses without diagnostics and is in canonical form", (name) => {
    const text = read("corpus", name);
    expect(parseText(text, name).diagnostics).toEqual([]);
    expect(format(text, name).text).toBe(text);
  });
});

describe("format: golden files", () => {
  it.each(goldenInputs)("%s", (name) => {
    const input = read("format", name);
    const golden = read("format", name.replace(/\.hcl$/, ".golden.hcl"));
    const out = format(input, name);
    expect(out.diagnostics).toEqual([]);
    expect(out.text).toBe(golden);
    expect(format(out.text, name).text).toBe(out.text);
    expect(withoutRanges(parseText(out.text).file.body)).toEqual(withoutRanges(parseText(input).file.body));
  });
});
