import { describe, expect, it } from "vitest";
import {
  attr,
  bin,
  block,
  bool,
  call,
  callExpand,
  cond,
  forList,
  forObject,
  getAttr,
  index,
  interp,
  neg,
  not,
  nul,
  num,
  obj,
  parens,
  splat,
  str,
  text,
  tmpl,
  tuple,
  v,
} from "../../test/grammar/helpers/ast.js";
import { parseText, withoutRanges } from "../../test/grammar/syntax/helpers.js";
import { SourceFile } from "../source/file.js";
import type { Attribute, Block, Expr, Label, ObjectItem, TemplateExpr, TemplatePart } from "./index.js";

/** Parses `source`, expects no diagnostics, and returns the top-level items without ranges. */
function items(source: string): unknown {
  const r = parseText(source);
  expect(r.diagnostics.map((d) => `${d.subject?.start.line}:${d.subject?.start.column} ${d.summary}`)).toEqual([]);
  return withoutRanges(r.file.body.items);
}

/** The expression of `a = <source>`. */
function expr(source: string): unknown {
  const list = items(`a = ${source}\n`) as Attribute[];
  return list[0]!.expr;
}

const same = (e: unknown): unknown => withoutRanges(e);
const identLabel = (name: string): Label => ({ kind: "identLabel", name, range: undefined as never });
const heredoc = (marker: string, indent: boolean, ...parts: (TemplatePart | string)[]): TemplateExpr => ({
  ...tmpl(...parts),
  heredoc: { marker, indent },
});
const item = (key: Expr, keyForm: "ident" | "expr", separator: "=" | ":", value: Expr): ObjectItem => ({
  key,
  keyForm,
  separator,
  value,
  range: undefined as never,
});
const objOf = (...list: ObjectItem[]): Expr => ({ kind: "object", items: list, range: undefined as never });
const lit = (value: number, raw: string): Expr => ({ kind: "literal", value, raw, range: undefined as never });
const ifPart = (condition: Expr, then: TemplatePart[], otherwise?: TemplatePart[]): TemplatePart => ({
  kind: "if",
  condition,
  then,
  ...(otherwise ? { else: otherwise } : {}),
  range: undefined as never,
});
const forPart = (keyVar: string | undefined, valueVar: string, collection: Expr, body: TemplatePart[]): TemplatePart => ({
  kind: "for",
  ...(keyVar !== undefined ? { keyVar } : {}),
  valueVar,
  collection,
  body,
  range: undefined as never,
});
const attrSplat = (source: Expr, each: (item: Expr) => Expr): Expr => splat(source, each, "attr");

describe("parse: structure", () => {
  const cases: [string, string, (Attribute | Block)[]][] = [
    ["an empty file", "", []],
    ["only comments and blank lines", "# one\n\n// two\n/* three */\n", []],
    ["an attribute", "a = 1\n", [attr("a", num(1))]],
    ["the last line without a line break", "a = 1", [attr("a", num(1))]],
    ["CRLF line endings", "a = 1\r\nb {\r\n  c = 2\r\n}\r\n", [attr("a", num(1)), block("b", [], attr("c", num(2)))]],
    ["a block without labels", "x {\n}\n", [block("x", [])]],
    ["an empty one-line block", 'package "jq" {}\n', [block("package", ["jq"])]],
    ["a one-line block with one attribute", "x { a = 1 }\n", [block("x", [], attr("a", num(1)))]],
    ["identifier and quoted labels, in order", 'a b "c" d {}\n', [block("a", [identLabel("b"), "c", identLabel("d")])]],
    [
      "nested blocks",
      'image "app" {\n  apt {\n    package "jq" {\n      version = "1.6"\n    }\n  }\n}\n',
      [block("image", ["app"], block("apt", [], block("package", ["jq"], attr("version", str("1.6")))))],
    ],
    [
      "an interpolated label",
      'image "${registry}/app" {}\n',
      [block("image", [{ kind: "quotedLabel", template: tmpl(interp(v("registry")), "/app"), range: undefined as never }])],
    ],
    ["names with dashes and keywords as names", "a-b = 1\nfor = 2\nif { in = 3 }\n", [attr("a-b", num(1)), attr("for", num(2)), block("if", [], attr("in", num(3)))]],
    // Found by the property test: a body starting with an item named "for" is not an object for-expression.
    ["a block whose first item is named for", 'x {\n  for = 1\n  for "l" {}\n}\n', [block("x", [], attr("for", num(1)), block("for", ["l"]))]],
    ["a comment after an attribute", "a = 1 # one\nb = 2 // two\n", [attr("a", num(1)), attr("b", num(2))]],
    ["blank lines everywhere", "\n\na = 1\n\n\nb {\n\n  c = 2\n\n}\n\n", [attr("a", num(1)), block("b", [], attr("c", num(2)))]],
  ];
  it.each(cases)("%s", (_name, source, expected) => {
    expect(items(source)).toEqual(same(expected));
  });

  it("keeps comments with their style and text", () => {
    const r = parseText("# hash\na = 1 // slash\n/* block\n   two lines */\n");
    expect(r.file.comments.map((c) => [c.style, c.text, c.range.start.line])).toEqual([
      ["hash", "# hash", 1],
      ["slash", "// slash", 2],
      ["block", "/* block\n   two lines */", 3],
    ]);
  });
});

