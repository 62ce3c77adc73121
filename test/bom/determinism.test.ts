import { expect, test } from "vitest";
import { buildBom, writeBomDocuments, type BomInputs } from "../../frontend/bom/index.js";
import { mulberry32 } from "../../bench/generate-declaration.js";
import { debianInputs, scratchInputs, shuffled } from "./fixtures.js";

/** A seeded generator (mulberry32), so a failing order can be replayed from its seed. */
const seeded = mulberry32;

const documents = (inputs: BomInputs) => writeBomDocuments(buildBom(inputs)).map((d) => `${d.name}\n${d.content}`);

test.each([
  ["debian", debianInputs],
  ["scratch", scratchInputs],
])("%s: the same facts in 25 shuffled orders give byte-identical documents", (_, make) => {
  const reference = documents(make());
  for (let seed = 1; seed <= 25; seed++) {
    const inputs = shuffled(make(), seeded(seed));
    expect(documents(inputs), `seed ${seed}`).toEqual(reference);
  }
});

test("the shuffle really reorders (otherwise the test above proves nothing)", () => {
  const original = debianInputs();
  const mixed = shuffled(original, seeded(3));
  expect(mixed.files!.map((f) => f.path)).not.toEqual(original.files!.map((f) => f.path));
  expect(new Set(mixed.files!.map((f) => f.path))).toEqual(new Set(original.files!.map((f) => f.path)));
});

test("any changed fact changes every document's bytes (content-derived ids included)", () => {
  const before = documents(debianInputs());
  const changed = debianInputs();
  const after = documents({ ...changed, files: changed.files!.map((f, i) => (i === 0 ? { ...f, mode: 0o600 } : f)) });
  for (let i = 0; i < before.length; i++) expect(after[i]).not.toBe(before[i]);
});
