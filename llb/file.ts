/**
 * File actions (mkdir, mkfile, rm, symlink, copy) chained into one FileOp, as client/llb's
 * `llb.Mkdir(...).Mkfile(...)`. Index rules, from client/llb `fileop.go`:
 * - `input`: the first action reads the state's output (an op input index, -1 for scratch); each later
 *   action reads the previous action's result, `len(inputs) + k` for action k;
 * - `secondaryInput`: a copy's source, an op input or `len(inputs) + k` for a chain bound with `withState`;
 *   -1 for the other actions;
 * - `output`: -1 except for the last action, which is the op's single output 0;
 * - a named owner resolves through /etc/passwd of the state's input (`NamedUserOpt.input`).
 * Relative paths resolve against the state's working directory when the chain is applied.
 */
import { mergeConstraints, noConstraints, type Constraints } from "./constraints.js";
import { check } from "./errors.js";
import { isAbsolutePath, joinPath, resolvePath, cleanPath } from "./path.js";
import { ownerField, parseOwner, timestampField, toNanoseconds, type Owner, type Timestamp } from "./file-owner.js";
import { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";
import type { State } from "./state.js";
import { addInput, type BuildContext, type BuiltVertex, type Output, type Vertex } from "./vertex.js";

export interface MkdirOptions {
  readonly makeParents?: boolean;
  /** `"user:group"` (as chown) or an {@link Owner}. */
  readonly owner?: string | Owner;
  readonly timestamp?: Timestamp;
}

export interface MkfileOptions {
  readonly owner?: string | Owner;
  readonly timestamp?: Timestamp;
}

export interface RmOptions {
  readonly allowNotFound?: boolean;
  readonly allowWildcard?: boolean;
}

export interface SymlinkOptions {
  readonly owner?: string | Owner;
  readonly timestamp?: Timestamp;
}

export interface CopyOptions {
  /** A number sets the mode; a string is chmod syntax (`u+x`, BuildKit ≥ v0.17); absent keeps the source's. */
  readonly mode?: number | string;
  readonly owner?: string | Owner;
  readonly followSymlink?: boolean;
  /** Copy a directory's contents rather than the directory (`dirCopyContents`). */
  readonly copyDirContents?: boolean;
  /** Unpack archives as Docker's ADD does. */
  readonly attemptUnpack?: boolean;
  readonly createDestPath?: boolean;
  readonly allowWildcard?: boolean;
  readonly allowEmptyWildcard?: boolean;
  readonly includePatterns?: readonly string[];
  readonly excludePatterns?: readonly string[];
  readonly alwaysReplaceExistingDestPaths?: boolean;
  readonly timestamp?: Timestamp;
}

/** Where a copy reads from: a State, or an action chain bound to one with {@link FileAction.withState}. */
export type CopySource = State | BoundFileAction;

type ActionSpec =
  | { readonly kind: "mkdir"; readonly path: string; readonly mode: number; readonly options: MkdirOptions }
  | { readonly kind: "mkfile"; readonly path: string; readonly mode: number; readonly data: Uint8Array; readonly options: MkfileOptions }
  | { readonly kind: "rm"; readonly path: string; readonly options: RmOptions }
  | { readonly kind: "symlink"; readonly oldpath: string; readonly newpath: string; readonly options: SymlinkOptions }
  | { readonly kind: "copy"; readonly source: CopySource; readonly src: string; readonly dest: string; readonly options: CopyOptions };

/** An immutable chain of file actions; each method returns a longer chain. Apply it with `state.file()`. */
export class FileAction {
  private constructor(
    /** @internal */ readonly spec: ActionSpec,
    /** @internal */ readonly prev: FileAction | undefined,
  ) {}

  /** @internal */
  static start(spec: ActionSpec): FileAction {
    return new FileAction(validate(spec), undefined);
  }

  mkdir(path: string, mode: number, options: MkdirOptions = {}): FileAction {
    return new FileAction(validate({ kind: "mkdir", path, mode, options }), this);
  }

  mkfile(path: string, mode: number, data: Uint8Array | string, options: MkfileOptions = {}): FileAction {
    return new FileAction(validate({ kind: "mkfile", path, mode, data: toBytes(data), options }), this);
  }

  rm(path: string, options: RmOptions = {}): FileAction {
    return new FileAction(validate({ kind: "rm", path, options }), this);
  }

  symlink(oldpath: string, newpath: string, options: SymlinkOptions = {}): FileAction {
    return new FileAction(validate({ kind: "symlink", oldpath, newpath, options }), this);
  }

  copy(source: CopySource, src: string, dest: string, options: CopyOptions = {}): FileAction {
    return new FileAction(validate({ kind: "copy", source, src, dest, options }), this);
  }

  /** Binds this chain to `state`, so another chain can copy from its result without an extra op. */
  withState(state: State): BoundFileAction {
    return new BoundFileAction(bind(this, state));
  }
}

/** A chain bound to the state it applies to. */
export class BoundFileAction {
  /** @internal */
  constructor(readonly node: BoundAction) {}
}

/**
 * Creates a directory.
 * @example scratch().file(mkdir("/foo", 0o755, { makeParents: true }))
 */
export function mkdir(path: string, mode: number, options: MkdirOptions = {}): FileAction {
  return FileAction.start({ kind: "mkdir", path, mode, options });
}

/**
 * Creates a file with `data` (a string is written as UTF-8).
 * @example scratch().file(mkfile("/hello", 0o644, "hi"))
 */
export function mkfile(path: string, mode: number, data: Uint8Array | string, options: MkfileOptions = {}): FileAction {
  return FileAction.start({ kind: "mkfile", path, mode, data: toBytes(data), options });
}

/**
 * Removes a file or directory.
 * @example state.file(rm("/var/cache/apt", { allowNotFound: true }))
 */
export function rm(path: string, options: RmOptions = {}): FileAction {
  return FileAction.start({ kind: "rm", path, options });
}

/**
 * Creates a symlink at `newpath` pointing to `oldpath`.
 * @example state.file(symlink("/usr/bin/python3", "/usr/local/bin/python"))
 */
export function symlink(oldpath: string, newpath: string, options: SymlinkOptions = {}): FileAction {
  return FileAction.start({ kind: "symlink", oldpath, newpath, options });
}

/**
 * Copies `src` of `source` to `dest` of the state the action applies to. A relative `src` resolves against
 * the source state's directory, a relative `dest` against the target's; a trailing "/" on `dest` is kept.
 * @example scratch().file(copy(local("context"), "/app", "/srv/", { copyDirContents: true }))
 */
export function copy(source: CopySource, src: string, dest: string, options: CopyOptions = {}): FileAction {
  return FileAction.start({ kind: "copy", source, src, dest, options });
}

function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === "string" ? new TextEncoder().encode(data) : data;
}

