/**
 * Names and hints for characters the scanner cannot use. The hints cover what people actually paste into
 * configuration files: typographic quotes from documents, non-breaking spaces from web pages, single quotes
 * and semicolons from other languages.
 */

const hints: ReadonlyMap<string, string> = new Map([
  ["\u201c", 'Use a straight double quote (") instead of a typographic one.'],
  ["\u201d", 'Use a straight double quote (") instead of a typographic one.'],
  ["\u201e", 'Use a straight double quote (") instead of a typographic one.'],
  ["\u2033", 'Use a straight double quote (") instead.'],
  ["\u2018", 'Strings use straight double quotes (").'],
  ["\u2019", 'Strings use straight double quotes (").'],
  ["'", 'Strings use double quotes ("), not single quotes.'],
  [";", "Attributes are not ended with semicolons; put each attribute on its own line."],
  ["&", 'Did you mean "&&"?'],
  ["|", 'Did you mean "||"?'],
  ["\\", "A backslash only starts an escape sequence inside a quoted string."],
  ["`", 'Strings use double quotes (").'],
]);

function isOddSpace(cp: number): boolean {
  return cp === 0xa0 || cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200b) || cp === 0x202f || cp === 0x205f || cp === 0x3000;
}

/** How to show `chars` in a message (`"@"`, or `U+00A0` for what would be invisible) and what to suggest. */
export function describeChar(chars: string): { name: string; hint?: string } {
  const cps = [...chars].map((c) => c.codePointAt(0)!);
  const first = cps[0]!;
  const visible = cps.every((cp) => cp > 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0) && !isOddSpace(cp) && cp !== 0xfeff);
  const name = visible
    ? `"${chars}"`
    : cps.map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`).join(" ");
  if (isOddSpace(first)) return { name, hint: "It is a non-breaking or other special space; use a regular space." };
  const hint = hints.get(String.fromCodePoint(first));
  return hint === undefined ? { name } : { name, hint };
}
