import type { IToken } from "chevrotain";
import type { Expr, TemplateExpr, TemplatePart, TemplateText } from "./ast.js";
import type { Builder } from "./to-ast.js";
import * as T from "./tokens.js";
import { heredocInfo, tokenEnd } from "./token.js";

/**
 * Quoted strings and heredocs → TemplateExpr, following hclsyntax's template parser step by step:
 * literal pieces are decoded, strip markers (`${~`, `~}`) trim the whitespace next to them, a `<<-` heredoc
 * loses the common leading whitespace of its lines, adjacent literals are joined, and finally `%{ if }` /
 * `%{ for }` directives are nested with their `else`/`endif`/`endfor`. All of this happens here, at parse
 * time, so TemplateText values are final.
 */

/** A template piece as the parser read it. */
export type RawPiece =
  | { readonly kind: "text"; readonly token: IToken }
  | { readonly kind: "interpolation"; readonly open: IToken; readonly expr: Expr; readonly close: IToken }
  | { readonly kind: "if"; readonly open: IToken; readonly condition: Expr; readonly close: IToken }
  | { readonly kind: "for"; readonly open: IToken; readonly names: IToken[]; readonly collection: Expr; readonly close: IToken }
  | { readonly kind: "else" | "endif" | "endfor"; readonly open: IToken; readonly close: IToken };

/** A template piece being processed (values decoded, then trimmed and joined). */
type Piece =
  | { kind: "text"; value: string; start: number; end: number }
  | { kind: "interpolation"; expr: Expr; stripLeft: boolean; stripRight: boolean; start: number; end: number }
  | { kind: "if"; condition: Expr; stripLeft: boolean; stripRight: boolean; start: number; end: number }
  | { kind: "for"; keyVar?: string; valueVar: string; collection: Expr; stripLeft: boolean; stripRight: boolean; start: number; end: number }
  | { kind: "else" | "endif" | "endfor"; stripLeft: boolean; stripRight: boolean; start: number; end: number };

/** `open` is the opening quote or heredoc opener, `close` the closing quote or end marker. */
export function buildTemplate(c: Builder, open: IToken, raw: readonly RawPiece[], close: IToken): TemplateExpr {
  const heredoc = open.tokenType === T.HeredocOpen ? heredocInfo(open) : undefined;
  const quoted = heredoc === undefined;
  const start = open.startOffset;
  const end = tokenEnd(close);
  // The common case, a plain quoted string, without the general machinery.
  if (raw.length === 1 && raw[0]!.kind === "text" && quoted) {
    const t = raw[0]!.token;
    return { kind: "template", parts: [{ kind: "text", value: decodeQuoted(c, t), range: c.tokenRange(t) }], range: c.range(start, end) };
  }
  const pieces = raw.map((p) => piece(c, p, quoted));
  applyStripMarkers(pieces);
  if (heredoc?.indent) flushHeredoc(pieces);
  const melded = meld(pieces);
  const contentStart = tokenEnd(open);
  const parts = melded.length === 0 ? [{ kind: "text" as const, value: "", range: c.range(contentStart, contentStart) }] : nest(c, melded, close.startOffset);
  return {
    kind: "template",
    parts,
    ...(heredoc !== undefined ? { heredoc: { marker: heredoc.marker, indent: heredoc.indent } } : {}),
    range: c.range(start, end),
  };
}

function piece(c: Builder, p: RawPiece, quoted: boolean): Piece {
  if (p.kind === "text") {
    const t = p.token;
    return { kind: "text", value: quoted ? decodeQuoted(c, t) : decodeHeredoc(t.image), start: t.startOffset, end: tokenEnd(t) };
  }
  const strip = { stripLeft: p.open.image.endsWith("~"), stripRight: p.close.image.startsWith("~"), start: p.open.startOffset, end: tokenEnd(p.close) };
  switch (p.kind) {
    case "interpolation":
      return { kind: "interpolation", expr: p.expr, ...strip };
    case "if":
      return { kind: "if", condition: p.condition, ...strip };
    case "for":
      return {
        kind: "for",
        ...(p.names.length === 2 ? { keyVar: p.names[0]!.image } : {}),
        valueVar: p.names[p.names.length - 1]!.image,
        collection: p.collection,
        ...strip,
      };
    default:
      return { kind: p.kind, ...strip };
  }
}

/** `${~` trims the whitespace before it in the literal just before; `~}` trims it in the literal after. */
function applyStripMarkers(pieces: Piece[]): void {
  let trimNext = false;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    if (p.kind === "text") {
      if (trimNext) p.value = p.value.trimStart();
      trimNext = false;
      continue;
    }
    const prev = pieces[i - 1];
    if (p.stripLeft && prev !== undefined && prev.kind === "text") prev.value = prev.value.trimEnd();
    trimNext = p.stripRight;
  }
}

/**
 * `<<-`: find the smallest indentation over the lines (a line's indentation is that of the literal starting
 * it; a line starting with an interpolation counts as 0; blank lines do not count) and remove it from every
 * line-leading literal. Computed on the source text, not on interpolated values.
 */
function flushHeredoc(pieces: Piece[]): void {
  let min = Infinity;
  let lineStart = true;
  const adjust: (Piece & { kind: "text" })[] = [];
  for (const p of pieces) {
    if (lineStart) {
      lineStart = false;
      if (p.kind === "text") {
        const spaces = leadingSpaces(p.value);
        if (spaces === p.value.length - (p.value.endsWith("\n") ? 1 : 0) && p.value.endsWith("\n")) {
          // a blank line: does not count
        } else {
          min = Math.min(min, spaces);
          adjust.push(p);
        }
      } else min = 0;
    }
    if (p.kind === "text" && p.value.endsWith("\n")) lineStart = true;
  }
  if (min === Infinity || min === 0) return;
  for (const p of adjust) {
    p.value = p.value.slice(min);
    p.start += min;
  }
}