function validate(spec: ActionSpec): ActionSpec {
  const paths = spec.kind === "symlink" ? [spec.oldpath, spec.newpath] : spec.kind === "copy" ? [spec.src, spec.dest] : [spec.path];
  check(paths.every((p) => p !== ""), `${spec.kind} needs a non-empty path`);
  if (spec.kind === "mkdir" || spec.kind === "mkfile") {
    check(Number.isInteger(spec.mode) && spec.mode >= 0 && spec.mode <= 0o7777, `${spec.kind} ${spec.path}: invalid mode ${spec.mode}`);
  }
  if (spec.kind === "copy" && typeof spec.options.mode === "number") {
    const mode = spec.options.mode;
    check(Number.isInteger(mode) && mode >= 0 && mode <= 0o7777, `copy ${spec.src}: invalid mode ${mode}`);
  }
  if (spec.kind === "copy" && typeof spec.options.mode === "string") check(spec.options.mode !== "", `copy ${spec.src}: empty mode`);
  if ("owner" in spec.options && spec.options.owner !== undefined) parseOwner(spec.options.owner);
  if ("timestamp" in spec.options && spec.options.timestamp !== undefined) toNanoseconds(spec.options.timestamp);
  return spec;
}

/** One action of a chain bound to a state, with its paths resolved. */
interface BoundAction {
  readonly spec: ActionSpec;
  readonly prev: BoundAction | undefined;
  readonly state: State;
  /** Resolved path(s): mkdir/mkfile/rm path, copy [src, dest], symlink [oldpath, newpath]. */
  readonly paths: readonly string[];
}

function bind(action: FileAction, state: State): BoundAction {
  const chain: FileAction[] = [];
  for (let a: FileAction | undefined = action; a; a = a.prev) chain.unshift(a);
  let bound: BoundAction | undefined;
  for (const a of chain) bound = { spec: a.spec, prev: bound, state, paths: resolvePaths(a.spec, state) };
  return bound!;
}

function resolvePaths(spec: ActionSpec, state: State): string[] {
  const dir = state.meta.dir;
  switch (spec.kind) {
    case "symlink":
      return [spec.oldpath, spec.newpath];
    case "copy": {
      const sourceDir = spec.source instanceof BoundFileAction ? spec.source.node.state.meta.dir : spec.source.meta.dir;
      const src = cleanPath(spec.src);
      return [isAbsolutePath(src) ? src : joinPath(sourceDir, src), resolvePath(dir, spec.dest, true)];
    }
    default:
      return [resolvePath(dir, spec.path, false)];
  }
}

class FileVertex implements Vertex {
  readonly inputs: readonly Output[];

  constructor(
    private readonly last: BoundAction,
    readonly constraints: Constraints,
  ) {
    this.inputs = collectOutputs(last, new Set(), []);
  }

