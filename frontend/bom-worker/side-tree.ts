import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  customName,
  Definition,
  fromDefinition,
  mergeConstraints,
  mkfile,
  onPlatform,
  scratch,
  type BindMount,
  type Constraints,
  type Platform,
  type State,
} from "../../llb/index.js";
import { BOM_FILES } from "../bom/names.js";
import type { BomRequest } from "./request.js";
import { REQUEST_FILE, WORKER_LAYOUT } from "./layout.js";

/** Where BuildKit (v0.10 and later) puts the frontend's own image, as a marshalled definition. */
export const FRONTEND_DEFINITION = "/run/config/buildkit/metadata/frontend.bin";

/** The image the BOM worker runs in (the frontend's own), and how to start it there. */
export interface WorkerImage {
  readonly root: State;
  /** The worker's platform: the frontend image runs natively only. */
  readonly platform: Platform | undefined;
  /** argv of the worker inside that image. */
  readonly command: readonly string[];
}

/**
 * The frontend's own image, as BuildKit hands it to the frontend, with the worker's command: the node
 * running this frontend and `bom-worker.cjs` beside its entry. Undefined outside a BuildKit container.
 */
export function currentFrontendImage(path = FRONTEND_DEFINITION): WorkerImage | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  const definition = Definition.fromBytes(bytes);
  const entry = process.argv[1] ?? "/slipway/frontend.cjs";
  return { root: fromDefinition(definition), platform: definition.headPlatform(), command: [process.execPath, join(dirname(entry), "bom-worker.cjs")] };
}

export interface SideTreeInput {
  readonly request: BomRequest;
  /** The built image's root filesystem. */
  readonly image: State;
  /** The base image, when there is one: its OS release and packages are read from it. */
  readonly base?: State;
  /** The build context holding the tarballs the request names. */
  readonly context?: State;
  readonly worker: WorkerImage;
  /** Added to the exec (the image's source location, no-cache). */
  readonly constraints?: Constraints;
}

/**
 * The BOM side-tree: one exec in the frontend's own image, no network, the image, its base and the
 * build context mounted read-only, that measures the added files and writes every document into an
 * empty output directory. BuildKit caches it by the request and the mounted states, so a rebuild that
 * changes nothing measures nothing.
 */
export function bomSideTree(input: SideTreeInput): State {
  const { request, worker } = input;
  const requestDir = scratch().file(mkfile(`/${REQUEST_FILE}`, 0o444, JSON.stringify(request)), customName("[internal] bill of materials request"));
  const mounts: BindMount[] = [
    { kind: "bind", dest: WORKER_LAYOUT.request, source: requestDir, readonly: true },
    { kind: "bind", dest: WORKER_LAYOUT.image, source: input.image, readonly: true },
    ...(input.base ? [{ kind: "bind" as const, dest: WORKER_LAYOUT.base, source: input.base, readonly: true }] : []),
    ...(input.context ? [{ kind: "bind" as const, dest: WORKER_LAYOUT.context, source: input.context, readonly: true }] : []),
    { kind: "bind", dest: WORKER_LAYOUT.out, source: scratch() },
  ];
  const files = request.files.length;
  const exec = worker.root.run({
    args: worker.command,
    cwd: "/",
    user: "0:0",
    network: "none",
    readonlyRootfs: true,
    mounts,
    constraints: mergeConstraints(
      customName(`[slipway] bill of materials: measure ${files} file${files === 1 ? "" : "s"}, write ${Object.values(BOM_FILES).sort().join(", ")}`),
      worker.platform ? onPlatform(worker.platform) : {},
      input.constraints,
    ),
  });
  return exec.getMount(WORKER_LAYOUT.out);
}
