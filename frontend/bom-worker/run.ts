import { readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readBaseFacts } from "./base-facts.js";
import { buildBom, isBomInputError, writeBomDocuments, type BomInputs } from "../bom/index.js";
import { readImagePackages } from "../debian/status.js";
import { hashTarballs, measureFiles, notInstalledAsResolved, providedNames, requestedNotInstalled } from "./measure.js";
import { REQUEST_FILE, WORKER_LAYOUT } from "./layout.js";
import type { BomRequest } from "./request.js";
import { MountedTree, TreeError } from "./tree.js";

export interface WorkerPaths {
  readonly request: string;
  readonly image: string;
  readonly base: string;
  readonly context: string;
  readonly out: string;
}

/**
 * The worker's whole job: measure what the request names in the mounted trees, check the installed set,
 * build the BOM and write every document into `out`. A problem the user can fix (a package dpkg did not
 * install, a file missing from the image) is a `WorkerError` with the message to print.
 */
export async function runBomWorker(paths: WorkerPaths = WORKER_LAYOUT): Promise<void> {
  const request = JSON.parse(await readFile(join(paths.request, REQUEST_FILE), "utf8")) as BomRequest;
  if (request.version !== 1) throw new Error(`bug: BOM request version ${String(request.version)}`);
  const image = new MountedTree(paths.image);
  const base = request.inputs.base.kind === "image" ? new MountedTree(paths.base) : undefined;

  const [tarballs, baseFacts, installed] = await Promise.all([
    hashTarballs(new MountedTree(paths.context), request.tarballs),
    base ? readBaseFacts(base.asImageFiles()) : undefined,
    request.expectInstalled ? readBaseFacts(image.asImageFiles()) : undefined,
  ]).catch(rethrowTreeError);
  if (installed && request.expectInstalled) {
    const problems = notInstalledAsResolved(installed, request.expectInstalled);
    if (problems.length > 0) throw new WorkerError(`packages were not installed as resolved: after dpkg ran, the image does not hold ${problems.join(", ")}`);
    const withProvides = ((await readImagePackages(image.asImageFiles()).catch(rethrowTreeError)) ?? []).map((p) => ({ ...p, provides: providedNames(p.fields.provides) }));
    const missing = requestedNotInstalled(withProvides, request.expectRequested ?? []);
    if (missing.length > 0) throw new WorkerError(`declared packages are missing from the image: after dpkg ran, it does not hold ${missing.join(", ")}; if the lock left them out, refresh it`);
  }
  const files = await measureFiles(image, request.files, tarballs).catch(rethrowTreeError);

  const inputs: BomInputs = {
    ...request.inputs,
    base:
      request.inputs.base.kind === "image"
        ? { ...request.inputs.base, ...(baseFacts?.os && { os: baseFacts.os }), packages: baseFacts?.packages ?? [] }
        : request.inputs.base,
    files,
  };
  let documents;
  try {
    documents = writeBomDocuments(buildBom(inputs));
  } catch (e) {
    if (isBomInputError(e)) throw new WorkerError(e.message);
    throw e;
  }
  await Promise.all(
    documents.map(async (d) => {
      const file = join(paths.out, d.name);
      await writeFile(file, d.content, { mode: 0o644 });
      await utimes(file, request.mtime, request.mtime);
    }),
  );
}

/** A problem with the build's inputs, not a bug: printed as is. */
export class WorkerError extends Error {
  override name = "WorkerError";
}

function rethrowTreeError(e: unknown): never {
  if (e instanceof TreeError) throw new WorkerError(e.message);
  throw e;
}
