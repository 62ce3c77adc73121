import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildBom, type Bom, type BomInputs } from "../../frontend/bom/index.js";
import { FACTS_FILE, REQUEST_FILE, type BomRequest } from "../../frontend/bom-worker/index.js";
import { MountedTree } from "../../frontend/bom-worker/measured-tree.js";
import { runBomWorker, WorkerError, type WorkerPaths } from "../../frontend/bom-worker/run.js";

/** The BOM worker on directories laid out as the exec mounts them; what it writes is read back. */

function tree(files: Record<string, string | { link: string } | { mode: number; text: string }>): string {
  const root = mkdtempSync(join(tmpdir(), "slipway-worker-"));
  for (const [path, content] of Object.entries(files)) {
    const host = join(root, path);
    mkdirSync(join(host, ".."), { recursive: true });
    if (typeof content === "string") writeFileSync(host, content);
    else if ("link" in content) symlinkSync(content.link, host);
    else {
      writeFileSync(host, content.text);
      chmodSync(host, content.mode);
    }
  }
  return root;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

const STATUS = `Package: base-files
Status: install ok installed
Architecture: amd64
Version: 12.4+deb12u5

Package: gone
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0

Package: jq
Status: install ok installed
Architecture: amd64
Source: jq (1.6-2.1)
Version: 1.6-2.1+b1
Provides: json-processor
`;

const OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n`;

function inputs(over: Partial<BomInputs> = {}): BomInputs {
  return {
    tool: { name: "slipway", version: "0.0.0-test" },
    image: { name: "app", platform: "linux/amd64" },
    declaration: { file: "slipway.hcl", sha256: sha256("declaration") },
    base: { kind: "image", canonicalName: `docker.io/library/debian:bookworm@sha256:${sha256("base")}` },
    ...over,
  };
}

/** The exec's mounts: `files` are the trees holding one measured file each, mounted at files/<i>. */
function layout(request: BomRequest, trees: { image: string; base?: string; context?: string; files?: readonly string[] }): WorkerPaths {
  const input = tree({ [REQUEST_FILE]: JSON.stringify(request) });
  const files = tree({});
  (trees.files ?? []).forEach((t, i) => symlinkSync(t, join(files, String(i))));
  return { request: input, image: trees.image, base: trees.base ?? tree({}), context: trees.context ?? tree({}), files, out: tree({}) };
}

/** The worker's facts, as the frontend turns them into the BOM. */
function bomIn(out: string): Bom {
  return buildBom(JSON.parse(readFileSync(join(out, FACTS_FILE), "utf8")) as BomInputs);
}

describe("MountedTree", () => {
  it("resolves absolute and relative symlinks inside the root, never outside it", async () => {
    const root = tree({
      "usr/lib/os-release": "ID=inside\n",
      "etc/os-release": { link: "../usr/lib/os-release" },
      "etc/absolute": { link: "/usr/lib/os-release" },
      "etc/escape": { link: "../../../../../etc/hostname" },
      "etc/loop": { link: "loop" },
    });
    const t = new MountedTree(root);
    expect(new TextDecoder().decode(await t.readFile("/etc/os-release"))).toBe("ID=inside\n");
    expect(new TextDecoder().decode(await t.readFile("/etc/absolute"))).toBe("ID=inside\n");
    // `..` stops at the root: /etc/hostname of the tree, which does not exist, not the machine's
    expect(await t.readFile("/etc/escape")).toBeUndefined();
    await expect(t.readFile("/etc/loop")).rejects.toThrow(/more than 40 symbolic links/);
    expect(await t.readDir("/etc")).toEqual(["absolute", "escape", "loop", "os-release"]);
    expect(await t.readFile("/etc/os-release/x")).toBeUndefined();
  });
});

describe("runBomWorker", () => {
  it("measures each file from its bytes in its own mount, reads the base image's OS and packages, and writes the facts", async () => {
    const image = tree({ "var/lib/dpkg/status": STATUS });
    const tool = tree({ "usr/local/bin/tool": { mode: 0o4755, text: "#!/bin/sh\necho tool\n" } });
    const assets = tree({ "srv/assets/a.txt": "a", "srv/assets/sub/b.txt": "bb", "srv/assets/link": { link: "a.txt" } });
    const base = tree({ "usr/lib/os-release": OS_RELEASE, "etc/os-release": { link: "/usr/lib/os-release" }, "var/lib/dpkg/status": STATUS });
    const context = tree({ "assets.tgz": "not really a tarball" });
    const request: BomRequest = {
      version: 2,
      inputs: inputs(),
      files: [
        { destination: "/usr/local/bin/tool", origin: { kind: "step", step: "build", path: "/out/tool" }, under: "/out/tool" },
        { destination: "/srv/assets", origin: { kind: "tarball", tarball: "assets.tgz", member: "assets" }, under: "assets" },
      ],
      tarballs: ["assets.tgz"],
      expectInstalled: [{ name: "jq", architecture: "amd64", version: "1.6-2.1+b1" }],
    };
    const paths = layout(request, { image, base, context, files: [tool, assets] });
    await runBomWorker(paths);

    const bom = bomIn(paths.out);
    expect(bom.files.map((f) => [f.path, f.sha256, f.size, f.mode])).toEqual([
      ["/srv/assets/a.txt", sha256("a"), 1, 0o644],
      ["/srv/assets/sub/b.txt", sha256("bb"), 2, 0o644],
      ["/usr/local/bin/tool", sha256("#!/bin/sh\necho tool\n"), 20, 0o4755],
    ]);
    expect(bom.files[1]!.origin).toEqual({ kind: "tarball", tarball: "assets.tgz", tarballSha256: sha256("not really a tarball"), member: "assets/sub/b.txt" });
    expect(bom.files[2]!.origin).toEqual({ kind: "step", step: "build", path: "/out/tool" });
    expect(bom.base.kind === "image" && bom.base.os).toEqual({ id: "debian", versionId: "12", versionCodename: "bookworm" });
    expect(bom.base.kind === "image" && bom.base.packages.map((p) => `${p.name} ${p.version}`)).toEqual(["base-files 12.4+deb12u5", "jq 1.6-2.1+b1"]);
    expect(statSync(join(paths.out, FACTS_FILE)).mode & 0o777).toBe(0o644);
  });

  it("writes the same bytes twice", async () => {
    const image = tree({});
    const files = [tree({ "app/x": "x" })];
    const request: BomRequest = { version: 2, inputs: inputs({ base: { kind: "scratch" } }), files: [{ destination: "/app/x", origin: { kind: "step", step: "s", path: "/x" }, under: "/x" }], tarballs: [] };
    const a = layout(request, { image, files });
    const b = layout(request, { image, files });
    await runBomWorker(a);
    await runBomWorker(b);
    expect(readFileSync(join(a.out, FACTS_FILE), "utf8")).toBe(readFileSync(join(b.out, FACTS_FILE), "utf8"));
  });

  it("fails, naming each package, when dpkg did not install what was resolved", async () => {
    const image = tree({ "var/lib/dpkg/status": STATUS });
    const request: BomRequest = {
      version: 2,
      inputs: inputs(),
      files: [],
      tarballs: [],
      expectInstalled: [
        { name: "jq", architecture: "amd64", version: "1.7" },
        { name: "curl", architecture: "amd64", version: "7.88.1-10+deb12u5" },
      ],
    };
    const error = await runBomWorker(layout(request, { image, base: image })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerError);
    expect((error as Error).message).toBe(
      "packages were not installed as resolved: after dpkg ran, the image does not hold jq 1.7 (found 1.6-2.1+b1), curl 7.88.1-10+deb12u5 (not installed)",
    );
  });

  it("fails, naming each one, when a declared package is not in the image (a lock that left it out)", async () => {
    const image = tree({ "var/lib/dpkg/status": STATUS });
    const request = (expectRequested: BomRequest["expectRequested"]): BomRequest => ({
      version: 2,
      inputs: inputs(),
      files: [],
      tarballs: [],
      expectInstalled: [{ name: "jq", architecture: "amd64", version: "1.6-2.1+b1" }],
      expectRequested,
    });
    // a virtual package is installed when something provides it
    await runBomWorker(layout(request([{ name: "jq" }, { name: "jq:amd64", version: "1.6-2.1+b1" }, { name: "json-processor" }]), { image, base: image }));
    const error = await runBomWorker(layout(request([{ name: "jq", version: "1.7" }, { name: "curl" }, { name: "jq:arm64" }]), { image, base: image })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerError);
    expect((error as Error).message).toBe(
      "declared packages are missing from the image: after dpkg ran, it does not hold jq 1.7 (found 1.6-2.1+b1), curl (not installed), jq:arm64 (not installed); if the lock left them out, refresh it",
    );
  });

  it("fails, naming the path, when a declared file is not in the image", async () => {
    const request: BomRequest = { version: 2, inputs: inputs({ base: { kind: "scratch" } }), files: [{ destination: "/missing", origin: { kind: "context", path: "m" }, under: "m" }], tarballs: [] };
    await expect(runBomWorker(layout(request, { image: tree({}), files: [tree({})] }))).rejects.toThrow(new WorkerError("/missing is not in the built image"));
  });
});
