import { describe, expect, it } from "vitest";
import { project, runAsync, syntaxLine } from "./harness.js";

/** `docker buildx build --call …`: subrequests answered by the frontend, nothing built. */

const declaration = () => `${syntaxLine()}image "builder" {
  base_image = "debian:bookworm"
  platforms  = ["linux/amd64"]
}

image "app" {
  base_image = "scratch"
  labels     = { "org.opencontainers.image.description" = "the service" }
}
`;

function call(dir: string, what: string) {
  return runAsync("docker", ["buildx", "build", "--call", what, "-f", `${dir}/slipway.hcl`, dir], { cwd: dir, timeoutMs: 300_000 });
}

describe("docker buildx build --call", () => {
  it("targets: the images (the default marked) and the reserved targets, as a table and as JSON", async () => {
    const dir = project("call-targets", { "slipway.hcl": declaration() });
    const table = await call(dir, "targets");
    expect(table.code, table.output.slice(-3000)).toBe(0);
    const lines = table.stdout.trimEnd().split("\n").map((l) => l.trimEnd());
    expect(lines[0]).toMatch(/^TARGET\s+DESCRIPTION$/);
    expect(lines).toHaveLength(6);
    expect(lines[1]).toBe("builder");
    expect(lines[2]).toMatch(/^app \(default\)\s+the service$/);
    expect(lines[3]).toMatch(/^lock\s+slipway\.lock\.json: /);
    expect(lines[4]).toMatch(/^bom\s+only the bill of materials /);
    expect(lines[5]).toMatch(/^vendor\s+every \.deb the lock names/);

    const json = await call(dir, "targets,format=json");
    expect(json.code, json.output.slice(-3000)).toBe(0);
    const list = JSON.parse(json.stdout) as { targets: { name: string; default?: boolean; base?: string; location?: { ranges: { start: { line: number } }[] } }[]; sources: string[] };
    expect(list.targets.map((t) => t.name)).toEqual(["builder", "app", "lock", "bom", "vendor"]);
    expect(list.targets[1]).toMatchObject({ default: true, base: "scratch" });
    // the lines are the declaration's, the # syntax= line included
    expect(list.targets[0]!.location!.ranges[0]!.start.line).toBe(2);
    expect(Buffer.from(list.sources[0]!, "base64").toString("utf8")).toBe(declaration());
  });

  it("outline: the target and the build arguments the declaration takes, with the values this build gives them", async () => {
    const dir = project("call-outline", {
      "slipway.hcl": `${syntaxLine()}variable "greeting" {
  default     = "hello"
  description = "What the service says."
}

image "app" {
  base_image = "scratch"
  env        = { GREETING = greeting, COMMIT = estaleiro-commit }
  labels     = { "org.opencontainers.image.description" = "the service" }
}
`,
    });
    const r = await runAsync("docker", ["buildx", "build", "--call", "outline", "--build-arg", "estaleiro-commit=abc", "-f", `${dir}/slipway.hcl`, dir], { cwd: dir, timeoutMs: 300_000 });
    expect(r.code, r.output.slice(-3000)).toBe(0);
    const lines = r.stdout.split("\n").map((l) => l.trimEnd());
    expect(lines).toContain("TARGET:      app");
    expect(lines).toContain("DESCRIPTION: the service");
    expect(lines.find((l) => l.startsWith("greeting"))).toMatch(/^greeting\s+hello\s+What the service says\.$/);
    expect(lines.find((l) => l.startsWith("estaleiro-commit"))).toMatch(/^estaleiro-commit\s+abc$/);

    const unknown = await runAsync("docker", ["buildx", "build", "--call", "outline", "--target", "ap", "--build-arg", "estaleiro-commit=abc", "-f", `${dir}/slipway.hcl`, dir], { cwd: dir, timeoutMs: 300_000 });
    expect(unknown.code).not.toBe(0);
    expect(unknown.output).toMatch(/has no image named "ap"/);
  });

  it("check: the declaration's warnings with their snippets, failing the command; none, it passes", async () => {
    const dir = project("call-check", {
      "slipway.hcl": `${declaration()}
step "unused" {
  dockerfile = "Dockerfile"
}
`,
    });
    const r = await runAsync("docker", ["buildx", "build", "--call", "check", "--build-arg", "greetin=x", "-f", `${dir}/slipway.hcl`, dir], { cwd: dir, timeoutMs: 300_000 });
    expect(r.code, r.output.slice(-3000)).not.toBe(0);
    expect(r.output).toMatch(/WARNING: Unused step/);
    expect(r.output).toMatch(/slipway\.hcl:12\n-+\n[\s\S]*>>> step "unused" \{/);
    expect(r.output).toMatch(/WARNING: Unused build argument "greetin"/);

    const clean = project("call-check-clean", { "slipway.hcl": declaration() });
    const ok = await call(clean, "check");
    expect(ok.code, ok.output.slice(-3000)).toBe(0);
    expect(ok.output).toMatch(/no warnings found/i);
  });

  it("subrequests.describe lists what slipway answers", async () => {
    const dir = project("call-describe", { "slipway.hcl": declaration() });
    const r = await call(dir, "subrequests.describe");
    expect(r.code, r.output.slice(-3000)).toBe(0);
    for (const name of ["subrequests.describe", "targets", "outline", "lint"]) expect(r.stdout).toMatch(new RegExp(`^${name.replace(".", "\\.")}\\s+1\\.0\\.0`, "m"));
  });

  it("a declaration with an error fails --call targets with the located error", async () => {
    const dir = project("call-broken", { "slipway.hcl": `${syntaxLine()}image "app" {\n  base_image = \n}\n` });
    const r = await call(dir, "targets");
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/slipway\.hcl:3/);
  });
});
