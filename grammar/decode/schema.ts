import type { Attribute, Block, Body } from "../syntax/ast.js";
import { errorAt, type Diagnostic } from "../source/diagnostic.js";
import type { Range } from "../source/pos.js";
import { suggest } from "../source/suggest.js";

/** An attribute a body may set. */
export interface AttributeSchema {
  readonly name: string;
  readonly required?: boolean;
  /** Shown in the "missing" hint: `dockerfile = "./Dockerfile"`. */
  readonly example?: string;
}

/** A block type a body may contain. */
export interface BlockSchema {
  readonly type: string;
  /** The names of its labels, in order (`["name"]` for `image "name" {}`); empty for none. */
  readonly labels: readonly string[];
  /** At most one such block. */
  readonly unique?: boolean;
  /** At least one such block. */
  readonly required?: boolean;
}

/** What a body may contain (HCL's `BodySchema`). */
export interface BodySchema {
  readonly attributes: readonly AttributeSchema[];
  readonly blocks: readonly BlockSchema[];
}

/** A body's content, checked against a schema. */
export interface BodyContent {
  readonly attributes: ReadonlyMap<string, Attribute>;
  /** The blocks with the right number of labels, in source order. */
  readonly blocks: readonly Block[];
}

/** Where a body is, for "missing" and "unsupported" messages. */
export interface BodyOwner {
  /** `step "build"`, `the file`: what the messages call the block. */
  readonly description: string;
  /** Where a missing item is reported: the block's definition (type and labels), or the file's start. */
  readonly defRange: Range;
}

/** The required arguments `content` found set, with what a message about them needs. */
const requiredArguments = new WeakMap<Attribute, { readonly owner: string; readonly example: string }>();

/**
 * Where `attr` is a required argument (as `content` found it): its block's description and an example;
 * undefined for an optional one. Decoding reads a null value as unset, which a required argument may not be.
 */
export function requiredArgument(attr: Attribute): { readonly owner: string; readonly example: string } | undefined {
  return requiredArguments.get(attr);
}

/**
 * Checks a body against a schema (HCL's `Body.Content`): every attribute and block must be expected, an
 * attribute may be set once, a unique block may appear once, required items must be present and blocks
 * must have their labels. Each problem is a diagnostic at the narrowest range (the name, the label) with a
 * "Did you mean" hint; what is valid is returned either way so that decoding goes on.
 */
export function content(body: Body, schema: BodySchema, owner: BodyOwner, diagnostics: Diagnostic[]): BodyContent {
  const { attributeNames, blockTypes, attributeSet, blockByType } = indexOf(schema);
  const attributes = new Map<string, Attribute>();
  const blocks: Block[] = [];
  const firstBlock = new Map<string, Block>();

  for (const item of body.items) {
    if (item.kind === "attribute") {
      if (!attributeSet.has(item.name)) {
        diagnostics.push(unsupportedAttribute(item, attributeNames, blockTypes, owner));
        continue;
      }
      const first = attributes.get(item.name);
      if (first) {
        diagnostics.push(
          errorAt(item.nameRange, "Duplicate argument", `The argument "${item.name}" was already set at line ${first.nameRange.start.line}.`, {
            hint: "Each argument may be set only once; remove one of them.",
          }),
        );
        continue;
      }
      attributes.set(item.name, item);
      continue;
    }
    const blockSchema = blockByType.get(item.type);
    if (!blockSchema) {
      diagnostics.push(unsupportedBlock(item, attributeNames, blockTypes, owner));
      continue;
    }
    const first = firstBlock.get(item.type);
    if (!first) firstBlock.set(item.type, item);
    if (!checkLabels(item, blockSchema, diagnostics)) continue;
    if (blockSchema.unique && first) {
      diagnostics.push(
        errorAt(item.defRange, `Duplicate ${item.type} block`, `Only one ${item.type} block is allowed in ${owner.description}; another is at line ${first.defRange.start.line}.`, {
          hint: "Merge the two blocks into one.",
        }),
      );
      continue;
    }
    blocks.push(item);
  }

  for (const a of schema.attributes) {
    const set = attributes.get(a.name);
    if (a.required && set) requiredArguments.set(set, { owner: owner.description, example: a.example ?? `${a.name} = …` });
    if (a.required && !attributes.has(a.name)) {
      diagnostics.push(
        errorAt(owner.defRange, "Missing required argument", `The argument "${a.name}" is required in ${owner.description}, but it is not set.`, {
          hint: `Add ${a.example ?? `${a.name} = …`} inside it.`,
        }),
      );
    }
  }
  for (const b of schema.blocks) {
    if (b.required && !firstBlock.has(b.type)) {
      diagnostics.push(
        errorAt(owner.defRange, `Missing ${b.type} block`, `${article(b.type, true)} ${b.type} block is required in ${owner.description}.`, {
          hint: `Add ${b.type}${b.labels.map((l) => ` "${l}"`).join("")} { … } inside it.`,
        }),
      );
    }
  }
  return { attributes, blocks };
}

