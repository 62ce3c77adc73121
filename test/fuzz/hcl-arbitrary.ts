import fc from "fast-check";

/**
 * fast-check arbitraries for HCL text: a grammar-based generator of valid files written with varied,
 * careless spacing (so that format has work to do), and byte-level mutations of real files (so that the
 * parser meets every kind of broken input).
 */

const keywords = new Set(["true", "false", "null", "for", "in", "if", "else", "endif", "endfor"]);

/** A name usable as a variable, function or for-expression variable (not a keyword). */
const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,5}(-[a-z0-9]{1,3})?$/).filter((s) => !keywords.has(s));
/** Attribute names may also be keywords. */
const attrName = fc.oneof({ weight: 6, arbitrary: name }, { weight: 1, arbitrary: fc.constantFrom("for", "if", "in", "true", "null") });

const sp = fc.constantFrom("", " ", "  ", "\t");
const sp1 = fc.constantFrom(" ", "  ", "\t", " /* c */ ");
/** Space inside brackets, where line breaks are allowed. */
const bsp = fc.constantFrom("", " ", "\n", "\n  ", "\n\t\t", " # note\n");

const number = fc.oneof(
  fc.nat({ max: 100000 }).map(String),
  fc.tuple(fc.nat({ max: 999 }), fc.nat({ max: 999 })).map(([a, b]) => `${a}.${b}`),
  fc.tuple(fc.nat({ max: 99 }), fc.constantFrom("e", "E", "e+", "e-", "E-"), fc.nat({ max: 30 })).map(([a, e, b]) => `${a}${e}${b}`),
);

const textChar = fc.constantFrom("a", "b", "z", "0", "9", " ", "-", "_", ".", "/", ":", "@", "#", "é", "😀", "$", "%", "\\n", "\\t", '\\"', "\\\\", "\\u00e9", "$${", "%%{");
// A "$" or "%" at the end of a piece would join the next piece's "${" or "%{" into an escape.
const text = fc.array(textChar, { maxLength: 6 }).map((cs) => cs.join("").replace(/[$%]+$/, ""));

export interface ArbitraryOptions {
  readonly depth: number;
}

/** Expressions, `depth` levels deep at most. */
function expr(depth: number): fc.Arbitrary<string> {
  const leaf = fc.oneof(
    { weight: 3, arbitrary: number },
    { weight: 1, arbitrary: fc.constantFrom("true", "false", "null") },
    { weight: 4, arbitrary: name },
    { weight: 4, arbitrary: text.map((t) => `"${t}"`) },
  );
  if (depth <= 0) return leaf;
  const sub = fc.constant(null).chain(() => expr(depth - 1));
  return fc.oneof(
    { weight: 6, arbitrary: leaf },
    { weight: 2, arbitrary: fc.tuple(sub, sp1, fc.constantFrom("+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||"), sp1, sub).map((p) => p.join("")) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("-", "!", "- "), sub).map(([op, e]) => `${op}${/^[-!]/.test(e) ? " " : ""}${e}`) },
    { weight: 1, arbitrary: fc.tuple(sub, sub, sub).map(([c, a, b]) => `${c} ? ${a} : ${b}`) },
    { weight: 1, arbitrary: fc.tuple(bsp, sub, bsp).map(([a, e, b]) => `(${a}${e}${b})`) },
    { weight: 2, arbitrary: fc.tuple(fc.array(fc.tuple(bsp, sub), { maxLength: 4 }), fc.boolean(), bsp).map(([items, trailing, end]) => `[${items.map(([s, e]) => s + e).join(",")}${trailing && items.length > 0 ? "," : ""}${end}]`) },
    { weight: 2, arbitrary: object(sub) },
    { weight: 2, arbitrary: fc.tuple(name, fc.array(fc.tuple(bsp, sub), { maxLength: 3 }), fc.boolean(), bsp).map(([f, args, expand, end]) => `${f}(${args.map(([s, e]) => s + e).join(",")}${expand && args.length > 0 ? "..." : ""}${end})`) },
    { weight: 2, arbitrary: fc.tuple(fc.oneof(name, fc.tuple(name, sub).map(([f, e]) => `${f}(${e})`)), fc.array(postfix(sub), { minLength: 1, maxLength: 4 })).map(([b, ps]) => b + traversal(ps)) },
    { weight: 1, arbitrary: forExpr(sub) },
    { weight: 2, arbitrary: template(sub) },
  );
}

