import { describe, expect, it } from "vitest";
import { decode, inputOp } from "../../test/llb/decode.js";
import { image, marshal, parsePlatform } from "../../llb/index.js";
import { installPackages } from "./install-llb.js";
import { parseMirrors } from "./mirrors.js";
import { debFileName, installProgressName, installScript, planStages, type PlannedPackage } from "./install-plan.js";
import type { AptResolution, ResolvedPackage } from "./resolution.js";

function pkg(name: string, preDepends: string[] = [], depends: string[] = []): PlannedPackage {
  return { name, version: "1.0", architecture: "amd64", preDepends, depends };
}

const names = (stages: PlannedPackage[][]) => stages.map((s) => s.map((p) => p.name));

describe("planStages", () => {
  it("puts everything in one run when nothing pre-depends on a new package", () => {
    expect(names(planStages([pkg("curl", [], ["libcurl4"]), pkg("libcurl4", [], ["libssl3"]), pkg("libssl3")]))).toEqual([["libssl3", "libcurl4", "curl"]]);
  });

  it("configures pre-dependencies (and what they depend on) in an earlier run", () => {
    const stages = planStages([pkg("app", ["dpkg-helper"]), pkg("dpkg-helper", [], ["libhelper"]), pkg("libhelper"), pkg("other", [], ["app"])]);
    expect(names(stages)).toEqual([["libhelper", "dpkg-helper"], ["app", "other"]]);
  });

  it("keeps dependency cycles together and ignores packages outside the plan", () => {
    const stages = planStages([pkg("a", [], ["b", "libc6"]), pkg("b", [], ["a"]), pkg("c", ["a"])]);
    expect(names(stages)).toEqual([["a", "b"], ["c"]]);
  });

  it("does not depend on input order", () => {
    const list = [pkg("x", ["y"]), pkg("y", [], ["z"]), pkg("z"), pkg("w", [], ["x"])];
    const once = names(planStages(list));
    expect(names(planStages([...list].reverse()))).toEqual(once);
  });
});

describe("installScript", () => {
  it("runs dpkg per stage on the mounted files and removes what dpkg leaves behind", () => {
    const script = installScript([[pkg("libssl3"), { ...pkg("curl"), version: "1:7.88" }], [pkg("app")]], { debDirectory: "/run/slipway/debs" });
    const dpkgLines = script.split("\n").filter((l) => l.startsWith("dpkg "));
    expect(dpkgLines).toEqual([
      "dpkg --force-unsafe-io --log=/dev/null --install /run/slipway/debs/libssl3_1.0_amd64.deb /run/slipway/debs/curl_1%3a7.88_amd64.deb",
      "dpkg --force-unsafe-io --log=/dev/null --install /run/slipway/debs/app_1.0_amd64.deb",
      "dpkg --force-unsafe-io --log=/dev/null --configure --pending",
    ]);
    expect(script).toContain("DEBIAN_FRONTEND=noninteractive");
    expect(script).toContain("for f in /var/lib/dpkg/*-old /var/cache/debconf/*-old /var/log/dpkg.log /run/adduser; do");
    expect(script).toContain("else rm -f $aux; fi");
  });

  it("clamps what the run wrote to the epoch, fixed environment and all", () => {
    const script = installScript([[pkg("app")]], { epoch: 1700000000 });
    expect(script).toContain("LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=1700000000");
    expect(script).toContain("days=$((1700000000 / 86400))");
    const lines = script.trimEnd().split("\n");
    // the clamp comes after everything else the script writes or removes
    expect(lines.at(-2)).toMatch(/^find \/ -xdev -cnewer \$start -newermt @1700000000 .* -exec touch --no-dereference --date=@1700000000 \{\} \+$/);
    expect(installScript([[pkg("app")]], { epoch: 1 })).not.toBe(script);
    expect(script).not.toMatch(/apt-get|sources\.list|\/var\/lib\/apt\/lists/);
  });

  it("names .deb files as apt does and lists every package in the progress name", () => {
    expect(debFileName({ name: "git", version: "1:2.39.5-0+deb12u3", architecture: "amd64" })).toBe("git_1%3a2.39.5-0+deb12u3_amd64.deb");
    expect(installProgressName([{ name: "jq", version: "1.6" }, { name: "curl", version: "7.88" }])).toBe("[apt] dpkg --install 2 packages: curl 7.88, jq 1.6");
  });
});

