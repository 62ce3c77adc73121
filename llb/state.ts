/**
 * `State`: an immutable value for "the filesystem produced so far, plus the settings the next `run` uses".
 * Every method returns a new State; nothing is lazy, because the compiler resolves image configs before it
 * builds states. Marshalling happens once, at the edge (`marshal`).
 */
import type { Constraints } from "./constraints.js";
import { EnvList } from "./env-list.js";
import { check } from "./errors.js";
import { run, type ExecState, type RunOptions } from "./exec.js";
import { applyFileAction, type FileAction } from "./file.js";
import { isAbsolutePath, joinPath } from "./path.js";
import { normalizePlatform, type Platform } from "./platform.js";
import type { Output } from "./vertex.js";

/** A reusable step: `state.with(a, b)` is `b(a(state))`. */
export type StateOption = (state: State) => State;

export type NetworkMode = "sandbox" | "host" | "none";

/** The settings a State carries for later ops (Go keeps these as lazy key/values; here they are plain). */
export interface StateMeta {
  readonly env: EnvList;
  /** Absolute working directory; relative paths in file ops and `dir()` resolve against it. */
  readonly dir: string;
  /** `run`'s user; "" leaves the image's default. */
  readonly user: string;
  readonly network: NetworkMode;
  /** The platform for `run`; image sources with a platform set it. */
  readonly platform: Platform | undefined;
  /** `run`'s hostname; "" is BuildKit's default. */
  readonly hostname: string;
}

/** The parts of an OCI image config a State takes over (JSON field names as in the config). */
export interface ImageConfig {
  readonly architecture?: string;
  readonly os?: string;
  readonly variant?: string;
  readonly "os.version"?: string;
  readonly "os.features"?: readonly string[];
  readonly config?: {
    readonly Env?: readonly string[] | null;
    readonly WorkingDir?: string;
    readonly User?: string;
  } | null;
}

const defaultMeta: StateMeta = Object.freeze({
  env: EnvList.empty,
  dir: "/",
  user: "",
  network: "sandbox",
  platform: undefined,
  hostname: "",
});

const networkModes: readonly string[] = ["sandbox", "host", "none"];

export class State {
  /** The vertex output this state stands for; `undefined` is scratch (an empty filesystem). */
  readonly output: Output | undefined;
  readonly meta: StateMeta;

  /** Builders create states; callers start from `scratch()`, `image()`, `local()`, `git()` or `http()`. */
  constructor(output: Output | undefined, meta: StateMeta = defaultMeta) {
    this.output = output;
    this.meta = meta;
  }

  get isScratch(): boolean {
    return this.output === undefined;
  }

  /** Same settings, another filesystem. An output that fixes a platform also sets the state's platform. */
  withOutput(output: Output | undefined): State {
    const platform = output?.platform ?? this.meta.platform;
    return new State(output, platform === this.meta.platform ? this.meta : { ...this.meta, platform });
  }

  private withMeta(changes: Partial<StateMeta>): State {
    return new State(this.output, Object.freeze({ ...this.meta, ...changes }));
  }

  /** Sets an environment variable for later `run`s; an existing key keeps its position. */
  addEnv(key: string, value: string): State {
    return this.withMeta({ env: this.meta.env.set(key, value) });
  }

  deleteEnv(key: string): State {
    return this.withMeta({ env: this.meta.env.delete(key) });
  }

  getEnv(key: string): string | undefined {
    return this.meta.env.get(key);
  }

  /** Sets the working directory; a relative path joins the current one (`dir("bin")` after `dir("/usr")`). */
  dir(path: string): State {
    return this.withMeta({ dir: isAbsolutePath(path) ? joinPath(path) : joinPath(this.meta.dir, path) });
  }

  user(user: string): State {
    return this.withMeta({ user });
  }

  network(mode: NetworkMode): State {
    check(networkModes.includes(mode), `unknown network mode ${JSON.stringify(mode)}`);
    return this.withMeta({ network: mode });
  }

  platform(platform: Platform): State {
    return this.withMeta({ platform: normalizePlatform(platform) });
  }

  hostname(hostname: string): State {
    return this.withMeta({ hostname });
  }

  /**
   * Takes over an image config's `Env` (in order), `WorkingDir` (joined like `dir`), `User` and platform, so
   * `run` behaves as a container of that image would.
   */
  withImageConfig(config: ImageConfig): State {
    const env = EnvList.fromArray(config.config?.Env ?? []);
    let state: State = this;
    for (const key of env.keys()) state = state.addEnv(key, env.get(key)!);
    state = state.dir(config.config?.WorkingDir ?? "");
    if (config.config?.User) state = state.user(config.config.User);
    if (config.architecture && config.os) {
      state = state.platform({
        os: config.os,
        architecture: config.architecture,
        ...(config.variant !== undefined && { variant: config.variant }),
        ...(config["os.version"] !== undefined && { osVersion: config["os.version"] }),
        ...(config["os.features"] !== undefined && { osFeatures: config["os.features"] }),
      });
    }
    return state;
  }

  /** Applies `options` in order. */
  with(...options: readonly StateOption[]): State {
    return options.reduce<State>((state, option) => option(state), this);
  }

  /**
   * Runs a command with this state as `/`.
   * @example
   * const built = base.run({ args: ["make", "install"], mounts: [{ kind: "cache", dest: "/root/.cache", id: "make" }] }).root();
   */
  run(options: RunOptions): ExecState {
    return run(this, options);
  }

  /**
   * Applies a chain of file actions as one FileOp.
   * @example scratch().file(mkdir("/etc", 0o755).mkfile("/etc/motd", 0o644, "hi\n"))
   */
  file(action: FileAction, constraints?: Constraints): State {
    return applyFileAction(this, action, constraints);
  }
}

/** The empty filesystem. */
export function scratch(): State {
  return new State(undefined);
}

/** A StateOption for `with`: add an environment variable. */
export function addEnv(key: string, value: string): StateOption {
  return (state) => state.addEnv(key, value);
}

/** A StateOption for `with`: change the working directory. */
export function dir(path: string): StateOption {
  return (state) => state.dir(path);
}

/** A StateOption for `with`: set the user. */
export function user(name: string): StateOption {
  return (state) => state.user(name);
}
