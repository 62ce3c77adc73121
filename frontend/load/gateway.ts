import {
  DiagnosticsError,
  errorAt,
  hasErrors,
  SourceFile,
  sortDiagnostics,
  type Declaration,
  type DeclarationArgument,
  type Diagnostic,
  type FileRead,
} from "../../grammar/index.js";
import { customName, local, marshal, type Definition, type Platform } from "../../llb/index.js";
import type { GatewayClient } from "../gateway/index.js";
import type { BuildOptions } from "../gateway/index.js";
import { lockFileName, parseLock, type LockFile } from "../debian/index.js";
import { loadWithReads } from "./reads.js";
import { nodeSha256, solveDefinition, type BuildSession } from "../solve/index.js";

/**
 * The build argument that controls the lock: `update` re-resolves from the repositories' indexes even
 * when a lock exists (the lock target always does). Anything else leaves a present lock in charge.
 */
export const LOCK_MODE_ARG = "SLIPWAY_LOCK";

/** The declaration names BuildKit's `filename` option falls back to, in order. */
export const DEFAULT_FILENAMES = ["slipway.hcl", "estaleiro.hcl"] as const;

export interface LoadedDeclaration {
  readonly declaration: Declaration;
  /** Every file diagnostics may point into (the declaration itself). */
  readonly files: ReadonlyMap<string, SourceFile>;
  /** The lock beside the declaration, if there is one (raw text: frontend/debian validates it). */
  readonly lock: { readonly path: string; readonly text: string } | undefined;
  /** Warnings to show the user. */
  readonly warnings: readonly Diagnostic[];
  /** Files `file()` read from the build context, by path (for the BOM). */
  readonly contextFiles: ReadonlyMap<string, Uint8Array>;
  /** Build arguments no variable declared or read, with the closest name (see `LoadResult.unusedVars`). */
  readonly unusedBuildArgs: readonly { readonly name: string; readonly closest?: string }[];
  /** Every value the declaration takes from build arguments (for `--call outline`). */
  readonly arguments: readonly DeclarationArgument[];
  /**
   * The LLB that read the declaration (the `dockerfile` local), as the Dockerfile frontend gives it: the
   * declaration's source map carries it (`SourceInfo.definition`), and BuildKit's provenance records it
   * beside the declaration's text.
   */
  readonly loadedBy?: Definition;
}

/**
 * The `dockerfile` local with the declaration candidates and the lock beside each, already asked for.
 * Its Solve is sent together with Ping (`requestDeclarationFiles`): the declaration is the first thing
 * every build needs, and a cached rebuild would otherwise wait one more round trip for Ping's answer.
 */
export interface DeclarationFiles {
  readonly candidates: readonly string[];
  readonly lockPaths: readonly string[];
  readonly definition: Definition;
  /** The Solve's ref, or its failure (already handled: it only matters once awaited). */
  readonly ref: Promise<string>;
}

/**
 * Sends the Solve of the declaration's files before the daemon's caps are known. The definition is a single
 * local source with hints only (no cap it could need is missing from a BuildKit that passes Ping's checks);
 * `readDeclaration` still checks it against the caps before it uses the result, and a build that stops at
 * the caps check never reads it.
 */
export function requestDeclarationFiles(client: GatewayClient, options: BuildOptions, platform: Platform): DeclarationFiles {
  const candidates = options.filename ? [options.filename] : [...DEFAULT_FILENAMES];
  const lockPaths = candidates.map((c) => joinRelative(dirOf(c), lockFileName));
  const state = local(options.dockerfileLocal, {
    sessionId: options.sessionId,
    followPaths: [...new Set([...candidates, ...lockPaths])],
    sharedKeyHint: options.dockerfileLocal,
    differ: "none",
    constraints: customName(`[internal] load build definition from ${candidates.join(" or ")}`),
  });
  const definition = marshal(state, { platform, sha256: nodeSha256 });
  const ref = solveDefinition(client, definition, options);
  ref.catch(() => {}); // awaited by readDeclaration, or dropped when the build stops at Ping
  return { candidates, lockPaths, definition, ref };
}

/**
 * Reads the declaration (and the lock beside it) from the `dockerfile` local, evaluates it with the
 * build arguments, and reads the build-context files its `file()` calls name. Throws DiagnosticsError
 * with every problem found.
 */
