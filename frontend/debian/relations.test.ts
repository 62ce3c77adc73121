import { describe, expect, it } from "vitest";
import { formatGroup, parseRelations } from "./relations.js";

describe("parseRelations", () => {
  it("parses groups, alternatives, versions and qualifiers", () => {
    const { groups, errors } = parseRelations("libc6 (>= 2.34), mawk | awk, python3:any (>= 3.11~), perl:native");
    expect(errors).toEqual([]);
    expect(groups).toEqual([
      [{ name: "libc6", operator: ">=", version: "2.34" }],
      [{ name: "mawk" }, { name: "awk" }],
      [{ name: "python3", archQualifier: "any", operator: ">=", version: "3.11~" }],
      [{ name: "perl", archQualifier: "native" }],
    ]);
  });

  it("handles every operator, odd spacing and continuation newlines", () => {
    const { groups } = parseRelations("a(<<1),\n b ( <= 2 ) ,c (=3),d(>=4) , e (>> 5)");
    expect(groups.map((g) => g[0]!.operator)).toEqual(["<<", "<=", "=", ">=", ">>"]);
    expect(groups.map((g) => g[0]!.version)).toEqual(["1", "2", "3", "4", "5"]);
  });

  it("reads the deprecated < and > as <= and >=", () => {
    const { groups } = parseRelations("a (< 1), b (> 2)");
    expect(groups).toEqual([[{ name: "a", operator: "<=", version: "1" }], [{ name: "b", operator: ">=", version: "2" }]]);
  });

  it("drops alternatives whose architecture restriction excludes the target", () => {
    const text = "libseccomp2 [amd64 arm64], libfoo [!amd64] | libbar, baz [!i386], qux <!nocheck>";
    const { groups } = parseRelations(text, { architecture: "amd64" });
    expect(groups.map(formatGroup)).toEqual(["libseccomp2", "libbar", "baz", "qux"]);
    expect(parseRelations(text, { architecture: "i386" }).groups.map(formatGroup)).toEqual(["libfoo | libbar", "qux"]);
  });

  it("reports malformed relations and keeps the rest", () => {
    const { groups, errors } = parseRelations("good, Bad Name (>= 1), also-good (>= )");
    expect(groups.map(formatGroup)).toEqual(["good"]);
    expect(errors.map((e) => e.text)).toEqual(["Bad Name (>= 1)", "also-good (>= )"]);
  });

  it("returns nothing for an absent or empty field", () => {
    expect(parseRelations(undefined).groups).toEqual([]);
    expect(parseRelations(" , ").groups).toEqual([]);
  });
});
