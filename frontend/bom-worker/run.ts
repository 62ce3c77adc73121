import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseAccountFile, type AccountFile } from "../accounts/files.js";
import { readImagePackages, type ImageFiles } from "../debian/dpkg.js";
import { packagesOf, readBaseFacts } from "./base-facts.js";
import type { BomAccounts, BomInputs } from "../bom/index.js";
import { withPackageFacts } from "./package-facts.js";
import { hashTarballs, measureFiles, notInstalledAsResolved, providedNames, requestedNotInstalled } from "./measure.js";
import { FACTS_FILE, REQUEST_FILE, WORKER_LAYOUT } from "./layout.js";
import type { BomRequest } from "./request.js";
import { MountedTree, TreeError } from "./measured-tree.js";

export interface WorkerPaths {
  readonly request: string;
  readonly image: string;
  readonly base: string;
  readonly context: string;
  readonly files: string;
  readonly out: string;
}

/**
 * The worker's whole job: measure what the request names in the mounted trees, check the installed set,
 * and write the measured BOM inputs into `out` (the frontend adds the files it measured itself and writes
 * the documents, so a changed context file needs no exec). A problem the user can fix (a package dpkg did not
 * install, a file missing from the image) is a `WorkerError` with the message to print.
 */
export async function runBomWorker(paths: WorkerPaths = WORKER_LAYOUT): Promise<void> {
  const request = JSON.parse(await readFile(join(paths.request, REQUEST_FILE), "utf8")) as BomRequest;
  if (request.version !== 2) throw new Error(`bug: BOM request version ${String(request.version)}`);
  const image = new MountedTree(paths.image);
  const base = request.inputs.base.kind === "image" ? new MountedTree(paths.base) : undefined;

  const [tarballs, baseFacts, imagePackages] = await Promise.all([
    hashTarballs(new MountedTree(paths.context), request.tarballs),
    base ? readBaseFacts(base.asImageFiles()) : undefined,
    // the built image's dpkg database, read once for the checks below and for the package facts
    readImagePackages(image.asImageFiles()),
  ]).catch(rethrowTreeError);
  if (request.expectInstalled) {
    const installed = imagePackages ?? [];
    const problems = notInstalledAsResolved({ packages: packagesOf(installed) }, request.expectInstalled);
    if (problems.length > 0) throw new WorkerError(`packages were not installed as resolved: after dpkg ran, the image does not hold ${problems.join(", ")}`);
    const withProvides = installed.map((p) => ({ ...p, provides: providedNames(p.fields.provides) }));
    const missing = requestedNotInstalled(withProvides, request.expectRequested ?? []);
    if (missing.length > 0) throw new WorkerError(`declared packages are missing from the image: after dpkg ran, it does not hold ${missing.join(", ")}; if the lock left them out, refresh it`);
  }
  const files = (
    await Promise.all(request.files.map((r, i) => measureFiles(new MountedTree(join(paths.files, String(i))), [r], tarballs))).catch(rethrowTreeError)
  ).flat();
  const accounts = request.accounts && (await readAccounts(image.asImageFiles(), request.accounts).catch(rethrowTreeError));

  const measured: BomInputs = {
    ...request.inputs,
    base:
      request.inputs.base.kind === "image"
        ? { ...request.inputs.base, ...(baseFacts?.os && { os: baseFacts.os }), packages: baseFacts?.packages ?? [] }
        : request.inputs.base,
    files,
    ...(accounts && { accounts }),
  };
  const inputs = await withPackageFacts(measured, { tree: image, installed: imagePackages }, base && { tree: base, installed: baseFacts?.installed }).catch(rethrowTreeError);
  await writeFile(join(paths.out, FACTS_FILE), JSON.stringify(inputs), { mode: 0o644 });
}

/** The built image's users and groups, as its /etc/passwd and /etc/group say, marked when declared. */
async function readAccounts(files: ImageFiles, added: NonNullable<BomRequest["accounts"]>): Promise<BomAccounts> {
  const read = async (path: AccountFile) => parseAccountFile(path, new TextDecoder().decode((await files.readFile(path)) ?? new Uint8Array()));
  const id = (field: string | undefined) => (/^\d+$/.test(field ?? "") ? Number(field) : undefined);
  const users = (await read("/etc/passwd")).flatMap((l) => {
    const [name, , uid, gid, , home, shell] = l.fields ?? [];
    const u = id(uid);
    const g = id(gid);
    return name !== undefined && u !== undefined && g !== undefined ? [{ name, uid: u, gid: g, home: home ?? "", shell: shell ?? "", added: added.users.includes(name) }] : [];
  });
  const groups = (await read("/etc/group")).flatMap((l) => {
    const [name, , gid] = l.fields ?? [];
    const g = id(gid);
    return name !== undefined && g !== undefined ? [{ name, gid: g, added: added.groups.includes(name) }] : [];
  });
  return { users, groups };
}

/** A problem with the build's inputs, not a bug: printed as is. */
export class WorkerError extends Error {
  override name = "WorkerError";
}

function rethrowTreeError(e: unknown): never {
  if (e instanceof TreeError) throw new WorkerError(e.message);
  throw e;
}
