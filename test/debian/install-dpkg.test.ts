import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { debFileName, installScript, nodeFetcher, resolveApt, type AptResolution } from "../../frontend/debian/index.js";
import { startDebianRepo, type DebianRepo } from "../support/debian-repo.js";
import { aptBlock } from "./model.js";
import { baseImage } from "./base-image.js";

/**
 * The install script run by real dpkg, the way the install exec runs it: debian:bookworm, no network,
 * the .debs mounted read-only at /run/slipway/debs. Needs Docker and the debian:bookworm image; the
 * BuildKit version of this is the lead's e2e build.
 */
const image = process.env.SLIPWAY_APT_IMAGE ?? "debian:bookworm";
const dockerReady = (() => {
  try {
    execFileSync("docker", ["image", "inspect", image], { stdio: "pipe", timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!dockerReady)("install script under dpkg, network none", () => {
  let repo: DebianRepo;
  let resolution: AptResolution;
  let debDir: string;
  beforeAll(async () => {
    repo = await startDebianRepo();
    const apt = aptBlock(["hello-slipway"], [{ name: "test", uri: repo.url, suite: repo.suite, components: ["main"], key: repo.armoredPublicKey }]);
    resolution = (await resolveApt({ apt: [apt], architecture: "amd64" }, { fetcher: nodeFetcher(), base: baseImage() })).value!;
    debDir = mkdtempSync(join(tmpdir(), "slipway-debs-"));
    for (const p of resolution.packages) writeFileSync(join(debDir, debFileName(p)), await nodeFetcher().fetch(p.uri, { sha256: p.sha256 }));
  });
  afterAll(async () => {
    await repo?.close();
    if (debDir) rmSync(debDir, { recursive: true, force: true });
  });

  it("installs in order, runs maintainer scripts, and leaves nothing else behind", () => {
    const byName = new Map(resolution.packages.map((p) => [p.name, p]));
    const script = installScript(resolution.stages.map((s) => s.map((n) => byName.get(n)!)), { epoch: 1700000000 });
    const snapshot = "find / -xdev \\( -path /proc -o -path /sys -o -path /dev \\) -prune -o -print | sort";
    const check = [
      "set -eu",
      `${snapshot} > /tmp/before`,
      "sha256sum /etc/apt/sources.list.d/* /etc/apt/sources.list /var/log/dpkg.log /var/log/alternatives.log 2>/dev/null > /tmp/before.sums || true",
      'sh -c "$INSTALL_SCRIPT" > /tmp/install.log 2>&1 || { cat /tmp/install.log; exit 1; }',
      `${snapshot} > /tmp/after`,
      "echo '--- new'; comm -13 /tmp/before /tmp/after | grep -v '^/tmp' | grep -v '^/var/lib/dpkg/' || true",
      "echo '--- gone'; comm -23 /tmp/before /tmp/after | grep -v '^/tmp' || true",
      "echo '--- sums'; sha256sum -c --quiet /tmp/before.sums && echo unchanged",
      "echo '--- packages'; dpkg-query -W -f '${Package}=${Version} ${Status}\\n' hello-slipway libslipway1 slipway-base-tools cheerful-greeter",
      "echo '--- scripts'; cat /var/lib/slipway-test/*.configured",
      "echo '--- run'; hello-slipway",
      "echo '--- debs'; find / -xdev -name '*.deb' | grep -v '^/run/slipway/debs' || true",
      // what the install wrote, newer than the epoch (docker's own bind mounts aside): nothing
      "echo '--- after the epoch'; find / -xdev \\( -path /proc -o -path /sys -o -path /dev -o -path /tmp -o -path /etc/hosts -o -path /etc/hostname -o -path /etc/resolv.conf \\) -prune -o -cnewer /tmp/before -newermt @1700000000 -print",
    ].join("\n");
    const out = execFileSync("docker", ["run", "--rm", "--network", "none", "-e", `INSTALL_SCRIPT=${script}`, "-v", `${debDir}:/run/slipway/debs:ro`, image, "sh", "-c", check], { encoding: "utf8" });
    const sections = new Map<string, string[]>();
    let current: string[] = [];
    for (const line of out.split("\n")) {
      if (line.startsWith("--- ")) sections.set(line.slice(4), (current = []));
      else if (line !== "") current.push(line);
    }
    const section = (name: string) => sections.get(name)!;
    const ownFiles = ["/usr/bin/hello-slipway", "/usr/share/slipway", "/usr/share/slipway/base-tools.txt", "/usr/share/slipway/greeter.txt", "/usr/share/slipway/lib.txt"];
    const docs = section("new").filter((p) => p.startsWith("/usr/share/doc/"));
    expect(section("new").filter((p) => !docs.includes(p))).toEqual([...ownFiles, "/var/lib/slipway-test", ...["cheerful-greeter", "hello-slipway", "libslipway1", "slipway-base-tools"].map((n) => `/var/lib/slipway-test/${n}.configured`)].sort());
    expect(section("gone")).toEqual([]);
    expect(section("sums")).toEqual(["unchanged"]);
    expect(section("packages")).toEqual([
      "cheerful-greeter=0.5-1 install ok installed",
      "hello-slipway=1.0-1 install ok installed",
      "libslipway1=1.1-1 install ok installed",
      "slipway-base-tools=2.0-1 install ok installed",
    ]);
    expect(section("scripts")).toEqual(["configure 0.5-1", "configure 1.0-1", "configure 1.1-1", "configure 2.0-1"]);
    expect(section("run")).toEqual(["hello from slipway"]);
    expect(section("debs")).toEqual([]);
    expect(section("after the epoch")).toEqual([]);
  });
});
