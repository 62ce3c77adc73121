import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as oracleParse } from "@cdktf/hcl2json";
import { describe, expect, it } from "vitest";
import type { Body, Expr } from "../../../grammar/syntax/index.js";
import { parseText } from "./helpers.js";

/**
 * Differential test against Go HCL (hashicorp/hcl compiled to WASM in @cdktf/hcl2json): on every valid
 * corpus file, the block and attribute structure must agree, and so must every value the oracle can give
 * as plain JSON (numbers, bools, null, strings without interpolation, and lists and objects of them).
 * Expressions it leaves as "${…}" source text are compared only as "not a constant".
 * Files named ext-* use slipway's extensions (interpolated labels), which HCL rejects.
 */

const here = import.meta.dirname;
const files = readdirSync(join(here, "corpus")).filter((f) => f.endsWith(".hcl") && !f.startsWith("ext-"));

/** Marks a value our side cannot state as a constant: it must be a "${…}" string on the oracle's side. */
const DYNAMIC = Symbol("dynamic");
const DYNAMIC_KEY = "\u0000dynamic-key-";
const isSource = (v: unknown): boolean => typeof v === "string" && (v.includes("${") || v.includes("%{"));

function bodyJson(body: Body): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of body.items) {
    if (item.kind === "attribute") {
      out[item.name] = valueJson(item.expr);
      continue;
    }
    const keys = [item.type, ...item.labels.map((l) => (l.kind === "identLabel" ? l.name : constantString(l.template.parts)!))];
    let node = out;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    ((node[keys[keys.length - 1]!] ??= []) as unknown[]).push(bodyJson(item.body));
  }
  return out;
}

function constantString(parts: readonly { kind: string; value?: string }[]): string | undefined {
  return parts.every((p) => p.kind === "text") ? parts.map((p) => p.value).join("") : undefined;
}

/** The JSON the oracle would print for a constant expression (escaping "${" as HCL's JSON form does). */
function valueJson(e: Expr): unknown {
  switch (e.kind) {
    case "literal":
      return e.value;
    case "template": {
      // Go HCL folds interpolations of constant strings ("a${"b"}" is "ab"), so we do too.
      let s = "";
      for (const part of e.parts) {
        if (part.kind === "text") s += part.value.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
        else if (part.kind === "interpolation" && typeof valueJson(part.expr) === "string") s += valueJson(part.expr) as string;
        else return DYNAMIC;
      }
      return s;
    }
    case "unary": {
      const v = valueJson(e.operand);
      if (e.op === "-" && typeof v === "number") return -v;
      if (e.op === "!" && typeof v === "boolean") return !v;
      return DYNAMIC;
    }
    case "tuple":
      return e.items.map(valueJson);
    case "object": {
      // Keys that are expressions are numbered: the oracle writes them as "${…}" source.
      const out: Record<string, unknown> = {};
      let dynamicKeys = 0;
      for (const item of e.items) {
        const key = item.key.kind === "template" ? constantString(item.key.parts) : undefined;
        out[key ?? `${DYNAMIC_KEY}${dynamicKeys++}`] = valueJson(item.value);
      }
      return out;
    }
    case "parens":
      return valueJson(e.expr);
    default:
      return DYNAMIC;
  }
}

/** Ours and the oracle's agree: equal, or DYNAMIC on our side where the oracle kept "${…}" source. */
function agree(ours: unknown, theirs: unknown, path: string, problems: string[]): void {
  if (ours === DYNAMIC) {
    if (!isSource(theirs)) problems.push(`${path}: ours is an expression, oracle has ${JSON.stringify(theirs)}`);
    return;
  }
  if (Array.isArray(ours)) {
    if (!Array.isArray(theirs) || theirs.length !== ours.length) {
      problems.push(`${path}: ours ${JSON.stringify(ours)}, oracle ${JSON.stringify(theirs)}`);
      return;
    }
    ours.forEach((o, i) => agree(o, theirs[i], `${path}[${i}]`, problems));
    return;
  }
  if (ours !== null && typeof ours === "object") {
    if (theirs === null || typeof theirs !== "object" || Array.isArray(theirs)) {
      problems.push(`${path}: ours an object, oracle ${JSON.stringify(theirs)}`);
      return;
    }
    const a = Object.keys(ours).filter((k) => !k.startsWith(DYNAMIC_KEY)).sort();
    const b = Object.keys(theirs).filter((k) => !isSource(k)).sort();
    const dynamic = Object.keys(ours).length - a.length;
    if (a.join("\0") !== b.join("\0") || dynamic !== Object.keys(theirs).length - b.length) {
      problems.push(`${path}: keys ${JSON.stringify(Object.keys(ours))} vs oracle ${JSON.stringify(Object.keys(theirs))}`);
    }
    for (const k of a) agree((ours as Record<string, unknown>)[k], (theirs as Record<string, unknown>)[k], `${path}.${k}`, problems);
    return;
  }
  if (ours !== theirs) problems.push(`${path}: ours ${JSON.stringify(ours)}, oracle ${JSON.stringify(theirs)}`);
}

describe("differential: Go HCL (hcl2json) agrees on structure and values", () => {
  it("has files to compare", () => expect(files.length).toBeGreaterThanOrEqual(5));

  it.each(files)("%s", async (name) => {
    const text = readFileSync(join(here, "corpus", name), "utf8");
    const ours = parseText(text, name);
    expect(ours.diagnostics).toEqual([]);
    const theirs = await oracleParse(name, text);
    const problems: string[] = [];
    agree(bodyJson(ours.file.body), theirs, "$", problems);
    expect(problems).toEqual([]);
  });

  const snippets: [string, string][] = [
    ["CRLF line endings and heredocs", 'a = <<EOT\r\nline one\r\n  two\r\nEOT\r\nb = <<-EOT\r\n    x\r\n      y\r\n    EOT\r\nc { d = "q" }\r\n'],
    ["unicode names and text", 'é-ñ = "ü ${"\\u00e9"} 😀"\nblock "ラベル" { 名前 = "値" }\n'],
    ["escapes and template escapes", 'a = "\\t\\"\\\\ $${x} %%{y} $ %"\nb = "\\U0001F600\\u00e9"\n'],
    ["numbers", "a = [0, 007, 1.50, 1e3, 1E-2, 6.02e+23]\n"],
    ["heredoc indentation with tabs and blank lines", "a = <<-EOT\n\t\tone\n\n\t\t  two\n\tEOT\n"],
    ["strip markers", 'a = "x  ${~ "y" ~}  z"\nb = <<EOT\n  %{~ if true ~}\n  yes\n  %{~ endif ~}\nEOT\n'],
  ];
  it.each(snippets)("%s", async (_name, text) => {
    const ours = parseText(text);
    expect(ours.diagnostics).toEqual([]);
    const problems: string[] = [];
    agree(bodyJson(ours.file.body), await oracleParse("snippet.hcl", text), "$", problems);
    expect(problems).toEqual([]);
  });

  it("the comparison can fail: a changed value is caught", async () => {
    const text = 'a = "x"\nb { c = [1, 2] }\n';
    const theirs = await oracleParse("t.hcl", text);
    const problems: string[] = [];
    agree(bodyJson(parseText('a = "y"\nb { c = [1, 3] }\n').file.body), theirs, "$", problems);
    expect(problems).toEqual(['$.a: ours "y", oracle "x"', "$.b[0].c[1]: ours 3, oracle 2"]);
  });
});
