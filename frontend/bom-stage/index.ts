/**
 * The bill of materials stage: measures what was built and writes the documents into the side-tree,
 * so that editing a context file starts no container.
 *
 * - The worker exec (`bomFacts`) measures what changes rarely: the base image's OS and packages, the
 *   installed set and its package facts, the accounts, tarballs, and every file but the context's, each
 *   from a copy of just that file. It mounts nothing a context file reaches, so it stays cached when one
 *   changes.
 * - The frontend measures the context files through the gateway (a stat and a read): a regular file where
 *   the image's copy reads it, anything else in a copy of just that path, made as the worker's files are.
 *   It waits for neither the image's graph nor its mount.
 * - The frontend joins both and writes the documents with a file op.
 */
import { DiagnosticsError, errorAt, type Declaration, type Image } from "../../grammar/index.js";
import { copy, customName, ignoreCache, image as imageSource, local, mergeConstraints, mkdir, scratch, type FileAction, type Platform, type SourceMap, type State } from "../../llb/index.js";
import type { AccountsPlan } from "../accounts/index.js";
import { bomInputsOf } from "./declared.js";
import { buildBom, isBomInputError, writeBomDocuments, type BomDocument, type BomInputs } from "../bom/index.js";
import { BOM_FILES, ESTALEIRO_LABEL } from "../bom/index.js";
import { bomFacts, FACTS_FILE, measureRequests, plannedTarballs, type BomRequest, type WorkerImage } from "../bom-worker/index.js";
import { historyEntry, stampAncestors, type CompiledImage, type OciImageConfig, type PlannedFile, type ResolvedGit, type ResolvedImage, type ResolvedStep } from "../compile/index.js";
import type { AptResolution } from "../debian/index.js";
import { epochNanoseconds, type BuildEpoch } from "../compile/index.js";
import type { BuildSession } from "../solve/index.js";
import { measureCopied, measureSourceFile } from "./measure-copy.js";

export interface BomStageInput {
  readonly declaration: Declaration;
  readonly image: Image;
  readonly target: string | undefined;
  readonly platform: Platform;
  readonly sourceMap: SourceMap;
  readonly compiled: CompiledImage;
  readonly base: ResolvedImage | undefined;
  readonly resolution: AptResolution | undefined;
  readonly steps: ReadonlyMap<string, ResolvedStep>;
  readonly git: ReadonlyMap<string, ResolvedGit>;
  readonly images: ReadonlyMap<string, ResolvedImage>;
  readonly accounts: AccountsPlan | undefined;
  readonly epoch: BuildEpoch;
  readonly worker: () => WorkerImage;
}

export interface BomStageResult {
  /** The image's root filesystem (with the documents under `bom { path }` when asked). */
  readonly ref: string;
  /** The side-tree holding the documents. */
  readonly bomRef: string;
  /** The compiled config, with the history entry of `bom { path }` and the estaleiro label when asked. */
  readonly config: OciImageConfig;
}

/**
 * Solves the image and its bill of materials: nothing in the BOM is taken from the declaration on trust.
 */
export async function solveWithBom(session: BuildSession, input: BomStageInput): Promise<BomStageResult> {
  const { compiled, image, platform, sourceMap, epoch } = input;
  const inFrontend = compiled.files.filter(measuredByFrontend);
  const inWorker = compiled.files.filter((f) => !measuredByFrontend(f));
  const request = factsRequest(input, inWorker);
  const facts = bomFacts({
    request,
    installed: compiled.installed,
    ...(input.base && { base: imageSource(input.base.pinned, { platform }) }),
    ...(request.tarballs.length > 0 && {
      context: local(session.options.contextLocal, {
        sessionId: session.options.sessionId,
        followPaths: request.tarballs,
        sharedKeyHint: session.options.contextLocal,
        constraints: customName(`[internal] load ${request.tarballs.join(", ")} from the build context`),
      }),
    }),
    files: inWorker.map((f) => fileAlone(f)),
    worker: input.worker(),
    // a failure points at the image and, for a package dpkg did not install as resolved, at its apt block
    constraints: mergeConstraints(
      sourceMap.location(image.name.range),
      image.apt[0] ? sourceMap.location(image.apt[0].range) : {},
      session.options.noCache ? ignoreCache() : {},
    ),
  });

  // independent chains, each started as soon as it can: the facts are read as soon as their solve
  // answers, each context file measured as soon as its copy's does (a first read waits for BuildKit to
  // load that ref's graph; none waits for another's)
  const contextRequests = measureRequests(inFrontend, { git: input.git, images: input.images });
  const [builtRef, measured, contextFiles] = await Promise.all([
    session.time("solve image", () => session.solve(compiled.state, platform)),
    session.time("read bom facts", async () => {
      const factsRef = await session.solve(facts, platform);
      return JSON.parse(Buffer.from(await session.readFile(factsRef, FACTS_FILE)).toString("utf8")) as BomInputs;
    }),
    session.time("measure context files", async () => {
      // the context files share one source (the context's local): solved once for all of them
      const sources = new Map<State, Promise<string>>();
      const sourceRef = (state: State) => sources.get(state) ?? sources.set(state, session.solve(state, platform)).get(state)!;
      const perFile = await Promise.all(
        inFrontend.map(async (planned, i) => {
          const request = contextRequests[i]!;
          const direct = await measureSourceFile(session, { planned, request, ref: await sourceRef(planned.origin.state) });
          return direct ?? measureCopied(session, { planned, request, ref: await session.solve(fileAlone(planned), platform) });
        }),
      );
      return perFile.flat();
    }),
  ]);
  const documents = await session.time("write bom", async () => writeDocuments(image, { ...measured, files: [...(measured.files ?? []), ...contextFiles] }));
  const bomState = scratch().file(documentsAction(documents, epoch.seconds, facts), customName(`[slipway] bill of materials: write ${documents.map((d) => d.name).sort().join(", ")}`));

  let config = compiled.config;
  let ref = builtRef;
  let bomRef: string;
  if (image.bom?.path) {
    const dir = image.bom.path.value.replace(/\/+$/, "");
    const withBom = compiled.state.file(
      stampAncestors(copy(bomState, "/", `${dir}/`, { copyDirContents: true, createDestPath: true, timestamp: epochNanoseconds(epoch.seconds) }), dir, epochNanoseconds(epoch.seconds)),
      customName(`[slipway] bill of materials → ${dir}`),
    );
    config = { ...config, history: [...(config.history ?? []), historyEntry(`bill of materials ${dir}`, epoch.seconds)] };
    [ref, bomRef] = await session.time("solve bom", () => Promise.all([session.solve(withBom, platform), session.solve(bomState, platform)]));
  } else {
    bomRef = await session.time("solve bom", () => session.solve(bomState, platform));
  }
  if (image.bom?.estaleiroLabel?.value) {
    const labels = { ...(config.config.Labels ?? {}) };
    // opt-in, and never over a label the user set (estaleiro replaced every label with it)
    const yaml = documents.find((d) => d.name === BOM_FILES.estaleiro)!.content;
    if (!(ESTALEIRO_LABEL in labels)) labels[ESTALEIRO_LABEL] = Buffer.from(yaml, "utf8").toString("base64");
    config = { ...config, config: { ...config.config, Labels: labels } };
  }
  return { ref, bomRef, config };
}

