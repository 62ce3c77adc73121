import { describe, expect, it } from "vitest";
import { loadDeclaration, SourceFile } from "../../grammar/index.js";

/**
 * Text that has no UTF-8 form cannot reach protobuf, the image config or the kernel. A file read from disk
 * never holds half a surrogate pair (TextDecoder replaces it), but a string handed to the grammar by a
 * program can, and the fuzzer found one that passed decoding and then crashed compiling to LLB.
 */
describe("half a UTF-16 surrogate pair", () => {
  const load = (text: string) => loadDeclaration(new SourceFile("s.hcl", text));

  it("is refused, located, in a path and in free text", () => {
    const r = load(`image "a" {\n  base_image = "scratch"\n  env = { A = "x\ud800y" }\n  file "/\udc00usr/x" {\n    from_context { path = "a" }\n  }\n}\n`);
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => [d.summary, d.subject?.start.line])).toEqual([
      ["Invalid character", 3],
      ["Invalid character", 4],
    ]);
    expect(errors[0]!.detail).toContain("half of a UTF-16 surrogate pair");
  });

  it("is not confused with a whole pair, which is one character", () => {
    const r = load(`image "a" {\n  base_image = "scratch"\n  env = { A = "x😀y" }\n  file "/usr/😀" {\n    from_context { path = "a" }\n  }\n}\n`);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});
