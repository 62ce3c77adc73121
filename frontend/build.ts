import { DiagnosticsError, isDiagnosticsError, selectImage, type Image } from "../grammar/index.js";
import { formatPlatform, parsePlatform, sortedMap, type Platform } from "../llb/index.js";
import { bomAttestations, compareStrings } from "./bom/index.js";
import { gw, isGatewayError, type GatewayClient, type Result } from "./gateway/index.js";
import { diagnosticsToStatus, messageToStatus } from "./gateway/index.js";
import { isOptionError, readBuildOptions, type BuildOptions } from "./gateway/index.js";
import { buildPlatformImage, type PlatformImage } from "./image-build.js";
import { loadLock, readDeclaration, requestDeclarationFiles, type DeclarationFiles, type LoadedDeclaration } from "./load/index.js";
import { exportLock, LOCK_TARGET } from "./lock-target.js";
import { BOM_IMAGE_ARG, buildArgMirrors, unusedBuildArgWarnings } from "./build-args.js";
import { BuildSession, Capabilities, isCapabilityError, unusedNamedContexts, workerPlatform } from "./solve/index.js";
import { handleSubrequest } from "./subrequests/index.js";
import { checkVendorArg, exportVendor, VENDOR_TARGET } from "./vendor-target.js";

/** Targets slipway reserves: they export a by-product of the build instead of the image. */
export const BOM_TARGET = "bom";

type ReturnRequest = InstanceType<typeof gw.ReturnRequest>;

/**
 * One build request, from options to the `Return` message: every failure a user can cause becomes a
 * located error (never a stack trace), and nothing is returned for export unless the whole build worked.
 */
export async function handleBuild(client: GatewayClient, env: NodeJS.ProcessEnv, timings: Map<string, number> = new Map()): Promise<ReturnRequest> {
  timings.set("at start", performance.now());
  let options: BuildOptions;
  try {
    options = readBuildOptions(env);
  } catch (e) {
    if (isOptionError(e)) return failure(messageToStatus(`invalid option: ${e.message}`));
    throw e;
  }
  // The declaration's files are asked for beside Ping, not after its answer (see requestDeclarationFiles).
  // Subrequests get them too: all but `describe` read the declaration, and an unread local transfers nothing.
  const pong = client.ping();
  const declarationFiles = requestDeclarationFiles(client, options, workerPlatform(options));
  const caps = new Capabilities(await pong);
  timings.set("at ping", performance.now());
  const missing = caps.missingGatewayCap();
  if (missing) {
    return failure(messageToStatus(`this BuildKit lacks the gateway capability "${missing}" that slipway needs; upgrade BuildKit (v0.8 or later, Docker Engine 20.10 or later)`));
  }
  const session = new BuildSession(client, options, caps, timings);
  try {
    return await buildWith(session, declarationFiles);
  } finally {
    await session.settle();
  }
}

async function buildWith(session: BuildSession, declarationFiles: DeclarationFiles): Promise<ReturnRequest> {
  const { options } = session;
  try {
    const load = () => readDeclaration(session, session.defaultPlatform(), declarationFiles);
    if (options.requestId) return await handleSubrequest(options.requestId, options.target, load);
    const loaded = await session.time("load", load);
    session.warn([...loaded.warnings, ...unusedBuildArgWarnings(loaded)]);
    buildArgMirrors(options.buildArgs); // a malformed value fails every build, not only one that fetches
    const target = options.target;
    if (target === LOCK_TARGET) return success(await exportLock(session, loaded, (image) => platformsFor(session, image)));
    if (target === VENDOR_TARGET) return success(await exportVendor(session, loaded));
    // the target that chose the image (recorded in the BOM, so --target bom and the image's own attestation agree)
    const imageTarget = target === BOM_TARGET ? options.buildArgs.get(BOM_IMAGE_ARG) : target;
    const image = pickImage(loaded, imageTarget);
    const lock = loadLock(session, loaded);
    checkVendorArg(session, loaded, lock);
    const built: PlatformImage[] = [];
    for (const p of platformsFor(session, image)) built.push(await buildPlatformImage(session, loaded, image, p, imageTarget, lock));
    const unused = unusedNamedContexts(session);
    if (unused.length > 0) {
      return failure(
        messageToStatus(
          `named context${unused.length === 1 ? "" : "s"} ${unused.map((n) => `"${n}"`).join(", ")} (--build-context) replace${unused.length === 1 ? "s" : ""} nothing: no image the build uses is named that way; slipway replaces images only (name it as the declaration writes the image, e.g. debian:bookworm=docker-image://REF)`,
        ),
      );
    }
    if (target === BOM_TARGET) return success(bomResult(built));
    return success(imageResult(built, options));
  } catch (e) {
    if (isDiagnosticsError(e)) return failure(diagnosticsToStatus(e.diagnostics, session.sourceFiles));
    if (isGatewayError(e)) return failure(e.status);
    if (isCapabilityError(e)) return failure(messageToStatus(e.message));
    throw e;
  }
}

