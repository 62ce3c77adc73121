import { parseImageReference, type ImageReference } from "../../grammar/index.js";

/**
 * Image references as the OCI plumbing reads them: the grammar's decoder is the one parser (Docker's
 * `ParseNormalizedNamed` plus `TagNameOnly`: `debian` is `docker.io/library/debian:latest`), so a name
 * a declaration accepts is read the same way from a BOM, a registry argument or `slipway diff`. Only the
 * shape differs: here a name that is not a reference is `undefined`, for readers that try a path first.
 * (`llb/` keeps its own normaliser: it is BuildKit's client library, takes any digest algorithm as
 * client/llb does, and imports nothing of the grammar.)
 */
export type ImageRef = ImageReference;

/** Parses and normalises a reference (surrounding blanks ignored); `undefined` when it is not one. */
export function parseImageRef(text: string): ImageRef | undefined {
  return parseImageReference(text.trim()).value;
}

/** `domain/path[:tag][@digest]` */
export function formatImageRef(ref: ImageRef): string {
  return ref.canonical;
}
