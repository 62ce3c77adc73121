import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runBomCommand } from "../../frontend/cli/commands/bom.js";
import { cycloneDxErrors } from "../bom/validate.js";
import { buildx, dockerRun, REPO, scratchDir } from "./harness.js";

/**
 * Issue 12 on examples/debian-tools: a BOM that scanners and auditors use without help. The dependency
 * graph is checked against dpkg in the image, the NTIA minimum elements against both documents, the SPDX
 * document against the SPDX project's own validator (scripts/spdx-tools.sh installs Debian's
 * python3-spdx-tools), the CycloneDX document against the CycloneDX library's 1.6 validator.
 */
const dir = join(REPO, "examples/debian-tools");
const tag = "slipway-e2e/debian-tools:bom-scan";

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  supplier?: string;
  originator?: string;
  licenseDeclared: string;
  externalRefs?: { referenceType: string; referenceLocator: string }[];
}
interface Spdx {
  creationInfo: { created: string; creators: string[] };
  packages: SpdxPackage[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
  hasExtractedLicensingInfos?: { licenseId: string; extractedText: string }[];
}
interface CdxComponent {
  type: string;
  "bom-ref": string;
  name: string;
  version?: string;
  supplier?: { name: string };
  licenses?: { expression: string }[];
  purl?: string;
}

let exported: string;
let spdxText: string;
let spdx: Spdx;
let cdx: { metadata: { timestamp: string; tools: { components: unknown[] }; component: CdxComponent }; components: CdxComponent[]; dependencies: { ref: string; dependsOn: string[] }[] };
/** The image's packages: SPDXIDs of the binary packages the image CONTAINS, by package name. */
let inImage: Map<string, SpdxPackage>;

beforeAll(async () => {
  const built = await buildx(dir, { viaBuildArg: true, tag });
  expect(built.code, built.output.slice(-4000)).toBe(0);
  exported = scratchDir("bom-scan-debian-tools");
  const r = await buildx(dir, { viaBuildArg: true, target: "bom", output: `type=local,dest=${exported}` });
  expect(r.code, r.output.slice(-4000)).toBe(0);
  spdxText = readFileSync(join(exported, "bom.spdx.json"), "utf8");
  spdx = JSON.parse(spdxText) as Spdx;
  cdx = JSON.parse(readFileSync(join(exported, "bom.cdx.json"), "utf8"));
  const contained = new Set(spdx.relationships.filter((x) => x.spdxElementId === "SPDXRef-Image" && x.relationshipType === "CONTAINS").map((x) => x.relatedSpdxElement));
  inImage = new Map(spdx.packages.filter((p) => contained.has(p.SPDXID) && p.externalRefs?.some((e) => e.referenceLocator.startsWith("pkg:deb/"))).map((p) => [p.name, p]));
}, 1_200_000);

describe("examples/debian-tools: a BOM scanners and auditors can use", () => {
  it("has the dependency graph dpkg-query shows in the image, alternatives resolved to what is installed", () => {
    const rows = dockerRun(tag, ["dpkg-query", "-W", "-f", "${Package}\\t${Pre-Depends}\\t${Depends}\\t${Provides}\\n"], ["--entrypoint", ""])
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.split("\t"));
    const installed = new Set(rows.map((r) => r[0]!));
    const provider = new Map<string, string>();
    for (const [name, , , provides] of rows) for (const p of (provides ?? "").split(",").map((x) => x.trim().split(/[\s(]/)[0]!).filter((x) => x)) if (!provider.has(p)) provider.set(p, name!);
    // Each comma group holds when one `|` alternative is installed, by name or through Provides.
    const expected = new Set<string>();
    for (const [name, pre, dep] of rows) {
      for (const group of [pre, dep].join(",").split(",").map((g) => g.trim()).filter((g) => g)) {
        const alternatives = group.split("|").map((a) => a.trim().split(/[\s(:]/)[0]!);
        const hit = alternatives.find((a) => installed.has(a)) ?? alternatives.map((a) => provider.get(a)).find((p) => p !== undefined);
        expect(hit, `${name}: ${group}`).toBeDefined();
        expected.add(`${name} -> ${hit}`);
      }
    }
    const nameOf = new Map([...inImage.values()].map((p) => [p.SPDXID, p.name]));
    const stated = new Set(
      spdx.relationships
        .filter((x) => x.relationshipType === "DEPENDS_ON" && nameOf.has(x.spdxElementId))
        .map((x) => `${nameOf.get(x.spdxElementId)} -> ${nameOf.get(x.relatedSpdxElement)}`),
    );
    expect([...inImage.keys()].sort()).toEqual([...installed].sort());
    expect([...stated].sort()).toEqual([...expected].sort());
    console.log(`debian-tools: ${installed.size} packages, ${expected.size} dependency edges, as dpkg-query shows them`);

    // CycloneDX states the same graph, by purl
    const byRef = new Map(cdx.components.map((c) => [c["bom-ref"], c.name]));
    const cdxEdges = cdx.dependencies.filter((d) => byRef.has(d.ref) && d.ref.startsWith("pkg:deb/")).flatMap((d) => d.dependsOn.map((to) => `${byRef.get(d.ref)} -> ${byRef.get(to)}`));
    expect(cdxEdges.sort()).toEqual([...expected].sort());
    // the image depends on what the declaration asked for
    const asked = ["ca-certificates", "curl", "git", "jq", "openssh-client"];
    const imageDeps = spdx.relationships.filter((x) => x.spdxElementId === "SPDXRef-Image" && x.relationshipType === "DEPENDS_ON").map((x) => nameOf.get(x.relatedSpdxElement));
    expect(imageDeps.sort()).toEqual(asked);
    expect(cdx.dependencies.find((d) => d.ref === "image")!.dependsOn.filter((r) => r.startsWith("pkg:deb/")).map((r) => byRef.get(r)).sort()).toEqual(asked);
  });

  it("has every NTIA minimum element for every component, in SPDX and in CycloneDX", async () => {
    // BOM author and timestamp
    expect(spdx.creationInfo.creators.some((c) => c.startsWith("Tool: slipway-"))).toBe(true);
    expect(spdx.creationInfo.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(cdx.metadata.tools.components.length).toBeGreaterThan(0);
    expect(cdx.metadata.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    // SPDX: supplier, name, version, unique id and a relationship for every package; Debian's are supplied by Debian
    const related = new Set(spdx.relationships.flatMap((x) => [x.spdxElementId, x.relatedSpdxElement]));
    expect(new Set(spdx.packages.map((p) => p.SPDXID)).size).toBe(spdx.packages.length);
    for (const p of spdx.packages) {
      expect(p.supplier, p.SPDXID).toBeDefined();
      expect(p.name, p.SPDXID).not.toBe("");
      expect(related.has(p.SPDXID), p.SPDXID).toBe(true);
      // the image itself has no version until it is tagged; every component of it has one
      if (p.SPDXID !== "SPDXRef-Image") expect(p.versionInfo, p.SPDXID).toBeTruthy();
      if (p.externalRefs?.some((e) => e.referenceLocator.startsWith("pkg:deb/"))) {
        expect(p.supplier, p.SPDXID).toBe("Organization: Debian");
        expect(p.originator ?? "", p.SPDXID).toMatch(/^(Person|Organization): /);
      }
    }
    // CycloneDX: the same, and a dependencies entry (empty for a leaf) for every component
    const refs = new Set(cdx.dependencies.map((d) => d.ref));
    expect(new Set(cdx.components.map((c) => c["bom-ref"])).size).toBe(cdx.components.length);
    for (const c of [cdx.metadata.component, ...cdx.components]) {
      expect(refs.has(c["bom-ref"]), c["bom-ref"]).toBe(true);
      expect(c.name, c["bom-ref"]).not.toBe("");
      if (c !== cdx.metadata.component) expect(c.version, c["bom-ref"]).toBeTruthy();
      if (c.type === "library" || c.type === "operating-system") expect(c.supplier?.name, c["bom-ref"]).toBe("Debian");
    }
  });

  it("declares a licence other than NOASSERTION for most packages, with LicenseRef texts", () => {
    const packages = [...inImage.values()];
    const declared = packages.filter((p) => p.licenseDeclared !== "NOASSERTION");
    const share = declared.length / packages.length;
    console.log(`debian-tools: declared licence for ${declared.length} of ${packages.length} packages (${(100 * share).toFixed(1)} %)`);
    // 105 of the 124 copyright files are DEP-5; of the rest only those whose every grant is a
    // common-licenses pointer or public domain count (bench/RESULTS.md lists what stays NOASSERTION and why)
    expect(share).toBeGreaterThanOrEqual(0.9);
    expect(inImage.get("libsemanage2")!.licenseDeclared).toBe("GPL-2.0-only AND LGPL-2.1-or-later");
    expect(inImage.get("libkrb5-3")!.licenseDeclared).toBe("NOASSERTION");
    expect(inImage.get("curl")!.licenseDeclared).toMatch(/(^| )curl( |$)/);
    expect(inImage.get("zlib1g")!.licenseDeclared).toBe("Zlib");
    const refs = new Set(spdx.hasExtractedLicensingInfos!.map((l) => l.licenseId));
    for (const p of packages) for (const ref of p.licenseDeclared.match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? []) expect(refs.has(ref), `${p.name}: ${ref}`).toBe(true);
    const curl = cdx.components.find((c) => c.name === "curl")!;
    expect(curl.licenses).toEqual([{ expression: inImage.get("curl")!.licenseDeclared }]);
  });

  it("passes the SPDX project's validator with no message, and the CycloneDX 1.6 validator", async () => {
    const pyspdxtools = execFileSync(join(REPO, "scripts/spdx-tools.sh"), { encoding: "utf8", timeout: 600_000 }).trim();
    const r = spawnSync(pyspdxtools, ["-i", join(exported, "bom.spdx.json")], { encoding: "utf8", timeout: 300_000 });
    expect({ status: r.status, output: `${r.stdout}${r.stderr}` }).toEqual({ status: 0, output: "" });
    expect(await cycloneDxErrors(readFileSync(join(exported, "bom.cdx.json"), "utf8"))).toEqual([]);
  });

  it("names the source package in the purl where it differs: libcurl4 carries upstream=curl", () => {
    const purl = (name: string) => inImage.get(name)!.externalRefs!.find((e) => e.referenceType === "purl")!.referenceLocator;
    expect(purl("libcurl4")).toMatch(/^pkg:deb\/debian\/libcurl4@[^?]+\?arch=amd64&distro=debian-12&upstream=curl$/);
    expect(purl("curl")).not.toMatch(/upstream=/);
    expect(cdx.components.find((c) => c.name === "libcurl4")!.purl).toBe(purl("libcurl4"));
  });

  it("`slipway bom DIR` prints the summary; --format yaml prints estaleiro's document", async () => {
    let stdout = "";
    expect(await runBomCommand([exported], { stdout: (t) => (stdout += t), stderr: () => {} })).toBe(0);
    expect(stdout).toMatch(/^Packages\s+\d+ \(\d+ from the base image, \d+ added\)$/m);
    expect(stdout).toMatch(/^Licences\s+declared for \d+ of \d+ packages/m);
    expect(stdout.length).toBeLessThan(4096);
    let yaml = "";
    expect(await runBomCommand(["--format", "yaml", exported], { stdout: (t) => (yaml += t), stderr: () => {} })).toBe(0);
    expect(yaml).toBe(readFileSync(join(exported, "bom.yaml"), "utf8"));
  });
});
