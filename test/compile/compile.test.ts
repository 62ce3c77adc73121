import { describe, expect, it } from "vitest";
import { loadDeclaration, SourceFile, type Declaration } from "../../grammar/index.js";
import { marshal, parsePlatform, SourceMap } from "../../llb/index.js";
import { pb } from "../../llb/proto/github.com/moby/buildkit/solver/pb/ops.js";
import { compileImage, type CompileInput, type OciImageConfig, type ResolvedImage } from "../../frontend/compile/index.js";
import type { AptResolution } from "../../frontend/debian/index.js";
import { decode, inputOp, type Decoded } from "../llb/decode.js";

/**
 * The compiler, on marshaled LLB (BuildKit's own test style: marshal, decode the ops, assert fields),
 * with everything the gateway would have resolved given as plain data.
 */
const platform = parsePlatform("linux/amd64");

/** The file ops that add files, without the one empty directory their directory stamps copy from. */
function addingOps(d: Decoded) {
  return d.body.filter((o) => o.op.op === "file" && o.op.inputs.length > 0);
}

function declaration(text: string): Declaration {
  const { value: declaration, diagnostics } = loadDeclaration(new SourceFile("slipway.hcl", text), { vars: new Map() });
  if (!declaration) throw new Error(diagnostics.map((d) => `${d.summary}: ${d.detail}`).join("\n"));
  return declaration;
}

const baseConfig: OciImageConfig = {
  architecture: "amd64",
  os: "linux",
  config: { Env: ["PATH=/usr/bin:/bin", "LANG=C.UTF-8"], Cmd: ["bash"], Entrypoint: ["/docker-entrypoint"], Labels: { base: "yes", shared: "base" }, User: "1" },
  history: [{ created_by: "base layer" }],
};

const base: ResolvedImage = {
  reference: { original: "debian:bookworm", domain: "docker.io", path: "library/debian", tag: "bookworm", canonical: "docker.io/library/debian:bookworm" },
  pinned: `docker.io/library/debian:bookworm@sha256:${"a".repeat(64)}`,
  digest: `sha256:${"a".repeat(64)}`,
  config: baseConfig,
};

function input(decl: Declaration, extra: Partial<CompileInput> = {}): CompileInput {
  return {
    declaration: decl,
    image: decl.images[decl.images.length - 1]!,
    platform,
    sourceMap: new SourceMap(decl.file.name, decl.file.text),
    context: { localName: "context", sessionId: "s" },
    base,
    images: new Map(),
    git: new Map(),
    steps: new Map(),
    optionLabels: new Map(),
    noCache: false,
    epoch: 1700000000,
    ...extra,
  };
}

const twoFiles = `image "app" {
  base_image = "debian:bookworm"
  file "/etc/app/app.conf" {
    from_context { path = "conf/app.conf" }
    mode  = "0600"
    owner = "app:app"
  }
  file "/srv/data" {
    from_http {
      url    = "https://example.org/data"
      sha256 = "${"b".repeat(64)}"
    }
  }
  env    = { B = "2", A = "1", LANG = "en_US.UTF-8" }
  labels = { shared = "declared", mine = "yes" }
  entrypoint = ["/app"]
}
`;

