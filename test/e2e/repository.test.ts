import { createHash } from "node:crypto";
import { readdirSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDebianRepo, type DebianRepo } from "../support/debian-repo.js";
import { buildx, dockerRun, project, REPO, run, scratchDir, syntaxLine } from "./harness.js";

/**
 * Debian packages from a self-contained signed repository made by the test (a throwaway OpenPGP key,
 * .debs built with dpkg-deb, InRelease signed, served on loopback), built through the frontend: the good
 * case, then every way the chain of trust can break, each a located error with nothing exported.
 */
function declaration(repo: DebianRepo, packages: string, extra = ""): string {
  // replace_sources: these cases are about the test's repository alone; reading Debian's indexes too
  // (the base image's sources) would only slow them down. It comes last, to keep the lines the cases
  // expect diagnostics at.
  return `${syntaxLine()}image "from-repo" {
  base_image = "debian:bookworm"

  apt {
    repository "test" {
      uri        = "${repo.url}"
      suite      = "${repo.suite}"
      components = ["main"]
      key        = file("repo.asc")
    }
${packages}
    replace_sources = true
  }
${extra}}
`;
}

async function expectLocatedFailure(dir: string, line: number, message: RegExp, extra: readonly string[] = [], file = "slipway.hcl"): Promise<string> {
  const dest = join(scratchDir("repo-failure-out"), "out");
  const r = await buildx(dir, { output: `type=local,dest=${dest}`, extra });
  expect(r.code, r.output.slice(-3000)).not.toBe(0);
  expect(r.output).toContain(`${file}:${line}`);
  expect(r.output).toMatch(message);
  expect(existsSync(dest) && readdirSync(dest).length > 0).toBe(false);
  return r.output;
}