  build(context: BuildContext): BuiltVertex {
    const inputs: pb.Input[] = [];
    const planned = new Map<BoundAction, PlannedAction>();
    const actions: PlannedAction[] = [];
    // client/llb's marshalState.add: previous actions first, then this action's inputs, then a bound copy
    // source's chain; action k's result is `len(inputs) + k`, known only once every input is in.
    const add = (bound: BoundAction): PlannedAction => {
      const known = planned.get(bound);
      if (known) return known;
      const prev = bound.prev ? add(bound.prev) : undefined;
      const base = bound.state.output ? addInput(inputs, context, bound.state.output) : -1;
      let secondary: number | PlannedAction = -1;
      if (bound.spec.kind === "copy") {
        const source = bound.spec.source;
        if (source instanceof BoundFileAction) secondary = add(source.node);
        else if (source.output) secondary = addInput(inputs, context, source.output);
      }
      const action: PlannedAction = { bound, base, input: prev ?? base, secondary, target: actions.length };
      planned.set(bound, action);
      actions.push(action);
      return action;
    };
    add(this.last);
    const indexOf = (ref: number | PlannedAction) => (typeof ref === "number" ? ref : inputs.length + ref.target);
    const file = new pb.FileOp({
      actions: actions.map((action, k) => {
        const message = new pb.FileAction({
          input: indexOf(action.input),
          secondaryInput: indexOf(action.secondary),
          output: k === actions.length - 1 ? 0 : -1,
        });
        setAction(message, action.bound, action.base);
        return message;
      }),
    });
    return { kind: "op", op: new pb.Op({ inputs, file }) };
  }
}

interface PlannedAction {
  readonly bound: BoundAction;
  readonly base: number;
  readonly input: number | PlannedAction;
  readonly secondary: number | PlannedAction;
  readonly target: number;
}

/** client/llb's `allOutputs`: the state, a copy's source (or its bound chain), then earlier actions. */
function collectOutputs(bound: BoundAction | undefined, seen: Set<Output>, outputs: Output[]): Output[] {
  for (let a = bound; a; a = a.prev) {
    const add = (output: Output | undefined) => {
      if (output && !seen.has(output)) {
        seen.add(output);
        outputs.push(output);
      }
    };
    add(a.state.output);
    if (a.spec.kind === "copy") {
      const source = a.spec.source;
      if (source instanceof BoundFileAction) collectOutputs(source.node, seen, outputs);
      else add(source.output);
    }
  }
  return outputs;
}

function setAction(message: pb.FileAction, bound: BoundAction, base: number): void {
  const { spec, paths } = bound;
  switch (spec.kind) {
    case "mkdir":
      message.mkdir = new pb.FileActionMkDir({
        path: paths[0]!,
        mode: spec.mode & 0o777,
        makeParents: spec.options.makeParents ?? false,
        ...ownerField(spec.options.owner, base),
        timestamp: timestampField(spec.options.timestamp),
      });
      return;
    case "mkfile":
      message.mkfile = new pb.FileActionMkFile({
        path: paths[0]!,
        mode: spec.mode & 0o777,
        data: spec.data,
        ...ownerField(spec.options.owner, base),
        timestamp: timestampField(spec.options.timestamp),
      });
      return;
    case "rm":
      message.rm = new pb.FileActionRm({
        path: paths[0]!,
        allowNotFound: spec.options.allowNotFound ?? false,
        allowWildcard: spec.options.allowWildcard ?? false,
      });
      return;
    case "symlink":
      message.symlink = new pb.FileActionSymlink({
        oldpath: paths[0]!,
        newpath: paths[1]!,
        ...ownerField(spec.options.owner, base),
        timestamp: timestampField(spec.options.timestamp),
      });
      return;
    case "copy": {
      const o = spec.options;
      message.copy = new pb.FileActionCopy({
        src: paths[0]!,
        dest: paths[1]!,
        ...ownerField(o.owner, base),
        mode: typeof o.mode === "number" ? o.mode : typeof o.mode === "string" ? 0 : -1,
        modeStr: typeof o.mode === "string" ? o.mode : "",
        followSymlink: o.followSymlink ?? false,
        dirCopyContents: o.copyDirContents ?? false,
        attemptUnpackDockerCompatibility: o.attemptUnpack ?? false,
        createDestPath: o.createDestPath ?? false,
        allowWildcard: o.allowWildcard ?? false,
        allowEmptyWildcard: o.allowEmptyWildcard ?? false,
        timestamp: timestampField(o.timestamp),
        include_patterns: [...(o.includePatterns ?? [])],
        exclude_patterns: [...(o.excludePatterns ?? [])],
        alwaysReplaceExistingDestPaths: o.alwaysReplaceExistingDestPaths ?? false,
      });
      return;
    }
  }
}

export function applyFileAction(state: State, action: FileAction, constraints?: Constraints): State {
  const vertex = new FileVertex(bind(action, state), mergeConstraints(noConstraints, constraints));
  return state.withOutput({ vertex, index: 0 });
}
