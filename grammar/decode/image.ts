import type { Block } from "../syntax/ast.js";
import type { BaseImage, BomSettings, FileEntry, Image, Located } from "../model/declaration.js";
import { errorAt, reasonOf } from "../source/diagnostic.js";
import { rangeOver } from "../source/pos.js";
import { STRING } from "../eval/types.js";
import { decodeGroups, decodeUsers } from "./accounts.js";
import { decodeApt } from "./apt.js";
import { decodeFile } from "./file.js";
import { IMAGE_CONFIG_ATTRIBUTES, decodeImageConfig } from "./image-config.js";
import { imagePath } from "./paths.js";
import { parsePlatform } from "./platform.js";
import { checkCharacters } from "./text.js";
import { parseImageReference } from "./reference.js";
import { content, type BodySchema } from "./schema.js";
import { boolAttr, labelValue, locatedItems, stringAttr, type DecodeContext } from "./values.js";

export const IMAGE_SCHEMA: BodySchema = {
  attributes: [{ name: "base_image" }, ...IMAGE_CONFIG_ATTRIBUTES.map((name) => ({ name })), { name: "platforms" }],
  blocks: [
    { type: "base_image", labels: [], unique: true },
    { type: "apt", labels: [] },
    { type: "file", labels: ["destination"] },
    { type: "healthcheck", labels: [], unique: true },
    { type: "bom", labels: [], unique: true },
    { type: "group", labels: ["name"] },
    { type: "user", labels: ["name"] },
  ],
};

export const BASE_IMAGE_SCHEMA: BodySchema = {
  attributes: [{ name: "name", required: true, example: 'name = "ubuntu"' }, { name: "ref" }],
  blocks: [],
};

export const BOM_SCHEMA: BodySchema = { attributes: [{ name: "path" }, { name: "estaleiro_label" }], blocks: [] };

/** The name `base_image` gives to "no base at all". */
export const SCRATCH = "scratch";

/** An image as decoded: without a base when its base_image was missing, invalid or not known yet. */
export type ImageDraft = Omit<Image, "base"> & { readonly base?: BaseImage };

/**
 * A top-level `image "name" { … }` block. An image whose base could not be decoded is still returned, so
 * that the checks see its files and packages; the declaration only takes images with a base.
 */
export function decodeImage(ctx: DecodeContext, block: Block): ImageDraft | undefined {
  const label = labelValue(ctx, block.labels[0]!);
  const name = label && checkCharacters(ctx.diagnostics, label, "The image name", "name") ? label : undefined;
  const description = `image "${name?.value ?? "?"}"`;
  const c = content(block.body, IMAGE_SCHEMA, { description, defRange: block.defRange }, ctx.diagnostics);
  const blocksOf = (type: string) => c.blocks.filter((b) => b.type === type);

  const base = decodeBase(ctx, block, c.attributes.get("base_image"), blocksOf("base_image")[0], description);
  const apt = blocksOf("apt").map((b) => decodeApt(ctx, b));
  const files: FileEntry[] = [];
  for (const b of blocksOf("file")) {
    const f = decodeFile(ctx, b);
    if (f) files.push(f);
    else ctx.omissions.files = true;
  }
  const config = decodeImageConfig(ctx, c.attributes, blocksOf("healthcheck")[0]);
  const platforms = decodePlatforms(ctx, c.attributes.get("platforms"));
  const bomBlock = blocksOf("bom")[0];
  const bom = bomBlock && decodeBom(ctx, bomBlock);
  const groups = decodeGroups(ctx, blocksOf("group"));
  const users = decodeUsers(ctx, blocksOf("user"));
  if (!name) return undefined;
  return {
    name,
    range: block.range,
    defRange: block.defRange,
    ...(base ? { base } : {}),
    apt,
    files,
    config,
    ...(platforms ? { platforms } : {}),
    ...(bom ? { bom } : {}),
    ...(groups.length > 0 && { groups }),
    ...(users.length > 0 && { users }),
  };
}

