/**
 * Docker image references normalized the way client/llb's `Image` does it (distribution/reference
 * `ParseNormalizedNamed` + `TagNameOnly`): `alpine` → `docker.io/library/alpine:latest`. The image
 * source's identifier, and so its digest, depend on this form.
 */
import { check } from "./errors.js";

const alphanumeric = "[a-z0-9]+";
const separator = "(?:[._]|__|[-]+)";
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const domain = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const tag = "[\\w][\\w.-]{0,127}";
const digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const referencePattern = new RegExp(
  `^((?:${domain}/)?${pathComponent}(?:/${pathComponent})*)(?::(${tag}))?(?:@(${digest}))?$`,
);

/** The canonical form of an image reference; throws `LlbArgumentError` for one Docker would reject. */
export function normalizeImageRef(ref: string): string {
  check(!/^[a-f0-9]{64}$/.test(ref), `invalid image reference ${JSON.stringify(ref)}: a bare 64-hex ID is not a reference`);
  const [domainPart, remainder] = splitDomain(ref);
  check(isLowerPath(remainder), `invalid image reference ${JSON.stringify(ref)}: the repository name must be lowercase`);
  const full = `${domainPart}/${remainder}`;
  const match = referencePattern.exec(full);
  check(match !== null, `invalid image reference ${JSON.stringify(ref)}`);
  const [, name, tagPart, digestPart] = match;
  check(name!.length <= 255, `invalid image reference ${JSON.stringify(ref)}: name longer than 255 characters`);
  const suffix = digestPart ? (tagPart ? `:${tagPart}` : "") + `@${digestPart}` : `:${tagPart ?? "latest"}`;
  return name + suffix;
}

function isLowerPath(remainder: string): boolean {
  const path = remainder.split(/[:@]/, 1)[0]!;
  return path === path.toLowerCase();
}

/** distribution/reference `splitDockerDomain`. */
function splitDomain(ref: string): [string, string] {
  const slash = ref.indexOf("/");
  const first = slash < 0 ? "" : ref.slice(0, slash);
  if (slash < 0 || (!/[.:]/.test(first) && first !== "localhost" && first.toLowerCase() === first)) {
    const remainder = ref;
    return ["docker.io", remainder.includes("/") ? remainder : `library/${remainder}`];
  }
  const domainPart = first === "index.docker.io" ? "docker.io" : first;
  const remainder = ref.slice(slash + 1);
  return [domainPart, domainPart === "docker.io" && !remainder.includes("/") ? `library/${remainder}` : remainder];
}