function leadingSpaces(s: string): number {
  let i = 0;
  while (i < s.length && s[i] !== "\n" && /\s/.test(s[i]!)) i++;
  return i;
}

function meld(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (p.kind === "text" && last !== undefined && last.kind === "text") {
      last.value += p.value;
      last.end = p.end;
    } else out.push(p);
  }
  return out;
}

/** Nests `if`/`else`/`endif` and `for`/`endfor`; `end` is where the template ends (for unclosed directives). */
function nest(c: Builder, pieces: readonly Piece[], end: number): TemplatePart[] {
  let i = 0;
  const where = (offset: number): string => c.at.where(offset);

  const sequence = (stop: ReadonlySet<string>): TemplatePart[] => {
    const parts: TemplatePart[] = [];
    while (i < pieces.length) {
      const p = pieces[i]!;
      if (stop.has(p.kind)) return parts;
      i++;
      switch (p.kind) {
        case "text":
          parts.push({ kind: "text", value: p.value, range: c.range(p.start, p.end) } satisfies TemplateText);
          break;
        case "interpolation":
          parts.push({ kind: "interpolation", expr: p.expr, stripLeft: p.stripLeft, stripRight: p.stripRight, range: c.range(p.start, p.end) });
          break;
        case "if": {
          const then = sequence(new Set(["else", "endif", "endfor"]));
          let otherwise: TemplatePart[] | undefined;
          let last = pieces[i];
          while (last !== undefined && last.kind === "else") {
            i++;
            if (otherwise !== undefined) c.error(last.start, last.end, "Unexpected else directive", `The if directive at ${where(p.start)} already has an else clause.`);
            otherwise = [...(otherwise ?? []), ...sequence(new Set(["else", "endif", "endfor"]))];
            last = pieces[i];
          }
          let close = end;
          if (last !== undefined && last.kind === "endif") {
            i++;
            close = last.end;
          } else {
            c.error(last?.start ?? end, last?.end ?? end, "Missing endif directive", `The if directive at ${where(p.start)} has no matching %{ endif }.`);
          }
          parts.push({ kind: "if", condition: p.condition, then, ...(otherwise !== undefined ? { else: otherwise } : {}), range: c.range(p.start, close) });
          break;
        }
        case "for": {
          const body = sequence(new Set(["endfor", "endif", "else"]));
          const last = pieces[i];
          let close = end;
          if (last !== undefined && last.kind === "endfor") {
            i++;
            close = last.end;
          } else {
            c.error(last?.start ?? end, last?.end ?? end, "Missing endfor directive", `The for directive at ${where(p.start)} has no matching %{ endfor }.`);
          }
          parts.push({
            kind: "for",
            ...(p.keyVar !== undefined ? { keyVar: p.keyVar } : {}),
            valueVar: p.valueVar,
            collection: p.collection,
            body,
            range: c.range(p.start, close),
          });
          break;
        }
        default:
          c.error(p.start, p.end, `Unexpected ${p.kind} directive`, `There is no open ${p.kind === "endfor" ? "%{ for }" : "%{ if }"} directive for it to ${p.kind === "else" ? "belong to" : "close"}.`);
      }
    }
    return parts;
  };

  const parts: TemplatePart[] = [];
  while (i < pieces.length) {
    parts.push(...sequence(new Set()));
  }
  return parts;
}

/** HCL's quoted-string escapes, plus `$${` → `${` and `%%{` → `%{`. Bad escapes are reported and kept. */
function decodeQuoted(c: Builder, t: IToken): string {
  const raw = t.image;
  if (!raw.includes("\\") && !raw.includes("$${") && !raw.includes("%%{")) return raw;
  let out = "";
  for (let i = 0; i < raw.length; ) {
    const ch = raw[i]!;
    if (ch === "$" || ch === "%") {
      if (raw[i + 1] === ch && raw[i + 2] === "{") {
        out += ch + "{";
        i += 3;
      } else {
        out += ch;
        i++;
      }
      continue;
    }
    if (ch !== "\\") {
      out += ch;
      i++;
      continue;
    }
    const e = raw[i + 1];
    const simple = e === "n" ? "\n" : e === "r" ? "\r" : e === "t" ? "\t" : e === '"' ? '"' : e === "\\" ? "\\" : undefined;
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    const digits = e === "u" ? 4 : e === "U" ? 8 : 0;
    const hex = raw.slice(i + 2, i + 2 + digits);
    const cp = digits > 0 && hex.length === digits && /^[0-9a-fA-F]+$/.test(hex) ? parseInt(hex, 16) : -1;
    if (cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
      out += String.fromCodePoint(cp);
      i += 2 + digits;
      continue;
    }
    const length = digits > 0 ? Math.min(2 + digits, raw.length - i) : e === undefined ? 1 : 2;
    const seq = raw.slice(i, i + length);
    c.error(
      t.startOffset + i,
      t.startOffset + i + length,
      `Invalid escape sequence "${seq}"`,
      digits > 0
        ? `"\\${e}" must be followed by exactly ${digits} hexadecimal digits naming a Unicode code point.`
        : 'The escape sequences are \\n, \\r, \\t, \\", \\\\, \\uNNNN and \\UNNNNNNNN; write "\\\\" for a literal backslash.',
    );
    out += seq;
    i += length;
  }
  return out;
}

/** Heredocs have no backslash escapes; only the template escapes apply. */
function decodeHeredoc(raw: string): string {
  return raw.includes("$${") || raw.includes("%%{") ? raw.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{") : raw;
}