/** `--platform` wins, then the image's `platforms`, then the worker's own platform. */
function platformsFor(session: BuildSession, image: Image): Platform[] {
  if (session.options.platforms.length > 0) return session.options.platforms.map(parsePlatform);
  if (image.platforms) return image.platforms.value.map(parsePlatform);
  return [session.defaultPlatform()];
}

function pickImage(loaded: LoadedDeclaration, target: string | undefined): Image {
  const { value: picked, diagnostics } = selectImage(loaded.declaration, target);
  if (!picked) throw new DiagnosticsError(diagnostics);
  return picked;
}

/**
 * The image (one platform) or an index (several, listed by platform so the index is the same whatever
 * order --platform named them in), with its config and the BOM attestations per platform. The exporter is
 * told the epoch (`source.date.epoch`, which `rewrite-timestamp=true` also uses) and the base image's
 * config, so that it changes none of the times slipway wrote.
 */
function imageResult(unordered: readonly PlatformImage[], options: BuildOptions): Result {
  const built = [...unordered].sort((a, b) => compareStrings(formatPlatform(a.platform), formatPlatform(b.platform)));
  const metadata = new Map<string, Uint8Array>();
  const attestations = new Map<string, InstanceType<typeof gw.Attestations>>();
  const multi = built.length > 1 || options.raw.get("multi-platform") === "true";
  const refs = new Map<string, InstanceType<typeof gw.Ref>>();
  for (const b of built) {
    const id = formatPlatform(b.platform);
    const config = utf8(JSON.stringify(b.config));
    metadata.set(multi ? `containerimage.config/${id}` : "containerimage.config", config);
    if (b.baseConfig) metadata.set(multi ? `containerimage.base.config/${id}` : "containerimage.base.config", utf8(JSON.stringify(b.baseConfig)));
    refs.set(id, new gw.Ref({ id: b.ref }));
    attestations.set(id, attestationsFor(b));
  }
  // one key for the whole result: each platform's times are at or before the latest epoch
  metadata.set("source.date.epoch", utf8(String(Math.max(...built.map((b) => b.epoch.seconds)))));
  if (multi) {
    metadata.set(
      "refs.platforms",
      utf8(JSON.stringify({ Platforms: built.map((b) => ({ ID: formatPlatform(b.platform), Platform: ociPlatform(b.platform) })) })),
    );
    return new gw.Result({ refs: new gw.RefMap({ refs: sortedMap(refs) }), metadata: sortedMap(metadata), attestations: sortedMap(attestations) });
  }
  return new gw.Result({ ref: new gw.Ref({ id: built[0]!.ref }), metadata: sortedMap(metadata), attestations: sortedMap(attestations) });
}

/** `--target bom`: only the side-tree with the documents (one directory per platform when there are several). */
function bomResult(built: readonly PlatformImage[]): Result {
  if (built.length === 1) return new gw.Result({ ref: new gw.Ref({ id: built[0]!.bomRef }) });
  const refs = new Map(built.map((b) => [formatPlatform(b.platform), new gw.Ref({ id: b.bomRef })] as const));
  const metadata = new Map([
    ["refs.platforms", utf8(JSON.stringify({ Platforms: built.map((b) => ({ ID: formatPlatform(b.platform), Platform: ociPlatform(b.platform) })) }))],
  ]);
  return new gw.Result({ refs: new gw.RefMap({ refs: sortedMap(refs) }), metadata: sortedMap(metadata) });
}

function attestationsFor(b: PlatformImage): InstanceType<typeof gw.Attestations> {
  return new gw.Attestations({
    attestation: bomAttestations("/").map(
      (a) =>
        new gw.Attestation({
          kind: gw.AttestationKind.InToto,
          ref: new gw.Ref({ id: b.bomRef }),
          path: a.path,
          inTotoPredicateType: a.predicateType,
          metadata: sortedMap(Object.entries(a.metadata).map(([k, v]) => [k, utf8(v)] as const)),
        }),
    ),
  });
}

function ociPlatform(p: Platform): Record<string, string> {
  return { architecture: p.architecture, os: p.os, ...(p.variant && { variant: p.variant }) };
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function success(result: Result): ReturnRequest {
  return new gw.ReturnRequest({ result });
}

function failure(error: InstanceType<typeof gw.ReturnRequest>["error"]): ReturnRequest {
  return new gw.ReturnRequest({ error });
}
