import { expect, test } from "vitest";
import { buildBom, writeBomDocuments, type BomInputs } from "../../frontend/bom/index.js";
import { debianInputs, scratchInputs, shuffled } from "./fixtures.js";

/** mulberry32: a tiny seeded generator, so a failing order can be replayed from its seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
