import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { buildBom, writeEstaleiroYaml } from "../../frontend/bom/index.js";
import { estaleiroTree } from "../../frontend/bom/write-estaleiro.js";
import { blockYaml, writeBlockYaml } from "../../frontend/bom/yaml-block.js";
import { debianInputs, scratchInputs } from "./fixtures.js";

// bom.yaml's options: what the block writer must agree with `yaml` under
const OPTIONS = { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false } as const;

// Characters around which YAML's scalar styles change: indicators, colons and hashes next to spaces,
// quotes, digits and signs (numbers), dots (floats, `...`), control characters, non-ASCII.
const tricky = fc.constantFrom(..."ab0129 :#-?'\"\\.,~@%&*!|>[]{}()=+/_\te\u00e9\u0001\u2028".split(""), "true", "null", "0x1F", "0o7", ".inf", "1e5", "---", "...", "12", "3.134");
const scalarText = fc.array(tricky, { maxLength: 6 }).map((parts) => parts.join(""));
const keyText = fc.oneof(fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/), fc.constantFrom("true", "null", "12", "with space", "a:b", "-x", ""));

const bareKey = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/).filter((k) => !["true", "false", "null"].includes(k));

/** Trees the block writer must write itself: no multi-line string, null, undefined or nested sequence. */
const writable = fc.letrec<{ tree: Record<string, unknown>; value: unknown; item: unknown }>((tie) => ({
  tree: fc.dictionary(bareKey, tie("value"), { maxKeys: 5 }),
  value: fc.oneof(
    { depthSize: "small" },
    scalarText.filter((s) => !s.includes("\n")),
    fc.integer({ min: -1e6, max: 1e12 }),
    fc.boolean(),
    fc.array(tie("item"), { maxLength: 4 }),
    tie("tree"),
  ),
  item: fc.oneof({ depthSize: "small" }, scalarText.filter((s) => !s.includes("\n")), fc.integer(), tie("tree")),
}));

/** Anything a tree of plain data can hold. */
const anything = fc.letrec<{ tree: Record<string, unknown>; value: unknown }>((tie) => ({
  tree: fc.dictionary(keyText, tie("value"), { maxKeys: 5 }),
  value: fc.oneof(
    { depthSize: "small" },
    scalarText,
    scalarText.map((s) => `${s}\n${s}`),
    fc.double(),
    fc.constantFrom(null, undefined, -0, Number.NaN, 2 ** 60),
    fc.array(tie("value"), { maxLength: 4 }),
    tie("tree"),
  ),
}));

describe("block YAML writes what yaml's stringify writes", () => {
  test("for trees it writes itself: it writes them, and byte for byte the same", () => {
    fc.assert(
      fc.property(fc.dictionary(bareKey, writable.value, { minKeys: 1, maxKeys: 5 }), (tree) => {
        const written = writeBlockYaml(tree, OPTIONS);
        expect(written).toBeDefined();
        expect(written).toBe(stringify(tree, OPTIONS));
      }),
      { numRuns: 3000, seed: 20261207 },
    );
  });

  test("for any tree of plain data, with what it leaves to yaml", () => {
    fc.assert(
      fc.property(anything.tree, (tree) => {
        expect(blockYaml(tree, OPTIONS)).toBe(stringify(tree, OPTIONS));
      }),
      { numRuns: 3000, seed: 20261207 },
    );
  });

  test("leaves to yaml what it does not lay out itself", () => {
    expect(writeBlockYaml({ a: "two\nlines" }, OPTIONS)).toBeUndefined();
    expect(writeBlockYaml({ a: null }, OPTIONS)).toBeUndefined();
    expect(writeBlockYaml({ a: [[1]] }, OPTIONS)).toBeUndefined();
    expect(writeBlockYaml({ "a key": 1 }, OPTIONS)).toBeUndefined();
    expect(writeBlockYaml({ true: 1 }, OPTIONS)).toBeUndefined();
  });

  test("bom.yaml of every fixture is written by the block writer, as yaml would", () => {
    for (const inputs of [scratchInputs(), debianInputs()]) {
      const tree = estaleiroTree(buildBom(inputs));
      const written = writeBlockYaml(tree, OPTIONS);
      expect(written).toBeDefined();
      expect(written).toBe(stringify(tree, OPTIONS));
      expect(writeEstaleiroYaml(buildBom(inputs))).toBe(written);
    }
  });
});
