import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../../frontend/cli/main.js";
import { memoryIO } from "../../frontend/cli/memory-io.js";
import { parseLock } from "../../frontend/debian/index.js";

/**
 * A lock is user input: every way of altering one that a build would otherwise follow (installing
 * nothing, another version, twice, from another host) is a located error that says to re-lock, never a
 * crash and never a build. Run through `slipway llb`, which reads the lock as the gateway does.
 */
const REPO = new URL("../../", import.meta.url).pathname;
const fixture = JSON.parse(readFileSync(`${REPO}test/cli/fixtures/debian-tools.lock.json`, "utf8")) as {
  images: { requests: { name: string; version?: string }[]; stages: string[][]; packages: Record<string, unknown>[]; repositories: Record<string, unknown>[] }[];
};

/** The declaration the lock fixture was recorded from. */
const declaration = readFileSync(`${REPO}examples/debian-tools/slipway.hcl`, "utf8");

type Entry = (typeof fixture)["images"][number];

async function llbWith(tamper: (entry: Entry) => void) {
  const lock = structuredClone(fixture);
  tamper(lock.images[0]!);
  const { io, out } = memoryIO({ "app/slipway.hcl": declaration, "app/slipway.lock.json": JSON.stringify(lock, null, 2) });
  const code = await runCli(["llb", "--json", "--platform", "linux/amd64", "app/slipway.hcl"], io);
  return { code, stderr: out.stderr };
}

const pkg = (e: Entry, name: string) => e.packages.find((p) => p["name"] === name)!;

describe("slipway llb on a tampered lock", () => {
  it("accepts the lock as recorded", async () => {
    const { code, stderr } = await llbWith(() => {});
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  const cases: [string, (e: Entry) => void, RegExp, number][] = [
    ["an empty stages list", (e) => void (e.stages = []), /stages is empty, so none of the 36 locked packages would be installed/, 14],
    ["a stage dropped", (e) => void (e.stages = [e.stages[0]!.filter((n) => n !== "jq")]), /packages\[\d+\] "jq" is in no stage, so it would not be installed/, 18],
    ["an empty stage", (e) => void e.stages.push([]), /stages\[1\] is empty/, 14],
    ["a stage naming a package the lock lacks", (e) => void e.stages[0]!.push("not-locked"), /stages\[0\]\[36\] names "not-locked", which is not among the entry's packages/, 14],
    ["a package staged twice", (e) => void e.stages.push(["curl"]), /stages\[1\]\[0\] installs "curl" a second time/, 16],
    ["a package listed twice", (e) => void e.packages.push(structuredClone(pkg(e, "git"))), /lists "git" a second time/, 17],
    ["a locked version other than the pinned one", (e) => void (pkg(e, "jq")["version"] = "1.7-1"), /packages\[\d+\]\.version is 1\.7-1, but the lock was made for "jq" version 1\.6-2\.1\+deb12u2/, 18],
    ["a .deb on another host than its repository", (e) => void (pkg(e, "curl")["uri"] = "http://evil.example.net/debian/pool/main/c/curl/curl.deb"), /packages\[\d+\]\.uri is http:\/\/evil\.example\.net\/.* not http:\/\/archive\.example\.org\/debian\/pool/, 16],
    ["a source file on another host", (e) => void ((pkg(e, "git")["source"] as { files: { uri: string }[] }).files[0]!.uri = "https://evil.example.net/x.dsc"), /https:\/\/evil\.example\.net\/x\.dsc is in none of the entry's repositories/, 17],
    ["a dependency the lock lacks", (e) => void (pkg(e, "curl")["depends"] as string[]).push("ghost"), /depends names "ghost", which the entry does not lock/, 16],
    ["a repository listed twice", (e) => void e.repositories.push(structuredClone(e.repositories[0]!)), /repositories\[1\] repeats http:\/\/archive\.example\.org\/debian bookworm/, 14],
  ];
  it.each(cases)("refuses %s, located in the declaration, naming the lock entry and how to re-lock", async (_what, tamper, detail, line) => {
    const { code, stderr } = await llbWith(tamper);
    expect(code, stderr).toBe(1);
    expect(stderr).not.toMatch(/internal error/);
    expect(stderr).toContain(`app/slipway.hcl:${line}:`);
    expect(stderr).toContain('Inconsistent lock file');
    expect(stderr).toContain('slipway.lock.json, image "debian-tools" on amd64');
    expect(stderr).toMatch(detail);
    expect(stderr).toContain('slipway lock app/slipway.hcl');
  });

  const invalid: [string, (e: Entry) => void, string][] = [
    ["a size of 2^60", (e) => void (pkg(e, "curl")["size"] = 2 ** 60), ".size must be at most 34359738368 bytes"],
    ["a package name that is a shell command", (e) => void (pkg(e, "curl")["name"] = "curl;reboot"), ".name must be a Debian package name"],
    ["a version with a newline", (e) => void (pkg(e, "curl")["version"] = "1.0\nrm -rf /"), ".version must be a Debian version"],
    ["a filename that climbs", (e) => void (pkg(e, "curl")["filename"] = "../../etc/passwd"), ".filename must be a path in the repository"],
    ["a file: URI", (e) => void (pkg(e, "curl")["uri"] = "file:///etc/passwd"), ".uri must be an http:// or https:// URI"],
  ];
  it.each(invalid)("refuses %s as an invalid lock, naming the field", async (_what, tamper, detail) => {
    const { code, stderr } = await llbWith(tamper);
    expect(code, stderr).toBe(1);
    expect(stderr).not.toMatch(/internal error/);
    expect(stderr).toContain("Invalid lock file");
    expect(stderr).toContain(detail);
  });

  it("refuses a lock with one image and architecture twice", () => {
    const twice = { ...fixture, images: [fixture.images[0], fixture.images[0]] };
    const { diagnostics } = parseLock(JSON.stringify(twice), "slipway.lock.json");
    expect(diagnostics.map((d) => d.detail)).toEqual(['slipway.lock.json: field images[1] repeats images[0] (image "debian-tools" on amd64).']);
  });
});
