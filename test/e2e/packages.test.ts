import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildx, dockerRun, imageConfig, must, REPO, scratchDir } from "./harness.js";

/**
 * Debian packages end to end (issue 4), on examples/debian-tools: debian:bookworm plus ca-certificates,
 * curl, git, jq (pinned) and openssh-client, resolved from the base image's own signed repositories.
 */
interface Lock {
  images: { image: string; packages: { name: string; version: string; architecture: string }[] }[];
}

const dpkgFormat = "${db:Status-Abbrev} ${Package} ${Version} ${Architecture}\\n";

function installed(image: string): string[] {
  return dockerRun(image, ["dpkg-query", "-W", "-f", dpkgFormat], ["--entrypoint", ""])
    .split("\n")
    .filter((l) => l.startsWith("ii "))
    .map((l) => l.slice(4).trim())
    .sort();
}

describe("examples/debian-tools", () => {
  const dir = scratchDir("debian-tools");
  cpSync(join(REPO, "examples/debian-tools/slipway.hcl"), join(dir, "slipway.hcl"));

  it("locks, then builds from the lock without fetching any index, and installs exactly the resolved set", async () => {
    const locked = await buildx(dir, { viaBuildArg: true, target: "lock", output: `type=local,dest=${dir}` });
    expect(locked.code, locked.output).toBe(0);
    const lock = JSON.parse(readFileSync(join(dir, "slipway.lock.json"), "utf8")) as Lock;
    const resolved = lock.images[0]!.packages.map((p) => `${p.name} ${p.version} ${p.architecture}`);
    expect(resolved.map((p) => p.split(" ")[0])).toEqual(expect.arrayContaining(["ca-certificates", "curl", "git", "jq", "openssh-client"]));
    expect(resolved).toContain(lock.images[0]!.packages.find((p) => p.name === "jq")!.name + " 1.6-2.1+deb12u2 amd64");

    const tag = "slipway-e2e/debian-tools:locked";
    const r = await buildx(dir, { viaBuildArg: true, tag, extra: ["--progress=rawjson"] });
    expect(r.code, r.output.slice(-4000)).toBe(0);
    // With a lock the frontend fetches no InRelease, Packages or Sources: no such source appears at all.
    expect(r.output).not.toMatch(/\/InRelease|\/Packages(\.gz|\.xz)?|\/Sources(\.gz|\.xz)?|by-hash/);
    expect(r.output).toMatch(/dpkg --install \d+ packages/);

    const base = installed("debian:bookworm");
    const after = installed(tag);
    expect(after).toEqual([...new Set([...base.filter((b) => !resolved.some((p) => p.split(" ")[0] === b.split(" ")[0])), ...resolved])].sort());

    const versions = dockerRun(tag, ["sh", "-c", "curl --version | head -1; git --version; jq --version"], ["--entrypoint", ""]);
    expect(versions).toMatch(/^curl 7\.88\.1/m);
    expect(versions).toMatch(/^git version 2\.39/m);
    expect(versions).toMatch(/^jq-1\.6/m);

    const leftovers = dockerRun(tag, ["sh", "-c", "ls -A /var/lib/apt/lists; find / -xdev -name '*.deb' -print; cat /etc/apt/sources.list"], ["--entrypoint", ""]);
    const baseSources = dockerRun("debian:bookworm", ["cat", "/etc/apt/sources.list"], ["--entrypoint", ""]);
    expect(leftovers.trim()).toBe(baseSources.trim());

    // the same image without the lock (resolved from the indexes): same layers
    const unlocked = await buildx(dir, { viaBuildArg: true, tag: "slipway-e2e/debian-tools:unlocked", buildArgs: { SLIPWAY_LOCK: "update" } });
    expect(unlocked.code, unlocked.output.slice(-4000)).toBe(0);
    expect(unlocked.output).toMatch(/\/InRelease/);
    const layers = (image: string) => must("docker", ["image", "inspect", "-f", "{{json .RootFS.Layers}}", image]).stdout.trim();
    expect(layers("slipway-e2e/debian-tools:unlocked")).toBe(layers(tag));
    expect(imageConfig(tag).Config).toEqual(imageConfig("slipway-e2e/debian-tools:unlocked").Config);
  });

  it("states in its BOM exactly the packages dpkg-query lists in the image", async () => {
    const tag = "slipway-e2e/debian-tools:locked";
    const out = scratchDir("debian-tools-bom");
    const r = await buildx(dir, { viaBuildArg: true, target: "bom", output: `type=local,dest=${out}` });
    expect(r.code, r.output.slice(-4000)).toBe(0);
    const bom = JSON.parse(readFileSync(join(out, "bom.json"), "utf8")) as {
      base: { packages: { name: string; version: string; architecture: string }[] };
      packages: { name: string; version: string; architecture: string; sourceFiles: unknown[]; location: { sha256: string } }[];
    };
    const added = new Set(bom.packages.map((p) => p.name));
    const listed = [...bom.base.packages.filter((p) => !added.has(p.name)), ...bom.packages].map((p) => `${p.name} ${p.version} ${p.architecture}`).sort();
    expect(listed).toEqual(installed(tag));
    for (const p of bom.packages) {
      expect(p.location.sha256, p.name).toMatch(/^[0-9a-f]{64}$/);
      expect(p.sourceFiles.length, p.name).toBeGreaterThan(0);
    }
  });
});
