import { describe, expect, it } from "vitest";
import { loadDeclaration, SourceFile } from "../../grammar/index.js";
import { printTargets, targetList } from "../../frontend/subrequests/index.js";

const text = `image "builder" {
  base_image = "debian:bookworm"
  platforms  = ["linux/amd64", "linux/arm64"]
}

image "app" {
  base_image = "scratch"
  labels     = { "org.opencontainers.image.description" = "the service" }
}
`;

describe("--call targets", () => {
  const loaded = loadDeclaration(new SourceFile("slipway.hcl", text));
  const list = targetList(loaded.value!);

  it("lists every image, the last one as the default, then the reserved targets", () => {
    expect(loaded.diagnostics).toEqual([]);
    expect(list.targets.map((t) => [t.name, t.default ?? false])).toEqual([
      ["builder", false],
      ["app", true],
      ["lock", false],
      ["bom", false],
      ["vendor", false],
    ]);
    expect(list.targets[0]).toMatchObject({ base: "debian:bookworm", platform: "linux/amd64,linux/arm64" });
    expect(list.targets[1]).toMatchObject({ base: "scratch", description: "the service" });
    expect(list.targets[1]).not.toHaveProperty("platform");
  });

  it("locates each image at its block, in the declaration it carries as its only source", () => {
    expect(Buffer.from(list.sources[0]!, "base64").toString("utf8")).toBe(text);
    expect(list.targets[0]!.location).toEqual({ sourceIndex: 0, ranges: [{ start: { line: 1, character: 0 }, end: { line: 1, character: 15 } }] });
    expect(list.targets[1]!.location!.ranges[0]!.start.line).toBe(6);
    expect(list.targets[2]).not.toHaveProperty("location");
  });

  it("prints the table BuildKit's PrintTargets prints", () => {
    expect(printTargets(list).split("\n")).toEqual([
      "TARGET        DESCRIPTION",
      "builder       ",
      "app (default) the service",
      `lock          ${list.targets[2]!.description}`,
      `bom           ${list.targets[3]!.description}`,
      `vendor        ${list.targets[4]!.description}`,
      "",
    ]);
  });
});