/**
 * Postfixes joined so that they stay valid: no legacy index right after another (".0.1" reads as a
 * number), and no ".*" inside an attribute-only splat (".*.a.*"); a "[0]" in between makes both valid.
 */
function traversal(postfixes: readonly string[]): string {
  let out = "";
  let inAttrSplat = false;
  let lastLegacy = false;
  for (const p of postfixes) {
    const legacy = /^\.\d/.test(p);
    if ((legacy && lastLegacy) || (p === ".*" && inAttrSplat)) {
      out += "[0]";
      inAttrSplat = false;
    }
    out += p;
    if (p === ".*") inAttrSplat = true;
    else if (p.startsWith("[")) inAttrSplat = false;
    lastLegacy = legacy;
  }
  return out;
}

function postfix(sub: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    name.map((n) => `.${n}`),
    fc.nat({ max: 9 }).map((n) => `.${n}`),
    sub.map((e) => `[${e}]`),
    fc.constant(".*"),
    fc.constant("[*]"),
  );
}

function object(sub: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const key = fc.oneof(name.filter((n) => n !== "for"), text.map((t) => `"${t}"`), sub.map((e) => `(${e})`));
  const item = fc.tuple(key, sp, fc.constantFrom("=", ":"), sp, sub).map((p) => p.join(""));
  return fc
    .tuple(fc.array(fc.tuple(item, fc.constantFrom(", ", ",", "\n", ",\n", "\n\n  ")), { maxLength: 4 }), fc.boolean())
    .map(([items, multiline]) => {
      if (items.length === 0) return multiline ? "{\n}" : "{}";
      const body = items.map(([i, sep], n) => i + (n < items.length - 1 ? sep : "")).join("");
      return multiline ? `{\n${body}\n}` : `{ ${body} }`;
    });
}

function forExpr(sub: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(fc.boolean(), name, fc.option(name, { nil: undefined }), sub, sub, sub, fc.boolean(), fc.option(sub, { nil: undefined }))
    .map(([isObject, v, k, coll, a, b, group, cond]) => {
      const intro = `for ${k !== undefined ? `${k}, ` : ""}${v} in ${coll} :`;
      const tail = cond !== undefined ? ` if ${cond}` : "";
      return isObject ? `{${intro} ${a} => ${b}${group ? "..." : ""}${tail}}` : `[${intro} ${a}${tail}]`;
    });
}

function template(sub: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const strip = fc.constantFrom("", "~");
  const piece: fc.Arbitrary<string> = fc.oneof(
    { weight: 3, arbitrary: text },
    { weight: 2, arbitrary: fc.tuple(strip, sub, strip).map(([l, e, r]) => `\${${l}${e}${r}}`) },
    { weight: 1, arbitrary: fc.tuple(sub, text, fc.option(text, { nil: undefined })).map(([c, t, e]) => `%{ if ${c} }${t}${e !== undefined ? `%{ else }${e}` : ""}%{ endif }`) },
    { weight: 1, arbitrary: fc.tuple(name, sub, text).map(([v, c, t]) => `%{~ for ${v} in ${c} ~}${t}\${${v}}%{ endfor }`) },
  );
  return fc.array(piece, { maxLength: 4 }).map((ps) => `"${ps.join("")}"`);
}

