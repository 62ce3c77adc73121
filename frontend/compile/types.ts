import type { Declaration, FileEntry, Image, ImageReference, SourceFileDecl } from "../../grammar/index.js";
import type { AccountsPlan } from "../accounts/index.js";
import type { Definition, Platform, SourceMap, State } from "../../llb/index.js";
import type { FileOrigin } from "./files/types.js";
import type { AptResolution, Mirror } from "../debian/index.js";

/** An OCI image config as JSON (docker's extensions included), the parts slipway reads and writes. */
export interface OciImageConfig {
  architecture: string;
  os: string;
  variant?: string;
  "os.version"?: string;
  "os.features"?: string[];
  created?: string;
  config: OciContainerConfig;
  rootfs?: { type: string; diff_ids: string[] };
  history?: OciHistory[];
}

export interface OciContainerConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  Healthcheck?: {
    Test?: string[];
    Interval?: number;
    Timeout?: number;
    StartPeriod?: number;
    StartInterval?: number;
    Retries?: number;
  };
  OnBuild?: string[] | null;
  Shell?: string[];
}

export interface OciHistory {
  created?: string;
  created_by?: string;
  comment?: string;
  empty_layer?: boolean;
}

/** An image resolved through the gateway: pinned by digest, with its config for the build platform. */
export interface ResolvedImage {
  readonly reference: ImageReference;
  /** `docker.io/library/debian:bookworm@sha256:…` */
  readonly pinned: string;
  readonly digest: string;
  readonly config: OciImageConfig;
}

/** A git ref resolved to its commit. */
export interface ResolvedGit {
  readonly repository: string;
  readonly ref: string;
  readonly commit: string;
}

/** A `step` built by BuildKit's Dockerfile frontend: its result as LLB we can copy from. */
export interface ResolvedStep {
  readonly name: string;
  readonly definition: Definition;
  /** sha256 of the step's Dockerfile, for the BOM. */
  readonly dockerfileSha256: string;
}

/** Everything the compiler needs that had to be asked of BuildKit first. */
export interface CompileInput {
  readonly declaration: Declaration;
  readonly image: Image;
  readonly platform: Platform;
  readonly sourceMap: SourceMap;
  readonly context: { readonly localName: string; readonly sessionId: string };
  /** The base image, unless it is `scratch`. */
  readonly base: ResolvedImage | undefined;
  /** `from_image` images, by canonical reference as declared. */
  readonly images: ReadonlyMap<string, ResolvedImage>;
  /** `from_git` refs, by `gitKey(repository, ref)`. */
  readonly git: ReadonlyMap<string, ResolvedGit>;
  readonly steps: ReadonlyMap<string, ResolvedStep>;
  /** The image's account files with its declared users and groups, when it declares any (frontend/accounts). */
  readonly accounts?: AccountsPlan;
  /**
   * The image's packages, when it has any: data, not a callback, so that compiling stays pure; the
   * compiler turns it into LLB with frontend/debian's `installPackages`.
   */
  readonly packages?: InstallInput;
  /** `label:*` build options: they override the declaration's labels, as with docker build. */
  readonly optionLabels: ReadonlyMap<string, string>;
  readonly noCache: boolean;
  /** The build's epoch (seconds; frontend/epoch.ts): every file time and config time slipway writes. */
  readonly epoch: number;
}

/** What installs an image's packages: the resolution (from the indexes or the lock) and where to fetch each .deb. */
export interface InstallInput {
  readonly resolution: AptResolution;
  /** `SLIPWAY_MIRROR`: where each .deb is fetched instead of its recorded URL (its sha256 stays). */
  readonly mirrors: readonly Mirror[];
  /** `SLIPWAY_VENDOR`: the vendored image every .deb is copied from instead of fetched (checked by sha256). */
  readonly vendor?: State;
}

export function gitKey(repository: string, ref: string): string {
  return `${repository}#${ref}`;
}

/** A file the image gains, with where it came from; digests are measured after the build. */
export interface PlannedFile {
  readonly entry: FileEntry;
  /** What the progress output and history say, e.g. `/usr/local/bin/tool ← step build:/bin/tool`. */
  readonly description: string;
  /** The matching `source_file` declaration (steps and tarballs). */
  readonly sourceFile: SourceFileDecl | undefined;
  /** Where the bytes come from (the copy into the image takes them from there). */
  readonly origin: FileOrigin;
}

export interface CompiledImage {
  /** The image's root filesystem. */
  readonly state: State;
  /** The root filesystem before the declared files: base, accounts and packages. */
  readonly installed: State;
  readonly config: OciImageConfig;
  readonly files: readonly PlannedFile[];
  /** The build-context paths the build transfers (tarballs and `from_context` files). */
  readonly contextPaths: readonly string[];
}
