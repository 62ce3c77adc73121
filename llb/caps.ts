/**
 * LLB capabilities. Old daemons silently ignore protobuf fields they do not know, so an op lists in
 * `OpMetadata.caps` every cap its fields rely on and the gateway compares them with Ping's LLB caps before
 * solving. Here caps are a pure function of the finished op (BuildKit's client adds them while marshalling,
 * mutating shared state: moby/buildkit#1668); `marshal` writes them into the metadata.
 */
import { compareUtf8 } from "./canonical.js";
import { LlbCapsError } from "./errors.js";
import { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";

/** The caps `op` needs, sorted. Attributes BuildKit treats as hints (e.g. `local.differ`) need none. */
export function capsOf(op: pb.Op): string[] {
  const caps = new Set<string>();
  switch (op.op) {
    case "source":
      sourceCaps(op.source, caps);
      break;
    case "exec":
      execCaps(op.exec, op.has_platform ? op.platform.OS : "", caps);
      break;
    case "file":
      fileCaps(op.file, caps);
      break;
    case "merge":
      caps.add("mergeop");
      break;
    case "diff":
      caps.add("diffop");
      break;
    case "none":
      break;
  }
  return [...caps].sort(compareUtf8);
}

function sourceCaps(source: pb.SourceOp, caps: Set<string>): void {
  const id = source.identifier;
  const attrs = source.attrs;
  if (id.startsWith("docker-image://")) {
    caps.add("source.image");
    if (attrs.get("image.resolvemode") === "pull") caps.add("source.image.resolvemode");
    if (attrs.has("image.layerlimit")) caps.add("source.image.layerlimit");
    if (attrs.has("image.checksum")) caps.add("source.image.checksum");
  } else if (id.startsWith("local://")) {
    caps.add("source.local");
    const byAttr: Record<string, string> = {
      "local.session": "source.local.sessionid",
      "local.unique": "source.local.unique",
      "local.includepattern": "source.local.includepatterns",
      "local.followpaths": "source.local.followpaths",
      "local.excludepatterns": "source.local.excludepatterns",
      "local.sharedkeyhint": "source.local.sharedkeyhint",
    };
    for (const [attr, cap] of Object.entries(byAttr)) if (attrs.has(attr)) caps.add(cap);
  } else if (id.startsWith("git://")) {
    caps.add("source.git");
    if (attrs.has("git.keepgitdir")) caps.add("source.git.keepgitdir");
    if (attrs.has("git.fullurl")) caps.add("source.git.fullurl");
    if (id.split("#")[1]?.includes(":")) caps.add("source.git.subdir");
    const customAuth =
      (attrs.has("git.authtokensecret") && attrs.get("git.authtokensecret") !== "GIT_AUTH_TOKEN") ||
      (attrs.has("git.authheadersecret") && attrs.get("git.authheadersecret") !== "GIT_AUTH_HEADER");
    if (customAuth) caps.add("source.git.httpauth");
    if (attrs.has("git.knownsshhosts")) caps.add("source.git.knownsshhosts");
    if (attrs.has("git.mountsshsock")) caps.add("source.git.mountsshsock");
    if (attrs.has("git.checksum")) caps.add("source.git.checksum");
  } else if (id.startsWith("https://") || id.startsWith("http://")) {
    caps.add("source.http");
    if (attrs.has("http.checksum")) caps.add("source.http.checksum");
    if (attrs.has("http.perm")) caps.add("source.http.perm");
    // "soruce" is the real cap ID (a typo kept for compatibility).
    if (attrs.has("http.uid") || attrs.has("http.gid")) caps.add("soruce.http.uidgid");
  }
}

function execCaps(exec: pb.ExecOp, os: string, caps: Set<string>): void {
  caps.add("exec.meta.base");
  const meta = exec.meta;
  // Without PATH, the op relies on the daemon adding the default one.
  if (os !== "windows" && !meta.env.some((entry) => entry.startsWith("PATH="))) caps.add("exec.meta.setsdefaultpath");
  if (exec.network !== pb.NetMode.UNSET) caps.add("exec.meta.network");
  if (exec.security === pb.SecurityMode.INSECURE) caps.add("exec.meta.security");
  if (meta.validExitCodes.length > 0) caps.add("exec.validexitcode");
  if (meta.ulimit.length > 0) caps.add("exec.meta.ulimit");
  if (meta.cgroupParent !== "") caps.add("exec.meta.cgroup.parent");
  if (meta.has_proxy_env) caps.add("exec.meta.proxyenv");
  if (exec.secretenv.length > 0) caps.add("exec.secretenv");
  for (const mount of exec.mounts) {
    if (mount.selector !== "") caps.add("exec.mount.selector");
    if (mount.contentCache !== pb.MountContentCache.DEFAULT) caps.add("exec.mount.cache.content");
    switch (mount.mountType) {
      case pb.MountType.BIND:
        if (Number(mount.input) >= 0) caps.add("exec.mount.bind");
        if (!mount.readonly && Number(mount.output) < 0) caps.add("exec.mount.bind.readwrite-nooutput");
        break;
      case pb.MountType.CACHE:
        caps.add("exec.mount.cache");
        caps.add("exec.mount.cache.sharing");
        break;
      case pb.MountType.TMPFS:
        caps.add("exec.mount.tmpfs");
        if (Number(mount.TmpfsOpt.size) > 0) caps.add("exec.mount.tmpfs.size");
        break;
      case pb.MountType.SECRET:
        caps.add("exec.mount.secret");
        break;
      case pb.MountType.SSH:
        caps.add("exec.mount.ssh");
        break;
    }
  }
}

function fileCaps(file: pb.FileOp, caps: Set<string>): void {
  caps.add("file.base");
  for (const action of file.actions) {
    if (action.has_copy) {
      const copy = action.copy;
      if (copy.include_patterns.length > 0 || copy.exclude_patterns.length > 0) caps.add("file.copy.includeexcludepatterns");
      if (copy.alwaysReplaceExistingDestPaths) caps.add("file.copy.alwaysreplaceexistingdestpaths");
      // BuildKit defines "file.copy.modestring" but never registers it, so a daemon rejects it as an unknown
      // cap ("failed to load LLB", seen on Docker 28). modeStr arrived in v0.17 together with the registered
      // exec.validexitcode, which stands in for it so a v0.16 daemon fails loudly instead of ignoring modeStr.
      if (copy.modeStr !== "") caps.add("exec.validexitcode");
    } else if (action.has_rm && action.rm.allowWildcard) {
      caps.add("file.rm.wildcard");
    } else if (action.has_symlink) {
      caps.add("file.symlink.create");
    }
  }
}

/** Every cap a definition's metadata lists, sorted: what the daemon's Ping must report. */
export function requiredCaps(definition: pb.Definition | { readonly proto: pb.Definition }): string[] {
  const proto = "proto" in definition ? definition.proto : definition;
  const caps = new Set<string>();
  for (const metadata of proto.metadata.values()) {
    for (const [cap, required] of metadata.caps) if (required) caps.add(cap);
  }
  return [...caps].sort(compareUtf8);
}

/** The BuildKit release that introduced each cap slipway can emit, for the error message. */
const capSince: Readonly<Record<string, string>> = {
  "file.base": "v0.5",
  "exec.meta.security": "v0.5",
  "exec.mount.bind.readwrite-nooutput": "v0.6.1",
  "file.rm.wildcard": "v0.7",
  "source.local.differ": "v0.9",
  "source.git.subdir": "v0.9",
  "file.copy.includeexcludepatterns": "v0.9",
  mergeop: "v0.10",
  diffop: "v0.10",
  "exec.meta.cgroup.parent": "v0.10",
  "exec.meta.ulimit": "v0.10",
  "exec.mount.tmpfs.size": "v0.10",
  "exec.secretenv": "v0.10",
  "source.image.layerlimit": "v0.11",
  "exec.mount.cache.content": "v0.13",
  "file.copy.alwaysreplaceexistingdestpaths": "v0.14",
  "exec.validexitcode": "v0.17",
  "file.symlink.create": "v0.19",
  "source.git.checksum": "v0.23",
  "source.image.checksum": "v0.25",
};

/**
 * Throws {@link LlbCapsError} naming every cap the definition needs that `supported` (Ping's enabled LLB
 * caps) lacks, and the BuildKit release that brought it.
 */
export function checkCaps(definition: pb.Definition | { readonly proto: pb.Definition }, supported: Iterable<string>): void {
  const have = new Set(supported);
  const missing = requiredCaps(definition).filter((cap) => !have.has(cap));
  if (missing.length === 0) return;
  const named = missing.map((cap) => (capSince[cap] ? `${cap} (BuildKit ${capSince[cap]})` : cap));
  throw new LlbCapsError(
    `the BuildKit daemon does not support ${missing.length === 1 ? "the LLB capability" : "these LLB capabilities"} ` +
      `this build needs: ${named.join(", ")}. Update BuildKit (or Docker) to a release that has them.`,
    missing,
  );
}