export async function readDeclaration(session: BuildSession, platform: Platform, files: DeclarationFiles): Promise<LoadedDeclaration> {
  const { options } = session;
  const { candidates, lockPaths } = files;
  // the caps check the early Solve skipped, and the vertex warnings attach to
  session.declarationVertex = session.checkCaps(files.definition).head();
  const ref = await files.ref;

  // Read the candidates (and the lock beside each) at once: one round trip instead of a stat and a read each.
  const [texts, locks] = await Promise.all([
    Promise.all(candidates.map((c) => session.readFileIfPresent(ref, c))),
    Promise.all(lockPaths.map((p) => session.readFileIfPresent(ref, p))),
  ]);
  const found = texts.findIndex((t) => t !== undefined);
  const filename = found >= 0 ? candidates[found] : undefined;
  if (!filename) {
    const what = options.filename ? `"${options.filename}"` : DEFAULT_FILENAMES.map((n) => `"${n}"`).join(" or ");
    throw new DiagnosticsError([
      errorAt(undefined, "Declaration not found", `No ${what} in the build definition directory.`, {
        hint: "pass the declaration with `-f path/slipway.hcl` (docker buildx build) or `--opt filename=…` (buildctl)",
      }),
    ]);
  }
  const text = new TextDecoder().decode(texts[found]!);
  const file = new SourceFile(filename, text);
  session.sourceFiles.set(file.name, file);
  const lockPath = lockPaths[found]!;
  const lockBytes = locks[found];
  const lock = lockBytes ? { path: lockPath, text: new TextDecoder().decode(lockBytes) } : undefined;

  const vars = new Map(options.buildArgs);
  const contextFiles = new Map<string, Uint8Array>();
  const result = await loadWithReads(file, vars, async (paths) => {
    const read = await readContextFiles(session, platform, [...paths]);
    const out = new Map<string, FileRead>();
    for (const [path, data] of read) {
      if (data === null) out.set(path, { kind: "missing" });
      else {
        contextFiles.set(path, data);
        out.set(path, { kind: "text", text: new TextDecoder().decode(data) });
      }
    }
    return out;
  });
  const diagnostics = sortDiagnostics(result.diagnostics);
  if (hasErrors(diagnostics) || !result.value) throw new DiagnosticsError(diagnostics);
  return {
    declaration: result.value,
    files: new Map([[file.name, file]]),
    lock,
    warnings: diagnostics.filter((d) => d.severity === "warning"),
    contextFiles,
    unusedBuildArgs: result.unusedVars ?? [],
    arguments: result.arguments ?? [],
    loadedBy: files.definition,
  };
}

/** The lock beside the declaration, parsed, unless `SLIPWAY_LOCK=update`; problems are located in the lock file. */
export function loadLock(session: BuildSession, loaded: LoadedDeclaration): LockFile | undefined {
  if (!loaded.lock || session.options.buildArgs.get(LOCK_MODE_ARG) === "update") return undefined;
  session.sourceFiles.set(loaded.lock.path, new SourceFile(loaded.lock.path, loaded.lock.text));
  const parsed = parseLock(loaded.lock.text, loaded.lock.path);
  if (!parsed.value) throw new DiagnosticsError(parsed.diagnostics);
  return parsed.value;
}

/** Reads files from the build context; `null` marks a path that does not exist there. */
async function readContextFiles(session: BuildSession, platform: Platform, paths: string[]): Promise<Map<string, Uint8Array | null>> {
  const { options } = session;
  const state = local(options.contextLocal, {
    sessionId: options.sessionId,
    followPaths: paths,
    sharedKeyHint: options.contextLocal,
    constraints: customName(`[internal] load ${paths.length === 1 ? paths[0] : `${paths.length} files`} from the build context`),
  });
  const ref = await session.solve(state, platform);
  const read = await Promise.all(paths.map((p) => session.readFileIfPresent(ref, p)));
  return new Map(paths.map((p, i) => [p, read[i] ?? null]));
}

function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

function joinRelative(dir: string, name: string): string {
  return dir === "" || dir === "." ? name : `${dir}/${name}`;
}
