import type { FileEntry, Image, SourceFileDecl } from "../../grammar/index.js";
import { customName, ignoreCache, image, local, mergeConstraints, mkdir, scratch, type Constraints, type FileAction, type State } from "../../llb/index.js";
import { accountsAction } from "../accounts/index.js";
import { installPackages } from "../debian/index.js";
import { epochNanoseconds } from "./epoch.js";
import { contextPathsOf, describeFileSource, fileOrigin } from "./files/index.js";
import { buildImageConfig } from "./image-config.js";
import { globMatch } from "./glob.js";
import type { CompiledImage, CompileInput, PlannedFile } from "./types.js";

export { buildImageConfig, historyEntry } from "./image-config.js";
export * from "./types.js";
export * from "./epoch.js";

/**
 * Declaration → LLB for one image and platform: the base image (or scratch), its packages, then each
 * declared file as its own op (one layer and one history entry each, so a changed file invalidates only
 * what follows it). Pure: everything BuildKit had to resolve first is in `input`.
 */
export function compileImage(input: CompileInput): CompiledImage {
  const { image: decl, sourceMap } = input;
  const always: Constraints = input.noCache ? ignoreCache() : {};
  const added: string[] = [];

  let state: State = input.base
    ? image(input.base.pinned, {
        platform: input.platform,
        config: input.base.config,
        constraints: mergeConstraints(customName(`[slipway] base image ${input.base.pinned}`), locationOfBase(input), always),
      })
    : scratch();

  // before dpkg: a maintainer script's adduser then sees the declared accounts and picks free ids around them
  if (input.accounts) {
    const timestamp = epochNanoseconds(input.epoch);
    let chain = stampAncestors(accountsAction(input.accounts, timestamp), "/etc", timestamp);
    for (const home of input.accounts.homes) chain = stampAncestors(chain, parentOf(home.path), timestamp);
    const names = [...input.accounts.groups.map((g) => `group ${g.name}`), ...input.accounts.users.map((u) => `user ${u.name}`)].join(", ");
    const first = [...(decl.groups ?? []), ...(decl.users ?? [])].sort((a, b) => a.range.start.offset - b.range.start.offset)[0]!;
    state = state.file(chain, mergeConstraints(customName(`[slipway] accounts: ${names}`), sourceMap.location(first.range), always));
    added.push(`accounts: ${names}`);
  }

  if (input.packages) {
    const { resolution, mirrors, vendor } = input.packages;
    const at = decl.apt[0] ? sourceMap.location(decl.apt[0].range) : {};
    state = installPackages(state, resolution, { epoch: input.epoch, constraints: mergeConstraints(at, always), mirrors, ...(vendor && { vendor }) });
    added.push(`apt: ${resolution.packages.map((p) => `${p.name} ${p.version}`).join(", ")}`);
  }

  // the root filesystem before the declared files: the BOM's package facts are measured in it, so a changed
  // file does not measure them again
  const installed = state;
  const contextPaths = [...new Set(decl.files.flatMap((f) => contextPathsOf(f.source)))].sort();
  const context = local(input.context.localName, {
    sessionId: input.context.sessionId,
    followPaths: contextPaths,
    sharedKeyHint: input.context.localName,
    constraints: mergeConstraints(customName(`[internal] load ${contextPaths.length} path${contextPaths.length === 1 ? "" : "s"} from the build context`), always),
  });

  const files: PlannedFile[] = [];
  for (const entry of decl.files) {
    const at = mergeConstraints(sourceMap.location(entry.range), always);
    const origin = fileOrigin(entry.source, { input, entry, context, at });
    const description = `${entry.destination.value} ← ${describeFileSource(entry.source)}`;
    // Parents are made first, 0755 and root's: a copy that creates them itself gives them the file's mode
    // and owner (a 0600 file would leave its directory untraversable).
    const dest = entry.destination.value;
    const parent = parentOf(dest);
    const timestamp = epochNanoseconds(input.epoch);
    const copied = mkdir(parent, 0o755, { makeParents: true, timestamp }).copy(origin.state, origin.path, dest, {
      ...(entry.mode && { mode: entry.mode.value }),
      ...(entry.owner && { owner: entry.owner.value }),
      ...origin.copy,
      timestamp,
    });
    state = state.file(
      stampAncestors(copied, parent, timestamp),
      // No progress group: buildx's plain progress output drops grouped vertices (seen with buildx 0.29).
      mergeConstraints(customName(`[slipway] ${description}`), at),
    );
    added.push(`file ${description}`);
    files.push({ entry, description, sourceFile: sourceFileFor(input, entry), origin });
  }

  const config = buildImageConfig(input.base?.config, decl, input.platform, input.optionLabels, added, input.epoch);
  return { state, installed, config, files, contextPaths };
}

/**
 * The source of the directory stamps: one empty directory, made once and then cached. A copy from
 * scratch would do the same, but BuildKit's file op makes a new empty snapshot for every copy whose
 * source is scratch (a layer made and mounted, on Docker's store); a copy from this op mounts one that
 * exists. The image's file op after an edit: 36 → 21 ms (bench/RESULTS.md, "Issue 15, ninth stop").
 */
const EMPTY_DIRECTORY = scratch().file(mkdir("/empty", 0o755), customName("[internal] an empty directory, to stamp directories with the epoch"));

/**
 * BuildKit stamps what a file action creates, but a directory that already exists and gains an entry
 * keeps the build's clock as its mtime, and the layer carries it (every changed entry brings its parent
 * directories). Copying an empty directory's contents onto a directory that exists sets only its times
 * (fsutil restores the target's timestamp, taking the action's, and leaves its mode and owner alone), so
 * each ancestor of the destination is stamped with the epoch that way, deepest first. All but `/`: no
 * layer holds the root directory (BuildKit's, containerd's and Docker's differs all skip it), so its
 * time reaches no image, and a file at the top level needs no stamp at all.
 */
export function stampAncestors(chain: FileAction, parent: string, timestamp: bigint): FileAction {
  let out = chain;
  for (let dir = parent; dir !== "/"; dir = parentOf(dir)) out = out.copy(EMPTY_DIRECTORY, "/empty", dir, { copyDirContents: true, timestamp });
  return out;
}

function parentOf(path: string): string {
  return path.replace(/\/+$/, "").replace(/\/[^/]*$/, "") || "/";
}

function locationOfBase(input: CompileInput): Constraints {
  const base = input.image.base;
  return input.sourceMap.location(base.kind === "image" ? base.ref.range : base.range);
}

/** The `source_file` block of a step or tarball whose glob matches the file's path (estaleiro's rule). */
function sourceFileFor(input: CompileInput, entry: FileEntry): SourceFileDecl | undefined {
  const src = entry.source;
  let decls: readonly SourceFileDecl[] = [];
  if (src.kind === "step") decls = input.declaration.steps.find((s) => s.name.value === src.step.value)?.sourceFiles ?? [];
  else if (src.kind === "tarball") decls = input.declaration.tarballs.find((t) => t.name.value === src.tarball.value)?.sourceFiles ?? [];
  else return undefined;
  const path = src.path.value;
  return decls.find((d) => globMatch(d.location.value, path));
}

export type { Image };