describe("parse: literals and strings", () => {
  const cases: [string, string, Expr][] = [
    ["an integer", "42", num(42)],
    ["a decimal, raw kept", "0.50", lit(0.5, "0.50")],
    ["an exponent", "1e3", lit(1000, "1e3")],
    ["a signed exponent", "1.5E-3", lit(0.0015, "1.5E-3")],
    ["true", "true", bool(true)],
    ["false", "false", bool(false)],
    ["null", "null", nul()],
    ["a plain string", '"hello"', str("hello")],
    ["an empty string", '""', str("")],
    ["escapes", String.raw`"a\nb\tc\"d\\e\re"`, str('a\nb\tc"d\\e\re')],
    ["unicode escapes", String.raw`"\u00e9\U0001F600"`, str("é😀")],
    ["escaped template sequences", '"$${x} %%{y} $ % $$"', str("${x} %{y} $ % $$")],
    ["an interpolation", '"a ${b} c"', tmpl("a ", interp(v("b")), " c")],
    ["only an interpolation", '"${b}"', tmpl(interp(v("b")))],
    ["a name with dashes", '"${estaleiro-commit}"', tmpl(interp(v("estaleiro-commit")))],
    ["strip markers", '"a  ${~ b ~}  c"', tmpl("a", interp(v("b"), { left: true, right: true }), "c")],
    ["an if directive", '"%{ if x }yes%{ else }no%{ endif }"', tmpl(ifPart(v("x"), [text("yes")], [text("no")]))],
    ["an if without else, stripped", '"a %{~ if x ~} b %{~ endif ~} c"', tmpl("a", ifPart(v("x"), [text("b")]), "c")],
    [
      "a for directive with key and value",
      '"%{ for k, v in m }${k}=${v};%{ endfor }"',
      tmpl(forPart("k", "v", v("m"), [interp(v("k")), text("="), interp(v("v")), text(";")])),
    ],
    ["nested directives", '"%{ for x in xs }%{ if x }!%{ endif }%{ endfor }"', tmpl(forPart(undefined, "x", v("xs"), [ifPart(v("x"), [text("!")])]))],
    ["a string inside an interpolation", '"${upper("a${b}")}"', tmpl(interp(call("upper", tmpl("a", interp(v("b"))))))],
  ];
  it.each(cases)("%s", (_name, source, expected) => {
    expect(expr(source)).toEqual(same(expected));
  });
});

