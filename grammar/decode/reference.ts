import type { ImageReference } from "../model/declaration.js";
import { failure, type Result } from "../source/diagnostic.js";

// Docker's reference grammar (distribution/reference): name components are lowercase alphanumerics joined by
// `.`, `_`, `__` or runs of `-`; a domain is a host name or IP with an optional port; a tag is up to 128
// word characters, dots and dashes, not starting with either.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;
const MAX_NAME_LENGTH = 255;

/** Docker Hub's domain, as normalised names spell it. */
export const DOCKER_HUB = "docker.io";

/**
 * Parses and normalises an image reference with Docker's rules (`ParseNormalizedNamed` plus
 * `TagNameOnly`): `debian` → `docker.io/library/debian:latest`, `127.0.0.1:5000/x:1`,
 * `name@sha256:<64 hex>`. The first path element is a registry domain when it contains `.` or `:`, is
 * `localhost`, or has uppercase letters. Only sha256 digests are accepted, since that is what image
 * registries and BuildKit verify. The value is undefined, with an error (see `failure`), when `text` is not a
 * reference.
 */
export function parseImageReference(text: string): Result<ImageReference | undefined> {
  if (text === "") return fail("the image reference is empty");
  if (/\s/.test(text)) return fail("an image reference cannot contain spaces");
  if (text.includes("://")) return fail(`"${text}" is a URL; an image reference is written like registry.example.org/name:tag, without a scheme`);

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!SHA256_DIGEST.test(digest)) {
      return fail(`the digest "${digest}" is not valid: it must be sha256: followed by 64 lowercase hex digits`);
    }
  }

  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) {
      return fail(`the tag "${tag}" is not valid: up to 128 letters, digits, _, . and -, not starting with . or -`);
    }
  }
  if (rest === "") return fail(`"${text}" has no image name`);

  let domain = DOCKER_HUB;
  let path = rest;
  const slash = rest.indexOf("/");
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes(".") || first.includes(":") || first === "localhost" || first.toLowerCase() !== first) {
      domain = first === "index.docker.io" ? DOCKER_HUB : first;
      path = rest.slice(slash + 1);
      if (!DOMAIN.test(domain)) return fail(`"${domain}" is not a valid registry host (a host name or IP address, with an optional :port)`);
    }
  }
  if (path === "") return fail(`"${text}" has no repository name after the registry`);
  if (path.toLowerCase() !== path) return fail(`the repository name "${path}" must be lowercase`);
  for (const component of path.split("/")) {
    if (!PATH_COMPONENT.test(component)) {
      return fail(
        component === ""
          ? `"${text}" has an empty path component`
          : `"${component}" is not a valid repository name component: use lowercase letters and digits, separated by ., _, __ or -`,
      );
    }
  }
  if (/^[a-f0-9]{64}$/.test(path)) return fail("a repository name cannot be a 64-digit hex string (that looks like an image ID)");
  if (domain === DOCKER_HUB && !path.includes("/")) path = `library/${path}`;
  if (domain.length + 1 + path.length > MAX_NAME_LENGTH) return fail(`the repository name is longer than ${MAX_NAME_LENGTH} characters`);
  if (tag === undefined && digest === undefined) tag = "latest";

  const canonical = `${domain}/${path}${tag !== undefined ? `:${tag}` : ""}${digest !== undefined ? `@${digest}` : ""}`;
  return {
    value: {
      original: text,
      domain,
      path,
      ...(tag !== undefined ? { tag } : {}),
      ...(digest !== undefined ? { digest } : {}),
      canonical,
    },
    diagnostics: [],
  };
}

function fail(reason: string): Result<undefined> {
  return failure("Invalid image reference", reason);
}
