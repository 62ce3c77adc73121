/**
 * `run`: an ExecOp. Mount order and output numbering follow client/llb exactly, but are fixed once when the
 * op is built (BuildKit's `Inputs()` sorts in place as a side effect, moby/buildkit#1520):
 * - the root mount and every bind/cache/tmpfs mount are sorted by `dest`;
 * - outputs 0, 1, … go to writable bind mounts (the root is one) in that order; read-only, cache, tmpfs and
 *   no-output mounts get -1;
 * - secret mounts (sorted by `dest`) and ssh mounts (in the given order) follow, with input -1.
 * Inputs are numbered while marshalling, when digests are known, so two states with equal bytes share one.
 */
import { mergeConstraints, noConstraints, type Constraints } from "./constraints.js";
import { EnvList } from "./env-list.js";
import { check, LlbArgumentError } from "./errors.js";
import { compareUtf8 } from "./canonical.js";
import { isAbsolutePath } from "./path.js";
import { platformToPb, type Platform } from "./platform.js";
import { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";
import type { NetworkMode, State } from "./state.js";
import { addInput, resolvePlatform, type BuildContext, type BuiltVertex, type Output, type Vertex } from "./vertex.js";

export type Mount = BindMount | CacheMount | TmpfsMount | SecretMount | SshMount;

/** `source` (a State; scratch for an empty directory) at `dest`. Writable binds are outputs of the op. */
export interface BindMount {
  readonly kind: "bind";
  readonly dest: string;
  readonly source: State;
  readonly readonly?: boolean;
  /** Mount only this path of `source` (`Mount.selector`). */
  readonly selector?: string;
  /** Writable, but its changes are thrown away (saves the snapshot). */
  readonly noOutput?: boolean;
  /**
   * `"off"`: BuildKit keys the op by this mount's definition alone (`Mount.contentCache`, v0.13), where by
   * default a read-only mount is also keyed by its content, which BuildKit hashes, file by file, before
   * the op can run. Only the cache key changes, never what runs, so for a daemon that lacks the cap
   * (marshal's `caps`) the field is left out. (BuildKit's `ON` is not offered: it only restates the
   * default where it is allowed, and BuildKit refuses it on a writable mount.)
   */
  readonly contentCache?: "off";
}

/** A persistent cache directory shared between builds by `id`; `source` seeds it. */
export interface CacheMount {
  readonly kind: "cache";
  readonly dest: string;
  readonly id: string;
  readonly sharing?: "shared" | "private" | "locked";
  readonly source?: State;
}

export interface TmpfsMount {
  readonly kind: "tmpfs";
  readonly dest: string;
  /** Bytes; 0 or absent is the kernel default. */
  readonly size?: number;
}

/** A build secret as a file. `mode` defaults to 0o400. */
export interface SecretMount {
  readonly kind: "secret";
  readonly dest: string;
  readonly id: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly mode?: number;
  readonly optional?: boolean;
}

/** An SSH agent socket; `dest` defaults to `/run/buildkit/ssh_agent.<n>`, `mode` to 0o600. */
export interface SshMount {
  readonly kind: "ssh";
  readonly dest?: string;
  readonly id?: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly mode?: number;
  readonly optional?: boolean;
}

/** A build secret as an environment variable (`ExecOp.secretenv`). */
export interface SecretEnv {
  readonly id: string;
  readonly name: string;
  readonly optional?: boolean;
}

export interface RunOptions {
  readonly args: readonly string[];
  /** Added to the state's env with `addEnv` semantics, in this order. */
  readonly env?: readonly (readonly [string, string])[];
  /** Working directory; relative to the state's. Defaults to the state's (itself "/" by default). */
  readonly cwd?: string;
  readonly user?: string;
  readonly network?: NetworkMode;
  readonly security?: "sandbox" | "insecure";
  readonly mounts?: readonly Mount[];
  readonly secretEnv?: readonly SecretEnv[];
  /** Exit codes that count as success (default: only 0). */
  readonly validExitCodes?: readonly number[];
  readonly hostname?: string;
  /** Mount the state read-only at `/`; `root()` is then the state itself. */
  readonly readonlyRootfs?: boolean;
  readonly constraints?: Constraints;
}

/** BuildKit's default PATH for Linux (`system.DefaultPathEnv`), added when the daemon does not add it. */
export const defaultLinuxPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** `ExecOp.meta` except env, which marshal may still complete. */
interface ExecMeta {
  readonly args: readonly string[];
  readonly cwd: string;
  readonly user: string;
  readonly hostname: string;
  readonly validExitCodes: readonly number[];
}

/** One entry of `ExecOp.mounts` before input numbering. */
interface PlannedMount {
  readonly dest: string;
  readonly kind: "bind" | "cache" | "tmpfs";
  readonly source: Output | undefined;
  readonly readonly: boolean;
  readonly selector: string;
  readonly contentCache: pb.MountContentCache;
  readonly output: number;
  readonly cacheId: string;
  readonly sharing: pb.CacheSharingOpt;
  readonly tmpfsSize: number;
}

const sharingModes = {
  shared: pb.CacheSharingOpt.SHARED,
  private: pb.CacheSharingOpt.PRIVATE,
  locked: pb.CacheSharingOpt.LOCKED,
} as const;

const networkModes = { sandbox: pb.NetMode.UNSET, host: pb.NetMode.HOST, none: pb.NetMode.NONE } as const;

/** Everything an exec op is made of, fixed when `run` is called. */
interface ExecPlan {
  readonly meta: ExecMeta;
  readonly env: EnvList;
  /** Root, bind, cache and tmpfs mounts, sorted by dest, outputs numbered. */
  readonly mounts: readonly PlannedMount[];
  readonly secrets: readonly SecretMount[];
  readonly sshMounts: readonly (SshMount & { readonly dest: string })[];
  readonly secretEnv: readonly SecretEnv[];
  readonly network: pb.NetMode;
  readonly security: pb.SecurityMode;
  /** The state's platform; the op's own constraint wins, marshal's default comes last. */
  readonly platform: Platform | undefined;
}

class ExecVertex implements Vertex {
  readonly inputs: readonly Output[];

  constructor(
    readonly constraints: Constraints,
    private readonly plan: ExecPlan,
  ) {
    const seen = new Set<Output>();
    this.inputs = plan.mounts.flatMap((m) => (m.source && !seen.has(m.source) && seen.add(m.source) ? [m.source] : []));
  }

  mountAt(dest: string): PlannedMount | undefined {
    return this.plan.mounts.find((m) => m.dest === dest);
  }

  build(context: BuildContext): BuiltVertex {
    const plan = this.plan;
    const platform = resolvePlatform(context, this.constraints.platform, plan.platform);
    let env = plan.env;
    if (context.caps && !context.caps.has("exec.meta.setsdefaultpath") && platform.os !== "windows") {
      env = env.setDefault("PATH", defaultLinuxPath);
    }
    const inputs: pb.Input[] = [];
    const mounts = plan.mounts.map((m) => {
      const mount = new pb.Mount({
        input: m.source ? addInput(inputs, context, m.source) : -1,
        dest: m.dest,
        output: m.output,
        readonly: m.readonly,
        selector: m.selector,
        ...(m.contentCache !== pb.MountContentCache.DEFAULT && (!context.caps || context.caps.has("exec.mount.cache.content")) && { contentCache: m.contentCache }),
      });
      if (m.kind === "cache") {
        mount.mountType = pb.MountType.CACHE;
        mount.cacheOpt = new pb.CacheOpt({ ID: m.cacheId, sharing: m.sharing });
      } else if (m.kind === "tmpfs") {
        mount.mountType = pb.MountType.TMPFS;
        mount.TmpfsOpt = new pb.TmpfsOpt({ size: m.tmpfsSize });
      }
      return mount;
    });
    for (const s of plan.secrets) {
      mounts.push(
        new pb.Mount({
          input: -1,
          dest: s.dest,
          mountType: pb.MountType.SECRET,
          secretOpt: new pb.SecretOpt({ ID: s.id, uid: s.uid ?? 0, gid: s.gid ?? 0, mode: s.mode ?? 0o400, optional: s.optional ?? false }),
        }),
      );
    }
    for (const s of plan.sshMounts) {
      mounts.push(
        new pb.Mount({
          input: -1,
          dest: s.dest,
          mountType: pb.MountType.SSH,
          SSHOpt: new pb.SSHOpt({ ID: s.id ?? "", uid: s.uid ?? 0, gid: s.gid ?? 0, mode: s.mode ?? 0o600, optional: s.optional ?? false }),
        }),
      );
    }
    const exec = new pb.ExecOp({
      meta: new pb.Meta({
        args: [...plan.meta.args],
        env: env.toArray(),
        cwd: plan.meta.cwd,
        user: plan.meta.user,
        hostname: plan.meta.hostname,
        removeMountStubsRecursive: true,
        validExitCodes: [...plan.meta.validExitCodes],
      }),
      mounts,
      network: plan.network,
      security: plan.security,
      secretenv: plan.secretEnv.map((s) => new pb.SecretEnv({ ID: s.id, name: s.name, optional: s.optional ?? false })),
    });
    return { kind: "op", op: new pb.Op({ inputs, platform: platformToPb(platform), exec }) };
  }
}

/** The result of `run`: the new root filesystem and the op's other mounts. */
export class ExecState {
  /** @internal built by `State.run` */
  constructor(
    private readonly vertex: ExecVertex,
    private readonly base: State,
    private readonly rootState: State,
    private readonly bindSources: ReadonlyMap<string, State>,
  ) {}

  /** The root filesystem after the command: use it as the next step's state. */
  root(): State {
    return this.rootState;
  }

  /**
   * The content of the mount at `dest` after the command: a writable bind's output, or a read-only bind's
   * unchanged source. Cache, tmpfs and no-output mounts have no result.
   */
  getMount(dest: string): State {
    if (dest === "/") return this.rootState;
    const mount = this.vertex.mountAt(dest);
    if (!mount) throw new LlbArgumentError(`the exec op has no mount at ${JSON.stringify(dest)}`);
    const source = this.bindSources.get(dest) ?? this.base;
    if (mount.kind === "bind" && mount.readonly) return source;
    if (mount.kind !== "bind" || mount.output < 0) {
      throw new LlbArgumentError(`the ${mount.kind} mount at ${dest} has no output to build on`);
    }
    return source.withOutput({ vertex: this.vertex, index: mount.output });
  }
}

// long because: the checks of every mount, secret and option, then the ExecOp assembled field by field in client/llb's order; split, the one op would be scattered over helpers that each need all of it.
export function run(state: State, options: RunOptions): ExecState {
  check(options.args.length > 0, "run needs at least one argument");
  const constraints = mergeConstraints(noConstraints, options.constraints);
  const cwd = options.cwd === undefined ? state.meta.dir : state.dir(options.cwd).meta.dir;
  let env = state.meta.env;
  for (const [key, value] of options.env ?? []) env = env.set(key, value);

  const mounts = options.mounts ?? [];
  const dests = new Set<string>(["/"]);
  for (const m of mounts) {
    const dest = m.dest;
    if (dest === undefined) continue;
    check(isAbsolutePath(dest), `mount destination must be absolute, got ${JSON.stringify(dest)}`);
    check(!dests.has(dest), `two mounts at ${dest}`);
    dests.add(dest);
  }

  const readonlyRoot = options.readonlyRootfs ?? false;
  const regular = [
    { kind: "bind" as const, dest: "/", source: state, readonly: readonlyRoot },
    ...mounts.filter((m): m is BindMount | CacheMount | TmpfsMount => m.kind === "bind" || m.kind === "cache" || m.kind === "tmpfs"),
  ].sort((a, b) => compareUtf8(a.dest, b.dest));

  let nextOutput = 0;
  const planned: PlannedMount[] = regular.map((m) => {
    if (m.kind === "cache") check(m.id !== "", `the cache mount at ${m.dest} needs an id`);
    if (m.kind === "tmpfs") check((m.size ?? 0) >= 0 && Number.isInteger(m.size ?? 0), `tmpfs size must be a whole number of bytes`);
    const writable = m.kind === "bind" && !(m.readonly ?? false) && !("noOutput" in m && m.noOutput);
    return {
      dest: m.dest,
      kind: m.kind,
      source: m.kind === "tmpfs" ? undefined : m.source?.output,
      readonly: m.kind === "bind" ? (m.readonly ?? false) : false,
      selector: m.kind === "bind" ? ("selector" in m ? (m.selector ?? "") : "") : "",
      contentCache: m.kind === "bind" && "contentCache" in m && m.contentCache === "off" ? pb.MountContentCache.OFF : pb.MountContentCache.DEFAULT,
      output: writable ? nextOutput++ : -1,
      cacheId: m.kind === "cache" ? m.id : "",
      sharing: m.kind === "cache" ? sharingModes[m.sharing ?? "shared"] : pb.CacheSharingOpt.SHARED,
      tmpfsSize: m.kind === "tmpfs" ? (m.size ?? 0) : 0,
    };
  });

  const secrets = mounts
    .filter((m): m is SecretMount => m.kind === "secret")
    .sort((a, b) => compareUtf8(a.dest, b.dest));
  for (const s of secrets) check(s.id !== "", `the secret mount at ${s.dest} needs an id`);
  for (const m of [...secrets, ...mounts.filter((m): m is SshMount => m.kind === "ssh")]) {
    for (const [name, value, max] of [["uid", m.uid, 0xffffffff], ["gid", m.gid, 0xffffffff], ["mode", m.mode, 0o7777]] as const) {
      check(value === undefined || (Number.isInteger(value) && value >= 0 && value <= max), `invalid ${m.kind} mount ${name} ${value}`);
    }
  }
  const sshMounts = mounts
    .filter((m): m is SshMount => m.kind === "ssh")
    .map((m, i) => {
      if (m.dest !== undefined) return { ...m, dest: m.dest };
      const dest = `/run/buildkit/ssh_agent.${i}`;
      check(!dests.has(dest), `two mounts at ${dest}`);
      dests.add(dest);
      return { ...m, dest };
    });
  if (sshMounts.length > 0) env = env.setDefault("SSH_AUTH_SOCK", sshMounts[0]!.dest);

  const validExitCodes = options.validExitCodes ?? [];
  check(validExitCodes.every((code) => Number.isInteger(code) && code >= 0 && code <= 255), "exit codes are whole numbers 0-255");
  const network = options.network ?? state.meta.network;
  check(network in networkModes, `unknown network mode ${JSON.stringify(network)}`);
  const security = options.security ?? "sandbox";
  check(security === "sandbox" || security === "insecure", `unknown security mode ${JSON.stringify(security)}`);

  const meta: ExecMeta = {
    args: [...options.args],
    cwd,
    user: options.user ?? state.meta.user,
    hostname: options.hostname ?? state.meta.hostname,
    validExitCodes: [...validExitCodes],
  };
  const vertex = new ExecVertex(constraints, {
    meta,
    env,
    mounts: planned,
    secrets,
    sshMounts,
    secretEnv: options.secretEnv ?? [],
    network: networkModes[network],
    security: security === "insecure" ? pb.SecurityMode.INSECURE : pb.SecurityMode.SANDBOX,
    platform: state.meta.platform,
  });
  const rootMount = planned.find((m) => m.dest === "/")!;
  const rootState = readonlyRoot
    ? state
    : state.withOutput({
        vertex,
        index: rootMount.output,
        ...(constraints.platform && { platform: constraints.platform }),
      });
  const bindSources = new Map(
    mounts.flatMap((m) => (m.kind === "bind" ? [[m.dest, m.source] as const] : m.kind === "cache" && m.source ? [[m.dest, m.source] as const] : [])),
  );
  return new ExecState(vertex, state, rootState, bindSources);
}
