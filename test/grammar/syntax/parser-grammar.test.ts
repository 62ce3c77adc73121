import { describe, expect, it } from "vitest";
import { HclParser } from "../../../grammar/syntax/parser.js";

describe("the HCL grammar", () => {
  // The shared parser skips chevrotain's grammar checks to start faster; they run here instead, so an
  // ambiguous or left-recursive rule still fails the build.
  it("passes chevrotain's grammar checks", () => {
    expect(() => new HclParser(true)).not.toThrow();
  });

  it("gives a validating and the shared, non-validating parser the same productions", () => {
    const names = (p: HclParser) => Object.keys(p.getGAstProductions()).sort();
    expect(names(new HclParser(false))).toEqual(names(new HclParser(true)));
    expect(names(new HclParser(false)).length).toBeGreaterThan(10);
  });
});
