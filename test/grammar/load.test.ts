// loadDeclaration as other layers use it: syntax errors, warnings, deferred file() reads, options.
import { describe, expect, it } from "vitest";
import { loadDeclaration, SourceFile, type FileRead } from "../../grammar/index.js";

const withKey = `image "app" {
  base_image = "debian:bookworm"
  apt {
    repository "vendor" {
      uri        = "https://apt.example.org/debian"
      suite      = "bookworm"
      components = ["main"]
      key        = file("keys/\${name}.asc")
    }
  }
}

variable "name" {
  default = "vendor"
}
`;

describe("loadDeclaration", () => {
  it("stops after syntax errors, reporting only them", () => {
    const r = loadDeclaration(new SourceFile("s.hcl", 'image "app" {\n  base_image = \n  nope = [\n}\n'));
    expect(r.value).toBeUndefined();
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics.every((d) => d.severity === "error" && d.subject?.file === "s.hcl")).toBe(true);
    expect(r.diagnostics.map((d) => d.summary)).not.toContain("Missing base image");
  });

  it("returns the declaration with warnings", () => {
    const r = loadDeclaration(new SourceFile("w.hcl", 'image "app" {\n  base_image = "scratch"\n}\nstep "s" {\n  dockerfile = "D"\n}\n'));
    expect(r.value?.images.map((i) => i.name.value)).toEqual(["app"]);
    expect(r.diagnostics.map((d) => [d.severity, d.summary])).toEqual([["warning", "Unused step"]]);
  });

  it("lets a caller learn which files to read: a deferred read is unknown, not an error", () => {
    const asked: string[] = [];
    const recording = (path: string): FileRead => {
      asked.push(path);
      return { kind: "deferred" };
    };
    const first = loadDeclaration(new SourceFile("k.hcl", withKey), { readFile: recording });
    expect(first.diagnostics).toEqual([]);
    expect(asked).toEqual(["keys/vendor.asc"]);

    const second = loadDeclaration(new SourceFile("k.hcl", withKey), {
      readFile: (path) => (path === "keys/vendor.asc" ? { kind: "text", text: "KEY" } : { kind: "missing" }),
    });
    expect(second.diagnostics).toEqual([]);
    expect(second.value!.images[0]!.apt[0]!.repositories[0]!.key?.value).toBe("KEY");
    expect(second.value!.variables.map((v) => [v.name, v.value, v.origin])).toEqual([["name", "vendor", "default"]]);
  });

  it("without a file reader, file() is an error at the call", () => {
    const r = loadDeclaration(new SourceFile("k.hcl", withKey));
    expect(r.diagnostics.map((d) => [d.summary, d.subject?.start.line])).toEqual([["Error in function call", 8]]);
    expect(r.diagnostics[0]!.detail).toContain("no build context");
  });

  it("reports a read error with the reader's message", () => {
    const r = loadDeclaration(new SourceFile("k.hcl", withKey), { readFile: () => ({ kind: "error", message: "the context is not available" }) });
    expect(r.diagnostics[0]!.detail).toContain('"keys/vendor.asc" could not be read: the context is not available');
  });

  it("gives the same model every time", () => {
    const file = new SourceFile("k.hcl", withKey);
    const read = (): FileRead => ({ kind: "text", text: "KEY" });
    const a = JSON.stringify(loadDeclaration(file, { readFile: read }).value?.images);
    for (let i = 0; i < 5; i++) expect(JSON.stringify(loadDeclaration(file, { readFile: read }).value?.images)).toBe(a);
  });
});
