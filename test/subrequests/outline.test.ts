import { describe, expect, it } from "vitest";
import { isDiagnosticsError, loadDeclaration, SourceFile } from "../../grammar/index.js";
import type { LoadedDeclaration } from "../../frontend/load/index.js";
import { outline, printOutline } from "../../frontend/subrequests/index.js";

const text = `variable "greeting" {
  default     = "hello"
  description = "What the service says."
}

variable "port" {
  type = number
}

image "app" {
  base_image = "scratch"
  env        = { GREETING = greeting, COMMIT = estaleiro-commit }
  labels     = { "org.opencontainers.image.description" = "the service" }
}
`;

function loaded(vars: Record<string, string>): LoadedDeclaration {
  const r = loadDeclaration(new SourceFile("slipway.hcl", text), { vars: new Map(Object.entries(vars)) });
  expect(r.diagnostics).toEqual([]);
  return { declaration: r.value!, files: new Map(), lock: undefined, warnings: [], contextFiles: new Map(), unusedBuildArgs: [], arguments: r.arguments! };
}

describe("--call outline", () => {
  it("lists every variable block, used or not, and the implicit variables, with the values the build gives them", () => {
    const o = outline(loaded({ "estaleiro-commit": "abc" }), undefined);
    expect(o).toMatchObject({ name: "app", description: "the service" });
    expect(o.args.map(({ location: _l, ...a }) => a)).toEqual([
      { name: "greeting", description: "What the service says.", value: "hello" },
      { name: "port" },
      { name: "estaleiro-commit", value: "abc" },
    ]);
    expect(o.args[0]!.location).toEqual({ sourceIndex: 0, ranges: [{ start: { line: 1, character: 9 }, end: { line: 1, character: 19 } }] });
    expect(Buffer.from(o.sources[0]!, "base64").toString("utf8")).toBe(text);
  });

  it("shows a build argument's value over the default", () => {
    const o = outline(loaded({ "estaleiro-commit": "abc", greeting: "bonjour", port: "8080" }), "app");
    expect(o.args.map((a) => [a.name, a.value])).toEqual([
      ["greeting", "bonjour"],
      ["port", "8080"],
      ["estaleiro-commit", "abc"],
    ]);
  });

  it("prints the tables BuildKit's PrintOutline prints", () => {
    expect(printOutline(outline(loaded({ "estaleiro-commit": "abc" }), undefined)).split("\n")).toEqual([
      "TARGET:      app",
      "DESCRIPTION: the service",
      "",
      "BUILD ARG          VALUE   DESCRIPTION",
      "greeting           hello   What the service says.",
      "port                       ",
      "estaleiro-commit   abc     ",
      "",
      "",
    ]);
  });

  it("reports an unknown target as the build would", () => {
    let error: unknown;
    try {
      outline(loaded({ "estaleiro-commit": "abc" }), "ap");
    } catch (e) {
      error = e;
    }
    expect(isDiagnosticsError(error)).toBe(true);
    if (isDiagnosticsError(error)) expect(error.diagnostics[0]!.summary).toBe("Unknown target");
  });
});
