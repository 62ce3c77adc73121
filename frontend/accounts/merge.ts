import { errorAt, type Diagnostic, type Image, type Located, type Result } from "../../grammar/index.js";
import { accountIndex, formatAccountFile, parseAccountFile, type AccountFile, type AccountLine } from "./files.js";

/** One account file of the base image as read: its text and, from its stat, mode and owner. */
export interface BaseAccountFile {
  readonly text: string;
  /** Permission bits. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

/** What the base image has at a path where a declared user's home would be made. */
export interface ExistingPath {
  readonly directory: boolean;
  /** Permission bits. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

/**
 * The base image's account files (a missing one, on scratch or a distroless base, is absent), and which
 * of the homes to be made the base has already (only those looked for; none when not looked for).
 */
export type BaseAccounts = Partial<Record<AccountFile, BaseAccountFile>> & {
  readonly existing?: ReadonlyMap<string, ExistingPath>;
};

/** What the image's account files become, and the home directories to create. */
export interface AccountsPlan {
  /** All four files, in a fixed order, each with the mode and owner it keeps (or gets, when new). */
  readonly files: readonly { readonly path: AccountFile; readonly text: string; readonly mode: number; readonly uid: number; readonly gid: number }[];
  readonly homes: readonly { readonly path: string; readonly uid: number; readonly gid: number }[];
  /** The accounts the declaration adds, in declared order. */
  readonly users: readonly { readonly name: string; readonly uid: number; readonly gid: number }[];
  readonly groups: readonly { readonly name: string; readonly gid: number }[];
}

const DAY = 86400;

/**
 * The base image's account files with the image's declared groups and users added after the base's
 * entries, in declared order: locked passwords (`!` in /etc/shadow, `*` in /etc/gshadow) and the
 * build's epoch, in days, as the last password change. A supplementary group of the base gains the user
 * at the end of its member list. A name or id the base has already, or a group that is neither declared
 * nor the base's, is a located error (all are reported together, and there is no plan).
 */
export function planAccounts(image: Image, base: BaseAccounts, epoch: number): Result<AccountsPlan | undefined> {
  const lines = (path: AccountFile) => parseAccountFile(path, base[path]?.text ?? "");
  const passwd = lines("/etc/passwd");
  const group = lines("/etc/group");
  const shadow = lines("/etc/shadow");
  const gshadow = lines("/etc/gshadow");
  const baseUsers = accountIndex(passwd);
  const baseGroups = accountIndex(group);
  const diagnostics: Diagnostic[] = [];
  const clash = (what: Located<unknown>, kind: string, owner: string | undefined) => {
    const detail = owner === undefined ? `The base image has the ${kind} ${String(what.value)} already.` : `The base image's ${owner} has the ${kind} ${String(what.value)} already.`;
    diagnostics.push(errorAt(what.range, "Account clash", detail, { hint: `Choose another ${kind}: the base image's accounts are kept as they are.` }));
  };

  const declaredGroups = image.groups ?? [];
  const gids = new Map<string, number>();
  for (const g of declaredGroups) {
    if (baseGroups.names.has(g.name.value)) clash(g.name, "group name", undefined);
    if (baseGroups.ids.has(g.gid.value)) clash(g.gid, "gid", `group "${baseGroups.ids.get(g.gid.value)}"`);
    gids.set(g.name.value, g.gid.value);
  }
  const gidOf = (name: Located<string>): number | undefined => {
    const declared = gids.get(name.value);
    if (declared !== undefined) return declared;
    const line = group.find((l) => l.fields?.[0] === name.value);
    if (line && /^\d+$/.test(line.fields![2]!)) return Number(line.fields![2]);
    diagnostics.push(errorAt(name.range, "Unknown group", `No group "${name.value}" is declared in this image or found in the base image's /etc/group.`, { hint: `Declare it: group "${name.value}" { gid = … }.` }));
    return undefined;
  };

  const users: { name: string; uid: number; gid: number }[] = [];
  const homes: { path: string; uid: number; gid: number }[] = [];
  const homeOwners = new Map<string, string>();
  const members = new Map<string, string[]>();
  for (const u of image.users ?? []) {
    if (baseUsers.names.has(u.name.value)) clash(u.name, "user name", undefined);
    if (baseUsers.ids.has(u.uid.value)) clash(u.uid, "uid", `user "${baseUsers.ids.get(u.uid.value)}"`);
    const gid = gidOf(u.group);
    for (const g of u.groups) {
      if (gidOf(g) !== undefined) members.set(g.value, [...(members.get(g.value) ?? []), u.name.value]);
    }
    if (gid === undefined) continue;
    const home = homeOf(u);
    users.push({ name: u.name.value, uid: u.uid.value, gid });
    if (u.createHome?.value ?? true) {
      const problem = homeProblem(home, u.name.value, base.existing?.get(home), homeOwners.get(home));
      if (problem) diagnostics.push(errorAt((u.home ?? u.name).range, problem.summary, problem.detail, { hint: problem.hint }));
      homeOwners.set(home, homeOwners.get(home) ?? u.name.value);
      homes.push({ path: home, uid: u.uid.value, gid });
    }
    passwd.push(entry([u.name.value, "x", String(u.uid.value), String(gid), "", home, u.shell?.value ?? "/bin/sh"]));
    shadow.push(entry([u.name.value, "!", String(Math.floor(epoch / DAY)), "0", "99999", "7", "", "", ""]));
  }
  if (diagnostics.length > 0) return { value: undefined, diagnostics };

  const groups = declaredGroups.map((g) => ({ name: g.name.value, gid: g.gid.value }));
  const { newGroup, newGshadow } = withGroups(group, gshadow, groups, members);
  const shadowGid = accountIndex(newGroup).names.has("shadow") ? Number(newGroup.find((l) => l.fields?.[0] === "shadow")!.fields![2]) : 0;
  const file = (path: AccountFile, out: readonly AccountLine[], mode: number, gid: number) => {
    const b = base[path];
    return { path, text: formatAccountFile(out), mode: b?.mode ?? mode, uid: b?.uid ?? 0, gid: b?.gid ?? gid };
  };
  const files = [
    file("/etc/passwd", passwd, 0o644, 0),
    file("/etc/group", newGroup, 0o644, 0),
    file("/etc/shadow", shadow, 0o640, shadowGid),
    file("/etc/gshadow", newGshadow, 0o640, shadowGid),
  ];
  return { value: { files, homes, users, groups }, diagnostics: [] };
}

/** A user's home: declared, or /home/NAME. */
export function homeOf(user: NonNullable<Image["users"]>[number]): string {
  return user.home?.value ?? `/home/${user.name.value}`;
}

/** The homes `image` makes: its users' without `create_home = false`. */
export function homesMade(image: Image): string[] {
  return (image.users ?? []).filter((u) => u.createHome?.value ?? true).map(homeOf);
}

/**
 * Why a home cannot be made at `path`, if it cannot: a directory made where one exists keeps its owner
 * and mode (BuildKit's mkdir, like `useradd -m`, leaves an existing directory as it is), so the user
 * would not own the home the declaration says it gets; the same holds for a home another declared user
 * gets first.
 */
function homeProblem(path: string, user: string, existing: ExistingPath | undefined, takenBy: string | undefined): { summary: string; detail: string; hint: string } | undefined {
  const hint = "Set create_home = false to use it as it is, or choose a home of its own.";
  if (takenBy !== undefined) {
    return { summary: "Home taken", detail: `The user "${takenBy}" gets ${path} as its home already; one directory has one owner.`, hint };
  }
  if (existing === undefined) return undefined;
  const what = existing.directory
    ? `a directory owned by ${existing.uid}:${existing.gid}, mode ${existing.mode.toString(8).padStart(4, "0")}`
    : "and it is not a directory";
  return {
    summary: "Home exists in the base image",
    detail: `The base image has ${path} already (${what}); slipway makes a home only where there is none, so it would not be the user "${user}"'s.`,
    hint,
  };
}

/** Base groups gain their new members at the end of their lists, in place; the declared groups follow, with theirs. */
function withGroups(group: AccountLine[], gshadow: AccountLine[], declared: readonly { name: string; gid: number }[], members: ReadonlyMap<string, string[]>) {
  const withMembers = (l: AccountLine): AccountLine => {
    const added = l.fields && members.get(l.fields[0]!);
    if (!added) return l;
    const fields = [...l.fields!];
    fields[3] = [...fields[3]!.split(",").filter((m) => m !== ""), ...added].join(",");
    return { text: l.text, fields };
  };
  const newGroup = group.map(withMembers);
  const newGshadow = gshadow.map(withMembers);
  for (const g of declared) {
    const m = (members.get(g.name) ?? []).join(",");
    newGroup.push(entry([g.name, "x", String(g.gid), m]));
    newGshadow.push(entry([g.name, "*", "", m]));
  }
  return { newGroup, newGshadow };
}

function entry(fields: string[]): AccountLine {
  return { text: fields.join(":"), fields };
}
