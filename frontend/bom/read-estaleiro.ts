import { parse } from "yaml";
import { buildBom } from "./assemble.js";
import { BomInputError, readingDocument } from "./errors.js";
import type { BomAddedPackageInput, BomInputs, BomRemoteFileInput } from "./inputs.js";
import { BOM_SCHEMA, type Bom, type BomAccounts, type BomEpochOrigin, type BomFileOrigin, type BomVcs } from "./model.js";

/**
 * Reads a bom.yaml written by `writeEstaleiroYaml` back into the exact `Bom`. A BOM written by estaleiro
 * itself lacks the facts slipway adds (sizes, sha1s, origins, the declaration) and is refused with a
 * `BomInputError` saying so; callers can still show its text.
 */
export function readEstaleiroYaml(text: string): Bom {
  let tree: unknown;
  try {
    tree = parse(text);
  } catch (e) {
    throw new BomInputError([`not YAML: ${(e as Error).message.split("\n")[0]}`]);
  }
  return readingDocument(() => buildBom(estaleiroTreeToInputs(tree)));
}

/** True when the YAML is an estaleiro BOM without slipway's additions (estaleiro ≤ 0.0.2 wrote these). */
export function isPlainEstaleiroYaml(text: string): boolean {
  try {
    const tree = parse(text) as Record<string, unknown> | null;
    return typeof tree === "object" && tree !== null && "base_image" in tree && tree["schema"] === undefined;
  } catch {
    return false;
  }
}

// long because: a table: one line per field of the document mapped back to BomInputs.
function estaleiroTreeToInputs(tree: unknown): BomInputs {
  const t = obj(tree);
  if (t["schema"] !== BOM_SCHEMA) {
    throw new BomInputError([
      t["schema"] === undefined
        ? "schema: missing; this is an estaleiro BOM without slipway's facts (no sizes, sha1s or file origins), so only its YAML can be shown"
        : `schema: ${JSON.stringify(t["schema"])} is not ${BOM_SCHEMA}; use a slipway that writes that schema`,
    ]);
  }
  const baseImage = obj(t["base_image"]);
  const changeset = obj(t["changeset"]);
  const image = obj(t["image"]);
  const declaration = obj(t["declaration"]);
  const tool = obj(t["tool"]);
  const canonicalName = baseImage["canonical_name"];
  const osId = baseImage["os"];
  return {
    tool: { name: tool["name"] as string, version: tool["version"] as string },
    image: {
      name: image["name"] as string,
      ...(image["target"] !== undefined ? { target: image["target"] as string } : {}),
      platform: image["platform"] as string,
    },
    declaration: {
      file: declaration["file"] as string,
      sha256: declaration["digest"] as string,
      variables: list(declaration["variables"]).map((x) => {
        const v = obj(x);
        return { name: v["name"] as string, value: v["value"] as string, origin: v["origin"] as "build-arg" };
      }),
    },
    base:
      canonicalName === "scratch"
        ? { kind: "scratch" }
        : {
            kind: "image",
            canonicalName: canonicalName as string,
            ...(osId !== "" && osId !== undefined
              ? { os: { id: osId as string, versionId: baseImage["version"] as string, versionCodename: baseImage["codename"] as string } }
              : {}),
            packages: list(baseImage["packages"]).map((x) => {
              const p = obj(x);
              return installed(p);
            }),
          },
    packages: list(changeset["packages"]).map((x) => addedPackage(obj(x))),
    repositories: list(t["repositories"]).map((x) => {
      const r = obj(x);
      return {
        uri: r["uri"] as string,
        suite: r["suite"] as string,
        components: list(r["components"]) as string[],
        types: list(r["types"]) as ("deb" | "deb-src")[],
        signedBy: list(r["signed_by"]) as string[],
        ...(r["in_release"] !== undefined ? { inRelease: indexFile(obj(r["in_release"])) } : {}),
      };
    }),
    keys: list(t["keys"]).map((x) => {
      const k = obj(x);
      return {
        fingerprint: k["fingerprint"] as string,
        userIds: list(k["user_ids"]) as string[],
        origin: k["origin"] as "declaration",
        location: k["location"] as string,
      };
    }),
    files: list(changeset["files"]).map((x) => {
      const f = obj(x);
      return {
        path: f["path"] as string,
        sha256: f["digest"] as string,
        sha1: f["sha1"] as string,
        size: f["size"] as number,
        mode: parseMode(f["mode"]),
        origin: origin(obj(f["origin"])),
      };
    }),
    ...(t["source_date_epoch"] !== undefined ? { sourceDateEpoch: t["source_date_epoch"] as number } : {}),
    ...(t["source_date_epoch_origin"] !== undefined ? { sourceDateEpochOrigin: t["source_date_epoch_origin"] as BomEpochOrigin } : {}),
    ...(t["accounts"] !== undefined ? { accounts: t["accounts"] as BomAccounts } : {}),
  };
}

function installed(p: Record<string, unknown>) {
  const source = p["source_package"];
  return {
    name: p["name"] as string,
    version: p["version"] as string,
    architecture: p["architecture"] as string,
    ...(source !== "" && source !== undefined ? { source: source as string } : {}),
  };
}

function addedPackage(p: Record<string, unknown>): BomAddedPackageInput {
  const sources = list(p["sources"]).map(obj);
  const vcsEntry = sources.find((s) => s["git"] !== undefined || s["vcs"] !== undefined);
  return {
    ...installed(p),
    location: remoteFile(obj(p["location"])),
    sourceFiles: sources.filter((s) => s["external_resource"] !== undefined).map((s) => remoteFile(obj(s["external_resource"]))),
    ...(vcsEntry !== undefined ? { vcs: sourceVcs(vcsEntry) } : {}),
  };
}

function remoteFile(r: Record<string, unknown>): BomRemoteFileInput {
  return { uri: r["uri"] as string, filename: r["name"] as string, sha256: r["digest"] as string, size: r["size"] as number };
}

function indexFile(r: Record<string, unknown>) {
  return { uri: r["uri"] as string, sha256: r["digest"] as string, size: r["size"] as number };
}

function sourceVcs(s: Record<string, unknown>): BomVcs {
  const g = obj(s["git"] ?? s["vcs"]);
  return vcs({ ...g, type: s["git"] !== undefined ? "git" : g["type"], repository: g["repository_uri"] });
}

function vcs(v: Record<string, unknown>): BomVcs {
  return {
    type: v["type"] as string,
    repository: v["repository"] as string,
    ref: v["ref"] as string,
    ...(v["commit"] !== undefined ? { commit: v["commit"] as string } : {}),
  };
}

function origin(o: Record<string, unknown>): BomFileOrigin {
  const withVcs = o["vcs"] !== undefined ? { vcs: vcs(obj(o["vcs"])) } : {};
  switch (o["kind"]) {
    case "tarball":
      return { kind: "tarball", tarball: o["tarball"] as string, tarballSha256: o["tarball_digest"] as string, member: o["member"] as string, ...withVcs };
    case "http":
      return { kind: "http", url: o["url"] as string, sha256: o["digest"] as string };
    case "step":
      return { kind: "step", step: o["step"] as string, path: o["path"] as string, ...withVcs };
    default:
      // context, git and image carry exactly their own fields; buildBom checks them.
      return o as unknown as BomFileOrigin;
  }
}

function parseMode(x: unknown): number {
  return typeof x === "string" && /^[0-7]{1,4}$/.test(x) ? parseInt(x, 8) : (x as number);
}

function obj(x: unknown): Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
}

function list(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}