describe("a signed repository of the test's own", () => {
  let good: DebianRepo;
  beforeAll(async () => {
    good = await startDebianRepo();
  });
  afterAll(() => good.close());

  it("builds an image from it: dependencies, Pre-Depends, a virtual package, maintainer scripts", async () => {
    const dir = project("repo-good", {
      "slipway.hcl": declaration(good, `    package "hello-slipway" {}`, `  cmd = ["hello-slipway"]\n`),
      "repo.asc": good.armoredPublicKey,
    });
    const r = await buildx(dir, { tag: "slipway-e2e/from-repo:1" });
    expect(r.code, r.output.slice(-3000)).toBe(0);
    expect(dockerRun("slipway-e2e/from-repo:1")).toBe("hello from slipway\n");
    const listed = dockerRun("slipway-e2e/from-repo:1", ["dpkg-query", "-W", "-f", "${Package} ${Version}\\n", "hello-slipway", "libslipway1", "slipway-base-tools", "cheerful-greeter"], ["--entrypoint", ""]);
    expect(listed.trim().split("\n").sort()).toEqual(["cheerful-greeter 0.5-1", "hello-slipway 1.0-1", "libslipway1 1.1-1", "slipway-base-tools 2.0-1"]);
    // maintainer scripts ran (each postinst records its configure call), in a build with no network
    const configured = dockerRun("slipway-e2e/from-repo:1", ["sh", "-c", "cat /var/lib/slipway-test/*.configured"], ["--entrypoint", ""]);
    expect(configured.trim().split("\n").sort()).toEqual(["configure 0.5-1", "configure 1.0-1", "configure 1.1-1", "configure 2.0-1"]);
  });

  it("builds from a repository that offers its indexes as .xz only, decompressed in the frontend", async () => {
    // a salt of this run's own: BuildKit keeps downloads by checksum, and indexes it fetched in an earlier
    // run would not be fetched again
    const xzRepo = await startDebianRepo({ compression: "xz", salt: `xz-${process.pid}-${Date.now()}` });
    try {
      const dir = project("repo-xz", {
        "slipway.hcl": declaration(xzRepo, `    package "hello-slipway" {}`, `  cmd = ["hello-slipway"]\n`),
        "repo.asc": xzRepo.armoredPublicKey,
      });
      const r = await buildx(dir, { tag: "slipway-e2e/from-repo-xz:1" });
      expect(r.code, r.output.slice(-3000)).toBe(0);
      expect(dockerRun("slipway-e2e/from-repo-xz:1")).toBe("hello from slipway\n");
      // The indexes came as .xz, by hash. Packages.xz is this run's own (the salt is in every .deb's
      // sha256), so BuildKit had to fetch it; Sources.xz is the same in every run and may come from
      // BuildKit's cache, but the build needs it read: every package's source is in the BOM or it fails.
      const indexRequests = xzRepo.requests.filter((u) => u.includes("/dists/") && !u.endsWith("InRelease"));
      expect(indexRequests.every((u) => u.includes("/by-hash/SHA256/")), JSON.stringify(indexRequests)).toBe(true);
      const packagesXz = readFileSync(join(xzRepo.dir, "debian", "dists", xzRepo.suite, "main", "binary-all", "Packages.xz"));
      const sha = createHash("sha256").update(packagesXz).digest("hex");
      expect(indexRequests.some((u) => u.endsWith(sha)), JSON.stringify(indexRequests)).toBe(true);
    } finally {
      await xzRepo.close();
    }
  });

  it("builds estaleiro's shape: repositories lines added to the base image's sources, a key block, a package from each", async () => {
    writeFileSync(join(good.dir, "debian", "key.asc"), good.armoredPublicKey);
    const dir = project("repo-estaleiro-style", {
      "slipway.hcl": `${syntaxLine()}image "estaleiro-style" {
  base_image = "debian:bookworm"
  apt {
    repositories = [
      "deb ${good.url} ${good.suite} main",
      "deb-src ${good.url} ${good.suite} main",
    ]
    key "test" {
      uri = "${good.url}/key.asc"
    }
    package "ca-certificates" {}
    package "hello-slipway" {}
  }
  cmd = ["hello-slipway"]
}
`,
    });
    const r = await buildx(dir, { tag: "slipway-e2e/estaleiro-style:1" });
    expect(r.code, r.output.slice(-3000)).toBe(0);
    // the checks' warning (no sha256 declared), and the resolver's, with the hash to pin
    expect(r.output).toMatch(/slipway\.hcl:9: Unverified key/);
    expect(r.output).toMatch(/slipway\.hcl:10: Key fetched without a checksum/);
    expect(dockerRun("slipway-e2e/estaleiro-style:1")).toBe("hello from slipway\n");
    const listed = dockerRun("slipway-e2e/estaleiro-style:1", ["dpkg-query", "-W", "-f", "${Package}\\n", "ca-certificates", "hello-slipway"], ["--entrypoint", ""]);
    expect(listed.trim().split("\n").sort()).toEqual(["ca-certificates", "hello-slipway"]);

    // The lock and the BOM name both repositories: the declared one, and the base image's own (Debian's,
    // whose URI comes from the base image, so it is only checked not to be the test's).
    const locked = await buildx(dir, { target: "lock", output: `type=local,dest=${dir}` });
    expect(locked.code, locked.output.slice(-3000)).toBe(0);
    const lock = JSON.parse(readFileSync(join(dir, "slipway.lock.json"), "utf8")) as {
      images: { repositories: { uri: string; suite: string }[]; packages: { name: string; repository: number }[] }[];
    };
    const entry = lock.images[0]!;
    expect(entry.repositories.map((x) => x.uri)).toEqual([good.url, expect.not.stringContaining("127.0.0.1")]);
    expect(entry.repositories[1]!.suite).toBe("bookworm");
    const repoOf = (name: string) => entry.repositories[entry.packages.find((p) => p.name === name)!.repository]!.uri;
    expect(repoOf("hello-slipway")).toBe(good.url);
    expect(repoOf("ca-certificates")).toBe(entry.repositories[1]!.uri);

    const out = scratchDir("estaleiro-style-bom");
    const b = await buildx(dir, { target: "bom", output: `type=local,dest=${out}` });
    expect(b.code, b.output.slice(-3000)).toBe(0);
    const bom = JSON.parse(readFileSync(join(out, "bom.json"), "utf8")) as { repositories: { uri: string }[]; packages: { name: string; location: { uri: string } }[] };
    expect(bom.repositories.map((x) => x.uri).sort()).toEqual([good.url, entry.repositories[1]!.uri].sort());
    const debOf = (name: string) => bom.packages.find((p) => p.name === name)!.location.uri;
    expect(debOf("hello-slipway").startsWith(`${good.url}/`)).toBe(true);
    expect(debOf("ca-certificates").startsWith(entry.repositories[1]!.uri.replace(/\/*$/, "/"))).toBe(true);
  });

  it("rejects a package that is not in the repository, suggesting close names", async () => {
    const dir = project("repo-unknown", { "slipway.hcl": declaration(good, `    package "hello-slipwya" {}`), "repo.asc": good.armoredPublicKey });
    await expectLocatedFailure(dir, 12, /hello-slipwya[\s\S]*hello-slipway/);
  });

  it("rejects an unsatisfiable dependency, showing the chain", async () => {
    const dir = project("repo-unsat", { "slipway.hcl": declaration(good, `    package "broken-thing" {}`), "repo.asc": good.armoredPublicKey });
    await expectLocatedFailure(dir, 12, /broken-thing[\s\S]*libslipway1[\s\S]*9\.0/);
  });

  it("rejects a version the repository does not have", async () => {
    const dir = project("repo-version", {
      "slipway.hcl": declaration(good, `    package "libslipway1" {\n      version = "3.0-1"\n    }`),
      "repo.asc": good.armoredPublicKey,
    });
    await expectLocatedFailure(dir, 13, /3\.0-1[\s\S]*1\.1-1/);
  });

  it("refuses to build from a lock whose sha256 for a .deb is wrong", async () => {
    const dir = project("repo-lock", { "slipway.hcl": declaration(good, `    package "hello-slipway" {}`), "repo.asc": good.armoredPublicKey });
    const locked = await buildx(dir, { target: "lock", output: `type=local,dest=${dir}` });
    expect(locked.code, locked.output.slice(-3000)).toBe(0);
    const lockPath = join(dir, "slipway.lock.json");
    const lock = readFileSync(lockPath, "utf8");
    const deb = good.debs.find((d) => d.name === "hello-slipway")!;
    expect(lock).toContain(deb.sha256);
    writeFileSync(lockPath, lock.replace(deb.sha256, "f".repeat(64)));
    // the apt block is where the download of that .deb is declared; the failing vertex names the package
    await expectLocatedFailure(dir, 5, /\[apt\] fetch hello-slipway 1\.0-1[\s\S]*digest mismatch/i);
  });

  it("refuses to build from a lock altered to install nothing, or to fetch from another host, located and saying to re-lock", async () => {
    const dir = project("repo-lock-altered", { "slipway.hcl": declaration(good, `    package "hello-slipway" {}`), "repo.asc": good.armoredPublicKey });
    const locked = await buildx(dir, { target: "lock", output: `type=local,dest=${dir}` });
    expect(locked.code, locked.output.slice(-3000)).toBe(0);
    const lockPath = join(dir, "slipway.lock.json");
    const lock = JSON.parse(readFileSync(lockPath, "utf8")) as { images: { stages: string[][]; packages: { name: string; uri: string }[] }[] };
    writeFileSync(lockPath, JSON.stringify({ ...lock, images: [{ ...lock.images[0]!, stages: [] }] }, null, 2));
    let output = await expectLocatedFailure(dir, 5, /Inconsistent lock file[\s\S]*slipway\.lock\.json, image "from-repo" on amd64: stages is empty, so none of the 4 locked packages would be installed/);
    expect(output).toMatch(/slipway lock slipway\.hcl/);
    const entry = lock.images[0]!;
    const elsewhere = { ...entry, packages: entry.packages.map((p) => (p.name === "hello-slipway" ? { ...p, uri: p.uri.replace("127.0.0.1", "127.0.0.2") } : p)) };
    writeFileSync(lockPath, JSON.stringify({ ...lock, images: [elsewhere] }, null, 2));
    // at the declared package; nothing is fetched from the other host
    output = await expectLocatedFailure(dir, 12, /Inconsistent lock file[\s\S]*packages\[\d\]\.uri is http:\/\/127\.0\.0\.2:/);
    expect(output).not.toMatch(/internal error/);
    // A lock that leaves the requested package out altogether (as if the base image had it) holds
    // together; the image then lacks it, which the BOM worker finds after dpkg ran.
    const without = { ...entry, packages: entry.packages.filter((p) => p.name !== "hello-slipway"), stages: entry.stages.map((st) => st.filter((n) => n !== "hello-slipway")).filter((st) => st.length > 0) };
    writeFileSync(lockPath, JSON.stringify({ ...lock, images: [without] }, null, 2));
    output = await expectLocatedFailure(dir, 5, /declared packages are missing from the image[\s\S]*hello-slipway \(not installed\)/);
  });
});

describe("a repository whose bytes cannot be trusted", () => {
  it("a .deb that differs from the signed index fails at download, located at the apt block", async () => {
    const repo = await startDebianRepo({ tamperDeb: "hello-slipway", salt: `tamper-${Date.now()}-${Math.random()}` });
    try {
      const dir = project("repo-tampered", { "slipway.hcl": declaration(repo, `    package "hello-slipway" {}`), "repo.asc": repo.armoredPublicKey });
      // salted: BuildKit keeps .debs by checksum, and would reuse a genuine one fetched before without a
      // download (the point of checksummed sources, but not what is tested here)
      await expectLocatedFailure(dir, 5, /\[apt\] fetch hello-slipway 1\.0-1[\s\S]*digest mismatch/i);
    } finally {
      await repo.close();
    }
  });

  for (const badSignature of ["tampered", "wrong-key"] as const) {
    it(`an InRelease with a bad signature (${badSignature}) is refused before anything is fetched`, async () => {
      const repo = await startDebianRepo({ badSignature });
      try {
        const dir = project(`repo-${badSignature}`, { "slipway.hcl": declaration(repo, `    package "hello-slipway" {}`), "repo.asc": repo.armoredPublicKey });
        await expectLocatedFailure(dir, 6, /signature[\s\S]*does not verify/i);
        expect(repo.requests.some((p) => p.endsWith(".deb"))).toBe(false);
      } finally {
        await repo.close();
      }
    });
  }
});

describe("slipway bom diff", () => {
  let repo: DebianRepo;
  beforeAll(async () => {
    repo = await startDebianRepo();
  });
  afterAll(() => repo.close());

  it("between two versions of an image (one package version changed, one file changed) prints exactly those two changes", async () => {
    const version = (lib: string, motd: string) =>
      project(`diff-${lib}`, {
        "slipway.hcl": declaration(
          repo,
          `    package "hello-slipway" {}\n    package "libslipway1" {\n      version = "${lib}"\n    }`,
          `  file "/etc/motd" {\n    from_context {\n      path = "motd"\n    }\n  }\n`,
        ),
        "repo.asc": repo.armoredPublicKey,
        motd: motd,
      });
    const boms: string[] = [];
    for (const dir of [version("1.0-1", "first\n"), version("1.1-1", "second\n")]) {
      const out = scratchDir("diff-bom");
      const r = await buildx(dir, { target: "bom", output: `type=local,dest=${out}` });
      expect(r.code, r.output.slice(-3000)).toBe(0);
      boms.push(out);
    }
    const diff = run("node", [join(REPO, "dist/slipway.cjs"), "bom", "diff", boms[0]!, boms[1]!]);
    expect(diff.code, diff.output).toBe(0);
    const lines = diff.stdout.split("\n").filter((l) => /^\s*[~+-]/.test(l));
    expect(lines).toHaveLength(2);
    expect(diff.stdout).toMatch(/libslipway1[^\n]*1\.0-1[^\n]*1\.1-1/);
    expect(diff.stdout).toMatch(/\/etc\/motd/);
  });
});
