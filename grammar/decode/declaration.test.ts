import { describe, expect, it } from "vitest";
import { attr, block, fileNode, interp, num, obj, str, tmpl, tuple, v } from "../../test/grammar/helpers/ast.js";
import { SourceFile } from "../source/file.js";
import { decodeDeclaration } from "./declaration.js";
import { declarationToJson } from "./model-json.js";
import { selectImage } from "./target.js";

const source = new SourceFile("estaleiro.hcl", "");

// estaleiro's announcement example, built by hand.
const announcement = fileNode(
  block(
    "image",
    ["cirocosta/estaleiro"],
    block("base_image", [], attr("name", str("ubuntu")), attr("ref", str("bionic"))),
    block("apt", [], block("package", ["ca-certificates"])),
    block("file", ["/usr/local/bin/estaleiro"], block("from_step", ["build"], attr("path", str("/bin/estaleiro")))),
    attr("entrypoint", tuple(str("/usr/local/bin/estaleiro"), str("frontend"))),
  ),
  block(
    "step",
    ["build"],
    attr("dockerfile", str("./Dockerfile")),
    attr("target", str("build")),
    block(
      "source_file",
      ["/bin/estaleiro"],
      block("vcs", ["git"], attr("ref", tmpl(interp(v("estaleiro-commit")))), attr("repository", str("https://github.com/cirocosta/estaleiro"))),
    ),
  ),
);

describe("decodeDeclaration", () => {
  it("decodes estaleiro's announcement example", () => {
    const r = decodeDeclaration(announcement, source, { vars: new Map([["estaleiro-commit", "abc"]]) });
    expect(r.diagnostics).toEqual([]);
    expect(declarationToJson(r.value!)).toEqual({
      images: [
        {
          name: "cirocosta/estaleiro",
          base: {
            kind: "image",
            form: "block",
            ref: { original: "ubuntu:bionic", domain: "docker.io", path: "library/ubuntu", tag: "bionic", canonical: "docker.io/library/ubuntu:bionic" },
          },
          apt: [{ repositories: [], keys: [], packages: [{ name: "ca-certificates" }] }],
          files: [{ destination: "/usr/local/bin/estaleiro", source: { kind: "step", step: "build", path: "/bin/estaleiro" } }],
          config: { entrypoint: ["/usr/local/bin/estaleiro", "frontend"], env: [], labels: [], expose: [], volumes: [] },
        },
      ],
      steps: [
        {
          name: "build",
          dockerfile: "Dockerfile",
          target: "build",
          buildArgs: [],
          sourceFiles: [
            { location: "/bin/estaleiro", vcs: { type: "git", repository: "https://github.com/cirocosta/estaleiro", ref: "abc" } },
          ],
        },
      ],
      tarballs: [],
      variables: [{ name: "estaleiro-commit", value: "abc", origin: "build-arg" }],
    });
  });

  it("without the build argument, reports the missing value at the reference and returns no declaration", () => {
    const r = decodeDeclaration(announcement, source, { vars: new Map() });
    expect(r.value).toBeUndefined();
    expect(r.diagnostics.map((d) => d.summary)).toEqual(['No value for variable "estaleiro-commit"']);
  });

  it("reports every mistake of a file in one pass", () => {
    const bad = fileNode(
      attr("tag", str("x")),
      block(
        "image",
        ["lock"],
        attr("base_image", str("Debian")),
        attr("entrypont", tuple()),
        attr("expose", tuple(num(80), str("70000"))),
        block("file", ["relative/dest"], block("from_step", ["biuld"], attr("path", str("bin/tool")))),
      ),
      block("step", ["build"], attr("dockerfile", str("Dockerfile"))),
    );
    const r = decodeDeclaration(bad, source, { vars: new Map() });
    expect(r.value).toBeUndefined();
    expect(r.diagnostics.map((d) => d.summary).sort()).toEqual(
      [
        "Unsupported argument",
        "Invalid image reference",
        "Unsupported argument",
        "Invalid port",
        "Reserved image name",
        "Relative file destination",
        "Relative path",
        "Undeclared step",
        "Unused step",
      ].sort(),
    );
    const entrypont = r.diagnostics.find((d) => d.detail?.includes("entrypont"));
    expect(entrypont?.hint).toBe('Did you mean "entrypoint"?');
    expect(r.diagnostics.find((d) => d.summary === "Undeclared step")?.hint).toBe('Did you mean "build"?');
  });

  it("selects the last image by default, or one by name", () => {
    const two = fileNode(
      block("image", ["a"], attr("base_image", str("scratch"))),
      block("image", ["b"], attr("base_image", str("scratch")), attr("env", obj(["Z", str("1")], ["A", num(2)]))),
    );
    const d = decodeDeclaration(two, source, { vars: new Map() }).value!;
    expect(selectImage(d).value?.name.value).toBe("b");
    expect(selectImage(d, "a").value?.name.value).toBe("a");
    const unknown = selectImage(d, "c");
    expect(unknown.value).toBeUndefined();
    expect(unknown.diagnostics.map((x) => x.summary)).toEqual(["Unknown target"]);
    expect(d.images[1]!.config.env.map((e) => [e.key, e.value])).toEqual([
      ["Z", "1"],
      ["A", "2"],
    ]);
  });
});
