import { errorAt, type ImageReference, type Located, type Result } from "../../grammar/index.js";
import { formatPlatform, platformToPb, type Platform } from "../../llb/index.js";
import { replaceByNamedContext } from "./named-contexts.js";
import { gw, isGatewayError } from "../gateway/index.js";
import type { OciImageConfig, ResolvedImage } from "../compile/index.js";
import { pinnedName } from "../resolve/index.js";
import type { BuildSession } from "./session.js";

/**
 * Resolves an image reference to a digest and its config for `platform` through BuildKit (its registry
 * auth, mirrors and source policies apply). The result is pinned `name:tag@sha256:…`, so the build and the
 * BOM name exactly the bytes used.
 */
export async function resolveImage(session: BuildSession, declared: Located<ImageReference>, platform: Platform, role: string): Promise<Result<ResolvedImage | undefined>> {
  const replaced = replaceByNamedContext(session, declared);
  if (replaced.value === undefined) return { value: undefined, diagnostics: replaced.diagnostics };
  const ref = replaced.value;
  const reference = ref.value;
  let res;
  try {
    res = await session.client.resolveImageConfig(
      new gw.ResolveImageConfigRequest({
        Ref: reference.canonical,
        Platform: platformToPb(platform),
        ResolveMode: session.options.imageResolveMode,
        LogName: `[slipway] resolve ${role} ${reference.original} for ${formatPlatform(platform)}`,
        SessionID: session.options.sessionId,
      }),
    );
  } catch (e) {
    if (!isGatewayError(e)) throw e;
    return {
      value: undefined,
      diagnostics: [
        errorAt(ref.range, `Cannot resolve image ${reference.original}`, e.status.message, {
          hint: "check the name and tag, that the registry is reachable from BuildKit, and that you are logged in to it",
        }),
      ],
    };
  }
  let config: OciImageConfig;
  try {
    config = JSON.parse(new TextDecoder().decode(res.Config)) as OciImageConfig;
  } catch {
    return { value: undefined, diagnostics: [errorAt(ref.range, `Image ${reference.original} has an unreadable config`, "Its config is not JSON.")] };
  }
  config.config ??= {};
  const digest = reference.digest ?? res.Digest;
  return { value: { reference, pinned: pinnedName(reference, digest), digest, config }, diagnostics: [] };
}
