/**
 * Source ops: `image`, `local`, `git`, `http` (and `scratch`, in state.ts). Identifiers and attribute keys
 * are BuildKit's (`solver/pb/attr.go`); which attrs are set, and when, follows client/llb so the same
 * declaration gives the same op bytes as a Go frontend would.
 */
import { mergeConstraints, onPlatform, noConstraints, type Constraints } from "./constraints.js";
import { sortedMap } from "./canonical.js";
import { check } from "./errors.js";
import { normalizeImageRef } from "./image-ref.js";
import { joinPath } from "./path.js";
import { platformToPb, type Platform } from "./platform.js";
import { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";
import { State, type ImageConfig } from "./state.js";
import { resolvePlatform, type BuildContext, type BuiltVertex, type Output, type Vertex } from "./vertex.js";

class SourceVertex implements Vertex {
  readonly inputs: readonly Output[] = [];
  private readonly attrs: ReadonlyMap<string, string>;

  constructor(
    readonly identifier: string,
    attrs: Iterable<readonly [string, string]>,
    readonly constraints: Constraints,
  ) {
    this.attrs = sortedMap(attrs);
  }

  build(context: BuildContext): BuiltVertex {
    const source = new pb.SourceOp({ identifier: this.identifier, attrs: new Map(this.attrs) });
    // Only image and OCI-layout sources are platform-specific; Go drops the platform of the others.
    const platformSpecific = this.identifier.startsWith("docker-image://") || this.identifier.startsWith("oci-layout://");
    const op = new pb.Op({ source });
    if (platformSpecific) op.platform = platformToPb(resolvePlatform(context, this.constraints.platform));
    return { kind: "op", op };
  }
}

function sourceState(identifier: string, attrs: [string, string][], constraints: Constraints): State {
  const vertex = new SourceVertex(identifier, attrs, constraints);
  return new State(undefined).withOutput({ vertex, index: 0, ...(constraints.platform && { platform: constraints.platform }) });
}

export interface ImageOptions {
  /** `default` (use a local copy if the digest matches), `pull` (always ask the registry), `local`. */
  readonly resolveMode?: "default" | "pull" | "local";
  /** `image.recordtype`, e.g. `internal` for images the user did not ask for. */
  readonly recordType?: string;
  /** Pull this platform's image; also the platform of `run` on it. */
  readonly platform?: Platform;
  /** The resolved image config: later `run`s inherit its Env, WorkingDir, User and platform. */
  readonly config?: ImageConfig;
  readonly layerLimit?: number;
  /** `image.checksum`: the manifest digest the image must resolve to. */
  readonly checksum?: string;
  readonly constraints?: Constraints;
}

/**
 * A registry image. `ref` is normalized (`alpine` → `docker.io/library/alpine:latest`); pin it with a
 * digest (`…@sha256:…`) for reproducible builds.
 * @example image("debian:bookworm@sha256:…", { platform: parsePlatform("linux/amd64"), config })
 */
export function image(ref: string, options: ImageOptions = {}): State {
  const attrs: [string, string][] = [];
  if (options.resolveMode !== undefined && options.resolveMode !== "default") {
    check(options.resolveMode === "pull" || options.resolveMode === "local", `unknown resolve mode ${JSON.stringify(options.resolveMode)}`);
    attrs.push(["image.resolvemode", options.resolveMode]);
  }
  if (options.recordType) attrs.push(["image.recordtype", options.recordType]);
  if (options.layerLimit !== undefined) {
    check(Number.isInteger(options.layerLimit) && options.layerLimit > 0, `invalid layer limit ${options.layerLimit}`);
    attrs.push(["image.layerlimit", String(options.layerLimit)]);
  }
  if (options.checksum) {
    check(/^sha256:[0-9a-f]{64}$/.test(options.checksum), `invalid image checksum ${JSON.stringify(options.checksum)}`);
    attrs.push(["image.checksum", options.checksum]);
  }
  const constraints = mergeConstraints(noConstraints, options.platform && onPlatform(options.platform), options.constraints);
  const state = sourceState(`docker-image://${normalizeImageRef(ref)}`, attrs, constraints);
  return options.config ? state.withImageConfig(options.config) : state;
}

export interface LocalOptions {
  /** The client session that holds the directory (`BUILDKIT_SESSION_ID`). */
  readonly sessionId?: string;
  readonly includePatterns?: readonly string[];
  readonly excludePatterns?: readonly string[];
  /** Transfer only these paths (and what symlinks in them point to). */
  readonly followPaths?: readonly string[];
  /** Lets BuildKit reuse the snapshot of an earlier transfer with the same hint. */
  readonly sharedKeyHint?: string;
  /** `none` retransfers every file; `metadata` (BuildKit's default) compares file metadata. Advisory. */
  readonly differ?: "none" | "metadata";
  /** `local.unique`, for a local without a session (Go fills in a random ID; llb/ stays deterministic). */
  readonly uniqueId?: string;
  readonly constraints?: Constraints;
}

/**
 * A directory from the client (`context`, `dockerfile`, or a named local).
 * @example local("context", { sessionId, sharedKeyHint: "context", excludePatterns: ["node_modules"] })
 */
export function local(name: string, options: LocalOptions = {}): State {
  check(name !== "", "a local source needs a name");
  const attrs: [string, string][] = [];
  if (options.sessionId) attrs.push(["local.session", options.sessionId]);
  else if (options.uniqueId) attrs.push(["local.unique", options.uniqueId]);
  // The singular "includepattern" is BuildKit's spelling; the values are JSON arrays.
  if (options.includePatterns?.length) attrs.push(["local.includepattern", goJsonStrings(options.includePatterns)]);
  if (options.followPaths?.length) attrs.push(["local.followpaths", goJsonStrings(options.followPaths)]);
  if (options.excludePatterns?.length) attrs.push(["local.excludepatterns", goJsonStrings(options.excludePatterns)]);
  if (options.sharedKeyHint) attrs.push(["local.sharedkeyhint", options.sharedKeyHint]);
  if (options.differ !== undefined) {
    check(options.differ === "none" || options.differ === "metadata", `unknown differ ${JSON.stringify(options.differ)}`);
    attrs.push(["local.differ", options.differ]);
  }
  return sourceState(`local://${name}`, attrs, mergeConstraints(noConstraints, options.constraints));
}

/** Go's `json.Marshal([]string)`: like JSON.stringify, but <, > and & (and U+2028/9) are escaped. */
function goJsonStrings(values: readonly string[]): string {
  return JSON.stringify(values).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export interface GitOptions {
  /** Keep `.git` in the checkout. */
  readonly keepGitDir?: boolean;
  /** Use only this directory of the repository. */
  readonly subdir?: string;
  /** The commit the ref must resolve to (`git.checksum`). */
  readonly checksum?: string;
  /** Secret names for HTTP auth; BuildKit's defaults are GIT_AUTH_TOKEN and GIT_AUTH_HEADER. */
  readonly authTokenSecret?: string;
  readonly authHeaderSecret?: string;
  /** known_hosts lines for SSH remotes (Go scans the host; llb/ does no I/O). */
  readonly knownSshHosts?: string;
  /** The SSH agent ID for SSH remotes (default `default`). */
  readonly mountSshSock?: string;
  readonly constraints?: Constraints;
}

/** A parsed git remote (BuildKit `gitutil.ParseURL`). */
interface GitRemote {
  readonly scheme: string;
  readonly host: string;
  readonly path: string;
  /** The URL git is given: without fragment and query. */
  readonly remote: string;
}

const gitSchemes = ["http", "https", "ssh", "git"];

function parseGitRemote(url: string): GitRemote {
  const scheme = /^([a-zA-Z0-9]+):\/\//.exec(url);
  if (scheme) {
    const name = scheme[1]!.toLowerCase();
    check(gitSchemes.includes(name), `unsupported git protocol ${JSON.stringify(name)} in ${JSON.stringify(url)}`);
    const match = /^[a-zA-Z0-9]+:\/\/(?:([^@/?#]*)@)?([^/?#]*)([^?#]*)/.exec(url)!;
    const [, userinfo, host, path] = match;
    check(host !== "", `git remote ${JSON.stringify(url)} has no host`);
    return { scheme: name, host: host!, path: path!, remote: `${scheme[1]}://${userinfo !== undefined ? userinfo + "@" : ""}${host}${path}` };
  }
  const scp = /^([a-zA-Z0-9-_]+)@([a-zA-Z0-9-.]+):(.*?)(?:\?(.*?))?(?:#(.*))?$/.exec(url);
  if (scp) {
    const [, user, host, path] = scp;
    return { scheme: "ssh", host: host!, path: path!, remote: `${user}@${host}:${path}` };
  }
  return parseGitRemote(`https://${url}`);
}

/**
 * A git repository at `ref` (branch, tag or commit). The identifier is built from host and path only, so
 * the https and ssh URLs of one repository give the same source (client/llb `Git`).
 * @example git("https://github.com/moby/buildkit.git", "v0.25.0", { checksum: "<commit>" })
 */
export function git(remote: string, ref = "", options: GitOptions = {}): State {
  check(remote !== "", "a git source needs a remote");
  const parsed = parseGitRemote(remote);
  const subdir = joinPath("/", options.subdir ?? "").replace(/^\//, "");
  let id = parsed.host + joinPath("/", parsed.path);
  if (ref !== "" || subdir !== "") id += `#${ref}${subdir !== "" ? `:${subdir}` : ""}`;
  const attrs: [string, string][] = [];
  if (options.keepGitDir) attrs.push(["git.keepgitdir", "true"]);
  attrs.push(["git.fullurl", parsed.remote]);
  attrs.push(["git.authtokensecret", options.authTokenSecret || "GIT_AUTH_TOKEN"]);
  attrs.push(["git.authheadersecret", options.authHeaderSecret || "GIT_AUTH_HEADER"]);
  if (parsed.scheme === "ssh") {
    if (options.knownSshHosts) attrs.push(["git.knownsshhosts", options.knownSshHosts.replace(/\n$/, "") + "\n"]);
    attrs.push(["git.mountsshsock", options.mountSshSock || "default"]);
  }
  if (options.checksum) {
    check(/^[0-9a-f]{7,64}$/.test(options.checksum), `invalid git checksum ${JSON.stringify(options.checksum)}`);
    attrs.push(["git.checksum", options.checksum]);
  }
  return sourceState(`git://${id}`, attrs, mergeConstraints(noConstraints, options.constraints));
}

export interface HttpOptions {
  /** The digest the download must have (`http.checksum`); without it the source is not reproducible. */
  readonly checksum?: string;
  /** The file name in the result (default: from the URL). */
  readonly filename?: string;
  /** Permission bits of the file (default 0o600). */
  readonly perm?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly constraints?: Constraints;
}

/**
 * A file downloaded over HTTP(S); the result holds one file.
 * @example http("https://example.org/tool.tar.gz", { checksum: "sha256:…", filename: "tool.tar.gz" })
 */
export function http(url: string, options: HttpOptions = {}): State {
  check(/^https?:\/\/[^/?#]+/.test(url), `an http source needs an http(s) URL, got ${JSON.stringify(url)}`);
  const attrs: [string, string][] = [];
  if (options.checksum) {
    check(/^sha(256:[0-9a-f]{64}|384:[0-9a-f]{96}|512:[0-9a-f]{128})$/.test(options.checksum), `invalid checksum ${JSON.stringify(options.checksum)}`);
    attrs.push(["http.checksum", options.checksum]);
  }
  if (options.filename) {
    check(!options.filename.includes("/"), `http filename ${JSON.stringify(options.filename)} must not contain "/"`);
    attrs.push(["http.filename", options.filename]);
  }
  if (options.perm) {
    check(Number.isInteger(options.perm) && options.perm > 0 && options.perm <= 0o777, `invalid file mode ${options.perm}`);
    attrs.push(["http.perm", "0" + options.perm.toString(8)]);
  }
  for (const [key, id] of [["http.uid", options.uid], ["http.gid", options.gid]] as const) {
    if (!id) continue;
    check(Number.isInteger(id) && id > 0, `invalid ${key} ${id}`);
    attrs.push([key, String(id)]);
  }
  return sourceState(url, attrs, mergeConstraints(noConstraints, options.constraints));
}
