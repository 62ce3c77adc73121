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
  const b = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // One character per byte: the scan compares only ASCII, and positions in it are byte offsets, so only
  // the synopses and the few texts a LicenseRef needs are ever decoded as UTF-8.
  const source = { bytes: b, latin1: b.toString("latin1") };
  const paragraphs = parseParagraphs(source.latin1);
  const header = paragraphs[0];
  if (header !== undefined && isDep5Header(header)) return readDep5(source, paragraphs);
  return readCommonLicenses(UTF8.decode(b));
}

const UTF8 = new TextDecoder("utf-8");

interface Source {
  readonly bytes: Uint8Array;
  readonly latin1: string;
}

/** Where a field's value is in the bytes: after the colon up to the end of its last continuation line. */
interface Span {
  readonly start: number;
  end: number;
}

/** What the reader asks of a paragraph: its (last) `License` field, and whether it has `Files`/`Format`. */
interface Paragraph {
  files?: Span;
  license?: Span;
  format?: Span;
}

function isDep5Header(p: Paragraph): boolean {
  return p.format !== undefined && p.files === undefined;
}

/** The newline that ends a run of continuation lines: the next line is not indented text. */
const RUN_END = /\n(?![ \t][ \t\r]*[^ \t\r\n])/g;

/**
 * deb822 paragraphs: `Field: value` with indented continuation lines, blank lines between paragraphs.
 * Most of a copyright file is licence text in continuation lines, so a run of them is skipped by one
 * regular-expression search, not line by line; and a file whose first paragraph is no DEP-5 header is
 * read no further.
 */
function parseParagraphs(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  let current: Paragraph | undefined;
  let field: Span | undefined;
  // a UTF-8 byte order mark is not part of the first field's name
  for (let pos = text.startsWith("\xef\xbb\xbf") ? 3 : 0; pos < text.length; ) {
    let eol = text.indexOf("\n", pos);
    if (eol < 0) eol = text.length;
    const c = text.charCodeAt(pos);
    if (isBlank(text, pos, eol)) {
      if (out.length === 1 && !isDep5Header(out[0]!)) return out;
      current = undefined;
      field = undefined;
    } else if (c === 32 || c === 9) {
      RUN_END.lastIndex = eol;
      eol = RUN_END.exec(text)?.index ?? text.length;
      if (field !== undefined) field.end = eol;
    } else if (c !== 35 /* # comment */) {
      // searched within the line: a colon far ahead would make a file of colon-less lines quadratic
      const colon = pos + text.slice(pos, eol).indexOf(":");
      field = undefined;
      if (colon > pos) {
        const name = colon - pos <= 7 ? text.slice(pos, colon).toLowerCase() : "";
        const wanted = name === "files" || name === "license" || name === "format";
        // whether another field's name is well formed matters only to whether it opens a paragraph
        if (wanted || (current === undefined && isFieldName(text.slice(pos, colon)))) {
          if (current === undefined) out.push((current = {}));
          field = { start: colon + 1, end: eol };
          if (wanted) current[name as "files" | "license" | "format"] = field;
        }
      }
    }
    pos = eol + 1;
  }
  return out;
}

/** A field name holds no white space (decoded from UTF-8 only when it is not ASCII, for Unicode's spaces). */
function isFieldName(latin1: string): boolean {
  if (!/[^\x21-\x7e]/.test(latin1)) return true;
  return !/[\t-\r ]/.test(latin1) && !/\s/.test(UTF8.decode(Buffer.from(latin1, "latin1")));
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** A License field's synopsis (its first line, spaces collapsed). */
function synopsisOf(source: Source, span: Span): string {
  const eol = source.latin1.indexOf("\n", span.start);
  const end = eol < 0 || eol > span.end ? span.end : eol;
  const line = source.latin1.slice(span.start, end);
  // nearly always ASCII, which needs no decoding
  return (/[^\x00-\x7f]/.test(line) ? UTF8.decode(source.bytes.subarray(span.start, end)) : line).replace(/\s+/g, " ").trim();
}

/** A License field's text (the lines after the synopsis), with DEP-5's ` .` blank lines. */
function licenceText(source: Source, span: Span): string {
  const eol = source.latin1.indexOf("\n", span.start);
  if (eol < 0 || eol >= span.end) return "";
  return UTF8.decode(source.bytes.subarray(eol + 1, span.end))
    .split("\n")
    .map((l) => (l.trim() === "." ? "" : l.replace(/\r$/, "").replace(/^[ \t]/, "")))
    .join("\n")
    .trim();
}

function readDep5(source: Source, paragraphs: readonly Paragraph[]): CopyrightLicence {
  let texts: Map<string, Span> | undefined;
  /** The stand-alone License paragraph of a name (the first, names compared in lower case); only a LicenseRef asks. */
  const standAlone = (name: string): Span | undefined => {
    if (texts === undefined) {
      texts = new Map();
      for (const p of paragraphs.slice(1)) {
        const licence = p.license;
        if (p.files !== undefined || licence === undefined) continue;
        const synopsis = synopsisOf(source, licence).toLowerCase();
        if (synopsis !== "" && !texts.has(synopsis)) texts.set(synopsis, licence);
      }
    }
    return texts.get(name.toLowerCase());
  };
  const refs = new Map<string, ExtractedLicence>();
  const conjuncts = new Set<string>();
  const seen = new Set<string>();
  for (const p of paragraphs.slice(1)) {
    const licence = p.license;
    if (p.files === undefined || licence === undefined) continue;
    const synopsis = synopsisOf(source, licence);
    if (synopsis === "" || seen.has(synopsis)) continue;
    seen.add(synopsis);
    const read = readSynopsis(synopsis);
    for (const name of read.refs) {
      const id = licenseRefFor(name);
      if (refs.has(id)) continue;
      const stated = standAlone(name);
      const text = (stated && licenceText(source, stated)) || licenceText(source, licence) || `The Debian copyright file names the licence "${name}" without its text.`;
      refs.set(id, { id, name, text });
    }
    for (const c of read.conjuncts) conjuncts.add(c);
  }
  if (conjuncts.size === 0) return { extracted: [], format: "dep5" };
  // one conjunct needs no parentheses: `(A OR B)` alone is `A OR B`
  const declared = conjuncts.size === 1 ? [...conjuncts][0]!.replace(/^\((.*)\)$/, "$1") : [...conjuncts].sort().join(" AND ");
  if (!isSpdxExpression(declared)) return { extracted: [], format: "dep5" };
  const tokens = new Set(declared.split(/[ ()]+/));
  const used = [...refs.values()].filter((r) => tokens.has(r.id));
  return { declared, extracted: used.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)), format: "dep5" };
}