describe("parse: heredocs", () => {
  const cases: [string, string, Expr][] = [
    ["a plain heredoc", "<<EOT\nhello\n  world\nEOT", heredoc("EOT", false, "hello\n  world\n")],
    ["no escapes in heredocs", "<<EOT\na\\nb $${x}\nEOT", heredoc("EOT", false, "a\\nb ${x}\n")],
    ["an indented heredoc", "<<-EOT\n    hello\n      world\n    EOT", heredoc("EOT", true, "hello\n  world\n")],
    ["blank lines do not count for indentation", "<<-EOT\n    a\n\n      b\n  EOT", heredoc("EOT", true, "a\n\n  b\n")],
    ["interpolation in a heredoc", "<<-EOT\n  x = ${y}\n  z\n  EOT", heredoc("EOT", true, "x = ", interp(v("y")), "\nz\n")],
    ["a line starting with an interpolation stops indentation removal", "<<-EOT\n  a\n${b}\nEOT", heredoc("EOT", true, "  a\n", interp(v("b")), "\n")],
    ["a directive in a heredoc", "<<EOT\n%{ if x }yes%{ endif }\nEOT", heredoc("EOT", false, ifPart(v("x"), [text("yes")]), "\n")],
    ["an empty heredoc", "<<EOT\nEOT", heredoc("EOT", false, "")],
    ["a marker that only starts a line does not close", "<<EOT\nEOTX\nEOT", heredoc("EOT", false, "EOTX\n")],
  ];
  it.each(cases)("%s", (_name, source, expected) => {
    expect(expr(source)).toEqual(same(expected));
  });

  it("reads what follows the end marker as the next line", () => {
    expect(items("a = <<EOT\nx\nEOT\nb = 2\n")).toEqual(same([attr("a", heredoc("EOT", false, "x\n")), attr("b", num(2))]));
  });

  it("takes heredocs inside brackets and calls", () => {
    expect(expr('[<<EOT\nx\nEOT\n, f(<<-Y\n  z\n  Y\n)]')).toEqual(same(tuple(heredoc("EOT", false, "x\n"), call("f", heredoc("Y", true, "z\n")))));
  });
});

describe("parse: expressions", () => {
  const cases: [string, string, Expr][] = [
    ["a variable", "x", v("x")],
    ["attribute access", "a.b.c", getAttr(getAttr(v("a"), "b"), "c")],
    ["keywords as attribute names", "a.for.if", getAttr(getAttr(v("a"), "for"), "if")],
    ["an index", 'a["k"][0]', index(index(v("a"), str("k")), num(0))],
    ["a legacy index", "a.0.b", getAttr(index(v("a"), num(0)), "b")],
    ["an attribute splat takes attribute accesses", "a.*.b.c[0]", index(attrSplat(v("a"), (i) => getAttr(getAttr(i, "b"), "c")), num(0))],
    ["a full splat takes everything after it", "a[*].b[0]", splat(v("a"), (i) => index(getAttr(i, "b"), num(0)))],
    ["a bare splat", "a[*]", splat(v("a"), (i) => i)],
    ["a function call", "f(1, x)", call("f", num(1), v("x"))],
    ["a call without arguments", "f()", call("f")],
    ["a call with a trailing comma", "f(1, 2,)", call("f", num(1), num(2))],
    ["an expanded final argument", "f(a, list...)", callExpand("f", v("a"), v("list"))],
    ["arguments over several lines", "f(\n  1,\n  2\n)", call("f", num(1), num(2))],
    ["precedence: * before +", "1 + 2 * 3", bin("+", num(1), bin("*", num(2), num(3)))],
    ["precedence: left associativity", "8 / 4 * 2", bin("*", bin("/", num(8), num(4)), num(2))],
    ["precedence: comparison before equality", "a < b == c > d", bin("==", bin("<", v("a"), v("b")), bin(">", v("c"), v("d")))],
    ["precedence: && before ||", "a || b && c", bin("||", v("a"), bin("&&", v("b"), v("c")))],
    ["precedence: arithmetic before comparison", "a + 1 >= b % 2", bin(">=", bin("+", v("a"), num(1)), bin("%", v("b"), num(2)))],
    ["all equality and logic operators", "a != b && !c", bin("&&", bin("!=", v("a"), v("b")), not(v("c")))],
    ["unary minus binds tighter", "-a.b * 2", bin("*", neg(getAttr(v("a"), "b")), num(2))],
    ["double negation", "!!x", not(not(v("x")))],
    ["subtraction of a negative", "a - -1", bin("-", v("a"), neg(num(1)))],
    ["parentheses", "(1 + 2) * 3", bin("*", parens(bin("+", num(1), num(2))), num(3))],
    ["a conditional", 'x ? "a" : "b"', cond(v("x"), str("a"), str("b"))],
    ["nested conditionals associate right", "a ? b : c ? d : e", cond(v("a"), v("b"), cond(v("c"), v("d"), v("e")))],
    ["a condition with operators", "a > 1 && b ? 1 : 2", cond(bin("&&", bin(">", v("a"), num(1)), v("b")), num(1), num(2))],
    ["a tuple", "[1, \"a\", true]", tuple(num(1), str("a"), bool(true))],
    ["an empty tuple", "[]", tuple()],
    ["a tuple over lines with a trailing comma", "[\n  1,\n  2,\n]", tuple(num(1), num(2))],
    ["an object with = and newlines", "{\n  a = 1\n  b = 2\n}", obj(["a", num(1)], ["b", num(2)])],
    ["an object with commas", "{ a = 1, b = 2, }", obj(["a", num(1)], ["b", num(2)])],
    ["an empty object", "{}", obj()],
    ["colon keys and quoted keys", '{ "k": 1, c: 2 }', objOf(item(str("k"), "expr", ":", num(1)), item(str("c"), "ident", ":", num(2)))],
    ["a parenthesised key is an expression", "{ (k) = 1 }", objOf(item(parens(v("k")), "expr", "=", num(1)))],
    ["for as a later key", "{ baz = 2, for = 1 }", obj(["baz", num(2)], ["for", num(1)])],
    ["a tuple for-expression", "[for x in xs : x * 2]", forList("x", v("xs"), bin("*", v("x"), num(2)))],
    ["a tuple for-expression with key and filter", "[for i, x in xs : x if i > 0]", forList("x", v("xs"), v("x"), { keyVar: "i", condition: bin(">", v("i"), num(0)) })],
    ["an object for-expression", "{for k, v in m : k => v}", forObject("k", "v", v("m"), v("k"), v("v"))],
    ["an object for-expression with grouping and filter", "{ for v in vs : v.k => v... if v.ok }", forObject(undefined, "v", v("vs"), getAttr(v("v"), "k"), v("v"), { group: true, condition: getAttr(v("v"), "ok") })],
    ["a for-expression over lines", "{\n  for k, v in m :\n  k => v\n}", forObject("k", "v", v("m"), v("k"), v("v"))],
  ];
  it.each(cases)("%s", (_name, source, expected) => {
    expect(expr(source)).toEqual(same(expected));
  });
});

