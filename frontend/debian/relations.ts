import type { VersionOperator } from "./version.js";

/**
 * Relationship fields (Debian Policy §7.1): `Depends: libc6 (>= 2.34), mawk | awk, python3:any`.
 * A field is a list of groups that must all hold; a group is a list of alternatives of which one must.
 */

export interface Relation {
  readonly name: string;
  /** `any`, `native` or an architecture name, from `name:qualifier`. */
  readonly archQualifier?: string;
  readonly operator?: VersionOperator;
  readonly version?: string;
}

/** Alternatives separated by `|`; the first satisfiable one is chosen. */
export type RelationGroup = readonly Relation[];

export interface RelationSyntaxError {
  readonly text: string;
  readonly message: string;
}

export interface ParseRelationsOptions {
  /** Drop relations whose `[arch …]` restriction excludes this architecture (e.g. `amd64`). */
  readonly architecture?: string;
}

const relationPattern =
  /^([a-z0-9][a-z0-9+.-]*)(?::([a-z0-9-]+))?\s*(?:\(\s*(<<|<=|>=|>>|=|<|>)\s*([A-Za-z0-9][^)\s]*)\s*\))?\s*(?:\[([^\]]*)\])?\s*((?:<[^>]*>\s*)*)$/;

/**
 * Parses a relationship field. Malformed relations are reported in `errors` and left out, so one bad
 * stanza in a repository does not hide every other package.
 */
export function parseRelations(
  text: string | undefined,
  options: ParseRelationsOptions = {},
): { groups: RelationGroup[]; errors: RelationSyntaxError[] } {
  const groups: RelationGroup[] = [];
  const errors: RelationSyntaxError[] = [];
  if (!text) return { groups, errors };
  for (const rawGroup of text.split(",")) {
    const trimmedGroup = rawGroup.trim();
    if (trimmedGroup === "") continue;
    const group: Relation[] = [];
    for (const rawAlt of trimmedGroup.split("|")) {
      const alt = rawAlt.replace(/\s+/g, " ").trim();
      const m = relationPattern.exec(alt);
      if (!m) {
        errors.push({ text: alt, message: `cannot parse relation "${alt}"` });
        continue;
      }
      const [, name, qualifier, op, version, archList] = m;
      if (archList !== undefined && options.architecture && !archAllowed(archList, options.architecture)) continue;
      group.push({
        name: name!,
        ...(qualifier ? { archQualifier: qualifier } : {}),
        ...(op ? { operator: normaliseOperator(op), version: version! } : {}),
      });
    }
    if (group.length > 0) groups.push(group);
  }
  return { groups, errors };
}

/** Old single-character operators mean "or equal" (Policy §7.1: deprecated `<` and `>`). */
function normaliseOperator(op: string): VersionOperator {
  if (op === "<") return "<=";
  if (op === ">") return ">=";
  return op as VersionOperator;
}

function archAllowed(list: string, architecture: string): boolean {
  const archs = list.trim().split(/\s+/);
  const negated = archs.every((a) => a.startsWith("!"));
  if (negated) return !archs.includes(`!${architecture}`) && !archs.includes("!any");
  return archs.includes(architecture) || archs.includes("any") || archs.includes(`linux-${architecture}`);
}

/** `libcurl4 (= 7.88.1-10)`, `python3:any`, the way apt and Policy print a relation. */
export function formatRelation(r: Relation): string {
  const q = r.archQualifier ? `:${r.archQualifier}` : "";
  return r.operator ? `${r.name}${q} (${r.operator} ${r.version})` : `${r.name}${q}`;
}

/** `mawk | awk`. */
export function formatGroup(g: RelationGroup): string {
  return g.map(formatRelation).join(" | ");
}