interface SchemaIndex {
  readonly attributeNames: readonly string[];
  readonly blockTypes: readonly string[];
  readonly attributeSet: ReadonlySet<string>;
  readonly blockByType: ReadonlyMap<string, BlockSchema>;
}

// Schemas are module constants, so their lookup tables are built once (a declaration has thousands of bodies).
const indexes = new WeakMap<BodySchema, SchemaIndex>();

function indexOf(schema: BodySchema): SchemaIndex {
  let index = indexes.get(schema);
  if (!index) {
    const attributeNames = schema.attributes.map((a) => a.name);
    index = {
      attributeNames,
      blockTypes: schema.blocks.map((b) => b.type),
      attributeSet: new Set(attributeNames),
      blockByType: new Map(schema.blocks.map((b) => [b.type, b])),
    };
    indexes.set(schema, index);
  }
  return index;
}

function unsupportedAttribute(item: Attribute, attributeNames: readonly string[], blockTypes: readonly string[], owner: BodyOwner): Diagnostic {
  if (blockTypes.includes(item.name)) {
    return errorAt(item.nameRange, "Unsupported argument", `"${item.name}" is a block in ${owner.description}, not an argument.`, {
      hint: `Write it as a block: ${item.name} { … }, without the equals sign.`,
    });
  }
  const close = suggest(item.name, [...attributeNames, ...blockTypes]);
  const expected = attributeNames.length ? `Expected here: ${attributeNames.join(", ")}.` : "No arguments are expected here.";
  return errorAt(item.nameRange, "Unsupported argument", `An argument named "${item.name}" is not expected in ${owner.description}. ${expected}`, {
    ...(close ? { hint: `Did you mean "${close}"?` } : {}),
  });
}

function unsupportedBlock(item: Block, attributeNames: readonly string[], blockTypes: readonly string[], owner: BodyOwner): Diagnostic {
  if (attributeNames.includes(item.type)) {
    return errorAt(item.typeRange, "Unsupported block type", `"${item.type}" is an argument in ${owner.description}, not a block.`, {
      hint: `Set it with an equals sign: ${item.type} = ….`,
    });
  }
  const close = suggest(item.type, [...blockTypes, ...attributeNames]);
  const expected = blockTypes.length ? `Expected here: ${blockTypes.join(", ")}.` : "No blocks are expected here.";
  return errorAt(item.typeRange, "Unsupported block type", `Blocks of type "${item.type}" are not expected in ${owner.description}. ${expected}`, {
    ...(close ? { hint: `Did you mean "${close}"?` } : {}),
  });
}

function checkLabels(block: Block, schema: BlockSchema, diagnostics: Diagnostic[]): boolean {
  const want = schema.labels.length;
  const got = block.labels.length;
  if (got === want) return true;
  const example = `${block.type}${schema.labels.map((l) => ` "${l.toUpperCase()}"`).join("")} { … }`;
  if (got < want) {
    const missing = schema.labels[got]!;
    diagnostics.push(
      errorAt(block.defRange, `Missing ${missing} for ${block.type}`, `${article(block.type, true)} ${block.type} block needs ${labelCount(want)}: ${schema.labels.join(", ")}.`, {
        hint: `Write ${example}.`,
      }),
    );
  } else {
    const extra = block.labels[want]!;
    diagnostics.push(
      errorAt(extra.range, "Extraneous label", `${article(block.type, true)} ${block.type} block takes ${want === 0 ? "no labels" : labelCount(want)}, but this one has ${got}.`, {
        hint: `Write ${example}.`,
      }),
    );
  }
  return false;
}

function labelCount(n: number): string {
  return n === 1 ? "one label" : `${n} labels`;
}

/** "a" or "an" before `word`, by its first letter (good enough for block names). */
function article(word: string, capital = false): string {
  const a = /^[aeiou]/i.test(word) ? "an" : "a";
  return capital ? a[0]!.toUpperCase() + a.slice(1) : a;
}
