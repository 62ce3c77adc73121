import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decode, inputOp } from "../../test/llb/decode.js";
import { http, image, marshal, parsePlatform } from "../../llb/index.js";
import { installPackages } from "./install-llb.js";
import { debFileName } from "./install-plan.js";
import type { AptLock } from "./lock-schema.js";
import type { AptResolution, ResolvedPackage } from "./resolution.js";
import { parseVendorRef, vendoredPackages, vendorImageState, verifyScript } from "./vendor.js";

const digest = `sha256:${"e".repeat(64)}`;

function pkg(name: string, sha: string): ResolvedPackage {
  return {
    name,
    version: "1:1.0-1",
    architecture: "amd64",
    multiArch: "no",
    repository: 0,
    filename: `pool/main/${name}_1.0-1_amd64.deb`,
    uri: `http://127.0.0.1:8000/debian/pool/main/${name}_1.0-1_amd64.deb`,
    sha256: sha,
    size: 1,
    preDepends: [],
    depends: [],
    source: { kind: "archive", name, version: "1.0-1", files: [] },
  };
}

describe("parseVendorRef", () => {
  it("takes a reference pinned by digest, with or without a tag", () => {
    expect(parseVendorRef(`127.0.0.1:5000/debs@${digest}`)).toEqual({ value: `127.0.0.1:5000/debs@${digest}`, diagnostics: [] });
    expect(parseVendorRef(` registry.example/team/debs:v1@${digest} `)).toEqual({ value: `registry.example/team/debs:v1@${digest}`, diagnostics: [] });
  });

  it("refuses a value that pins nothing or is no reference", () => {
    expect(parseVendorRef("")).toMatchObject({ value: undefined, diagnostics: [{ severity: "error", summary: "Malformed vendor reference", detail: "is empty" }] });
    expect(parseVendorRef("127.0.0.1:5000/debs:latest")).toMatchObject({ value: undefined, diagnostics: [{ severity: "error", summary: "Malformed vendor reference", detail: `"127.0.0.1:5000/debs:latest" has no digest` }] });
    expect(parseVendorRef("debs@sha256:abc")).toMatchObject({ value: undefined, diagnostics: [{ detail: expect.stringContaining("64 lowercase hex") }] });
    expect(parseVendorRef(`Debs/UPPER@${digest}`)).toMatchObject({ value: undefined, diagnostics: [{ detail: expect.stringContaining("is not an image reference") }] });
    expect(parseVendorRef(`x@${digest}`.padStart(2000, "a"))).toMatchObject({ value: undefined, diagnostics: [{ detail: expect.stringContaining("more than 1024") }] });
  });
});

describe("the vendored image", () => {
  const entry = (packages: ResolvedPackage[], architecture: string): AptLock =>
    ({ image: "app", architecture, installRecommends: false, requests: [], repositories: [], stages: [], packages }) as unknown as AptLock;

  it("lists every locked package once, by sha256, whatever image or architecture names it", () => {
    const listed = vendoredPackages([entry([pkg("b", "b".repeat(64)), pkg("a", "c".repeat(64))], "amd64"), entry([pkg("b", "b".repeat(64)), pkg("z", "a".repeat(64))], "arm64")]);
    expect(listed.map((p) => [p.name, p.sha256[0]])).toEqual([["z", "a"], ["b", "b"], ["a", "c"]]);
  });

  it("copies each download to /sha256/<hex>, with the index, every time the epoch", () => {
    const packages = vendoredPackages([entry([pkg("b", "b".repeat(64)), pkg("a", "a".repeat(64))], "amd64")]);
    const decoded = decode(marshal(vendorImageState(packages, (p) => http(p.uri, { checksum: `sha256:${p.sha256}`, filename: debFileName(p) }), 1717200000), { platform: parsePlatform("linux/amd64") }));
    const actions = decoded.head.op.file.actions;
    const copies = actions.filter((a) => a.has_copy).map((a) => [a.copy.src, a.copy.dest]);
    expect(copies.slice(0, 2)).toEqual([
      ["/a_1%3a1.0-1_amd64.deb", `/sha256/${"a".repeat(64)}`],
      ["/b_1%3a1.0-1_amd64.deb", `/sha256/${"b".repeat(64)}`],
    ]);
    const times = actions.map((a) => String((a.has_copy ? a.copy : a.has_mkfile ? a.mkfile : a.mkdir).timestamp));
    expect(new Set(times)).toEqual(new Set(["1717200000000000000"]));
    const index = JSON.parse(Buffer.from(actions.find((a) => a.has_mkfile)!.mkfile.data).toString()) as { slipwayVendor: number; packages: { name: string }[] };
    expect(index.slipwayVendor).toBe(1);
    expect(index.packages.map((p) => p.name)).toEqual(["a", "b"]);
  });
});

describe("installing from a vendored image", () => {
  const resolution: AptResolution = {
    architecture: "amd64",
    installRecommends: false,
    repositories: [],
    basePackages: [],
    packages: [pkg("liba", "a".repeat(64)), pkg("app", "b".repeat(64))],
    stages: [["liba", "app"]],
    indexFiles: [],
  };

  it("mounts copies taken from the image by sha256, and checks them before dpkg runs", () => {
    const vendor = image(`127.0.0.1:5000/debs@${digest}`);
    const decoded = decode(marshal(installPackages(image("debian:bookworm"), resolution, { vendor }), { platform: parsePlatform("linux/amd64") }));
    const exec = decoded.head.op.exec;
    const mount = exec.mounts.find((m) => m.dest === "/run/slipway/debs")!;
    const files = inputOp(decoded, decoded.head, Number(mount.input));
    expect(files.op.file.actions.map((a) => [a.copy.src, a.copy.dest])).toEqual([
      [`/sha256/${"a".repeat(64)}`, "/liba_1%3a1.0-1_amd64.deb"],
      [`/sha256/${"b".repeat(64)}`, "/app_1%3a1.0-1_amd64.deb"],
    ]);
    expect(JSON.stringify([...decoded.byDigest.values()].map((o) => o.op.source?.identifier ?? ""))).not.toContain("http");
    const script = exec.meta.args[2]!;
    expect(script.indexOf("sha256sum -c")).toBeGreaterThanOrEqual(0);
    expect(script.indexOf("sha256sum -c")).toBeLessThan(script.indexOf("dpkg "));
  });

  it("the check passes the locked bytes and stops at the first other file, naming its package", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-vendor-"));
    const good = Buffer.from("liba's bytes");
    const packages = [pkg("liba", createHash("sha256").update(good).digest("hex")), pkg("app", createHash("sha256").update("app's bytes").digest("hex"))];
    writeFileSync(join(dir, debFileName(packages[0]!)), good);
    writeFileSync(join(dir, debFileName(packages[1]!)), "other bytes");
    const run = (list: ResolvedPackage[]) => spawnSync("/bin/sh", ["-c", verifyScript(list, dir)], { encoding: "utf8" });
    expect(run([packages[0]!]).status).toBe(0);
    const bad = run(packages);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(`slipway: app 1:1.0-1 (app_1%3a1.0-1_amd64.deb) in the vendored image is not the locked sha256:${packages[1]!.sha256}; re-make the image with --target vendor\n`);
  });
});
