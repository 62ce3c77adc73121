import { describe, expect, it } from "vitest";
import { errorAt, warningAt } from "./diagnostic.js";
import { SourceFile } from "./file.js";
import { diagnosticsToJson, renderDiagnostic, renderDiagnostics } from "./render.js";

const file = new SourceFile("slipway.hcl", 'image "app" {\n  fo = 1\n\tbase_image = "débian"\n  env = {\n    A = 1\n  }\n}\n');
const at = (start: number, end: number) => file.range(start, end);
const offsetOf = (s: string) => file.text.indexOf(s);

describe("renderDiagnostic", () => {
  it("prints the position, summary, detail, source line, caret and hint", () => {
    const d = errorAt(at(offsetOf("fo"), offsetOf("fo") + 2), "Unsupported argument", 'An argument named "fo" is not expected here.', {
      hint: 'Did you mean "for"?',
    });
    expect(renderDiagnostic(d, [file])).toBe(
      [
        "slipway.hcl:2:3: error: Unsupported argument",
        '  An argument named "fo" is not expected here.',
        "  2 |   fo = 1",
        "    |   ^^",
        '  hint: Did you mean "for"?',
        "",
      ].join("\n"),
    );
  });

  it("aligns the caret under text after a tab", () => {
    const start = offsetOf('"débian"');
    const d = warningAt(at(start, start + 8), "Odd", undefined);
    expect(renderDiagnostic(d, new Map([[file.name, file]]))).toBe(
      ["slipway.hcl:3:15: warning: Odd", '  3 |     base_image = "débian"', "    |                  ^^^^^^^^", ""].join("\n"),
    );
  });

  it("clips a multi-line range to its first line, and marks an empty range with one caret", () => {
    const start = offsetOf("{\n    A");
    const multi = renderDiagnostic(errorAt(at(start, offsetOf("  }\n}") + 3), "Bad map"), () => file);
    expect(multi.split("\n").slice(1, 3)).toEqual(["  4 |   env = {", "    |         ^"]);
    const empty = renderDiagnostic(errorAt(at(offsetOf("= 1"), offsetOf("= 1")), "Here"), [file]);
    expect(empty.split("\n")[2]).toBe("    |      ^");
  });

  it("prints a diagnostic without a subject, or with an unknown file, without a snippet", () => {
    expect(renderDiagnostic(errorAt(undefined, "No image to build", "Nothing here."), [file])).toBe("error: No image to build\n  Nothing here.\n");
    const other = errorAt({ ...at(0, 1), file: "other.hcl" }, "Elsewhere");
    expect(renderDiagnostic(other, [file])).toBe("other.hcl:1:1: error: Elsewhere\n");
  });

  it("colours only when asked", () => {
    const d = errorAt(at(0, 5), "Bad");
    expect(renderDiagnostic(d, [file])).not.toContain("\x1b[");
    const coloured = renderDiagnostic(d, [file], { color: true });
    expect(coloured).toContain("\x1b[1;31merror\x1b[0m");
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, "")).toBe(renderDiagnostic(d, [file]));
  });

  it("renders several in order", () => {
    const ds = [errorAt(at(0, 5), "One"), warningAt(at(0, 5), "Two")];
    expect(renderDiagnostics(ds, [file])).toBe(renderDiagnostic(ds[0]!, [file]) + renderDiagnostic(ds[1]!, [file]));
  });
});

describe("diagnosticsToJson", () => {
  it("gives lines, columns and UTF-8 byte offsets", () => {
    const start = offsetOf("bian");
    const d = errorAt(at(start, start + 4), "Bad", "detail", { hint: "hint" });
    expect(diagnosticsToJson([d], [file])).toEqual([
      {
        severity: "error",
        summary: "Bad",
        detail: "detail",
        hint: "hint",
        subject: {
          file: "slipway.hcl",
          start: { line: 3, column: 18, byte: start + 1 },
          end: { line: 3, column: 22, byte: start + 5 },
        },
      },
    ]);
    expect(diagnosticsToJson([errorAt(undefined, "Whole file")], [file])).toEqual([{ severity: "error", summary: "Whole file" }]);
  });
});
