// Golden digests: any change to op bytes (field order, defaults, attrs, index rules) changes a digest here.
// Each value was recorded from this implementation after decoding the ops and checking their fields against
// client/llb's behaviour (see the other llb tests); update one only with a reason in the commit message.
import { describe, expect, it } from "vitest";
import { digestOf, image, local, marshal, parsePlatform, scratch, mkdir } from "../../llb/index.js";
import { appImage } from "./graphs.js";

const platform = parsePlatform("linux/amd64");

describe("golden digests", () => {
  it.each([
    ["run on an image", () => image("alpine").run({ args: ["echo", "hi"] }).root(), "sha256:0bca3f14b63ad1ebaad8b9557838b64ec46b4128f3a917db8a46634e370f6bfa"],
    ["local context", () => local("context", { sessionId: "s", sharedKeyHint: "context" }), "sha256:724e6ee12e6e3362487a5ed443cf9af77f709cd8a3ad085766bf3fed1c740d96"],
    ["declaration-shaped image", () => appImage(), "sha256:d11b0bab82fb928efff9546c0213855bdb92c92ae6cbaabf067d81a942834c2c"],
  ])("%s", (_name, build, head) => {
    expect(marshal(build(), { platform }).head()).toBe(head);
  });

  it("every op of the declaration-shaped image", () => {
    const definition = marshal(appImage(), { platform });
    expect(definition.ops.map((op) => digestOf(op).slice(7, 19))).toEqual([
      "b358549f91ac",
      "09078834d6f4",
      "d279e28454dd",
      "e1432b8e2054",
      "1add8fa62899",
      "17dccb799261",
      "5cb361fc0e4f",
      "de90de3af8e7",
      "2e4c4ce7c033",
      "d11b0bab82fb",
      "30ebd914483e",
    ]);
  });

  it("a long file chain on scratch", () => {
    let state = scratch();
    for (let i = 0; i < 10; i++) state = state.file(mkdir(`/d${i}`, 0o755));
    const definition = marshal(state);
    expect(definition.ops).toHaveLength(11);
    expect(definition.head()).toBe("sha256:8d614b3b4024457e7ffe9b4aa659e9b4477b47ddead5956f2cad5bcd74964636");
  });
});
