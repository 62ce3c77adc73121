import { GROUP_SCHEMA, USER_SCHEMA } from "./accounts.js";
import { APT_SCHEMA, KEY_SCHEMA, PACKAGE_SCHEMA, REPOSITORY_SCHEMA, VCS_SCHEMA } from "./apt.js";
import { TOP_LEVEL_SCHEMA } from "./declaration.js";
import { FILE_SCHEMA, SOURCES } from "./file.js";
import { HEALTHCHECK_SCHEMA } from "./image-config.js";
import { BASE_IMAGE_SCHEMA, BOM_SCHEMA, IMAGE_SCHEMA } from "./image.js";
import { VALIDATION_SCHEMA, VARIABLE_SCHEMA } from "./inputs.js";
import type { BodySchema } from "./schema.js";
import { SOURCE_FILE_SCHEMA, STEP_SCHEMA, TARBALL_SCHEMA } from "./step.js";

/**
 * Every block type and attribute name of the language, from the schemas the decoders use (for editors,
 * and so that a test can hold the language reference to the schema).
 */
export function schemaVocabulary(): string[] {
  const schemas: BodySchema[] = [
    TOP_LEVEL_SCHEMA,
    IMAGE_SCHEMA,
    BASE_IMAGE_SCHEMA,
    BOM_SCHEMA,
    HEALTHCHECK_SCHEMA,
    APT_SCHEMA,
    PACKAGE_SCHEMA,
    KEY_SCHEMA,
    REPOSITORY_SCHEMA,
    VCS_SCHEMA,
    FILE_SCHEMA,
    ...Object.values(SOURCES).map((s) => s.schema),
    STEP_SCHEMA,
    TARBALL_SCHEMA,
    SOURCE_FILE_SCHEMA,
    VARIABLE_SCHEMA,
    VALIDATION_SCHEMA,
    GROUP_SCHEMA,
    USER_SCHEMA,
  ];
  const names = new Set<string>();
  for (const s of schemas) {
    for (const a of s.attributes) names.add(a.name);
    for (const b of s.blocks) names.add(b.type);
  }
  return [...names].sort();
}