describe("parse: ranges", () => {
  it("gives every node the range of its source text", () => {
    const source = 'image "app" {\n  env = { A = "x${y}" }\n  cmd = [f(1), a.b[0]]\n}\n';
    const r = parseText(source);
    const image = r.file.body.items[0] as Block;
    const slice = (n: { range: { start: { offset: number }; end: { offset: number } } }) => source.slice(n.range.start.offset, n.range.end.offset);
    expect(slice(image)).toBe(source.trimEnd());
    expect(source.slice(image.defRange.start.offset, image.defRange.end.offset)).toBe('image "app"');
    expect(source.slice(image.typeRange.start.offset, image.typeRange.end.offset)).toBe("image");
    expect(slice(image.labels[0]!)).toBe('"app"');
    const [env, cmd] = image.body.items as Attribute[];
    expect(slice(env!)).toBe('env = { A = "x${y}" }');
    expect(slice(env!.expr)).toBe('{ A = "x${y}" }');
    const tpl = (env!.expr as unknown as { items: ObjectItem[] }).items[0]!.value as TemplateExpr;
    expect(tpl.parts.map(slice)).toEqual(["x", "${y}"]);
    const list = (cmd!.expr as unknown as { items: Expr[] }).items;
    expect(list.map(slice)).toEqual(["f(1)", "a.b[0]"]);
    expect(cmd!.nameRange.start).toEqual({ line: 3, column: 3, offset: source.indexOf("cmd") });
  });

  it("ranges agree with SourceFile.range", () => {
    const source = "a = 1\n\n  b = [\n  \"é😀\", x\n]\n";
    const r = parseText(source);
    const b = r.file.body.items[1] as Attribute;
    const x = (b.expr as unknown as { items: Expr[] }).items[1]!;
    const file = new SourceFile("test.hcl", source);
    expect(x.range).toEqual(file.range(source.indexOf("x"), source.indexOf("x") + 1));
    expect(x.range.start.column).toBe(10); // "é" is one UTF-16 unit, "😀" two
    expect(b.range).toEqual(file.range(source.indexOf("b"), source.lastIndexOf("]") + 1));
  });
});
