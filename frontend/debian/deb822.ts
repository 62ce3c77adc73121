/**
 * deb822 control-file parsing (Packages, Sources, Release, dpkg status): paragraphs separated by blank
 * lines, `Field: value` lines, continuation lines starting with a space or tab.
 *
 * Indexes are large (bookworm's main Packages is 50 MB), so the parser scans the text once with
 * `indexOf` and keeps only the fields the caller asks for; field names are matched case-insensitively
 * as deb822 requires.
 */

/** One paragraph: wanted field names (lowercase) to values. Continuation lines are joined with "\n". */
export type Paragraph = Record<string, string>;

export interface ParagraphVisitor {
  /** `paragraph` holds only wanted fields; `line` is the 1-based line its first field is on. */
  (paragraph: Paragraph, line: number): void;
}

/**
 * Calls `visit` for every paragraph of `text`. `wanted` lists lowercase field names to keep; without it
 * every field is kept. A `-----BEGIN PGP SIGNED MESSAGE-----` armour is not handled here: verify and
 * strip it first (inrelease.ts).
 */
export function forEachParagraph(text: string, visit: ParagraphVisitor, wanted?: ReadonlySet<string>): void {
  // Field names repeat tens of thousands of times; lowercase each distinct spelling once.
  const lowered = new Map<string, string>();
  let pos = 0;
  let line = 0;
  let current: Paragraph | undefined;
  let currentLine = 0;
  let lastField: string | undefined;
  const n = text.length;
  while (pos <= n) {
    let end = text.indexOf("\n", pos);
    if (end < 0) end = n;
    line++;
    let lineEnd = end;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const first = pos < lineEnd ? text.charCodeAt(pos) : -1;
    if (first === 32 || first === 9) {
      if (isBlank(text, pos, lineEnd)) {
        if (current) visit(current, currentLine);
        current = undefined;
        lastField = undefined;
      } else if (lastField !== undefined && current) {
        const cont = text.slice(pos + 1, lineEnd);
        current[lastField] = current[lastField] === "" ? cont : `${current[lastField]}\n${cont}`;
      }
    } else if (first === -1) {
      if (current) visit(current, currentLine);
      current = undefined;
      lastField = undefined;
    } else if (first === 35 /* # comment */) {
      // deb822 allows comment lines in .sources files; indexes never contain them.
    } else {
      // the colon is looked for within this line only: indexOf would scan on to the next colon in the
      // text, and a hostile status file of colon-less lines (`slipway bom` reads an image's) made that
      // quadratic
      let colon = -1;
      for (let i = pos; i < lineEnd; i++) {
        if (text.charCodeAt(i) === 58) {
          colon = i;
          break;
        }
      }
      if (colon < 0) {
        lastField = undefined;
      } else {
        const raw = text.slice(pos, colon);
        let name = lowered.get(raw);
        if (name === undefined) lowered.set(raw, (name = raw.toLowerCase()));
        if (!current) {
          current = {};
          currentLine = line;
        }
        if (wanted === undefined || wanted.has(name)) {
          current[name] = text.slice(colon + 1, lineEnd).trim();
          lastField = name;
        } else {
          lastField = undefined;
        }
      }
    }
    pos = end + 1;
  }
  if (current) visit(current, currentLine);
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** Every paragraph of `text` as an array (convenient for small files: Release, .sources, status). */
export function parseParagraphs(text: string, wanted?: ReadonlySet<string>): Paragraph[] {
  const out: Paragraph[] = [];
  forEachParagraph(text, (p) => out.push(p), wanted);
  return out;
}
