import { existsSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildx, dockerRun, must, project, scratchDir, syntaxLine } from "./harness.js";
import { startHttpServer, type TestHttpServer } from "./http-server.js";

/**
 * The file sources the spine tests do not cover — git (a ref resolved to its commit) and another image —
 * and named contexts (`--build-context`), through the frontend on the real BuildKit.
 */
let server: TestHttpServer;
let commit: string;

beforeAll(async () => {
  // A bare repository served over git's "dumb" http protocol: static files after update-server-info.
  const work = scratchDir("git-work");
  must("git", ["init", "-q", "-b", "main", work]);
  must("sh", ["-c", "mkdir -p tools && printf 'from git\\n' > tools/hello.txt && git add . && git -c user.name=t -c user.email=t@example.org commit -qm one"], { cwd: work });
  commit = must("git", ["rev-parse", "HEAD"], { cwd: work }).stdout.trim();
  const bare = scratchDir("git-bare");
  must("git", ["clone", "-q", "--bare", work, join(bare, "repo.git")]);
  must("git", ["update-server-info"], { cwd: join(bare, "repo.git") });
  const files: Record<string, Uint8Array> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else files[`/${relative(bare, p)}`] = readFileSync(p);
    }
  };
  walk(bare);
  server = await startHttpServer(files);
});
afterAll(() => server?.close());

/** An image of a file from the test's git repository at `ref` (line 8) and one from `image` (line 15). */
function twoSources(name: string, ref: string, image: string): string {
  return `${syntaxLine()}image "${name}" {
  base_image = "scratch"

  file "/hello.txt" {
    from_git {
      repository = "${server.url}/repo.git"
      ref        = "${ref}"
      path       = "tools/hello.txt"
    }
  }

  file "/etc/debian_version" {
    from_image {
      image = "${image}"
      path  = "/etc/debian_version"
    }
  }
}
`;
}

describe("file sources", () => {
  it("takes a file from git at the commit its ref names, and one from another image; the BOM records both origins", async () => {
    const declaration = twoSources("sources", "main", "debian:bookworm");
    const dir = project("sources", { "slipway.hcl": declaration });
    const rootfs = scratchDir("sources-rootfs");
    const r = await buildx(dir, { output: `type=local,dest=${rootfs}` });
    expect(r.code, r.output.slice(-3000)).toBe(0);
    expect(readFileSync(join(rootfs, "hello.txt"), "utf8")).toBe("from git\n");
    expect(readFileSync(join(rootfs, "etc/debian_version"), "utf8")).toMatch(/^12\./);

    const bom = JSON.parse(readFileSync(join(rootfs, "bom.json"), "utf8")) as { predicate: { files: { path: string; origin: Record<string, string> }[] } };
    const origins = Object.fromEntries(bom.predicate.files.map((f) => [f.path, f.origin]));
    expect(origins["/hello.txt"]).toMatchObject({ kind: "git", repository: `${server.url}/repo.git`, ref: "main", commit, path: "tools/hello.txt" });
    expect(origins["/etc/debian_version"]!.kind).toBe("image");
    expect(origins["/etc/debian_version"]!.image).toMatch(/^docker\.io\/library\/debian:bookworm@sha256:[0-9a-f]{64}$/);
  });
});

describe("sources that do not exist", () => {
  it("a git ref and an image tag that name nothing: both refused in one build, each at its line, and nothing exported", async () => {
    const declaration = twoSources("missing", "no-such-branch", "debian:no-such-tag");
    const dir = project("sources-missing", { "slipway.hcl": declaration });
    const dest = join(scratchDir("sources-missing-out"), "out");
    const r = await buildx(dir, { output: `type=local,dest=${dest}` });
    expect(r.code, r.output.slice(-3000)).not.toBe(0);
    expect(r.output).toContain(`slipway.hcl:8:20: Cannot resolve git ref "no-such-branch" of ${server.url}/repo.git`);
    expect(r.output).toMatch(/slipway\.hcl:15:15: Cannot resolve image debian:no-such-tag: .*not found/);
    expect(existsSync(dest) && readdirSync(dest).length > 0).toBe(false);
  });
});