describe("installPackages (LLB)", () => {
  const resolved = (name: string, sha: string, stagePre: string[] = []): ResolvedPackage => ({
    name,
    version: "1.0-1",
    architecture: "amd64",
    multiArch: "no",
    repository: 0,
    filename: `pool/main/${name}_1.0-1_amd64.deb`,
    uri: `http://127.0.0.1:8000/debian/pool/main/${name}_1.0-1_amd64.deb`,
    sha256: sha.repeat(64),
    size: 100,
    preDepends: stagePre,
    depends: [],
    source: { kind: "archive", name, version: "1.0-1", files: [] },
  });
  const resolution: AptResolution = {
    architecture: "amd64",
    installRecommends: false,
    repositories: [],
    basePackages: [],
    packages: [resolved("liba", "a"), resolved("app", "b", ["liba"])],
    stages: [["liba"], ["app"]],
    indexFiles: [],
  };

  it("fetches each .deb by checksum, merges them, and runs dpkg with no network on a read-only mount", () => {
    const state = installPackages(image("debian:bookworm"), resolution);
    const decoded = decode(marshal(state, { platform: parsePlatform("linux/amd64") }));
    const exec = decoded.head.op.exec;
    expect(exec.network).toBe(2); // pb.NetMode.NONE
    expect(exec.meta.user).toBe("0:0");
    expect(exec.meta.args.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    const debMount = exec.mounts.find((m) => m.dest === "/run/slipway/debs")!;
    expect(debMount.readonly).toBe(true);
    const mergeOp = inputOp(decoded, decoded.head, Number(debMount.input));
    expect(mergeOp.op.op).toBe("merge");
    const sources = mergeOp.op.inputs.map((i) => decoded.byDigest.get(i.digest)!.op.source);
    expect(sources.map((s) => [s.identifier, s.attrs.get("http.checksum"), s.attrs.get("http.filename")])).toEqual([
      ["http://127.0.0.1:8000/debian/pool/main/liba_1.0-1_amd64.deb", `sha256:${"a".repeat(64)}`, "liba_1.0-1_amd64.deb"],
      ["http://127.0.0.1:8000/debian/pool/main/app_1.0-1_amd64.deb", `sha256:${"b".repeat(64)}`, "app_1.0-1_amd64.deb"],
    ]);
    expect(decoded.head.metadata!.description.get("llb.customname")).toBe("[apt] dpkg --install 2 packages: app 1.0-1, liba 1.0-1");
    // No progress groups: a download that fails must show its own name (buildx shows a group as one vertex).
    expect(decoded.head.metadata!.has_progress_group).toBe(false);
    const fetchMeta = decoded.byDigest.get(mergeOp.op.inputs[0]!.digest)!.metadata!;
    expect(fetchMeta.has_progress_group).toBe(false);
    expect(fetchMeta.description.get("llb.customname")).toBe(
      "[apt] fetch liba 1.0-1 from http://127.0.0.1:8000/debian/pool/main/liba_1.0-1_amd64.deb (if it cannot be fetched: --build-arg SLIPWAY_MIRROR=<locked URL prefix>=<a copy>, --build-arg SLIPWAY_VENDOR=<image@sha256 made by --target vendor>, or re-lock)",
    );
    const script = exec.meta.args[2]!;
    expect(script.indexOf("liba_1.0-1_amd64.deb")).toBeLessThan(script.indexOf("app_1.0-1_amd64.deb"));
  });

  it("fetches from a mirror with the same checksums and file names; the name gives the URL used and the repository to mirror", () => {
    const withRepo: AptResolution = { ...resolution, repositories: [{ uri: "http://127.0.0.1:8000/debian", suite: "stable", components: ["main"], inRelease: { url: "http://127.0.0.1:8000/debian/dists/stable/InRelease", sha256: "c".repeat(64), size: 1 }, signedBy: { fingerprint: "d".repeat(40), userIds: [] } }] };
    const parsed = parseMirrors("http://127.0.0.1:8000/debian=http://127.0.0.1:9000/copy");
    const decoded = decode(marshal(installPackages(image("debian:bookworm"), withRepo, { mirrors: parsed.value ?? [] }), { platform: parsePlatform("linux/amd64") }));
    const debMount = decoded.head.op.exec.mounts.find((m) => m.dest === "/run/slipway/debs")!;
    const mergeOp = inputOp(decoded, decoded.head, Number(debMount.input));
    const fetches = mergeOp.op.inputs.map((i) => decoded.byDigest.get(i.digest)!);
    expect(fetches.map((f) => [f.op.source.identifier, f.op.source.attrs.get("http.checksum"), f.op.source.attrs.get("http.filename")])).toEqual([
      ["http://127.0.0.1:9000/copy/pool/main/liba_1.0-1_amd64.deb", `sha256:${"a".repeat(64)}`, "liba_1.0-1_amd64.deb"],
      ["http://127.0.0.1:9000/copy/pool/main/app_1.0-1_amd64.deb", `sha256:${"b".repeat(64)}`, "app_1.0-1_amd64.deb"],
    ]);
    expect(fetches[0]!.metadata!.description.get("llb.customname")).toBe(
      "[apt] fetch liba 1.0-1 from http://127.0.0.1:9000/copy/pool/main/liba_1.0-1_amd64.deb (if it cannot be fetched: --build-arg SLIPWAY_MIRROR=http://127.0.0.1:8000/debian=<a copy>, --build-arg SLIPWAY_VENDOR=<image@sha256 made by --target vendor>, or re-lock)",
    );
  });

  it("marshals to the same bytes every time", () => {
    const bytes = () => marshal(installPackages(image("debian:bookworm"), resolution), { platform: parsePlatform("linux/amd64") }).ops.map((o) => Buffer.from(o).toString("hex"));
    const first = bytes();
    for (let i = 0; i < 25; i++) expect(bytes()).toEqual(first);
  });

  it("returns the state unchanged when there is nothing to install", () => {
    const base = image("debian:bookworm");
    expect(installPackages(base, { ...resolution, packages: [], stages: [] })).toBe(base);
  });
});
