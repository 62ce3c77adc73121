import { isSpdxExpression, licenseRefFor, spdxException, spdxForDebianName } from "./licence-names.js";

/**
 * A Debian package's `/usr/share/doc/<package>/copyright`, read for the licence its authors declared.
 *
 * - Machine-readable files (copyright-format 1.0, "DEP-5": a first paragraph with `Format:`): every
 *   `Files` paragraph's `License` synopsis becomes an SPDX expression with DEP-5's precedence (`and`
 *   binds tighter than `or`; a comma before the operator regroups: "A or B, and C" is (A OR B) AND C),
 *   names mapped by `spdxForDebianName`; the package declares the AND of them all. A name SPDX has no id
 *   for becomes `LicenseRef-…`, with its text from the stand-alone `License` paragraph of that name.
 * - Other files count only when they point at exactly one file of `/usr/share/common-licenses`; a GNU
 *   licence is "or later" when the file says "any later version". Anything else is NOASSERTION: the
 *   reader never guesses a licence from prose.
 */
export interface CopyrightLicence {
  /** The SPDX licence expression; undefined means NOASSERTION. */
  readonly declared?: string;
  /** The LicenseRefs `declared` uses, with their texts, sorted by id. */
  readonly extracted: readonly ExtractedLicence[];
  readonly format: "dep5" | "common-licenses" | "unknown";
}

export interface ExtractedLicence {
  /** `LicenseRef-…` */
  readonly id: string;
  /** The name as the copyright file wrote it, e.g. `public-domain`. */
  readonly name: string;
  readonly text: string;
}

/** Copyright files larger than this are not read (Debian 12's largest is about 1 MiB). */
export const MAX_COPYRIGHT_BYTES = 4 * 1024 * 1024;

export function readCopyright(bytes: Uint8Array | string): CopyrightLicence {
  const text = typeof bytes === "string" ? bytes : new TextDecoder("utf-8").decode(bytes);
  const paragraphs = parseParagraphs(text);
  const header = paragraphs[0];
  if (header?.has("format") && !header.has("files")) return readDep5(text, paragraphs);
  return readCommonLicenses(text);
}

/** Where a field's value is in the text: after the colon up to the end of its last continuation line. */
interface Span {
  readonly start: number;
  end: number;
}

/** A paragraph's fields (lower-case names): spans into the text, so most licence texts are never copied. */
type Paragraph = Map<string, Span>;

/**
 * deb822 paragraphs: `Field: value` with indented continuation lines, blank lines between paragraphs.
 * One pass with indexOf and no string per line: an image has megabytes of copyright text and most of it
 * is licence prose nobody asks for.
 */
function parseParagraphs(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  let current: Paragraph | undefined;
  let field: Span | undefined;
  for (let pos = 0; pos < text.length; ) {
    let eol = text.indexOf("\n", pos);
    if (eol < 0) eol = text.length;
    const c = text.charCodeAt(pos);
    if (isBlank(text, pos, eol)) {
      current = undefined;
      field = undefined;
    } else if (c === 32 || c === 9) {
      if (field !== undefined) field.end = eol;
    } else if (c !== 35 /* # comment */) {
      const colon = text.indexOf(":", pos);
      field = undefined;
      if (colon > pos && colon < eol && !/\s/.test(text.slice(pos, colon))) {
        if (current === undefined) out.push((current = new Map()));
        field = { start: colon + 1, end: eol };
        current.set(text.slice(pos, colon).toLowerCase(), field);
      }
    }
    pos = eol + 1;
  }
  return out;
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** A License field's synopsis (its first line, spaces collapsed). */
function synopsisOf(text: string, span: Span): string {
  const eol = text.indexOf("\n", span.start);
  return text.slice(span.start, eol < 0 || eol > span.end ? span.end : eol).replace(/\s+/g, " ").trim();
}

/** A License field's text (the lines after the synopsis), with DEP-5's ` .` blank lines. */
function licenceText(text: string, span: Span): string {
  const eol = text.indexOf("\n", span.start);
  if (eol < 0 || eol >= span.end) return "";
  return text
    .slice(eol + 1, span.end)
    .split("\n")
    .map((l) => (l.trim() === "." ? "" : l.replace(/\r$/, "").replace(/^[ \t]/, "")))
    .join("\n")
    .trim();
}

function readDep5(source: string, paragraphs: readonly Paragraph[]): CopyrightLicence {
  const texts = new Map<string, Span>();
  for (const p of paragraphs.slice(1)) {
    const licence = p.get("license");
    if (p.has("files") || licence === undefined) continue;
    const synopsis = synopsisOf(source, licence).toLowerCase();
    if (synopsis !== "" && !texts.has(synopsis)) texts.set(synopsis, licence);
  }
  const refs = new Map<string, ExtractedLicence>();
  const conjuncts = new Set<string>();
  const seen = new Set<string>();
  for (const p of paragraphs.slice(1)) {
    const licence = p.get("license");
    if (!p.has("files") || licence === undefined) continue;
    const synopsis = synopsisOf(source, licence);
    if (synopsis === "" || seen.has(synopsis)) continue;
    seen.add(synopsis);
    const ref = (name: string): string => {
      const id = licenseRefFor(name);
      if (!refs.has(id)) {
        const stated = texts.get(name.toLowerCase());
        const text = (stated && licenceText(source, stated)) || licenceText(source, licence) || `The Debian copyright file names the licence "${name}" without its text.`;
        refs.set(id, { id, name, text });
      }
      return id;
    };
    const tree = synopsisTree(synopsis, ref);
    for (const c of typeof tree !== "string" && tree.op === "AND" ? tree.items : [tree]) conjuncts.add(print(c, "AND"));
  }
  if (conjuncts.size === 0) return { extracted: [], format: "dep5" };
  // one conjunct needs no parentheses: `(A OR B)` alone is `A OR B`
  const declared = conjuncts.size === 1 ? [...conjuncts][0]!.replace(/^\((.*)\)$/, "$1") : [...conjuncts].sort().join(" AND ");
  if (!isSpdxExpression(declared)) return { extracted: [], format: "dep5" };
  const tokens = new Set(declared.split(/[ ()]+/));
  const used = [...refs.values()].filter((r) => tokens.has(r.id));
  return { declared, extracted: used.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)), format: "dep5" };
}