describe("a symbolic link in the build context", () => {
  it("is refused at the declared path, naming the file to copy instead, and nothing is exported", async () => {
    const dir = project("sources-symlink", {
      "slipway.hcl": `${syntaxLine()}image "linked" {
  base_image = "scratch"

  file "/etc/app/app.conf" {
    from_context {
      path = "conf/app.conf"
    }
  }
}
`,
      "conf/real.conf": "answer = 42\n",
    });
    symlinkSync("real.conf", join(dir, "conf/app.conf"));
    const dest = join(scratchDir("sources-symlink-out"), "out");
    const r = await buildx(dir, { output: `type=local,dest=${dest}` });
    expect(r.code, r.output.slice(-3000)).not.toBe(0);
    expect(r.output).toContain("slipway.hcl:7:14: Symbolic link in the build context");
    expect(r.output).toContain('"conf/app.conf" is a symbolic link to "real.conf"');
    expect(r.output).toContain('copy the file it points to: path = "conf/real.conf"');
    expect(existsSync(dest) && readdirSync(dest).length > 0).toBe(false);
  });
});

describe("named contexts", () => {
  const declaration = `${syntaxLine()}image "renamed" {
  base_image = "debian:bookworm"
  cmd        = ["node", "--version"]
}
`;

  it("replace an image the declaration names, as --build-context replaces a Dockerfile's FROM", async () => {
    const dir = project("named", { "slipway.hcl": declaration });
    const r = await buildx(dir, { tag: "slipway-e2e/renamed:1", extra: ["--build-context", "debian:bookworm=docker-image://node:20-bookworm-slim"] });
    expect(r.code, r.output.slice(-3000)).toBe(0);
    expect(dockerRun("slipway-e2e/renamed:1")).toMatch(/^v20\./);
  });

  it("that replace nothing are an error, not ignored", async () => {
    const dir = project("named-unused", { "slipway.hcl": declaration });
    const r = await buildx(dir, { output: `type=local,dest=${scratchDir("named-out")}/x`, extra: ["--build-context", "alpine=docker-image://node:20-bookworm-slim"] });
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/named context "alpine" \(--build-context\) replaces nothing/);
  });
});

describe("several platforms", () => {
  it("builds one image per platform into one index, each with its own BOM attestation", async () => {
    const dir = project("multi", {
      "slipway.hcl": `${syntaxLine()}image "multi" {
  base_image = "scratch"
  file "/etc/motd" {
    from_context {
      path = "motd"
    }
  }
}
`,
      motd: "one image, two platforms\n",
    });
    const tar = join(scratchDir("multi-oci"), "image.tar");
    const r = await buildx(dir, { output: `type=oci,dest=${tar},name=slipway-e2e/multi:1`, extra: ["--platform", "linux/amd64,linux/arm64"] });
    expect(r.code, r.output.slice(-3000)).toBe(0);
    const layout = scratchDir("multi-layout");
    must("tar", ["-xf", tar, "-C", layout]);
    const blob = (digest: string) => JSON.parse(readFileSync(join(layout, "blobs", ...digest.split(":")), "utf8"));
    let index = JSON.parse(readFileSync(join(layout, "index.json"), "utf8"));
    if (index.manifests.length === 1) index = blob(index.manifests[0].digest);
    const images = index.manifests.filter((m: { platform?: { architecture: string } }) => m.platform?.architecture !== "unknown");
    expect(images.map((m: { platform: { os: string; architecture: string } }) => `${m.platform.os}/${m.platform.architecture}`).sort()).toEqual(["linux/amd64", "linux/arm64"]);
    const attestations = index.manifests.filter((m: { annotations?: Record<string, string> }) => m.annotations?.["vnd.docker.reference.type"] === "attestation-manifest");
    expect(attestations).toHaveLength(2);
    for (const a of attestations) {
      const spdx = blob(a.digest).layers.find((l: { annotations: Record<string, string> }) => l.annotations["in-toto.io/predicate-type"] === "https://spdx.dev/Document");
      expect(spdx, "an SPDX attestation per platform").toBeDefined();
    }
    const platformsInBoms = attestations
      .map((a: { digest: string }) => blob(a.digest).layers.find((l: { annotations: Record<string, string> }) => l.annotations["in-toto.io/predicate-type"] === "https://slipway.dev/bom/v1"))
      .map((l: { digest: string }) => blob(l.digest).predicate.image.platform)
      .sort();
    expect(platformsInBoms).toEqual(["linux/amd64", "linux/arm64"]);
  });
});
