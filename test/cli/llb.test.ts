import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../../frontend/cli/main.js";
import { memoryIO } from "../../frontend/cli/memory-io.js";
import { compileImage, type ResolvedImage } from "../../frontend/compile/index.js";
import { parseLock, resolveAptFromLock, type LockFile } from "../../frontend/debian/index.js";
import { loadDeclaration, SourceFile, type Image } from "../../grammar/index.js";
import { Definition, digestOf, marshal, parsePlatform, SourceMap } from "../../llb/index.js";
import { pb } from "../../llb/proto/github.com/moby/buildkit/solver/pb/ops.js";

const REPO = new URL("../../", import.meta.url).pathname;
/** A lock a `--target lock` build of examples/debian-tools recorded (the mirror host replaced by archive.example.org). */
const exampleLock = readFileSync(`${REPO}test/cli/fixtures/debian-tools.lock.json`, "utf8");
const lock = parseLock(exampleLock).value as LockFile;
const lockEntry = lock.images.find((e) => e.image === "debian-tools" && e.architecture === "amd64")!;

const declaration = `image "debian-tools" {
  base_image = "debian:bookworm"

  apt {
    package "ca-certificates" {}
    package "curl" {}
    package "git" {}
    package "jq" {
      version = "1.6-2.1+deb12u2"
    }
    package "openssh-client" {}
  }

  file "/etc/app.conf" {
    from_context {
      path = "conf/app.conf"
    }
  }

  file "/usr/local/bin/tool" {
    from_http {
      url    = "https://example.org/tool"
      sha256 = "${"ab".repeat(32)}"
    }
    mode = "0755"
  }

  file "/usr/share/doc/lib/README" {
    from_git {
      repository = "https://example.org/lib.git"
      ref        = "v1.2.3"
      path       = "README"
    }
  }

  file "/usr/bin/busybox" {
    from_image {
      image = "busybox:1.36"
      path  = "/bin/busybox"
    }
  }

  env = { GREETING = greeting }
}

variable "greeting" {
  default = "hello"
}
`;

const withStep = `image "app" {
  base_image = "debian:bookworm"

  file "/usr/local/bin/hello" {
    from_step "build" {
      path = "/out/hello"
    }
  }
}

step "build" {
  dockerfile = "Dockerfile"

  source_file "/out/*" {
    vcs "git" {
      repository = "https://example.org/hello"
      ref        = "v1"
    }
  }
}
`;

async function llb(files: Record<string, string>, ...args: string[]) {
  const { io, out, stdoutBytes } = memoryIO(files);
  const code = await runCli(["llb", ...args], io);
  return { code, out, bytes: Buffer.concat(stdoutBytes) };
}

const decoded = (bytes: Uint8Array) => Definition.fromBytes(bytes).ops.map((op) => pb.Op.deserialize(op));

