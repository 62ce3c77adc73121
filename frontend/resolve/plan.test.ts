import { describe, expect, it } from "vitest";
import { errorAt, loadDeclaration, SourceFile, type Declaration } from "../../grammar/index.js";
import { parsePlatform } from "../../llb/index.js";
import type { FactSource } from "./facts.js";
import { resolvePlan, type PlanRequest } from "./plan.js";

const text = `image "app" {
  base_image = "debian:bookworm"

  file "/etc/os" {
    from_image {
      image = "busybox:1"
      path  = "/etc/os-release"
    }
  }

  file "/hello.txt" {
    from_git {
      repository = "https://example.org/repo.git"
      ref        = "main"
      path       = "hello.txt"
    }
  }

  file "/opt/tool" {
    from_step "compile" {
      path = "/out/tool"
    }
  }
}

step "compile" {
  dockerfile = "build/Dockerfile"
  target     = "tool"

  source_file "/out/tool" {
    vcs "git" {
      repository = "https://example.org/tool.git"
      ref        = "v2"
    }
  }
}
`;

function request(epochArg: string | undefined): PlanRequest {
  const loaded = loadDeclaration(new SourceFile("slipway.hcl", text), { vars: new Map() });
  expect(loaded.diagnostics.map((d) => `${d.summary}: ${d.detail}`)).toEqual([]);
  const declaration: Declaration = loaded.value!;
  return { declaration, image: declaration.images[0]!, platform: parsePlatform("linux/amd64"), lock: undefined, epochArg, mirrors: [] };
}

/** A source that cannot find anything: each fact is a located error where it is declared. */
function refusing(asked: string[] = []): FactSource {
  return {
    image: async (ref) => {
      asked.push(`image ${ref.value.original}`);
      return { value: undefined, diagnostics: [errorAt(ref.range, `Cannot resolve image ${ref.value.original}`, "not found")] };
    },
    git: async (repository, ref, _platform, range) => {
      asked.push(`git ${ref}`);
      return { value: undefined, diagnostics: [errorAt(range, `Cannot resolve git ref "${ref}" of ${repository}`, "not found")] };
    },
    step: async (step) => {
      asked.push(`step ${step.name.value}`);
      return { value: undefined, diagnostics: [errorAt(step.defRange, `Step "${step.name.value}" failed`, "exit code 1")] };
    },
    baseAccounts: async () => ({ value: undefined, diagnostics: [] }),
    warn: () => {},
    time: (_phase, work) => work(),
  };
}

describe("resolving a plan from a source of facts", () => {
  it("collects every fact's located problems together, and makes no plan", async () => {
    const { value, diagnostics } = await resolvePlan(request("0"), refusing());
    expect(value).toBeUndefined();
    expect(diagnostics.map((d) => d.summary).sort()).toEqual([
      "Cannot resolve git ref \"main\" of https://example.org/repo.git",
      "Cannot resolve image busybox:1",
      "Cannot resolve image debian:bookworm",
      'Step "compile" failed',
    ]);
    expect(diagnostics.every((d) => d.subject?.file === "slipway.hcl")).toBe(true);
  });

  it("builds no step when the epoch had to come from a base that could not be resolved", async () => {
    const asked: string[] = [];
    const { value, diagnostics } = await resolvePlan(request(undefined), refusing(asked));
    expect(value).toBeUndefined();
    expect(asked.sort()).toEqual(["git main", "image busybox:1", "image debian:bookworm"]);
    expect(diagnostics.map((d) => d.summary)).not.toContain('Step "compile" failed');
  });

  it("refuses a bad SOURCE_DATE_EPOCH alone, before any fact is asked", async () => {
    const asked: string[] = [];
    const { value, diagnostics } = await resolvePlan(request("yesterday"), refusing(asked));
    expect(value).toBeUndefined();
    expect(asked).toEqual([]);
    expect(diagnostics.map((d) => d.summary)).toEqual(["Invalid build argument SOURCE_DATE_EPOCH=yesterday"]);
  });

  it("throws a failure that is no problem of the declaration as it is", async () => {
    const gone = new Error("gateway gone");
    const source: FactSource = {
      ...refusing(),
      git: async () => {
        throw gone;
      },
    };
    await expect(resolvePlan(request("0"), source)).rejects.toBe(gone);
  });
});
