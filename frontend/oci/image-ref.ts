/**
 * Image references, by Docker's normalisation rules: `debian` is `docker.io/library/debian:latest`, a
 * first component with a `.` or `:` (or `localhost`) is a registry.
 */
export interface ImageRef {
  /** `docker.io`, `127.0.0.1:5000`… */
  readonly domain: string;
  /** `library/debian` */
  readonly path: string;
  readonly tag?: string;
  /** `sha256:<hex>` */
  readonly digest?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DEFAULT_DOMAIN = "docker.io";

/** Parses and normalises a reference; `undefined` when it is not one. */
export function parseImageRef(text: string): ImageRef | undefined {
  let rest = text.trim();
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  let domain = DEFAULT_DOMAIN;
  const slash = rest.indexOf("/");
  const first = slash < 0 ? "" : rest.slice(0, slash);
  if (first !== "" && (first.includes(".") || first.includes(":") || first === "localhost")) {
    domain = first;
    rest = rest.slice(slash + 1);
  }
  if (domain === DEFAULT_DOMAIN && !rest.includes("/")) rest = `library/${rest}`;
  if (rest === "" || !rest.split("/").every((c) => PATH_COMPONENT.test(c))) return undefined;
  if (tag === undefined && digest === undefined) tag = "latest";
  return { domain, path: rest, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** `domain/path[:tag][@digest]` */
export function formatImageRef(ref: ImageRef): string {
  return `${ref.domain}/${ref.path}${ref.tag !== undefined ? `:${ref.tag}` : ""}${ref.digest !== undefined ? `@${ref.digest}` : ""}`;
}
