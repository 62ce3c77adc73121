import { describe, expect, it } from "vitest";
import { attr, block, body, label, str } from "../../test/grammar/helpers/ast.js";
import type { Diagnostic } from "../source/diagnostic.js";
import { content, type BodySchema } from "./schema.js";

const schema: BodySchema = {
  attributes: [{ name: "dockerfile", required: true, example: 'dockerfile = "Dockerfile"' }, { name: "target" }],
  blocks: [
    { type: "source_file", labels: ["location"] },
    { type: "healthcheck", labels: [], unique: true },
    { type: "vcs", labels: ["type"], required: true },
  ],
};
const owner = { description: 'step "build"', defRange: str("owner").range };

function run(...items: Parameters<typeof body>) {
  const diagnostics: Diagnostic[] = [];
  const c = content(body(...items), schema, owner, diagnostics);
  return { c, diagnostics, summaries: diagnostics.map((d) => d.summary) };
}

describe("content", () => {
  it("returns attributes by name and blocks in order", () => {
    const a = attr("dockerfile", str("D"));
    const b1 = block("source_file", ["/a"]);
    const v = block("vcs", ["git"]);
    const b2 = block("source_file", ["/b"]);
    const { c, diagnostics } = run(a, b1, v, b2);
    expect(diagnostics).toEqual([]);
    expect(c.attributes.get("dockerfile")).toBe(a);
    expect(c.blocks).toEqual([b1, v, b2]);
  });

  it.each<[string, Parameters<typeof body>, string[]]>([
    ["unknown argument", [attr("dockerfile", str("D")), attr("targt", str("x")), block("vcs", ["git"])], ["Unsupported argument"]],
    ["argument that is a block type", [attr("dockerfile", str("D")), attr("healthcheck", str("x")), block("vcs", ["git"])], ["Unsupported argument"]],
    ["unknown block", [attr("dockerfile", str("D")), block("sourcefile", ["x"]), block("vcs", ["git"])], ["Unsupported block type"]],
    ["block that is an argument", [attr("dockerfile", str("D")), block("target", []), block("vcs", ["git"])], ["Unsupported block type"]],
    ["duplicate argument", [attr("dockerfile", str("D")), attr("dockerfile", str("E")), block("vcs", ["git"])], ["Duplicate argument"]],
    ["duplicate unique block", [attr("dockerfile", str("D")), block("healthcheck", []), block("healthcheck", []), block("vcs", ["git"])], ["Duplicate healthcheck block"]],
    ["missing argument and block", [], ["Missing required argument", "Missing vcs block"]],
    ["missing label", [attr("dockerfile", str("D")), block("vcs", [])], ["Missing type for vcs"]],
    ["extra label", [attr("dockerfile", str("D")), block("vcs", ["git", label("x")])], ["Extraneous label"]],
  ])("reports %s", (_name, items, summaries) => {
    expect(run(...items).summaries).toEqual(summaries);
  });

  it("points at the name, suggests the closest, and lists what is expected", () => {
    const bad = attr("targt", str("x"));
    const { diagnostics } = run(attr("dockerfile", str("D")), bad, block("vcs", ["git"]));
    expect(diagnostics[0]!.subject).toEqual(bad.nameRange);
    expect(diagnostics[0]!.hint).toBe('Did you mean "target"?');
    expect(diagnostics[0]!.detail).toContain("Expected here: dockerfile, target.");
  });

  it("reports a missing item at the owner, with an example", () => {
    const { diagnostics } = run(block("vcs", ["git"]));
    expect(diagnostics[0]!.subject).toEqual(owner.defRange);
    expect(diagnostics[0]!.hint).toBe('Add dockerfile = "Dockerfile" inside it.');
  });

  it("keeps a block with wrong labels out of the content, but counts it as present", () => {
    const { c, summaries } = run(attr("dockerfile", str("D")), block("vcs", []));
    expect(c.blocks).toEqual([]);
    expect(summaries).not.toContain("Missing vcs block");
  });
});
