import { errorAt, type Range, type Result } from "../../grammar/index.js";
import { ACCOUNT_FILES } from "./files.js";
import type { AccountFile } from "./files.js";
import type { BaseAccountFile, BaseAccounts, ExistingPath } from "./merge.js";

/** Far above any real account file (a base with 100,000 users has a passwd of a few MB). */
const MAX_SIZE = 16 * 2 ** 20;
/** Go's os.FileMode directory bit. */
const GO_MODE_DIR = 2 ** 31;
/** Go's os.FileMode type bits: directory, symlink, device, named pipe, socket, char device, irregular. */
const GO_MODE_TYPE = 2 ** 31 + 2 ** 27 + 2 ** 26 + 2 ** 25 + 2 ** 24 + 2 ** 21 + 2 ** 19;

/** What reading the base's account files needs of the gateway session (frontend/solve's BuildSession). */
export interface BaseReader {
  readDir(ref: string, dir: string): Promise<readonly { readonly path: string; readonly mode: number; readonly size: number; readonly uid: number; readonly gid: number }[] | undefined>;
  readFile(ref: string, path: string): Promise<Uint8Array>;
}

/**
 * The base image's account files, read through the gateway from the solved base `ref`: one ReadDir of
 * /etc for their stats (mode and owner, which the rewritten files keep), then one ReadFile each. A file
 * that is not a regular file, or is too large, is a located error at the base image, and nothing is read.
 */
export async function readBaseAccounts(session: BaseReader, ref: string, at: Range, homes: readonly string[] = []): Promise<Result<BaseAccounts | undefined>> {
  const [etc, existing] = await Promise.all([session.readDir(ref, "/etc"), existingPaths(session, ref, homes)]);
  const entries = new Map((etc ?? []).map((s) => [s.path, s]));
  const files: Partial<Record<AccountFile, BaseAccountFile>> = {};
  for (const path of ACCOUNT_FILES) {
    const stat = entries.get(path.slice("/etc/".length));
    if (!stat) continue;
    const irregular = Math.floor(stat.mode / 2 ** 19) % 2 ** 13 & Math.floor(GO_MODE_TYPE / 2 ** 19);
    if (irregular !== 0 || stat.size > MAX_SIZE) {
      const why = irregular !== 0 ? "not a regular file" : `larger than ${MAX_SIZE / 2 ** 20} MiB`;
      return { value: undefined, diagnostics: [errorAt(at, "Unusable account file", `The base image's ${path} is ${why}; slipway rewrites it to add the declared accounts.`)] };
    }
    const bytes = await session.readFile(ref, path);
    files[path] = { text: new TextDecoder().decode(bytes), mode: stat.mode & 0o777, uid: stat.uid, gid: stat.gid };
  }
  return { value: { ...files, ...(existing.size > 0 && { existing }) }, diagnostics: [] };
}

/**
 * Which of `paths` the base has, read as one ReadDir of each parent (a missing parent reads as none);
 * a home the base has already cannot be made the declared user's (merge.ts).
 */
async function existingPaths(session: BaseReader, ref: string, paths: readonly string[]): Promise<Map<string, ExistingPath>> {
  const parents = [...new Set(paths.map(parentOf))].sort();
  const listed = new Map(await Promise.all(parents.map(async (p) => [p, (await session.readDir(ref, p)) ?? []] as const)));
  const out = new Map<string, ExistingPath>();
  for (const path of [...new Set(paths)].sort()) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    const stat = listed.get(parentOf(path))!.find((s) => s.path === name);
    if (stat) out.set(path, { directory: Math.floor(stat.mode / GO_MODE_DIR) % 2 === 1, mode: stat.mode & 0o777, uid: stat.uid, gid: stat.gid });
  }
  return out;
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}