/** `base_image = "debian:bookworm"`, `"scratch"`, or estaleiro's older `base_image { name ref }` block. */
function decodeBase(
  ctx: DecodeContext,
  image: Block,
  attr: Parameters<typeof stringAttr>[1],
  block: Block | undefined,
  description: string,
): BaseImage | undefined {
  if (attr && block) {
    ctx.diagnostics.push(
      errorAt(block.defRange, "Conflicting base image", `${description} sets base_image twice: as an argument (line ${attr.nameRange.start.line}) and as a block.`, {
        hint: 'Keep one; the argument form is base_image = "NAME:TAG".',
      }),
    );
    return undefined;
  }
  if (!attr && !block) {
    ctx.diagnostics.push(
      errorAt(image.defRange, "Missing base image", `${description} does not say what it starts from.`, {
        hint: 'Add base_image = "debian:bookworm" (or "scratch" for an empty image).',
      }),
    );
    return undefined;
  }
  if (attr) {
    const ref = stringAttr(ctx, attr);
    if (!ref) return undefined;
    if (ref.value === SCRATCH) return { kind: "scratch", range: attr.range };
    return reference(ctx, ref, "string", attr.range);
  }
  const c = content(block!.body, BASE_IMAGE_SCHEMA, { description: "the base_image block", defRange: block!.defRange }, ctx.diagnostics);
  const name = stringAttr(ctx, c.attributes.get("name"));
  const ref = stringAttr(ctx, c.attributes.get("ref"));
  if (!name) return undefined;
  if (name.value === SCRATCH && !ref) return { kind: "scratch", range: block!.range };
  // Check the ref alone first, so that a bad tag or digest is reported at the ref rather than the name.
  if (ref) {
    const alone = parseImageReference(`x${ref.value.startsWith("sha256:") ? "@" : ":"}${ref.value}`);
    if (alone.value === undefined) return reference(ctx, { value: `x${ref.value.startsWith("sha256:") ? "@" : ":"}${ref.value}`, range: ref.range }, "block", block!.range);
  }
  const joined = ref ? `${name.value}${ref.value.startsWith("sha256:") ? "@" : ":"}${ref.value}` : name.value;
  return reference(ctx, { value: joined, range: ref ? rangeOver(name.range, ref.range) : name.range }, "block", block!.range);
}

function reference(ctx: DecodeContext, text: Located<string>, form: "string" | "block", range: Located<string>["range"]): BaseImage | undefined {
  const parsed = parseImageReference(text.value);
  if (parsed.value === undefined) {
    const reason = reasonOf(parsed);
    ctx.diagnostics.push(
      errorAt(text.range, "Invalid image reference", `${reason[0]!.toUpperCase()}${reason.slice(1)}.`, {
        hint: 'Write NAME[:TAG][@sha256:DIGEST], e.g. "debian:bookworm" or "127.0.0.1:5000/base:1".',
      }),
    );
    return undefined;
  }
  return { kind: "image", ref: { value: parsed.value, range: text.range }, form, range };
}

function decodePlatforms(ctx: DecodeContext, attr: Parameters<typeof stringAttr>[1]): Located<readonly string[]> | undefined {
  const items = locatedItems(ctx, attr, STRING);
  if (!items || !attr) return undefined;
  const out: string[] = [];
  for (const item of items) {
    const text = (item.value as { value: string }).value;
    const parsed = parsePlatform(text);
    const platform = parsed.value;
    if (platform === undefined) {
      const reason = reasonOf(parsed);
      ctx.diagnostics.push(errorAt(item.range, "Invalid platform", `${reason[0]!.toUpperCase()}${reason.slice(1)}.`));
      continue;
    }
    if (out.includes(platform)) {
      ctx.diagnostics.push(errorAt(item.range, "Duplicate platform", `"${text}" is ${platform}, which is already listed.`));
      continue;
    }
    out.push(platform);
  }
  if (out.length === 0 && items.length === 0) {
    ctx.diagnostics.push(errorAt(attr.expr.range, "Invalid platforms", "The platform list is empty.", { hint: "Remove platforms to build for the build's platform, or list at least one." }));
  }
  return { value: out, range: attr.expr.range };
}

function decodeBom(ctx: DecodeContext, block: Block): BomSettings {
  const c = content(block.body, BOM_SCHEMA, { description: "the bom block", defRange: block.defRange }, ctx.diagnostics);
  const given = stringAttr(ctx, c.attributes.get("path"));
  const path = given && imagePath(ctx, given, "The BOM path");
  const estaleiroLabel = boolAttr(ctx, c.attributes.get("estaleiro_label"));
  return { range: block.range, ...(path ? { path } : {}), ...(estaleiroLabel ? { estaleiroLabel } : {}) };
}