describe("slipway llb", () => {
  const files = { "app/slipway.hcl": declaration, "app/slipway.lock.json": exampleLock, "app/conf/app.conf": "x=1\n" };

  it("writes the Definition compileImage makes when the lock and the declaration stand in for BuildKit", async () => {
    const { code, out, bytes } = await llb(files, "--platform", "linux/amd64", "--var", "greeting=hi", "app/slipway.hcl");
    expect(out).toEqual({ stdout: "", stderr: "" });
    expect(code).toBe(0);

    // The same compilation, from the documented stand-ins: declared references (the base pinned by the
    // lock), no inherited config, the git ref as the commit, packages from the lock.
    const file = new SourceFile("app/slipway.hcl", declaration);
    const loaded = loadDeclaration(file, { vars: new Map([["greeting", "hi"]]) });
    const image = loaded.value!.images[0] as Image;
    const platform = parsePlatform("linux/amd64");
    const asDeclared = (canonical: string, digest = ""): ResolvedImage => ({
      reference: image.base.kind === "image" ? image.base.ref.value : (undefined as never),
      pinned: digest ? `${canonical}@${digest}` : canonical,
      digest,
      config: { architecture: "amd64", os: "linux", config: {} },
    });
    const sourceMap = new SourceMap(file.name, file.text);
    const resolution = (
      await resolveAptFromLock(
        {
          apt: image.apt,
          image: "debian-tools",
          architecture: "amd64",
          baseImage: { ref: `docker.io/library/debian:bookworm@${lockEntry.base!.digest}`, digest: lockEntry.base!.digest!, range: image.apt[0]!.range },
        },
        lockEntry,
      )
    ).value!;
    const expected = marshal(
      compileImage({
        declaration: loaded.value!,
        image,
        platform,
        sourceMap,
        context: { localName: "context", sessionId: "" },
        base: asDeclared("docker.io/library/debian:bookworm", lockEntry.base!.digest),
        images: new Map([["docker.io/library/busybox:1.36", asDeclared("docker.io/library/busybox:1.36")]]),
        git: new Map([["https://example.org/lib.git#v1.2.3", { repository: "https://example.org/lib.git", ref: "v1.2.3", commit: "v1.2.3" }]]),
        steps: new Map(),
        packages: { resolution, mirrors: [] },
        optionLabels: new Map(),
        noCache: false,
        epoch: 0,
      }).state,
      { platform },
    );
    expect(Definition.fromBytes(bytes).ops).toEqual(expected.ops);

    const ops = decoded(bytes);
    const identifiers = ops.filter((op) => op.has_source).map((op) => op.source.identifier);
    expect(identifiers).toContain(`docker-image://docker.io/library/debian:bookworm@${lockEntry.base!.digest}`);
    expect(identifiers).toContain("docker-image://docker.io/library/busybox:1.36");
    expect(identifiers).toContain("git://example.org/lib.git#v1.2.3");
    expect(identifiers).toContain("local://context");
    expect(identifiers).toContain("https://example.org/tool");
    // every .deb by the lock's URL and sha256, and one dpkg exec with no network
    const debs = ops.filter((op) => op.has_source && op.source.attrs.get("http.checksum") && op.source.identifier.endsWith(".deb"));
    expect(debs.map((op) => op.source.attrs.get("http.checksum")).sort()).toEqual(lockEntry.packages.map((p) => `sha256:${p.sha256}`).sort());
    const execs = ops.filter((op) => op.has_exec);
    expect(execs).toHaveLength(1);
    expect(execs[0]!.exec.network).toBe(pb.NetMode.NONE);
  });

  it("prints one JSON object per op, in the Definition's order, the same every time", async () => {
    const binary = await llb(files, "--platform", "linux/amd64", "app/slipway.hcl");
    const first = await llb(files, "--platform", "linux/amd64", "--json", "app/slipway.hcl");
    const second = await llb(files, "--platform=linux/amd64", "--json", "app/slipway.hcl");
    expect(first.code).toBe(0);
    expect(first.out.stdout).toBe(second.out.stdout);
    expect(first.bytes.length).toBe(0);
    const json = JSON.parse(first.out.stdout) as { digest: string; op: Record<string, unknown>; metadata?: { description?: Record<string, string> }; locations?: string[] }[];
    const ops = Definition.fromBytes(binary.bytes).ops;
    expect(json.map((o) => o.digest)).toEqual(ops.map((op) => digestOf(op)));
    const tool = json.find((o) => o.metadata?.description?.["llb.customname"] === "[slipway] /usr/local/bin/tool ← https://example.org/tool")!;
    expect(tool.locations).toEqual(["app/slipway.hcl:20:3-26:4"]);
    expect(tool.op).toMatchObject({
      file: {
        actions: [
          { mkdir: { path: "/usr/local/bin" } },
          { copy: { dest: "/usr/local/bin/tool", mode: 0o755 } },
          ...["/usr/local/bin", "/usr/local", "/usr"].map((dest) => ({ copy: { src: "/empty", dest, dirCopyContents: true } })),
        ],
      },
    });
    const base = json.find((o) => (o.op as { source?: { identifier?: string } }).source?.identifier?.startsWith("docker-image://docker.io/library/debian"))!;
    expect(base.locations).toEqual(["app/slipway.hcl:2:16-2:33"]);
    // defaults left out, as protobuf's JSON mapping does
    expect(first.out.stdout).not.toMatch(/: (""|false|0|\[\]|\{\})[,\n]/);
    // the terminal op last, pointing at the image
    expect(Object.keys(json.at(-1)!.op)).toEqual(["inputs"]);
  });

  it("fetches the locked .debs from --mirror: same checksums and file names, other URLs, nothing else changed", async () => {
    const sources = (bytes: Uint8Array) => decoded(bytes).flatMap((op) => (op.source?.identifier.startsWith("http") ? [op.source] : []));
    const plain = await llb(files, "--platform", "linux/amd64", "app/slipway.hcl");
    const mirrored = await llb(files, "--platform", "linux/amd64", "--mirror", "http://archive.example.org/debian=http://127.0.0.1:9/copy/", "app/slipway.hcl");
    expect(mirrored.code, mirrored.out.stderr).toBe(0);
    const before = sources(plain.bytes).filter((s) => s.identifier.endsWith(".deb"));
    const after = sources(mirrored.bytes).filter((s) => s.identifier.endsWith(".deb"));
    expect(before.length).toBe(lockEntry.packages.length);
    expect(after.map((s) => s.identifier)).toEqual(before.map((s) => s.identifier.replace("http://archive.example.org/debian/", "http://127.0.0.1:9/copy/")));
    expect(after.map((s) => [...s.attrs.entries()])).toEqual(before.map((s) => [...s.attrs.entries()]));
    // the other http source (from_http) is not under the mirrored prefix
    expect(sources(mirrored.bytes).filter((s) => !s.identifier.endsWith(".deb")).map((s) => s.identifier)).toEqual(["https://example.org/tool"]);

    const bad = await llb(files, "--mirror", "archive.example.org=http://127.0.0.1:9", "app/slipway.hcl");
    expect(bad.code).toBe(2);
    expect(bad.out.stderr).toMatch(/--mirror: ORIGINAL "archive\.example\.org" is not an http/);
  });

    it("reports a step as a located error: BuildKit expands steps during the build", async () => {
    const { code, out, bytes } = await llb({ "slipway.hcl": withStep }, "slipway.hcl");
    expect(code).toBe(1);
    expect(bytes.length).toBe(0);
    expect(out.stdout).toBe("");
    expect(out.stderr).toContain("slipway.hcl:5:15: error: A step cannot be shown as LLB");
    expect(out.stderr).toContain("BuildKit's Dockerfile frontend turns it into LLB during the build");
    expect(out.stderr).toContain('5 |     from_step "build" {');
  });

  it("needs the lock for packages: a located error saying to run slipway lock", async () => {
    const { code, out, bytes } = await llb({ "app/slipway.hcl": declaration, "app/conf/app.conf": "" }, "--platform", "linux/amd64", "app/slipway.hcl");
    expect(code).toBe(1);
    expect(bytes.length).toBe(0);
    expect(out.stderr).toContain("app/slipway.hcl:4:3: error: No lock for the packages");
    expect(out.stderr).toContain("slipway llb takes packages from app/slipway.lock.json");
    expect(out.stderr).toContain('hint: Run "slipway lock app/slipway.hcl" first.');
  });

  it("reports a lock that does not fit: another architecture, a changed package, a damaged file", async () => {
    const arm = await llb(files, "--platform", "linux/arm64", "app/slipway.hcl");
    expect(arm.code).toBe(1);
    expect(arm.out.stderr).toContain('app/slipway.hcl:4:3: error: Image not in the lock\n  slipway.lock.json has no entry for image "debian-tools" on arm64.');

    const changed = await llb({ ...files, "app/slipway.hcl": declaration.replace('package "curl" {}', 'package "wget" {}') }, "--platform", "linux/amd64", "app/slipway.hcl");
    expect(changed.code).toBe(1);
    expect(changed.out.stderr).toContain('app/slipway.hcl:6:13: error: Package not in the lock\n  "wget" is declared but slipway.lock.json was made without it.');

    const damaged = await llb({ ...files, "app/slipway.lock.json": "{" }, "--platform", "linux/amd64", "app/slipway.hcl");
    expect(damaged.code).toBe(1);
    expect(damaged.out.stderr).toMatch(/^app\/slipway\.lock\.json:1:1: error: Unreadable lock file\n {2}app\/slipway\.lock\.json is not valid JSON: /m);
  });

  it("needs no lock without packages, and compiles for the platform asked", async () => {
    const plain = `image "data" {\n  base_image = "debian:bookworm"\n  file "/a" {\n    from_context {\n      path = "a"\n    }\n  }\n}\n`;
    const { code, bytes } = await llb({ "slipway.hcl": plain, a: "" }, "--platform", "linux/arm64", "slipway.hcl");
    expect(code).toBe(0);
    const base = decoded(bytes).find((op) => op.has_source && op.source.identifier.startsWith("docker-image://"))!;
    expect(base.source.identifier).toBe("docker-image://docker.io/library/debian:bookworm");
    expect(`${base.platform.OS}/${base.platform.Architecture}`).toBe("linux/arm64");
  });

  it("refuses to write binary to a terminal, and refuses a bad platform or target", async () => {
    const terminal = memoryIO(files, { writeStdoutBytes: () => false });
    expect(await runCli(["llb", "--platform", "linux/amd64", "app/slipway.hcl"], terminal.io)).toBe(2);
    expect(terminal.out.stderr).toBe(
      'slipway llb: refusing to write binary LLB to a terminal; redirect it (slipway llb FILE > llb.pb, or | buildctl build …) or use --json\nRun "slipway llb --help" for usage.\n',
    );

    const platform = await llb(files, "--platform", "linux/amd65", "app/slipway.hcl");
    expect(platform.code).toBe(2);
    expect(platform.out.stderr).toMatch(/^slipway llb: --platform: "amd65" is not a known architecture/);

    const target = await llb(files, "--target", "debian-tool", "app/slipway.hcl");
    expect(target.code).toBe(1);
    expect(target.out.stderr).toContain('error: Unknown target\n  app/slipway.hcl has no image named "debian-tool".');
    expect(target.out.stderr).toContain('Did you mean "debian-tools"?');
  });
  it("turns what check accepted and llb crashed on into LLB, or into located errors (issue 11)", async () => {
    const image = (body: string) => `image "app" {\n  base_image = "debian:bookworm"\n${body}}\n`;
    const setuid = await llb(
      { "slipway.hcl": image(`  file "/usr/local/bin/tool" {\n    mode = "4755"\n    from_http {\n      url    = "https://example.org/tool"\n      sha256 = "${"a".repeat(64)}"\n    }\n  }\n`) },
      "--platform", "linux/amd64", "--json", "slipway.hcl",
    );
    expect(setuid.out.stderr).toBe("");
    expect(setuid.code).toBe(0);
    expect(setuid.out.stdout).toContain('"mode": 2541');
    for (const [repository, message] of [
      ["", "The repository is empty."],
      ["file:///srv/repo", '"file://" is not a scheme'],
      ["/srv/repo", "A local path is not a repository"],
      ["-u", 'starts with "-"'],
      ["ext::sh -c x", '"ext::" is a git remote helper transport'],
    ]) {
      const git = await llb({ "slipway.hcl": image(`  file "/a" {\n    from_git {\n      repository = "${repository}"\n      ref        = "main"\n      path       = "a"\n    }\n  }\n`) }, "--json", "slipway.hcl");
      expect(git.code, repository).toBe(1);
      expect(git.out.stderr, repository).toContain("slipway.hcl:5:20: error: Invalid git repository");
      expect(git.out.stderr, repository).toContain(message!);
      expect(git.out.stdout).toBe("");
    }
    const nulls = await llb({ "slipway.hcl": image('  volumes = concat(["/x"], [null])\n  env = merge({ A = "1" }, { B = null })\n  cmd = concat(["a"], [null])\n') }, "--json", "slipway.hcl");
    expect(nulls.code).toBe(1);
    expect(nulls.out.stderr.match(/error: Incorrect value type/g)).toHaveLength(3);
    expect(nulls.out.stderr).toContain('slipway.hcl:4:9: error: Incorrect value type\n  Inappropriate value for "env": element "B" is null.');
  });
});
