import type { Block } from "../syntax/ast.js";
import type { GroupDecl, Located, UserDecl } from "../model/declaration.js";
import { errorAt } from "../source/diagnostic.js";
import type { Range } from "../source/pos.js";
import { formatNumber } from "../eval/value.js";
import { STRING } from "../eval/types.js";
import { imagePath } from "./paths.js";
import { content, type BodySchema } from "./schema.js";
import { checkCharacters } from "./text.js";
import { boolAttr, labelValue, locatedItems, numberAttr, stringAttr, type DecodeContext } from "./values.js";

export const GROUP_SCHEMA: BodySchema = { attributes: [{ name: "gid", required: true, example: "gid = 10001" }], blocks: [] };

export const USER_SCHEMA: BodySchema = {
  attributes: [
    { name: "uid", required: true, example: "uid = 10001" },
    { name: "group", required: true, example: 'group = "app"' },
    { name: "groups" },
    { name: "home" },
    { name: "shell" },
    { name: "create_home" },
  ],
  blocks: [],
};

/**
 * What shadow's useradd/groupadd accept by default (NAME_REGEX in Debian's adduser is stricter still): a
 * letter or `_` first, then letters, digits, `_`, `-` and `.`, an optional trailing `$` (Samba machine
 * accounts), at most 32 characters. Anything else (a `:`, a space) would break the account files' lines.
 */
const ACCOUNT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*\$?$/;
const MAX_NAME = 32;
/** uid_t and gid_t are 32 bits; 4294967295 is (uid_t)-1, "no id", which setuid and chown treat specially. */
const MAX_ID = 4294967294;

/** An image's `group "name" { gid }` blocks; duplicates (name or gid) are errors at the second. */
export function decodeGroups(ctx: DecodeContext, blocks: readonly Block[]): GroupDecl[] {
  const out: GroupDecl[] = [];
  const names = new Map<string, Range>();
  const ids = new Map<number, Range>();
  for (const block of blocks) {
    const name = accountName(ctx, block, "group");
    const c = content(block.body, GROUP_SCHEMA, { description: `group "${name?.value ?? "?"}"`, defRange: block.defRange }, ctx.diagnostics);
    const gid = accountId(ctx, numberAttr(ctx, c.attributes.get("gid")), "gid");
    if (!name || !gid) continue;
    const clashes = [duplicate(ctx, names, name, "group name", name.value), duplicate(ctx, ids, gid, "gid", formatNumber(gid.value))];
    if (clashes.includes(true)) continue;
    out.push({ name, gid, range: block.range, defRange: block.defRange });
  }
  return out;
}

/** An image's `user "name" { uid group groups home shell create_home }` blocks. */
export function decodeUsers(ctx: DecodeContext, blocks: readonly Block[]): UserDecl[] {
  const out: UserDecl[] = [];
  const names = new Map<string, Range>();
  const ids = new Map<number, Range>();
  for (const block of blocks) {
    const name = accountName(ctx, block, "user");
    const c = content(block.body, USER_SCHEMA, { description: `user "${name?.value ?? "?"}"`, defRange: block.defRange }, ctx.diagnostics);
    const uid = accountId(ctx, numberAttr(ctx, c.attributes.get("uid")), "uid");
    const group = groupName(ctx, stringAttr(ctx, c.attributes.get("group")));
    const groups = supplementary(ctx, c.attributes.get("groups"));
    const home = absolute(ctx, stringAttr(ctx, c.attributes.get("home")), "The home directory");
    const shell = absolute(ctx, stringAttr(ctx, c.attributes.get("shell")), "The shell");
    const createHome = boolAttr(ctx, c.attributes.get("create_home"));
    if (!name || !uid || !group || !groups || home === null || shell === null) continue;
    const clashes = [duplicate(ctx, names, name, "user name", name.value), duplicate(ctx, ids, uid, "uid", formatNumber(uid.value))];
    if (clashes.includes(true)) continue;
    out.push({
      name,
      uid,
      group,
      groups,
      ...(home && { home }),
      ...(shell && { shell }),
      ...(createHome && { createHome }),
      range: block.range,
      defRange: block.defRange,
    });
  }
  return out;
}

function accountName(ctx: DecodeContext, block: Block, kind: "user" | "group"): Located<string> | undefined {
  const label = labelValue(ctx, block.labels[0]!);
  return label && validName(ctx, label, `The ${kind} name`);
}

function validName(ctx: DecodeContext, name: Located<string>, what: string): Located<string> | undefined {
  if (!checkCharacters(ctx.diagnostics, name, what, "name")) return undefined;
  if (ACCOUNT_NAME.test(name.value) && name.value.length <= MAX_NAME) return name;
  ctx.diagnostics.push(
    errorAt(name.range, "Invalid account name", `${what} ${JSON.stringify(name.value)} is not one that /etc/passwd and /etc/group can hold.`, {
      hint: `Start with a letter or "_", then letters, digits, "_", "-" or "."; at most ${MAX_NAME} characters.`,
    }),
  );
  return undefined;
}

function accountId(ctx: DecodeContext, id: Located<number> | undefined, what: "uid" | "gid"): Located<number> | undefined {
  if (!id) return undefined;
  if (Number.isInteger(id.value) && id.value >= 0 && id.value <= MAX_ID) return id;
  ctx.diagnostics.push(errorAt(id.range, `Invalid ${what}`, `${formatNumber(id.value)} is not a ${what}: a whole number from 0 to ${MAX_ID}.`));
  return undefined;
}

function groupName(ctx: DecodeContext, name: Located<string> | undefined): Located<string> | undefined {
  return name && validName(ctx, name, "The group name");
}

/** `groups = ["audio", "video"]`: each a group name, none twice. Undefined when any is wrong. */
function supplementary(ctx: DecodeContext, attr: Parameters<typeof stringAttr>[1]): Located<string>[] | undefined {
  const items = locatedItems(ctx, attr, STRING);
  if (attr && !items) return undefined;
  const out: Located<string>[] = [];
  const seen = new Map<string, Range>();
  let ok = true;
  for (const item of items ?? []) {
    const name = groupName(ctx, { value: (item.value as { value: string }).value, range: item.range });
    if (!name) ok = false;
    else if (duplicate(ctx, seen, name, "supplementary group", name.value)) ok = false;
    else out.push(name);
  }
  return ok ? out : undefined;
}

/** An absolute path (canonical); undefined when absent, null when wrong (reported). */
function absolute(ctx: DecodeContext, path: Located<string> | undefined, what: string): Located<string> | undefined | null {
  if (!path) return undefined;
  const p = imagePath(ctx, path, what);
  if (!p) return null;
  if (p.value.startsWith("/") && p.value !== "/") return p;
  ctx.diagnostics.push(errorAt(path.range, "Invalid path", `${what} must be an absolute path below the root, not ${JSON.stringify(path.value)}.`, { hint: 'Write e.g. "/home/app".' }));
  return null;
}

/** Reports `located` when `seen` has its value already (true then); else records it. */
function duplicate<K>(ctx: DecodeContext, seen: Map<K, Range>, located: Located<K>, what: string, shown: string): boolean {
  const first = seen.get(located.value);
  if (!first) {
    seen.set(located.value, located.range);
    return false;
  }
  ctx.diagnostics.push(errorAt(located.range, `Duplicate ${what}`, `The ${what} ${shown} is already declared at line ${first.start.line}.`, { context: first }));
  return true;
}
