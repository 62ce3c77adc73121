import { RESERVED_TARGETS, selectImage, type Declaration } from "../../grammar/index.js";
import { base64, declarationLocation, descriptionOf, table, type Location } from "./answer.js";

export const TARGETS = "frontend.targets";

/** What the reserved targets do, for `--call targets`. */
const RESERVED_DESCRIPTIONS: Record<(typeof RESERVED_TARGETS)[number], string> = {
  lock: "slipway.lock.json: every image's packages resolved afresh (export with --output type=local)",
  bom: "only the bill of materials of the default image (--build-arg SLIPWAY_IMAGE=NAME for another one)",
  vendor: "every .deb the lock names, by sha256, as an image to push (then --build-arg SLIPWAY_VENDOR=REF@sha256:…)",
};

/** BuildKit's `targets.List`. */
export interface TargetList {
  readonly targets: readonly {
    readonly name: string;
    readonly default?: boolean;
    readonly description?: string;
    readonly base?: string;
    readonly platform?: string;
    readonly location?: Location;
  }[];
  readonly sources: readonly string[];
}

/**
 * Every image of the declaration (the default one, built without --target, marked), then the reserved
 * targets. An image's description is its `org.opencontainers.image.description` label, when it has one.
 */
export function targetList(declaration: Declaration): TargetList {
  const fallback = selectImage(declaration, undefined).value;
  const images = declaration.images.map((image) => {
    const description = descriptionOf(image);
    return {
      name: image.name.value,
      ...(image === fallback && { default: true }),
      ...(description && { description }),
      base: image.base.kind === "scratch" ? "scratch" : image.base.ref.value.original,
      ...(image.platforms && { platform: image.platforms.value.join(",") }),
      location: declarationLocation(image.defRange),
    };
  });
  const reserved = RESERVED_TARGETS.map((name) => ({ name, description: RESERVED_DESCRIPTIONS[name] }));
  return { targets: [...images, ...reserved], sources: [base64(declaration.file.text)] };
}

/** The table BuildKit's `targets.PrintTargets` writes (one space of padding). */
export function printTargets(list: TargetList): string {
  return table([["TARGET", "DESCRIPTION"], ...list.targets.map((t) => [t.default ? `${t.name} (default)` : t.name, t.description ?? ""])], 1);
}
