import type { SourceFile } from "../source/file.js";
import type { Range } from "../source/pos.js";

/**
 * The evaluated, typed declaration: what `slipway.hcl` (or an estaleiro `estaleiro.hcl`) means, after
 * variables, functions and interpolation are resolved and every semantic check has passed.
 *
 * Everything is readonly plain data. Every node keeps the source range it came from, so later stages
 * (LLB op locations, errors found while resolving packages or fetching files) point at the declaration
 * line without re-parsing. Lists keep declaration order; nothing here depends on object iteration order.
 */

/** A value and the range of the expression (or label) it came from. */
export interface Located<T> {
  readonly value: T;
  readonly range: Range;
}

export interface Declaration {
  readonly file: SourceFile;
  /** At least one. The build picks one with the `target` option (see `selectImage`). */
  readonly images: readonly Image[];
  readonly steps: readonly Step[];
  readonly tarballs: readonly Tarball[];
  /** The variables the declaration used, with the value each got and where that value came from (for the BOM). */
  readonly variables: readonly VariableValue[];
}

export interface VariableValue {
  readonly name: string;
  readonly value: string;
  /** `build-arg`: from a build argument / `--var`; `default`: the `variable` block's default. */
  readonly origin: "build-arg" | "default";
  /** The `variable` block, or the first reference for estaleiro's implicit variables. */
  readonly range: Range;
}

// ---------------------------------------------------------------------------------------------------------
// image

export interface Image {
  /** The block label, e.g. `"cirocosta/estaleiro"`; the name a `target` option selects. */
  readonly name: Located<string>;
  readonly range: Range;
  /** `image "name"` up to the opening brace. */
  readonly defRange: Range;
  readonly base: BaseImage;
  /** Every `apt` block, in order (estaleiro allowed several and flattened them; so do we, see `aptOf`). */
  readonly apt: readonly Apt[];
  readonly files: readonly FileEntry[];
  readonly config: ImageConfig;
  /** `platforms = ["linux/amd64", …]`, normalised (`os/arch[/variant]`). Absent: the build's platform. */
  readonly platforms?: Located<readonly string[]>;
  /** `bom { … }`: where else the bill of materials goes besides the attestations. */
  readonly bom?: BomSettings;
}

export type BaseImage =
  | { readonly kind: "scratch"; readonly range: Range }
  | {
      readonly kind: "image";
      readonly ref: Located<ImageReference>;
      /** `base_image = "debian:bookworm"` or the older `base_image { name = "debian" ref = "bookworm" }`. */
      readonly form: "string" | "block";
      readonly range: Range;
    };

/**
 * A parsed, normalised image reference (Docker's rules: `debian` → `docker.io/library/debian:latest`).
 */
export interface ImageReference {
  /** As written. */
  readonly original: string;
  /** `docker.io`, `127.0.0.1:5000`, `ghcr.io`… */
  readonly domain: string;
  /** `library/debian`, `cirocosta/estaleiro`… */
  readonly path: string;
  /** Absent when only a digest was given. A name with neither tag nor digest gets `latest`. */
  readonly tag?: string;
  /** `sha256:<64 hex>` when pinned. */
  readonly digest?: string;
  /** `docker.io/library/debian:bookworm[@sha256:…]` — what goes into a `docker-image://` identifier. */
  readonly canonical: string;
}

export interface ImageConfig {
  readonly entrypoint?: Located<readonly string[]>;
  readonly cmd?: Located<readonly string[]>;
  /** In declared order (an object's item order); later entries override inherited ones. */
  readonly env: readonly KeyValue[];
  readonly user?: Located<string>;
  readonly workdir?: Located<string>;
  /** In declared order. */
  readonly labels: readonly KeyValue[];
  /** Normalised `port/proto`: `8080` → `8080/tcp`. */
  readonly expose: readonly Located<string>[];
  readonly volumes: readonly Located<string>[];
  readonly stopsignal?: Located<string>;
  readonly healthcheck?: Healthcheck;
}

export interface KeyValue {
  readonly key: string;
  readonly value: string;
  readonly range: Range;
}

/** OCI/Docker `Healthcheck`; durations in nanoseconds as the image config stores them. */
export interface Healthcheck {
  /** `["CMD", …]`, `["CMD-SHELL", "…"]` or `["NONE"]`. */
  readonly test: readonly string[];
  readonly intervalNs?: number;
  readonly timeoutNs?: number;
  readonly startPeriodNs?: number;
  readonly startIntervalNs?: number;
  readonly retries?: number;
  readonly range: Range;
}

export interface BomSettings {
  /** Also copy the BOM documents into the image at this absolute directory. */
  readonly path?: Located<string>;
  /** Also set estaleiro's `estaleiro.bom` label (base64 of bom.yaml). Off unless asked for. */
  readonly estaleiroLabel?: Located<boolean>;
  readonly range: Range;
}

// ---------------------------------------------------------------------------------------------------------
// apt

export interface Apt {
  readonly range: Range;
  /** `repository "name" { … }` blocks and estaleiro's `repositories = ["deb URI suite comp…"]` lines. */
  readonly repositories: readonly Repository[];
  /** estaleiro's `key "name" { uri = "…" }` blocks. */
  readonly keys: readonly AptKey[];
  readonly packages: readonly Package[];
  /** `install_recommends = true`: also install `Recommends`. Off by default, as estaleiro did. */
  readonly installRecommends?: Located<boolean>;
  /**
   * `replace_sources = true`: read only the declared repositories. By default they are read in addition
   * to the base image's own apt sources, as estaleiro added its `repositories` lines to the distribution's.
   */
  readonly replaceSources?: Located<boolean>;
}

