/**
 * The four account files as lines of colon-separated fields (passwd(5), group(5), shadow(5), gshadow(5)).
 * A line is kept as it was unless slipway changes it: comments, blank lines, NIS `+`/`-` entries and lines
 * it does not understand pass through byte for byte, so the base's own accounts stay exactly as they were.
 */

export const ACCOUNT_FILES = ["/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow"] as const;
export type AccountFile = (typeof ACCOUNT_FILES)[number];

/** A line of an account file: its fields when it names an account, else only its text. */
export interface AccountLine {
  readonly text: string;
  /** Present for an entry (a name, then at least `minFields - 1` colons); absent for anything else. */
  readonly fields?: readonly string[];
}

/** The entry lines need this many fields to count as accounts (passwd 7, group 4, shadow 9 or fewer in old files). */
const MIN_FIELDS: Record<AccountFile, number> = { "/etc/passwd": 7, "/etc/group": 4, "/etc/shadow": 2, "/etc/gshadow": 4 };

export function parseAccountFile(path: AccountFile, text: string): AccountLine[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((line) => {
    const fields = line.split(":");
    const entry = fields.length >= MIN_FIELDS[path] && fields[0] !== "" && !/^[+\-#]/.test(line);
    return entry ? { text: line, fields } : { text: line };
  });
}

export function formatAccountFile(lines: readonly AccountLine[]): string {
  return lines.map((l) => (l.fields ? l.fields.join(":") : l.text)).map((l) => `${l}\n`).join("");
}

/** The names and ids of a passwd or group file's entries. */
export function accountIndex(lines: readonly AccountLine[]): { names: Set<string>; ids: Map<number, string> } {
  const names = new Set<string>();
  const ids = new Map<number, string>();
  for (const l of lines) {
    if (!l.fields) continue;
    names.add(l.fields[0]!);
    const id = Number(l.fields[2]);
    if (/^\d+$/.test(l.fields[2] ?? "") && !ids.has(id)) ids.set(id, l.fields[0]!);
  }
  return { names, ids };
}
