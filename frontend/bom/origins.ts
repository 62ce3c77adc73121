import type { BomFileOrigin, BomVcs } from "./model.js";

/** One line saying where a file came from, for document comments and the diff. */
export function describeOrigin(o: BomFileOrigin): string {
  switch (o.kind) {
    case "context":
      return `build context ${o.path}`;
    case "tarball":
      return `tarball ${o.tarball} (sha256:${o.tarballSha256}) member ${o.member}${o.vcs ? `, source ${describeVcs(o.vcs)}` : ""}`;
    case "http":
      return `http ${o.url} (sha256:${o.sha256})`;
    case "git":
      return `git ${o.repository} ${o.ref} (commit ${o.commit}) path ${o.path}`;
    case "image":
      return `image ${o.image} path ${o.path}`;
    case "step":
      return `step ${o.step} path ${o.path}${o.vcs ? `, source ${describeVcs(o.vcs)}` : ""}`;
  }
}

export function describeVcs(v: BomVcs): string {
  return `${v.type} ${v.repository} ${v.ref}${v.commit !== undefined && v.commit !== v.ref ? ` (commit ${v.commit})` : ""}`;
}

/**
 * SPDX's VCS download location, `git+https://host/repo@<commit or ref>`; undefined when the repository
 * is not a URL SPDX can express (then documents say NOASSERTION and name it in a comment).
 */
export function vcsDownloadLocation(v: BomVcs): string | undefined {
  const revision = v.commit ?? v.ref;
  if (/^[a-z][a-z0-9+.-]*\+[a-z]+:\/\//.test(v.repository)) return `${v.repository}@${revision}`;
  if (/^(https?|ssh|git):\/\/\S+$/.test(v.repository)) return `${v.type}+${v.repository}@${revision}`;
  return undefined;
}

/** The last path segment of a URL, without query or fragment. */
export function urlFileName(url: string): string {
  return url.replace(/[?#].*$/, "").replace(/\/+$/, "").split("/").pop() || url;
}

/** `0o755` → `"0755"`; four digits so setuid/setgid/sticky bits show. */
export function formatMode(mode: number): string {
  return mode.toString(8).padStart(4, "0");
}
