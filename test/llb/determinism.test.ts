// Determinism in the style of dalec's requireDeterministicLLB and BuildKit's TestFileOpMarshalConsistency:
// the same graph, rebuilt and re-marshalled, gives the same bytes; so does the same graph built in another
// order wherever the order has no meaning. Where it has meaning (env), the bytes differ by design.
import { describe, expect, it } from "vitest";
import { customName, description, image, marshal, mergeConstraints, parsePlatform } from "../../llb/index.js";
import { appImage } from "./graphs.js";

const platform = parsePlatform("linux/amd64");
const bytesOf = (state: ReturnType<typeof appImage>) => Buffer.from(marshal(state, { platform }).toBytes()).toString("hex");

describe("determinism", () => {
  it("rebuilding and re-marshalling the same graph 25 times gives identical definitions", () => {
    const first = bytesOf(appImage());
    const state = appImage();
    for (let i = 0; i < 25; i++) {
      expect(bytesOf(appImage())).toBe(first);
      expect(bytesOf(state)).toBe(first);
    }
  });

  it("mount order and description insertion order do not change the bytes", () => {
    const first = bytesOf(appImage());
    const permutations = [
      [5, 4, 3, 2, 1, 0],
      [3, 0, 5, 1, 4, 2],
      [2, 5, 0, 4, 1, 3],
    ];
    for (const mountOrder of permutations) expect(bytesOf(appImage({ mountOrder, describeOrder: "ba" }))).toBe(first);
  });

  it("constraints merged in another order give the same metadata", () => {
    const a = marshal(image("alpine", { constraints: mergeConstraints(description({ x: "1" }), customName("n")) }), { platform });
    const b = marshal(image("alpine", { constraints: mergeConstraints(customName("n"), description({ x: "1" })) }), { platform });
    expect(Buffer.from(a.toBytes()).equals(Buffer.from(b.toBytes()))).toBe(true);
  });

  it("env order is part of the op: a different order gives different bytes", () => {
    const ab = marshal(image("alpine").addEnv("A", "1").addEnv("B", "2").run({ args: ["env"] }).root(), { platform });
    const ba = marshal(image("alpine").addEnv("B", "2").addEnv("A", "1").run({ args: ["env"] }).root(), { platform });
    expect(ab.head()).not.toBe(ba.head());
  });
});
