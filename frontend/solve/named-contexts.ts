import { errorAt, parseImageReference, reasonOf, type ImageReference, type Located, type Result } from "../../grammar/index.js";
import type { BuildSession } from "./session.js";

/**
 * Named contexts (`docker buildx build --build-context debian:bookworm=docker-image://mirror/debian:12`,
 * option `context:<name>`) replace an image the declaration names, as they replace a Dockerfile's `FROM`.
 * A name matches the reference as written or in its normalised forms. Only `docker-image://` targets can
 * stand for an image; other kinds are a located error. Names no image uses are reported by
 * `unusedNamedContexts` — never silently ignored.
 */
export function replaceByNamedContext(session: BuildSession, ref: Located<ImageReference>): Result<Located<ImageReference> | undefined> {
  const r = ref.value;
  const named = `${r.domain}/${r.path}`;
  const familiar = r.domain === "docker.io" ? named.replace(/^docker\.io\/(library\/)?/, "") : named;
  const tag = r.tag ? `:${r.tag}` : "";
  const candidates = [r.original, `${named}${tag}`, `${familiar}${tag}`, ...(r.digest ? [`${named}${tag}@${r.digest}`] : [])];
  const name = candidates.find((c) => session.options.namedContexts.has(c));
  if (name === undefined) return { value: ref, diagnostics: [] };
  session.usedNamedContexts.add(name);
  const value = session.options.namedContexts.get(name)!;
  if (!value.startsWith("docker-image://")) {
    return {
      value: undefined,
      diagnostics: [errorAt(ref.range, `Named context "${name}" cannot replace an image`, `It is ${JSON.stringify(value)}; an image can be replaced only by another image (docker-image://REF).`)],
    };
  }
  const parsed = parseImageReference(value.slice("docker-image://".length));
  if (parsed.value === undefined) {
    return { value: undefined, diagnostics: [errorAt(ref.range, `Named context "${name}" is not a valid image reference`, reasonOf(parsed))] };
  }
  return { value: { value: parsed.value, range: ref.range }, diagnostics: [] };
}

/** The named contexts given to the build that no image of the declaration used. */
export function unusedNamedContexts(session: BuildSession): string[] {
  return [...session.options.namedContexts.keys()].filter((n) => !session.usedNamedContexts.has(n)).sort();
}