export interface Repository {
  /** The block label, or `repositories[N]` for a line. */
  readonly name: string;
  readonly form: "block" | "line";
  /** `deb`, `deb-src` or both (a block fetches binaries and sources by default). */
  readonly types: readonly ("deb" | "deb-src")[];
  readonly uri: Located<string>;
  readonly suite: Located<string>;
  readonly components: readonly string[];
  /** Empty: the build platform's architecture (plus `all`). */
  readonly architectures: readonly string[];
  /** An ASCII-armored OpenPGP public key (often `file("keys/x.asc")`), for this repository only. */
  readonly key?: Located<string>;
  /** `signed-by=` from a one-line entry: a keyring path in the base image. */
  readonly signedBy?: string;
  readonly range: Range;
}

export interface AptKey {
  readonly name: Located<string>;
  /** The key's URL. */
  readonly uri: Located<string>;
  /** The key file's sha256 (hex). Without it the key is fetched unverified, with a warning. */
  readonly sha256?: Located<string>;
  readonly range: Range;
}

export interface Package {
  readonly name: Located<string>;
  /** An exact version to install (`=` relation), e.g. `1.6-2.1`. */
  readonly version?: Located<string>;
  /** Where the source is when the repository has none (estaleiro's `vcs` block). */
  readonly vcs?: Vcs;
  readonly range: Range;
}

export interface Vcs {
  /** The block label: `"git"` in practice. */
  readonly type: Located<string>;
  readonly repository: Located<string>;
  readonly ref: Located<string>;
  readonly range: Range;
}

// ---------------------------------------------------------------------------------------------------------
// files

export interface FileEntry {
  /** Absolute path in the image (the block label). */
  readonly destination: Located<string>;
  readonly range: Range;
  readonly defRange: Range;
  /** Permission bits (`mode = "0755"` or `mode = 493`). Absent: keep the source's mode. */
  readonly mode?: Located<number>;
  /** `owner = "1000:1000"` or `"app:app"` (names resolved in the image's /etc/passwd and /etc/group). */
  readonly owner?: Located<string>;
  readonly source: FileSource;
}

export type FileSource =
  | FromContext
  | FromTarball
  | FromHttp
  | FromGit
  | FromImage
  | FromStep;

export type FileSourceKind = FileSource["kind"];

/** `from_context { path = "conf/app.conf" }`: a path in the build context. */
export interface FromContext {
  readonly kind: "context";
  /** Relative, cleaned, no `..` escape. */
  readonly path: Located<string>;
  readonly range: Range;
}

/** `from_tarball "assets.tgz" { path = "bin/tool" }`: a member of a tarball in the build context. */
export interface FromTarball {
  readonly kind: "tarball";
  /** The tarball's name, as declared by a top-level `tarball` block (its path in the context). */
  readonly tarball: Located<string>;
  /** The member path, relative and cleaned (`./bin/tool` → `bin/tool`). */
  readonly path: Located<string>;
  readonly range: Range;
}

/** `from_http { url = "…", sha256 = "…" }` */
export interface FromHttp {
  readonly kind: "http";
  readonly url: Located<string>;
  /** Lowercase hex, 64 characters. Required: BuildKit verifies it. */
  readonly sha256: Located<string>;
  readonly range: Range;
}

/** `from_git { repository = "…", ref = "…", path = "…" }` */
export interface FromGit {
  readonly kind: "git";
  readonly repository: Located<string>;
  /** A branch, tag or commit; resolved to a commit at build time. */
  readonly ref: Located<string>;
  /** Relative path inside the checkout. */
  readonly path: Located<string>;
  readonly range: Range;
}

/** `from_image { image = "…", path = "/usr/bin/tool" }` */
export interface FromImage {
  readonly kind: "image";
  readonly image: Located<ImageReference>;
  /** Absolute path inside that image. */
  readonly path: Located<string>;
  readonly range: Range;
}

/** `from_step "build" { path = "/bin/tool" }`: a file produced by a `step`. Wildcards allowed. */
export interface FromStep {
  readonly kind: "step";
  readonly step: Located<string>;
  /** Absolute path in the step's result. */
  readonly path: Located<string>;
  readonly range: Range;
}

// ---------------------------------------------------------------------------------------------------------
// steps and tarballs

/** A Dockerfile build whose results files can be taken from. */
export interface Step {
  readonly name: Located<string>;
  readonly range: Range;
  readonly defRange: Range;
  /** Path of the Dockerfile, relative to the declaration's directory (the `dockerfile` local). */
  readonly dockerfile: Located<string>;
  readonly target?: Located<string>;
  /** Sub-directory of the build context to use as the step's context. */
  readonly context?: Located<string>;
  /** In declared order. */
  readonly buildArgs: readonly KeyValue[];
  readonly sourceFiles: readonly SourceFileDecl[];
}

/** A `tarball "path/in/context.tgz" { source_file "*" { vcs "git" { … } } }` block. */
export interface Tarball {
  /** The label: the tarball's path in the build context, cleaned. */
  readonly name: Located<string>;
  readonly range: Range;
  readonly defRange: Range;
  readonly sourceFiles: readonly SourceFileDecl[];
}

/** `source_file "<glob>" { vcs "git" { repository, ref } }`: where files matching the glob come from. */
export interface SourceFileDecl {
  /** A `path.Match`-style glob matched against `from_step.path` / `from_tarball.path`. */
  readonly location: Located<string>;
  readonly vcs: Vcs;
  readonly range: Range;
}
