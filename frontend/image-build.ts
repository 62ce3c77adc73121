import { createHash } from "node:crypto";
import type { Declaration, Image, ImageReference, Located } from "../grammar/index.js";
import { DiagnosticsError, errorAt } from "../grammar/index.js";
import { copy, customName, ignoreCache, local, mergeConstraints, mkfile, scratch, SourceMap, type FileAction, type Platform, type State } from "../llb/index.js";
import { readBaseFacts, type BaseFacts } from "./base-facts.js";
import { bomInputsOf } from "./bom-inputs.js";
import { buildBom, ESTALEIRO_LABEL, estaleiroLabelValue, writeBomDocuments, type Bom } from "./bom/index.js";
import { measureFiles } from "./collect.js";
import { compileImage, gitKey, type CompileInput, type OciImageConfig, type ResolvedGit, type ResolvedImage, type ResolvedStep } from "./compile/index.js";
import { hasPackages, installPackages, type AptResolution } from "./debian/index.js";
import { gatewayImageFiles } from "./gateway-io.js";
import type { LoadedDeclaration } from "./load.js";
import { solveBase } from "./packages.js";
import { resolveGit } from "./resolve/git.js";
import { resolveImage } from "./resolve/images.js";
import { buildStep } from "./resolve/steps.js";
import type { BuildSession } from "./session.js";

/** One platform's image: its root filesystem ref, config, and bill of materials. */
export interface PlatformImage {
  readonly platform: Platform;
  readonly ref: string;
  readonly config: OciImageConfig;
  readonly bom: Bom;
  /** The side-tree holding the BOM documents (never part of the image unless `bom { path }` asks). */
  readonly bomRef: string;
  readonly resolution: AptResolution | undefined;
}

/** How the packages of an image are resolved: from the indexes, or from the lock. */
export type PackageResolver = (base: ResolvedImage, baseRef: string, platform: Platform) => Promise<AptResolution>;

/**
 * Builds `image` for `platform`: ask BuildKit what must be resolved first (base and other images, git
 * commits, Dockerfile steps, packages), compile to LLB, solve, then measure what was built and write the
 * bill of materials into its side-tree.
 */
export async function buildPlatformImage(
  session: BuildSession,
  loaded: LoadedDeclaration,
  image: Image,
  platform: Platform,
  target: string | undefined,
  resolvePackages: PackageResolver,
  /** The base image digest a lock recorded: the build uses exactly that image, whatever the tag now names. */
  lockedBaseDigest?: string,
): Promise<PlatformImage> {
  const declaration = loaded.declaration;
  const sourceMap = new SourceMap(declaration.file.name, declaration.file.text);

  const [base, images, git, steps] = await session.time("resolve", () => Promise.all([
    image.base.kind === "image" ? resolveImage(session, pinnedByLock(image.base.ref, lockedBaseDigest), platform, "base image") : Promise.resolve(undefined),
    resolveFileImages(session, image, platform),
    resolveFileGit(session, image, platform),
    buildSteps(session, declaration, image, platform),
  ]));
  const baseRef = base ? await session.time("solve base", () => solveBase(session, base, platform)) : undefined;
  const resolution = hasPackages(image) && base && baseRef ? await session.time("packages", () => resolvePackages(base, baseRef, platform)) : undefined;

  const input: CompileInput = {
    declaration,
    image,
    platform,
    sourceMap,
    context: { localName: session.options.contextLocal, sessionId: session.options.sessionId },
    base,
    images,
    git,
    steps,
    ...(resolution && {
      packages: {
        install: (state: State) =>
          installPackages(state, resolution, {
            constraints: mergeConstraints(sourceMap.location(image.apt[0]!.range), session.options.noCache ? ignoreCache() : {}),
          }),
        description: `apt: ${resolution.packages.map((p) => `${p.name} ${p.version}`).join(", ")}`,
      },
    }),
    optionLabels: session.options.labels,
    noCache: session.options.noCache,
  };
  const compiled = compileImage(input);
  let ref = await session.time("solve image", () => session.solve(compiled.state, platform));

  // Measure what was built: nothing in the BOM is taken from the declaration on trust.
  const [tarballs, baseFacts, installed] = await session.time("measure", () =>
    Promise.all([
      hashTarballs(session, image, platform),
      // the resolution has read the base image's dpkg database already
      baseRef ? readBaseFacts(gatewayImageFiles(session, baseRef), resolution?.basePackages.length ? resolution.basePackages : undefined) : Promise.resolve(undefined),
      resolution ? readBaseFacts(gatewayImageFiles(session, ref)) : Promise.resolve(undefined),
    ]),
  );
  const files = await session.time("measure", () => measureFiles(session, ref, compiled.files, { git, images, tarballs }));
  if (resolution && installed) checkInstalled(installed, resolution, image);

  const bomStart = performance.now();
  const bom = buildBom(
    bomInputsOf({ declaration, image, target, platform, base, baseFacts, resolution, files, steps, sourceDateEpoch: sourceDateEpoch(session) }),
  );
  const documents = writeBomDocuments(bom);
  session.timings.set("write bom", (session.timings.get("write bom") ?? 0) + performance.now() - bomStart);
  let documentsAction: FileAction = mkfile(`/${documents[0]!.name}`, 0o644, documents[0]!.content);
  for (const d of documents.slice(1)) documentsAction = documentsAction.mkfile(`/${d.name}`, 0o644, d.content);
  const bomState = scratch().file(documentsAction, customName(`[slipway] bill of materials: ${documents.map((d) => d.name).join(", ")}`));
  const bomRef = await session.time("solve bom", () => session.solve(bomState, platform));

  let config = compiled.config;
  if (image.bom?.path) {
    const dir = image.bom.path.value.replace(/\/+$/, "");
    const withBom = compiled.state.file(
      copy(bomState, "/", `${dir}/`, { copyDirContents: true, createDestPath: true }),
      customName(`[slipway] bill of materials → ${dir}`),
    );
    config = { ...config, history: [...(config.history ?? []), { created_by: `slipway: bill of materials ${dir}`, comment: "slipway" }] };
    ref = await session.solve(withBom, platform);
  }
  if (image.bom?.estaleiroLabel?.value) {
    const labels = { ...(config.config.Labels ?? {}) };
    // opt-in, and never over a label the user set (estaleiro replaced every label with it)
    if (!(ESTALEIRO_LABEL in labels)) labels[ESTALEIRO_LABEL] = estaleiroLabelValue(bom);
    config = { ...config, config: { ...config.config, Labels: labels } };
  }
  return { platform, ref, config, bom, bomRef, resolution };
}