/** A synopsis as SPDX: its AND operands, and the names that became LicenseRefs (in the order they occur). */
interface ReadSynopsis {
  readonly conjuncts: readonly string[];
  readonly refs: readonly string[];
}

/** Synopses repeat across an image's copyright files (`GPL-2+` in dozens): each is read once. */
function readSynopsis(synopsis: string): ReadSynopsis {
  let read = synopses.get(synopsis);
  if (read === undefined) {
    const refs: string[] = [];
    const tree = synopsisTree(synopsis, (name) => {
      refs.push(name);
      return licenseRefFor(name);
    });
    const conjuncts = (typeof tree !== "string" && tree.op === "AND" ? tree.items : [tree]).map((c) => print(c, "AND"));
    if (synopses.size >= MAX_SYNOPSES) synopses.clear();
    synopses.set(synopsis, (read = { conjuncts, refs }));
  }
  return read;
}

const synopses = new Map<string, ReadSynopsis>();
const MAX_SYNOPSES = 4096;

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
/** Prose that grants a licence no common-licenses pointer names; a file with any of these is NOASSERTION. */
const OTHER_GRANTS = [/redistribution\s+and\s+use\s+in\s+source\s+and\s+binary\s+forms/i, /permission\s+is\s+hereby\s+granted/i, /permission\s+to\s+use,\s+copy,\s+modify/i];
const POINTER = /\/usr\/share\/common-licenses\/([A-Za-z0-9][A-Za-z0-9.+-]*[A-Za-z0-9+])/g;
const GNU_COMMON = /^(A?GPL|LGPL|GFDL)(?:-(\d+(?:\.\d+)?))?$/;

/**
 * A file that is not DEP-5 declares the licences of the common-licenses files it points at (AND), when
 * each of them is one SPDX id and the file grants nothing else:
 *
 * - A GNU pointer's version comes from the prose: "version N" counts for the GNU licence named just
 *   before it ("the GNU Lesser General Public License as published by …; either version 2.1"), and is
 *   "or later" when the same sentence says "any later version" or "or later". A bare `GPL`/`LGPL`
 *   pointer (Debian's link to the newest version) counts when the file states exactly one version of
 *   that licence, so libsemanage's LGPL-2.1+ library and GPL-2 packaging are two licences, not a guess.
 * - Public domain counts as `LicenseRef-public-domain` (its paragraph as the text) when every mention
 *   says that something is public domain: libselinux's own code is, its two borrowed files are not.
 * - A file whose prose also grants a licence no pointer names (a BSD, MIT or ISC grant) is NOASSERTION:
 *   krb5's file points at GPL-2 for one dual-licensed source file among many BSD ones, and declaring
 *   GPL-2.0-or-later there would be false. So is a file with no pointer, or a pointer without one id.
 */
function readCommonLicenses(text: string): CopyrightLicence {
  const unknown: CopyrightLicence = { extracted: [], format: "unknown" };
  if (!text.includes("/usr/share/common-licenses/") || OTHER_GRANTS.some((g) => g.test(text))) return unknown;
  const prose = text.replace(/\s+/g, " ");
  const names = [...new Set([...prose.matchAll(POINTER)].map((m) => m[1]!))].sort();
  const publicDomain = publicDomainOf(text);
  if (names.length === 0 || publicDomain === null) return unknown;
  const statements = gnuStatements(prose.replace(POINTER, " "));
  const ids: string[] = [];
  for (const name of names) {
    const id = GNU_COMMON.test(name) ? gnuPointer(name, names, statements) : (COMMON_ALIASES.get(name) ?? spdxForDebianName(name));
    if (id === undefined) return unknown;
    ids.push(id.includes(" ") ? `(${id})` : id);
  }
  if (publicDomain !== undefined) ids.push(publicDomain.id);
  return { declared: [...new Set(ids)].sort().join(" AND "), extracted: publicDomain ? [publicDomain] : [], format: "common-licenses" };
}

