import { DiagnosticsError, selectImage } from "../../grammar/index.js";
import type { LoadedDeclaration } from "../load/index.js";
import { base64, declarationLocation, descriptionOf, table, type Location } from "./answer.js";

export const OUTLINE = "frontend.outline";

/** BuildKit's `outline.Outline`, without secrets, ssh and cache mounts (a declaration has none). */
export interface Outline {
  readonly name: string;
  readonly description?: string;
  readonly args: readonly { readonly name: string; readonly description?: string; readonly value?: string; readonly location: Location }[];
  readonly sources: readonly string[];
}

/**
 * The image `target` names (the default one without a target) and the build arguments the declaration
 * takes: every variable block and every implicit variable, with the value the build would give it. They
 * are the declaration's, not only the image's: all images share the variables.
 */
export function outline(loaded: LoadedDeclaration, target: string | undefined): Outline {
  const { value: image, diagnostics } = selectImage(loaded.declaration, target);
  if (!image) throw new DiagnosticsError(diagnostics);
  const description = descriptionOf(image);
  return {
    name: image.name.value,
    ...(description && { description }),
    args: loaded.arguments.map((a) => ({
      name: a.name,
      ...(a.description !== undefined && { description: a.description }),
      ...(a.value !== undefined && { value: a.value }),
      location: declarationLocation(a.range),
    })),
    sources: [base64(loaded.declaration.file.text)],
  };
}

/** The text of BuildKit's `outline.PrintOutline` (tabwriters with one and three spaces of padding). */
export function printOutline(o: Outline): string {
  let out = table([["TARGET:", o.name], ...(o.description ? [["DESCRIPTION:", o.description]] : [])], 1) + "\n";
  if (o.args.length > 0) out += table([["BUILD ARG", "VALUE", "DESCRIPTION"], ...o.args.map((a) => [a.name, a.value ?? "", a.description ?? ""])], 3) + "\n";
  return out;
}