type Tree = string | { readonly op: "AND" | "OR"; readonly items: readonly Tree[] };

/**
 * A DEP-5 synopsis as a tree: the lowest level splits at a comma followed by `and`/`or` (left to right),
 * then `or`, then `and`; a bare comma between names reads as `and`, as a list of licences does.
 */
function synopsisTree(synopsis: string, ref: (name: string) => string): Tree {
  const pieces = synopsis.split(/\s*,\s*(?:(and|or)\s+)?/i);
  let tree: Tree = orTree(pieces[0]!, ref);
  for (let i = 1; i + 1 < pieces.length; i += 2) {
    const op = (pieces[i] ?? "and").toUpperCase() as "AND" | "OR";
    tree = { op, items: [tree, orTree(pieces[i + 1]!, ref)] };
  }
  return tree;
}

function orTree(text: string, ref: (name: string) => string): Tree {
  const alternatives = text.split(/\s+or\s+/i).map((alt): Tree => {
    const terms = alt.split(/\s+and\s+/i).map((t) => term(t, ref));
    return terms.length === 1 ? terms[0]! : { op: "AND", items: terms };
  });
  return alternatives.length === 1 ? alternatives[0]! : { op: "OR", items: alternatives };
}

/** One licence name, maybe `with <X> exception`: an SPDX id (WITH an SPDX exception), or a LicenseRef. */
function term(text: string, ref: (name: string) => string): string {
  const name = text.trim();
  const withException = /^(\S+)\s+with\s+(.+?)\s+exception$/i.exec(name);
  if (withException) {
    const id = spdxForDebianName(withException[1]!);
    const exception = spdxException(withException[2]!);
    return id !== undefined && exception !== undefined && !id.includes(" ") ? `${id} WITH ${exception}` : ref(name);
  }
  return spdxForDebianName(name) ?? ref(name);
}

function print(tree: Tree, parent?: "AND" | "OR"): string {
  if (typeof tree === "string") return parent !== undefined && / (AND|OR) /.test(tree) ? `(${tree})` : tree;
  const inner = tree.items.map((t) => print(t, tree.op)).join(` ${tree.op} `);
  return parent !== undefined && parent !== tree.op ? `(${inner})` : inner;
}

/** Debian's common-licenses/BSD is the University of California's 3-clause text. */
const COMMON_ALIASES = new Map([["BSD", "BSD-3-Clause"]]);
/** Prose that grants a licence a common-licenses pointer does not name. */
const OTHER_GRANTS = [/redistribution\s+and\s+use\s+in\s+source\s+and\s+binary\s+forms/i, /permission\s+is\s+hereby\s+granted/i, /permission\s+to\s+use,\s+copy,\s+modify/i, /public\s+domain/i];
const GNU_COMMON = /^(A?GPL|LGPL|GFDL)(?:-(\d+(?:\.\d+)?))?$/;

/**
 * A file that is not DEP-5 declares the licences of the common-licenses files it points at (AND), when
 * each of them is one SPDX id: a GNU licence is "or later" when the text says so next to that version
 * ("version 2 of the License, or (at your option) any later version"), and a bare `GPL` counts only when
 * it is the file's one reference and the text states one version. A file whose prose also grants a
 * licence no pointer names (a BSD or MIT grant, public domain) is NOASSERTION: krb5's file points at
 * GPL-2 for one dual-licensed source file among many BSD ones, and declaring GPL-2.0-or-later there would
 * be false. Otherwise NOASSERTION too.
 */
function readCommonLicenses(text: string): CopyrightLicence {
  const unknown: CopyrightLicence = { extracted: [], format: "unknown" };
  if (!text.includes("/usr/share/common-licenses/") || OTHER_GRANTS.some((g) => g.test(text))) return unknown;
  const prose = text.replace(/\s+/g, " ");
  const names = [...new Set([...prose.matchAll(/\/usr\/share\/common-licenses\/([A-Za-z0-9][A-Za-z0-9.+-]*[A-Za-z0-9+])/g)].map((m) => m[1]!))].sort();
  if (names.length === 0) return unknown;
  const ids: string[] = [];
  for (const name of names) {
    const gnu = GNU_COMMON.exec(name);
    let id: string | undefined;
    if (gnu) {
      let version = gnu[2];
      if (version === undefined) {
        const stated = new Set([...prose.matchAll(/\bversion (\d+(?:\.\d+)?)(?!\d|\.\d)/gi)].map((m) => m[1]!));
        if (names.length !== 1 || stated.size !== 1) return unknown;
        version = [...stated][0]!;
      }
      const later = new RegExp(`\\bversion ${version.replace(/\./g, "\\.")}(?!\\d|\\.\\d)[^.]{0,60}?(?:any later version|or later)`, "i").test(prose);
      id = spdxForDebianName(`${gnu[1]}-${version}${later ? "+" : ""}`);
    } else {
      id = COMMON_ALIASES.get(name) ?? spdxForDebianName(name);
    }
    if (id === undefined) return unknown;
    ids.push(id.includes(" ") ? `(${id})` : id);
  }
  return { declared: [...new Set(ids)].sort().join(" AND "), extracted: [], format: "common-licenses" };
}
