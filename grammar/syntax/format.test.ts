import { describe, expect, it } from "vitest";
import { parseText, withoutRanges } from "../../test/grammar/syntax/helpers.js";
import { format } from "./index.js";

/** Formats, and checks the two promises every formatting makes: idempotent, and the same AST. */
function fmt(input: string): string {
  const r = format(input, "test.hcl");
  expect(r.diagnostics).toEqual([]);
  expect(format(r.text, "test.hcl").text).toBe(r.text);
  expect(withoutRanges(parseText(r.text).file.body)).toEqual(withoutRanges(parseText(input).file.body));
  return r.text;
}

describe("format", () => {
  const cases: [string, string, string][] = [
    ["two-space indentation, tabs and odd indents", "a {\n\tb {\n   c = 1\n\t}\n}\n", "a {\n  b {\n    c = 1\n  }\n}\n"],
    ["spaces around = and operators", "a=1+2*x\nb= !c&&d\n", "a = 1 + 2 * x\nb = !c && d\n"],
    ["unary minus stays attached", "a = - 1\nb = a -1\nc = a - -b\n", "a = -1\nb = a - 1\nc = a - -b\n"],
    ["commas, brackets and calls", "a = f( 1 ,2 , [ 3,4 ] )\n", "a = f(1, 2, [3, 4])\n"],
    ["expansion, index, attribute, splat", "a = f(x ...)\nb = c [0] . d\ne = f [*] .g\nh = i . * . j\n", "a = f(x...)\nb = c[0].d\ne = f[*].g\nh = i.*.j\n"],
    ["legacy indexes", "a = b.0.c\nd = e.0 .1\n", "a = b.0.c\nd = e.0 .1\n"],
    ["conditionals and for-expressions", "a = x?1:2\nb = [for k,v in m:v if k]\nc = {for k,v in m:k=>v...}\n", "a = x ? 1 : 2\nb = [for k, v in m : v if k]\nc = { for k, v in m : k => v... }\n"],
    ["object items: = aligned, : tight", 'a = {\n  k = 1\n  long_key = 2\n  "q" : 3\n}\n', 'a = {\n  k        = 1\n  long_key = 2\n  "q": 3\n}\n'],
    ["a : stays tight after a lone CR or a BOM, which the scanner skips as spaces", 'a = {\n  "q"\r : 3\n  "r"\ufeff: 4\n}\n', 'a = {\n  "q": 3\n  "r": 4\n}\n'],
    ["one-line objects", "a = {k=1,l=2}\nb = { }\n", "a = { k = 1, l = 2 }\nb = {}\n"],
    ["= aligned in runs of single-line attributes", "a = 1\nlonger = 2\n\nb = 3\nx {}\ncc = 4\nd = 5\n", "a      = 1\nlonger = 2\n\nb = 3\nx {}\ncc = 4\nd  = 5\n"],
    ["a multi-line value ends the run", "a = 1\nbb = [\n  1,\n]\nccc = 2\n", "a = 1\nbb = [\n  1,\n]\nccc = 2\n"],
    ["blank lines: runs collapse, none inside brackets or at the ends", "\n\na = 1\n\n\n\nb {\n\n  c = 1\n\n}\n\n\n", "a = 1\n\nb {\n  c = 1\n}\n"],
    ["empty blocks and brackets close up", 'x {\n}\ny "l" {\n\n}\na = [\n]\nb = f(\n)\n', 'x {}\ny "l" {}\na = []\nb = f()\n'],
    ["one-line blocks stay one-line", 'package "jq" {  }\nx {a=1}\n', 'package "jq" {}\nx { a = 1 }\n'],
    ["labels", 'a   b  "c"   {\n}\n', 'a b "c" {}\n'],
    ["comments stay in place", "# lead\na = 1 # trail\n  // own line\nb {\n    # inside\n  c = 2 /* inline */ + 1\n}\n", "# lead\na = 1 # trail\n// own line\nb {\n  # inside\n  c = 2 /* inline */ + 1\n}\n"],
    ["a comment before a closing brace is indented as content", "b {\n  c = 1\n# last\n}\n", "b {\n  c = 1\n  # last\n}\n"],
    ["multi-line block comments keep their inner lines", "x {\n      /* one\n   two */\n}\n", "x {\n  /* one\n   two */\n}\n"],
    ["heredocs are untouched", "x {\n    a = <<-EOT\n      keep   this\n         exactly  \n    EOT\n}\n", "x {\n  a = <<-EOT\n      keep   this\n         exactly  \n    EOT\n}\n"],
    ["strings are untouched", 'a = "${ x  +  y }  %{ if  z }q%{ endif }"\n', 'a = "${ x  +  y }  %{ if  z }q%{ endif }"\n'],
    ["brackets opened together close together", "a = merge({\nb = 1\n}, {\nc = 2\n})\nd = f([\n1,\n])\n", "a = merge({\n  b = 1\n}, {\n  c = 2\n})\nd = f([\n  1,\n])\n"],
    ["arguments over lines", "a = f(\n1,\n    2\n)\n", "a = f(\n  1,\n  2\n)\n"],
    ["CRLF becomes LF, trailing whitespace goes", "a = 1   \r\nb {  \r\n}\r\n", "a = 1\nb {}\n"],
    ["line comments lose trailing whitespace", "a = 1 # c  \t\n// d \n", "a = 1 # c\n// d\n"],
    ["a final line break is added", "a = 1", "a = 1\n"],
    ["an empty file stays empty", "", ""],
    ["a file of blank lines becomes empty", "\n\n\n", ""],
  ];
  it.each(cases)("%s", (_name, input, expected) => {
    expect(fmt(input)).toBe(expected);
  });

  it("returns a file with syntax errors unchanged, with the diagnostics", () => {
    const input = "a = [1,\nb = = 2\n";
    const r = format(input, "bad.hcl");
    expect(r.text).toBe(input);
    expect(r.diagnostics.map((d) => d.summary)).toEqual(['Missing "]" to close "[" opened at 1:5', 'Expected an expression, found "="']);
    expect(r.diagnostics[0]!.subject?.file).toBe("bad.hcl");
  });
});