type Gnu = "GPL" | "LGPL" | "AGPL" | "GFDL";

/** "version N" of a GNU licence the prose names just before it (family undefined when none is near). */
interface GnuStatement {
  readonly family?: Gnu;
  readonly version: string;
  readonly later: boolean;
}

const GNU_NAME = /\b(?:(Lesser|Library|Affero)\s+)?General\s+Public\s+Licen[cs]e\b|\b(Free\s+Documentation\s+Licen[cs]e)\b|\b(A?GPL|LGPL|GFDL|FDL)\b/gi;
const VERSION = /\bversion\s+(\d+(?:\.\d+)?)(?!\d|\.\d)/gi;
/** How far "version N" may follow the licence's name: "… License as published by the Free Software Foundation; either version 2". */
const NAME_TO_VERSION = 100;

function gnuStatements(prose: string): GnuStatement[] {
  const names = [...prose.matchAll(GNU_NAME)].map((m) => ({ end: m.index! + m[0].length, family: familyOf(m) }));
  let next = 0;
  return [...prose.matchAll(VERSION)].map((v) => {
    const at = v.index!;
    // both lists are in text order: one sweep, so a hostile file of names and versions stays linear
    while (next < names.length && names[next]!.end <= at) next++;
    const last = names[next - 1];
    const named = last !== undefined && at - last.end <= NAME_TO_VERSION ? last : undefined;
    const later = /^[^.]{0,60}?(?:any later version|or later)/i.test(prose.slice(at + v[0].length, at + v[0].length + 80));
    return { ...(named ? { family: named.family } : {}), version: v[1]!, later };
  });
}

/** Which GNU licence a GNU_NAME match names: "Lesser"/"Library" is the LGPL, "FDL" the GFDL. */
function familyOf([, prefix, documentation, short]: RegExpMatchArray): Gnu {
  if (documentation !== undefined) return "GFDL";
  if (short !== undefined) return short.toUpperCase() === "FDL" ? "GFDL" : (short.toUpperCase() as Gnu);
  if (prefix === undefined) return "GPL";
  return prefix.toLowerCase() === "affero" ? "AGPL" : "LGPL";
}

/**
 * The SPDX id of a GNU common-licenses pointer (`GPL-2`, or a bare `LGPL`), read with what the prose
 * states of that licence; undefined when a bare pointer's version is not stated exactly once.
 */
function gnuPointer(name: string, names: readonly string[], statements: readonly GnuStatement[]): string | undefined {
  const [, family, pointed] = GNU_COMMON.exec(name)! as unknown as [string, Gnu, string | undefined];
  const own = statements.filter((s) => s.family === family);
  let version = pointed;
  if (version === undefined) {
    const versioned = names.map((n) => GNU_COMMON.exec(n)).filter((m) => m?.[1] === family && m[2] !== undefined).map((m) => m![2]!);
    const stated = new Set([...own.map((s) => s.version), ...versioned]);
    // a file with one pointer and no licence named near a version: the version it states, if only one
    if (stated.size === 0 && names.length === 1) for (const s of statements) stated.add(s.version);
    if (stated.size !== 1) return undefined;
    version = [...stated][0]!;
  }
  const about = own.some((s) => s.version === version) ? own : statements.filter((s) => s.family === undefined);
  const later = about.some((s) => s.version === version && s.later);
  return spdxForDebianName(`${family}-${version}${later ? "+" : ""}`);
}

/**
 * The public-domain dedication of a prose file: undefined when it names none, null when a mention does
 * not plainly say something is public domain ("not in the public domain", "derived from public domain
 * code"), else a LicenseRef whose text is the paragraph that says it.
 */
function publicDomainOf(text: string): ExtractedLicence | null | undefined {
  const mentions = [...text.matchAll(/public\s+domain/gi)];
  if (mentions.length === 0) return undefined;
  const paragraphs = new Set<string>();
  let paragraphEnd = -1;
  for (const m of mentions) {
    const before = text.slice(Math.max(0, m.index! - 40), m.index!);
    if (!/\b(?:is|are|in(?:to)?)\s+(?:the\s+)?$/i.test(before) || /\bnot\b|n't\b/i.test(before)) return null;
    // mentions come in text order: a paragraph is found once, each search ends at the one before
    if (m.index! < paragraphEnd) continue;
    const start = text.lastIndexOf("\n\n", m.index!);
    const end = text.indexOf("\n\n", m.index!);
    paragraphEnd = end < 0 ? text.length : end;
    paragraphs.add(text.slice(start < 0 ? 0 : start, paragraphEnd).trim());
  }
  return { id: "LicenseRef-public-domain", name: "public-domain", text: [...paragraphs].join("\n\n") };
}
