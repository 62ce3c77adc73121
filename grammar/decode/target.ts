import type { Declaration, Image } from "../model/declaration.js";
import { errorAt, type Result } from "../source/diagnostic.js";
import { didYouMean } from "../source/suggest.js";
import { RESERVED_TARGETS } from "./checks.js";

/**
 * The image a build produces. Without a target it is the last `image` block, as a Dockerfile builds its
 * last stage; with one, the image of that name. An unknown target is a diagnostic with a suggestion and the
 * list of images; a reserved target (`lock`, `bom`, `vendor`) is not an image, so asking for one here is an
 * error too. The value is undefined exactly when there is an error.
 */
export function selectImage(declaration: Pick<Declaration, "images" | "file">, target?: string): Result<Image | undefined> {
  const images = declaration.images;
  if (target === undefined || target === "") {
    const last = images[images.length - 1];
    if (last) return found(last);
    return refused(undefined, "No image to build", `${declaration.file.name} declares no image block.`, { hint: 'Add image "NAME" { base_image = "…" }.' });
  }
  const named = images.find((i) => i.name.value === target);
  if (named) return found(named);
  const names = images.map((i) => i.name.value);
  if ((RESERVED_TARGETS as readonly string[]).includes(target)) {
    return refused(undefined, "Not an image target", `"${target}" is a reserved target that the frontend answers itself; it does not name an image.`);
  }
  return refused(undefined, "Unknown target", `${declaration.file.name} has no image named "${target}". Its images are ${names.map((n) => `"${n}"`).join(", ")}.`, {
    hint: didYouMean(target, names) ?? `Pass one of the image names as the target, or leave the target out to build "${names[names.length - 1]}".`,
  });
}

function found(image: Image): Result<Image> {
  return { value: image, diagnostics: [] };
}

function refused(...args: Parameters<typeof errorAt>): Result<undefined> {
  return { value: undefined, diagnostics: [errorAt(...args)] };
}