/** The base reference, pinned to the lock's digest unless the declaration pins one itself. */
function pinnedByLock(ref: Located<ImageReference>, digest: string | undefined): Located<ImageReference> {
  if (!digest || ref.value.digest) return ref;
  const name = ref.value.tag ? `${ref.value.domain}/${ref.value.path}:${ref.value.tag}` : `${ref.value.domain}/${ref.value.path}`;
  return { ...ref, value: { ...ref.value, digest, canonical: `${name}@${digest}` } };
}

async function resolveFileImages(session: BuildSession, image: Image, platform: Platform): Promise<Map<string, ResolvedImage>> {
  const out = new Map<string, ResolvedImage>();
  for (const f of image.files) {
    if (f.source.kind !== "image" || out.has(f.source.image.value.canonical)) continue;
    out.set(f.source.image.value.canonical, await resolveImage(session, f.source.image, platform, "image"));
  }
  return out;
}

async function resolveFileGit(session: BuildSession, image: Image, platform: Platform): Promise<Map<string, ResolvedGit>> {
  const out = new Map<string, ResolvedGit>();
  for (const f of image.files) {
    if (f.source.kind !== "git") continue;
    const key = gitKey(f.source.repository.value, f.source.ref.value);
    if (!out.has(key)) out.set(key, await resolveGit(session, f.source.repository.value, f.source.ref.value, platform, f.source.ref.range));
  }
  return out;
}

async function buildSteps(session: BuildSession, declaration: Declaration, image: Image, platform: Platform): Promise<Map<string, ResolvedStep>> {
  const used = new Set(image.files.flatMap((f) => (f.source.kind === "step" ? [f.source.step.value] : [])));
  const steps = declaration.steps.filter((s) => used.has(s.name.value));
  const built = await Promise.all(steps.map((s) => buildStep(session, s, platform)));
  return new Map(built.map((b) => [b.name, b]));
}

/** sha256 of each tarball the image takes members from, read from the build context. */
async function hashTarballs(session: BuildSession, image: Image, platform: Platform): Promise<Map<string, string>> {
  const names = [...new Set(image.files.flatMap((f) => (f.source.kind === "tarball" ? [f.source.tarball.value] : [])))].sort();
  const out = new Map<string, string>();
  if (names.length === 0) return out;
  const ref = await session.solve(
    local(session.options.contextLocal, {
      sessionId: session.options.sessionId,
      followPaths: names,
      sharedKeyHint: session.options.contextLocal,
      constraints: customName(`[internal] load ${names.join(", ")} from the build context`),
    }),
    platform,
  );
  await Promise.all(
    names.map(async (name) => {
      const data = await session.readFile(ref, name);
      out.set(name, createHash("sha256").update(data).digest("hex"));
    }),
  );
  return out;
}

/**
 * The installed set must be exactly the base's plus what was resolved: a package dpkg did not install, or
 * a different version, means the image is not what the lock and the BOM say.
 */
function checkInstalled(installed: BaseFacts, resolution: AptResolution, image: Image): void {
  const have = new Map(installed.packages.map((p) => [`${p.name}:${p.architecture}`, p.version]));
  const problems: string[] = [];
  for (const p of resolution.packages) {
    const v = have.get(`${p.name}:${p.architecture}`);
    if (v !== p.version) problems.push(`${p.name} ${p.version} (${v === undefined ? "not installed" : `found ${v}`})`);
  }
  if (problems.length > 0) {
    throw new DiagnosticsError([
      errorAt(image.apt[0]!.range, "Packages were not installed as resolved", `After dpkg ran, the image does not hold ${problems.join(", ")}.`),
    ]);
  }
}

function sourceDateEpoch(session: BuildSession): number | undefined {
  const v = session.options.buildArgs.get("SOURCE_DATE_EPOCH");
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}
