import { describe, expect, it } from "vitest";
import { at, parseText, withoutRanges } from "../../test/grammar/syntax/helpers.js";
import type { Attribute, Block } from "./index.js";

/** `line:column summary` for every diagnostic of `source`. */
function errors(source: string): string[] {
  return parseText(source).diagnostics.map((d) => `${at(d.subject)} ${d.summary}`);
}

describe("syntax errors: one message per mistake, at the mistake", () => {
  const cases: [string, string, string[]][] = [
    ["missing = after an attribute name", 'entrypoint ["/bin/app"]\n', ['1:12 Expected "=" after attribute name "entrypoint"']],
    ["colon instead of =", "user: 1\n", ['1:5 Expected "=" after attribute name "user"']],
    ["a name alone on its line", "image\n", ['1:6 Expected "=" or "{" after "image"']],
    ["missing value", "a =\nb = 1\n", ['1:4 Missing value for attribute "a"']],
    ["missing value at the end of the file", "a =", ['1:4 Missing value for attribute "a"']],
    ["two equals signs", "a = = 1\n", ['1:5 Expected an expression, found "="']],
    ["an unquoted path", "workdir = /srv\n", ['1:11 Expected an expression, found "/"']],
    ["two attributes on one line", "a = 1 b = 2\n", ['1:7 Missing line break after attribute "a"']],
    ["a comma between attributes", "a = 1,\n", ['1:6 Unexpected "," after attribute "a"']],
    ["two blocks on one line", "x {} y {}\n", ['1:6 Missing line break after block "x"']],
    ["= after block labels", 'image "a" = {\n}\n', ['1:11 Unexpected "=" after the labels of block "image"']],
    ["block brace on the next line", 'image "a"\n{\n}\n', ['1:10 Expected "{" to open block "image"', '2:1 Expected an attribute or a block, found "{"']],
    ["a one-line block continued on the next lines", "x { a = 1\n  b = 2\n}\n", ["1:10 Invalid single-line block"]],
    ["a block inside a one-line block", "x { y {} }\n", ["1:7 Invalid single-line block"]],
    ["a quoted attribute name", '"name" = 1\n', ["1:1 Attribute names are not quoted"]],
    ["a stray value line", "[1, 2]\n", ['1:1 Expected an attribute or a block, found "["']],
    ["list items without a comma", 'a = ["x" "y"]\n', ['1:10 Expected "," or "]" after a list item']],
    ["object items without a separator", "a = { b = 1 c = 2 }\n", ["1:13 Missing separator between object items"]],
    ["an object item without =", "a = {\n  b 1\n}\n", ['2:5 Expected "=" or ":" after the object key']],
    ["call arguments without a comma", "a = f(x y)\n", ['1:9 Expected "," or ")" after a function argument']],
    ["a dot with no name", "a = b.\n", ['1:7 Expected an attribute name after "."']],
    ["a conditional without :", "a = x ? 1\n", ['1:10 Expected ":" in conditional expression']],
    ["a for-expression without in", "a = [for x xs : x]\n", ['1:12 Expected "in" in for-expression']],
    ["an unterminated string", 'a = "abc\nb = 1\n', ["1:5 Unterminated string"]],
    ["an interpolation without }", 'a = "${b"\nc = 1\n', ['1:9 Missing "}" to close "${" opened at 1:6']],
    ["an unterminated heredoc", "a = <<EOT\nx\n", ['1:5 Unterminated heredoc "EOT"']],
    ["a heredoc marker not followed by a line break", "a = <<EOT x\n", ["1:5 Invalid heredoc"]],
    ["an unterminated comment", "a = 1 /* never closed\n", ["1:7 Unterminated comment"]],
    ["an invalid escape", 'a = "\\q"\n', ['1:6 Invalid escape sequence "\\q"']],
    ["a short unicode escape", 'a = "\\u12"\n', ['1:6 Invalid escape sequence "\\u12"']],
    ["an invalid character", "a = 1 @ 2\n", ['1:7 Invalid character "@"']],
    ["typographic quotes", "a = \u201cx\u201d\n", ['1:5 Invalid character "\u201c"', '1:7 Invalid character "\u201d"']],
    ["a non-breaking space", "a =\u00a01\n", ["1:4 Invalid character U+00A0"]],
    ["interpolation outside a string", "a = ${b}\n", ['1:5 Unexpected "${"']],
    ["a stray closing brace", "}\na = 1\n", ['1:1 Unexpected "}"']],
    ["a mismatched bracket", "a = [1, 2)\n", ['1:10 Expected "]" but found ")"']],
    ["a legacy index of two numbers", "a = b.0.1\n", ["1:7 Invalid legacy index syntax"]],
    ["an unknown template directive", 'a = "%{ when x }"\n', ['1:9 Invalid template directive "when"']],
    ["an endif without if", 'a = "x%{ endif }"\n', ["1:7 Unexpected endif directive"]],
    ["an if without endif", 'a = "%{ if x }y"\n', ["1:16 Missing endif directive"]],
    ["misplaced expansion", "a = f(x..., y)\n", ['1:8 Misplaced "..."']],
    ["a tuple for with a key", "a = [for k, v in m : k => v]\n", ["1:24 Unexpected key expression"]],
    ["an object for without a key", "a = {for v in m : v}\n", ["1:19 Missing key expression"]],
  ];
  it.each(cases)("%s", (_name, source, expected) => {
    expect(errors(source)).toEqual(expected);
  });

  it("missing closing brace of the last block: at the end of the file", () => {
    expect(errors('image "app" {\n  x = 1\n')).toEqual(['3:1 Missing closing brace for block "image" opened at 1:1']);
  });

  it("missing closing brace in the middle: where indentation says it belongs", () => {
    const source = 'step "a" {\n  x = 1\n\nimage "b" {\n  y = 2\n}\n';
    const r = parseText(source);
    expect(r.diagnostics.map((d) => `${at(d.subject)} ${d.summary}`)).toEqual(['4:1 Missing closing brace for block "step" opened at 1:1']);
    // …and the rest of the file is read as if the brace were there.
    expect(r.file.body.items.map((i) => (i as Block).type)).toEqual(["step", "image"]);
  });

  it("missing closing brace of a nested block", () => {
    const source = 'image "a" {\n  apt {\n    package "jq" {}\n\n  cmd = ["x"]\n}\n';
    const r = parseText(source);
    expect(r.diagnostics.map((d) => `${at(d.subject)} ${d.summary}`)).toEqual(['5:3 Missing closing brace for block "apt" opened at 2:3']);
    const image = r.file.body.items[0] as Block;
    expect(image.body.items.map((i) => (i.kind === "block" ? i.type : i.name))).toEqual(["apt", "cmd"]);
  });

  it("a missing ] before the next attribute", () => {
    expect(errors("a = [\n  1,\n  2\nb = 3\n")).toEqual(['4:1 Missing "]" to close "[" opened at 1:5']);
  });

  it("reports every error of a file, each once, and keeps what is valid", () => {
    const source = [
      'image "app" {', //                     1
      '  base_image = "debian:bookworm"', //  2
      '  entrypoint ["/bin/app"]', //         3
      "  env = {", //                          4
      '    A = "x"', //                        5
      "    B = = 2", //                        6
      '    C = "z"', //                        7
      "  }", //                                8
      '  cmd = ["a", "b" "c"]', //            9
      '  user = "app', //                      10
      "  workdir = /srv", //                   11
      "}", //                                  12
      "", //                                   13
      'step "build" {', //                     14
      '  dockerfile = "Dockerfile"', //        15
      "  target = f(a b)", //                  16
      '  context = "${x"', //                  17
      "}", //                                  18
      "",
    ].join("\n");
    const r = parseText(source);
    expect(r.diagnostics.map((d) => `${at(d.subject)} ${d.summary}`)).toEqual([
      '3:14 Expected "=" after attribute name "entrypoint"',
      '6:9 Expected an expression, found "="',
      '9:19 Expected "," or "]" after a list item',
      "10:10 Unterminated string",
      '11:13 Expected an expression, found "/"',
      '16:16 Expected "," or ")" after a function argument',
      '17:17 Missing "}" to close "${" opened at 17:14',
    ]);
    const [image, step] = r.file.body.items as Block[];
    // A list keeps the items read before the error; an unterminated string keeps its text.
    expect(image!.body.items.map((i) => (i as Attribute).name)).toEqual(["base_image", "env", "cmd", "user"]);
    expect(withoutRanges((image!.body.items[2] as Attribute).expr)).toEqual({
      kind: "tuple",
      items: ["a", "b"].map((value) => ({ kind: "template", parts: [{ kind: "text", value }] })),
    });
    const env = (image!.body.items[1] as Attribute).expr as unknown as { items: { key: unknown }[] };
    expect(env.items.map((i) => withoutRanges(i.key))).toEqual([
      { kind: "template", parts: [{ kind: "text", value: "A" }] },
      { kind: "template", parts: [{ kind: "text", value: "C" }] },
    ]);
    expect(step!.body.items.map((i) => (i as Attribute).name)).toEqual(["dockerfile", "target", "context"]);
  });

  it("every message names the file, has a detail, and no parser jargon", () => {
    const r = parseText("a = [1 2]\nb = {\nc ==\n", "slipway.hcl");
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) {
      expect(d.subject?.file).toBe("slipway.hcl");
      expect(d.detail).toBeTruthy();
      expect(`${d.summary} ${d.detail}`).not.toMatch(/token|-->|Exception|NaN|undefined/);
    }
  });

  it("positions at the end of the file are real positions", () => {
    for (const source of ["a = [", "a = {", 'a = "x', "a = <<EOT", "a = f(", "b {", "a = 1 +"]) {
      for (const d of parseText(source).diagnostics) {
        expect(Number.isInteger(d.subject!.start.offset), source).toBe(true);
        expect(d.subject!.end.offset).toBeLessThanOrEqual(source.length);
      }
    }
  });
});
