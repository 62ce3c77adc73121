import { mkdir, type FileAction } from "../../llb/index.js";
import type { AccountsPlan } from "./merge.js";

/**
 * The plan as one chain of file actions (one op, one layer): /etc (for a scratch base; an existing
 * directory is left as it is), the four files, written whole with the mode
 * and owner each had in the base, then each home directory. A home's parents are made first, 0755 and
 * root's, so that only the home itself is the user's (a `makeParents` mkdir gives every directory it
 * creates the owner it is given).
 */
export function accountsAction(plan: AccountsPlan, timestamp: bigint): FileAction {
  let chain = mkdir("/etc", 0o755, { makeParents: true, timestamp });
  for (const f of plan.files) chain = chain.mkfile(f.path, f.mode, f.text, { owner: { user: f.uid, group: f.gid }, timestamp });
  for (const h of plan.homes) {
    const parent = h.path.replace(/\/[^/]*$/, "") || "/";
    if (parent !== "/") chain = chain.mkdir(parent, 0o755, { makeParents: true, timestamp });
    chain = chain.mkdir(h.path, 0o755, { makeParents: true, owner: { user: h.uid, group: h.gid }, timestamp });
  }
  return chain;
}