const heredoc = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(fc.constantFrom("", "  ", "    ", "\t"), text, fc.option(name, { nil: undefined })), { maxLength: 3 }), fc.constantFrom("", "  "))
  .map(([indent, lines, closeIndent]) => {
    const body = lines.map(([ws, t, interp]) => `${ws}${t.replace(/\\/g, "")}${interp !== undefined ? `\${${interp}}` : ""}\n`).join("");
    return `<<${indent ? "-" : ""}EOT\n${body}${indent ? closeIndent : ""}EOT`;
  });

function body(depth: number, indent: string): fc.Arbitrary<string> {
  const value = fc.oneof({ weight: 8, arbitrary: expr(2) }, { weight: 1, arbitrary: heredoc });
  // No comment after a heredoc: its end marker must be alone on its line.
  const attribute = fc
    .tuple(attrName, sp, sp, value, fc.constantFrom("", "", " # trailing", " // c"))
    .map(([n, a, b, v, c]) => `${n}${a}=${b}${v}${v.startsWith("<<") ? "" : c}`);
  const label = fc.oneof(name, text.map((t) => `"${t}"`), name.map((n) => `"\${${n}}-x"`));
  const header = fc.tuple(attrName, fc.array(fc.tuple(sp1, label), { maxLength: 2 })).map(([t, ls]) => t + ls.map(([s, l]) => s + l).join(""));
  const blocks: fc.Arbitrary<string>[] = [
    header.map((h) => `${h} {}`),
    fc.tuple(header, attribute.filter((a) => !a.includes("<<") && !/ (#|\/\/) /.test(a))).map(([h, a]) => `${h} { ${a} }`),
  ];
  if (depth > 0) blocks.push(fc.tuple(header, body(depth - 1, `${indent}  `)).map(([h, b]) => `${h} {\n${b}${indent}}`));
  const item = fc.oneof({ weight: 4, arbitrary: attribute }, { weight: 2, arbitrary: fc.oneof(...blocks) }, { weight: 1, arbitrary: fc.constantFrom("# comment", "// comment", "/* block\n comment */", "") });
  return fc.array(fc.tuple(fc.constantFrom(indent, "", "\t", `${indent}   `), item), { maxLength: 5 }).map((items) => items.map(([i, s]) => `${i}${s}\n`).join(""));
}

/** A whole file: a body of attributes and blocks, nested up to `depth` levels. */
export function hclFile(depth = 2): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom("", "\n", "\n\n"), body(depth, "")).map(([lead, b]) => lead + b);
}

const fragments = [
  "{", "}", "[", "]", "(", ")", '"', "${", "%{", "~}", "\n", "\t", " ", "=", "==", "#", "//", "/*", "*/",
  "<<EOT\n", "<<-EOT\n", "EOT\n", "  EOT", "\\", "\\u", "$", "%", ".", "*", ",", ":", "?", "...", "=>", "for ",
  "if ", "in ", "endif", "-", "!", "é", "\u201c", "\u00a0", "\r", "\u0000", "😀", "\ud800", "0.1", "a-b",
];

/** A file from `seeds` with up to five edits: deletions, insertions of syntax fragments, duplications, cuts. */
export function mutated(seeds: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
    fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.constantFrom(...fragments) }),
    fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
    fc.record({ kind: fc.constant("char" as const), at: fc.nat(), code: fc.integer({ min: 0, max: 0xffff }) }),
  );
  return fc.tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 5 })).map(([seed, edits]) => {
    let s = seed;
    for (const e of edits) {
      const at = s.length === 0 ? 0 : e.at % (s.length + 1);
      switch (e.kind) {
        case "delete":
          s = s.slice(0, at) + s.slice(at + e.length);
          break;
        case "insert":
          s = s.slice(0, at) + e.text + s.slice(at);
          break;
        case "duplicate":
          s = s.slice(0, at + e.length) + s.slice(at, at + e.length) + s.slice(at + e.length);
          break;
        case "cut":
          s = s.slice(0, at);
          break;
        case "char":
          s = s.slice(0, at) + String.fromCharCode(e.code) + s.slice(at + 1);
          break;
      }
    }
    return s;
  });
}
