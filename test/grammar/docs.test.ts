// The language reference must cover the language: every block, attribute and function.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { STANDARD_FUNCTIONS } from "../../grammar/index.js";
import { schemaVocabulary } from "../../grammar/decode/index.js";

const reference = readFileSync(new URL("../../docs/declaration.md", import.meta.url), "utf8");

describe("docs/declaration.md", () => {
  it("documents every block type and attribute of the schema", () => {
    const vocabulary = schemaVocabulary();
    expect(vocabulary.length).toBeGreaterThan(40);
    expect(vocabulary.filter((name) => !new RegExp(`\`${name}[\` ="(]`).test(reference))).toEqual([]);
  });

  it("documents every function", () => {
    expect([...STANDARD_FUNCTIONS.keys()].filter((name) => !reference.includes(`\`${name}(`) && !reference.includes(`, \`${name}(`))).toEqual([]);
  });
});
