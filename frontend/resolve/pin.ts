import type { ImageReference, Located } from "../../grammar/index.js";

/** `name[:tag]@digest`: a reference pinned to a digest (the one place slipway writes that form). */
export function pinnedName(reference: ImageReference, digest: string): string {
  const name = reference.tag ? `${reference.domain}/${reference.path}:${reference.tag}` : `${reference.domain}/${reference.path}`;
  return `${name}@${digest}`;
}

/** The reference pinned to `digest` (a lock's), unless it names a digest itself or none is given. */
export function pinnedTo(ref: Located<ImageReference>, digest: string | undefined): Located<ImageReference> {
  if (!digest || ref.value.digest) return ref;
  return { ...ref, value: { ...ref.value, digest, canonical: pinnedName(ref.value, digest) } };
}
