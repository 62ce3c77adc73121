import { characterProblem } from "./text.js";

/**
 * git repositories and refs by shape, as BuildKit's git source takes them (util/gitutil `ParseURL`): a URL
 * whose scheme is http, https, ssh or git, with a host; or the scp-like `user@host:path`. Everything else
 * is refused before it can reach `git` on the builder: an empty value, a value starting with `-` (git would
 * read an option), transports such as `ext::cmd` or `fd::`, `file://` URLs and local paths (the builder's
 * file system is not the declaration's to read), and whitespace or control characters.
 */
export function gitRepositoryProblem(repository: string): string | undefined {
  if (repository === "") return "the repository is empty";
  const chars = characterProblem(repository, "name");
  if (chars !== undefined) return `the repository contains ${chars}`;
  if (repository.startsWith("-")) return 'the repository starts with "-", which git would read as an option';
  const transport = /^([A-Za-z][A-Za-z0-9+.-]*)::/.exec(repository);
  if (transport) return `"${transport[1]}::" is a git remote helper transport, which can run commands; only http, https, ssh and git URLs are fetched`;
  if (/\s/u.test(repository)) return "the repository contains a space";
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(repository);
  if (scheme) {
    const name = scheme[1]!.toLowerCase();
    if (!GIT_SCHEMES.includes(name)) return `"${scheme[1]}://" is not a scheme BuildKit fetches git repositories with (${GIT_SCHEMES.map((s) => `${s}://`).join(", ")})`;
    const authority = /^[^:]+:\/\/(?:[^@/?#]*@)?([^/?#]*)/.exec(repository)![1]!;
    if (!HOST_PORT.test(authority)) return authority === "" ? "the URL has no host" : `"${authority}" is not a host name (with an optional :port)`;
    if (repository.includes("#")) return 'the URL contains "#", which BuildKit would read as a ref; give the ref in "ref"';
    return undefined;
  }
  if (/^[A-Za-z0-9_-]+@[A-Za-z0-9.-]+:[^#]+$/.test(repository) && !repository.includes("://")) return undefined;
  if (repository.startsWith("/") || repository.startsWith(".") || repository.startsWith("~")) return "a local path is not a repository the builder can fetch";
  return "it is not a git URL";
}

const GIT_SCHEMES = ["https", "http", "ssh", "git"];
// A host name, an IPv4 or a bracketed IPv6 address, with an optional port.
const HOST_PORT = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

/**
 * A ref (branch, tag or commit) by git's `check-ref-format` rules, plus what BuildKit's `#ref:subdir`
 * fragment would misread: no leading `-`, no control characters, spaces, `~ ^ : ? * [ \`, `..` or `@{`,
 * not ending in `/`, `.` or `.lock`.
 */
export function gitRefProblem(ref: string): string | undefined {
  if (ref === "") return "the ref is empty";
  const chars = characterProblem(ref, "name");
  if (chars !== undefined) return `the ref contains ${chars}`;
  if (ref.startsWith("-")) return 'the ref starts with "-", which git would read as an option';
  const bad = /[\s~^:?*[\\]/u.exec(ref);
  if (bad) return `the ref contains ${bad[0] === " " ? "a space" : `"${bad[0]}"`}, which a git ref cannot hold`;
  if (ref.includes("..") || ref.includes("@{") || ref.includes("//")) return `the ref contains "${ref.includes("..") ? ".." : ref.includes("@{") ? "@{" : "//"}", which a git ref cannot hold`;
  if (/(?:\/|\.|\.lock)$/.test(ref) || ref.startsWith("/")) return 'a git ref cannot start with "/" or end with "/", "." or ".lock"';
  return undefined;
}