describe("compileImage", () => {
  it("adds each file as its own op on the base image, parents made 0755 first, located at its file block", () => {
    const decl = declaration(twoFiles);
    const compiled = compileImage(input(decl));
    const d = decode(marshal(compiled.state, { platform }));
    const fileOps = addingOps(d);
    expect(fileOps).toHaveLength(2);
    const [conf, data] = fileOps.map((o) => o.op.file.actions);
    // the parent, the file, then the times of every ancestor but / (see the next test)
    expect(conf!.map((a) => a.action)).toEqual(["mkdir", "copy", "copy", "copy"]);
    expect(conf![0]!.mkdir.path).toBe("/etc/app");
    expect(conf![0]!.mkdir.mode).toBe(0o755);
    expect(conf![0]!.mkdir.makeParents).toBe(true);
    expect(conf![1]!.copy.dest).toBe("/etc/app/app.conf");
    expect(conf![1]!.copy.mode).toBe(0o600);
    expect(conf![1]!.copy.owner.user.byName.name).toBe("app");
    expect(data![1]!.copy.mode).toBe(-1);
    const names = fileOps.map((o) => o.metadata?.description.get("llb.customname"));
    expect(names).toEqual(["[slipway] /etc/app/app.conf ← context conf/app.conf", "[slipway] /srv/data ← https://example.org/data"]);
    // the http source: checksum verified by BuildKit, 0644 unless a mode is declared
    const http = d.body.find((o) => o.op.op === "source" && o.op.source.identifier.startsWith("https://"))!;
    expect(http.op.source.attrs.get("http.checksum")).toBe(`sha256:${"b".repeat(64)}`);
    expect(http.op.source.attrs.get("http.perm")).toBe("0644");
    // the context local transfers only the named path
    const ctx = d.body.find((o) => o.op.op === "source" && o.op.source.identifier === "local://context")!;
    expect(JSON.parse(ctx.op.source.attrs.get("local.followpaths")!)).toEqual(["conf/app.conf"]);
    expect(compiled.contextPaths).toEqual(["conf/app.conf"]);
  });

  it("downloads a setuid from_http file with its permission bits and sets the whole mode in the copy", () => {
    const decl = declaration(`image "app" {
  base_image = "debian:bookworm"
  file "/usr/local//bin/./tool" {
    mode = "4755"
    from_http {
      url    = "HTTPS://example.org/tool"
      sha256 = "${"c".repeat(64)}"
    }
  }
}
`);
    const d = decode(marshal(compileImage(input(decl)).state, { platform }));
    const http = d.body.find((o) => o.op.op === "source" && o.op.source.identifier.startsWith("https://"))!;
    expect(http.op.source.identifier).toBe("https://example.org/tool");
    expect(http.op.source.attrs.get("http.perm")).toBe("0755");
    const copy = addingOps(d)[0]!.op.file.actions[1]!.copy;
    expect(copy.dest).toBe("/usr/local/bin/tool");
    expect(copy.mode).toBe(0o4755);
  });

  it("stamps everything a file op writes with the epoch, the existing ancestors of the destination too", () => {
    const compiled = compileImage(input(declaration(twoFiles), { epoch: 1700000000 }));
    const d = decode(marshal(compiled.state, { platform }));
    const [confOp, dataOp] = addingOps(d);
    const conf = confOp!.op.file.actions;
    const ns = 1700000000n * 1_000_000_000n;
    expect(BigInt(conf[0]!.mkdir.timestamp)).toBe(ns);
    expect(BigInt(conf[1]!.copy.timestamp)).toBe(ns);
    // an empty directory's contents copied onto each ancestor: only its times change (its mode and owner
    // are the base image's), deepest first, up to but not / (no layer holds the root directory)
    const stamps = conf.slice(2);
    expect(stamps.map((a) => a.copy.dest)).toEqual(["/etc/app", "/etc"]);
    for (const a of stamps) {
      expect(a.copy.src).toBe("/empty");
      expect(a.copy.dirCopyContents).toBe(true);
      expect(a.copy.mode).toBe(-1);
      expect(a.copy.owner).toBeUndefined();
      expect(BigInt(a.copy.timestamp)).toBe(ns);
    }
    // copied from one op that makes an empty directory on scratch, not from scratch itself (BuildKit makes
    // a new snapshot for each copy from scratch), and the same op for every file
    const sources = [confOp!, dataOp!].flatMap((o) => o.op.file.actions.slice(2).map((a) => inputOp(d, o, a.secondaryInput).digest));
    expect(new Set(sources).size).toBe(1);
    const empty = d.byDigest.get(sources[0]!)!;
    expect(empty.op.inputs).toEqual([]);
    expect(empty.op.file.actions.map((a) => [a.action, a.mkdir?.path, a.input])).toEqual([["mkdir", "/empty", -1]]);
    expect(d.body.filter((o) => o.op.op === "file")).toHaveLength(3);
    // a file at the top level has no ancestor to stamp, so its op needs no empty directory either
    const top = compileImage(input(declaration(twoFiles.replace('file "/srv/data"', 'file "/data"')), { epoch: 1700000000 }));
    const topOp = addingOps(decode(marshal(top.state, { platform })))[1]!;
    expect(topOp.op.file.actions.map((a) => [a.action, a.mkdir?.path ?? a.copy?.dest])).toEqual([["mkdir", "/"], ["copy", "/data"]]);
    expect(topOp.op.inputs).toHaveLength(2);
    const other = compileImage(input(declaration(twoFiles), { epoch: 1700000001 }));
    expect(marshal(other.state, { platform }).head()).not.toBe(marshal(compiled.state, { platform }).head());
  });

  it("writes the epoch as the config's created and each added history entry's, leaving the base's as they are", () => {
    const base2: ResolvedImage = { ...base, config: { ...baseConfig, created: "2024-01-01T00:00:00Z", history: [{ created: "2024-01-01T00:00:00Z", created_by: "base layer" }] } };
    const { config } = compileImage(input(declaration(twoFiles), { base: base2, epoch: 1700000000 }));
    expect(config.created).toBe("2023-11-14T22:13:20Z");
    expect(config.history!.map((h) => h.created)).toEqual(["2024-01-01T00:00:00Z", "2023-11-14T22:13:20Z", "2023-11-14T22:13:20Z"]);
  });

  it("inherits the base config as Dockerfile's FROM does, then applies the declaration", () => {
    const decl = declaration(twoFiles);
    const { config } = compileImage(input(decl, { optionLabels: new Map([["mine", "from the command line"]]) }));
    expect(config.config.Env).toEqual(["PATH=/usr/bin:/bin", "LANG=en_US.UTF-8", "B=2", "A=1"]);
    expect(config.config.Entrypoint).toEqual(["/app"]);
    expect(config.config.Cmd).toBeUndefined(); // a declared entrypoint resets the inherited cmd
    expect(config.config.User).toBe("1");
    expect(config.config.Labels).toEqual({ base: "yes", mine: "from the command line", shared: "declared" });
    expect(config.history).toHaveLength(3); // the base's entry, then one per added file
    expect(config.history!.slice(1).map((h) => h.created_by)).toEqual([
      "slipway: file /etc/app/app.conf ← context conf/app.conf",
      "slipway: file /srv/data ← https://example.org/data",
    ]);
  });

  it("gives a scratch image the default PATH and no base history", () => {
    const decl = declaration(`image "s" {\n  base_image = "scratch"\n  cmd = ["/x"]\n}\n`);
    const { config, state } = compileImage(input(decl, { base: undefined }));
    expect(config.config.Env).toEqual(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]);
    expect(config.history).toEqual([]);
    expect(state.isScratch).toBe(true);
  });

  it("installs packages in one exec with no network and the .debs mounted read-only", () => {
    const decl = declaration(`image "t" {\n  base_image = "debian:bookworm"\n  apt {\n    package "jq" {}\n  }\n}\n`);
    const resolution: AptResolution = {
      architecture: "amd64",
      installRecommends: false,
      repositories: [],
      basePackages: [],
      indexFiles: [],
      stages: [["libonig5", "jq"]],
      packages: ["libonig5", "jq"].map((name) => ({
        name,
        version: "1.0-1",
        architecture: "amd64",
        multiArch: "no" as const,
        repository: 0,
        filename: `pool/main/${name}_1.0-1_amd64.deb`,
        uri: `http://archive.example.org/debian/pool/main/${name}_1.0-1_amd64.deb`,
        sha256: name === "jq" ? "c".repeat(64) : "d".repeat(64),
        size: 100,
        preDepends: [],
        depends: name === "jq" ? ["libonig5"] : [],
        source: { kind: "archive" as const, name, version: "1.0-1", files: [] },
      })),
    };
    const compiled = compileImage(input(decl, { packages: { resolution, mirrors: [] } }));
    const d = decode(marshal(compiled.state, { platform }));
    const execs = d.body.filter((o) => o.op.op === "exec");
    expect(execs).toHaveLength(1);
    const exec = execs[0]!.op.exec;
    expect(exec.network).toBe(pb.NetMode.NONE);
    const debs = exec.mounts.find((m) => m.dest !== "/")!;
    expect(debs.readonly).toBe(true);
    const https = d.body.filter((o) => o.op.op === "source" && o.op.source.identifier.startsWith("http://"));
    expect(https.map((o) => o.op.source.attrs.get("http.checksum")).sort()).toEqual([`sha256:${"c".repeat(64)}`, `sha256:${"d".repeat(64)}`]);
    expect(execs[0]!.metadata?.description.get("llb.customname")).toContain("jq 1.0-1");
  });

  it("marshals to the same bytes every time, whatever order the declaration lists labels in", () => {
    const definition = (labels: string) => marshal(compileImage(input(declaration(twoFiles.replace(`labels = { shared = "declared", mine = "yes" }`, labels)))).state, { platform });
    const original = `labels = { shared = "declared", mine = "yes" }`;
    const want = Buffer.from(definition(original).toBytes());
    for (let i = 0; i < 25; i++) expect(Buffer.from(definition(original).toBytes()).equals(want)).toBe(true);
    // labels live in the image config, not in LLB: reordering them changes no op (only the source text
    // embedded for error snippets differs)
    const ops = (labels: string) => definition(labels).ops.map((o) => Buffer.from(o).toString("hex"));
    expect(ops(`labels = { mine = "yes", shared = "declared" }`)).toEqual(ops(original));
  });
});