/**
 * Context files are measured by the frontend: they change on every edit, and a read through the gateway
 * costs far less than a container start. Everything else is the worker's.
 */
function measuredByFrontend(file: PlannedFile): boolean {
  return file.entry.source.kind === "context";
}

function factsRequest(input: BomStageInput, inWorker: readonly PlannedFile[]): BomRequest {
  const { image, resolution, accounts } = input;
  return {
    version: 2,
    inputs: bomInputsOf(input),
    files: measureRequests(inWorker, { git: input.git, images: input.images }),
    tarballs: plannedTarballs(inWorker),
    ...(resolution && {
      expectInstalled: resolution.packages.map((p) => ({ name: p.name, architecture: p.architecture, version: p.version })),
      expectRequested: image.apt.flatMap((a) => a.packages).map((p) => ({ name: p.name.value, ...(p.version && { version: p.version.value }) })),
    }),
    ...(accounts && { accounts: { users: accounts.users.map((u) => u.name), groups: accounts.groups.map((g) => g.name) } }),
  };
}

/**
 * Just the file, copied from where the image's copy takes it, with the same mode and copy options (owners
 * are left out: a name means nothing without the image's account files, and the BOM states no owner).
 * The same copy of the same content pinned by the same source makes the same bytes and mode as the
 * image's, so measuring it states what is in the image, without the image's graph or a mount of it.
 */
function fileAlone(file: PlannedFile): State {
  const dest = file.entry.destination.value;
  const parent = dest.replace(/\/+$/, "").replace(/\/[^/]*$/, "") || "/";
  const { origin } = file;
  const action = mkdir(parent, 0o755, { makeParents: true }).copy(origin.state, origin.path, dest, {
    ...(file.entry.mode && { mode: file.entry.mode.value }),
    ...origin.copy,
  });
  return scratch().file(action, customName(`[internal] bill of materials: ${file.description}`));
}

function writeDocuments(image: Image, inputs: BomInputs): readonly BomDocument[] {
  try {
    return writeBomDocuments(buildBom(inputs));
  } catch (e) {
    if (isBomInputError(e)) throw new DiagnosticsError([errorAt(image.name.range, "Bill of materials refused", e.message)]);
    throw e;
  }
}

/**
 * Every document, 0644, stamped with the epoch so the side-tree's bytes do not vary. The op first copies
 * the facts in and removes them again, which leaves the same tree: the documents are made from the facts,
 * and this input makes the measurement part of the result's graph. A cache export (`--cache-to`) walks
 * only that graph (the image and its attestations, i.e. this side-tree), so without it the measurement
 * was never exported and ran again on every build from a registry cache.
 */
function documentsAction(documents: readonly BomDocument[], epoch: number, facts: State): FileAction {
  const timestamp = epochNanoseconds(epoch);
  const transit = `/.${FACTS_FILE}`;
  let action = copy(facts, `/${FACTS_FILE}`, transit).rm(transit);
  for (const d of documents) action = action.mkfile(`/${d.name}`, 0o644, d.content, { timestamp });
  return action;
}
