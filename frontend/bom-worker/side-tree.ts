import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  customName,
  Definition,
  fromDefinition,
  image,
  mergeConstraints,
  mkfile,
  onPlatform,
  scratch,
  type BindMount,
  type Constraints,
  type Platform,
  type State,
} from "../../llb/index.js";
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

export interface WorkerImageOptions {
  /** The build imports a cache (`cache-imports`, from `--cache-from`): the worker's root is then an op of slipway's own (see `ownImageOp`). */
  readonly cacheImports: boolean;
}

const DEFAULT_WORKER_IMAGE_OPTIONS: WorkerImageOptions = Object.freeze({ cacheImports: false });

/**
 * The frontend's own image, as BuildKit hands it to the frontend, with the worker's command: the node
 * running this frontend and `bom-worker.cjs` beside its entry. Undefined outside a BuildKit container.
 *
 * Without cache imports the worker runs in BuildKit's op verbatim, the vertex BuildKit solved to start
 * this frontend, so the image's cache key is already there when the facts are read, rather than
 * computed again for another vertex beside the base image's (bench/RESULTS.md, "Issue 15, tenth stop").
 */
export function currentFrontendImage(path = FRONTEND_DEFINITION, options: WorkerImageOptions = DEFAULT_WORKER_IMAGE_OPTIONS): WorkerImage | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  const definition = Definition.fromBytes(bytes);
  const entry = process.argv[1] ?? "/slipway/frontend.cjs";
  const root = options.cacheImports ? ownImageOp(definition) : fromDefinition(definition);
  return { root, platform: definition.headPlatform(), command: [process.execPath, join(dirname(entry), "bom-worker.cjs")] };
}

/** The image attrs `ownImageOp` carries over; any other attr leaves the definition as BuildKit gave it. */
const IMAGE_ATTRS = new Set(["image.recordtype", "image.resolvemode", "image.layerlimit", "image.checksum"]);

/**
 * The frontend's image as an op of slipway's own (record type `internal`), for a build that imports a
 * cache. BuildKit solved its own op to start this frontend, before any solve of slipway's and without the
 * build's cache imports; BuildKit before v0.32 (moby/buildkit 12d4b6375) gives a consumer that subscribes
 * to an edge already completed by executing none of its cache keys. The worker's exec, whose rootfs has
 * no content key, then never matched its record from `--cache-from` and ran again after a prune. The
 * record type is no part of an image source's cache key (the manifest digest and platform are), so this
 * op has the same key under another vertex digest: BuildKit loads it in slipway's solve, with the cache
 * imports, and the exec matches through it. Without a cache import the local cache is all there is, and
 * the exec matches its record there either way (a build after a prune runs it once, as it must).
 */
function ownImageOp(definition: Definition): State {
  const source = definition.loneImageSource();
  if (!source || [...source.attrs.keys()].some((k) => !IMAGE_ATTRS.has(k))) return fromDefinition(definition);
  const { attrs } = source;
  const resolveMode = attrs.get("image.resolvemode");
  const layerLimit = attrs.get("image.layerlimit");
  const checksum = attrs.get("image.checksum");
  return image(source.ref, {
    recordType: "internal",
    ...(source.platform && { platform: source.platform }),
    ...((resolveMode === "pull" || resolveMode === "local") && { resolveMode }),
    ...(layerLimit !== undefined && { layerLimit: Number(layerLimit) }),
    ...(checksum !== undefined && { checksum }),
  });
}

export interface FactsInput {
  readonly request: BomRequest;
  /** The image's root filesystem before its declared files: its dpkg database and accounts are read there. */
  readonly installed: State;
  /** The base image, when there is one: its OS release and packages are read from it. */
  readonly base?: State;
  /** The build context holding the tarballs the request names. */
  readonly context?: State;
  /** For each of `request.files`, a state holding just that file at its destination. */
  readonly files: readonly State[];
  readonly worker: WorkerImage;
  /** Added to the exec (the image's source location, no-cache). */
  readonly constraints?: Constraints;
}

/**
 * The BOM's measured facts: one exec in the frontend's own image, no network, that reads the image before
 * its declared files, its base, the tarballs and a copy of each file the frontend does not measure itself,
 * all mounted read-only, and writes `FACTS_FILE`. Nothing it mounts depends on a context file, so editing
 * one leaves it cached; BuildKit caches it by the request and the mounted states.
 */
export function bomFacts(input: FactsInput): State {
  const { request, worker } = input;
  if (input.files.length !== request.files.length) throw new Error("bug: one state per measured file");
  const requestDir = scratch().file(mkfile(`/${REQUEST_FILE}`, 0o444, JSON.stringify(request)), customName("[internal] bill of materials request"));
  // Keyed by what the mounts are made from, not by their content: by default BuildKit hashes every file
  // of a read-only mount before the exec may run (its cache key), ~1 s for an image with debian-tools'
  // packages on a cold build, and the states are pinned by digest already.
  const readOnly = (dest: string, source: State): BindMount => ({ kind: "bind", dest, source, readonly: true, contentCache: "off" });
  const mounts: BindMount[] = [
    readOnly(WORKER_LAYOUT.request, requestDir),
    readOnly(WORKER_LAYOUT.image, input.installed),
    ...(input.base ? [readOnly(WORKER_LAYOUT.base, input.base)] : []),
    ...(input.context ? [readOnly(WORKER_LAYOUT.context, input.context)] : []),
    ...input.files.map((source, i) => readOnly(`${WORKER_LAYOUT.files}/${i}`, source)),
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
      customName(`[slipway] bill of materials: measure packages${files > 0 ? ` and ${files} file${files === 1 ? "" : "s"}` : ""}`),
      worker.platform ? onPlatform(worker.platform) : {},
      input.constraints,
    ),
  });
  return exec.getMount(WORKER_LAYOUT.out);
}
