import { describe, expect, it } from "vitest";
import { buildBom, isBomInputError, readBomJson, renderBomSummary, writeBomJson, writeCycloneDx, writeSpdx, type BomInputs } from "../../frontend/bom/index.js";
import { maintainerParty, spdxParty } from "../../frontend/bom/supplier.js";
import { debianInputs } from "./fixtures.js";
import { cycloneDxErrors, spdxErrors } from "./validate.js";

/** The facts the worker reads per package (maintainer, dependencies, licence) as each document states them. */
function withFacts(): BomInputs {
  const i = debianInputs();
  const facts: Record<string, Partial<BomInputs["packages"] extends readonly (infer P)[] | undefined ? P : never>> = {
    curl: {
      maintainer: "Alessandro Ghedini <ghedo@debian.org>",
      dependsOn: ["libc6:amd64", "libcurl4:amd64"],
      licence: { declared: "curl AND LicenseRef-public-domain", from: "dep5" },
    },
    libcurl4: { maintainer: "Alessandro Ghedini <ghedo@debian.org>", dependsOn: ["libc6:amd64"], licence: { declared: "curl", from: "dep5" } },
    libc6: { maintainer: "GNU Libc Maintainers <debian-glibc@lists.debian.org>", dependsOn: [], licence: { declared: "NOASSERTION", from: "unreadable" } },
  };
  return {
    ...i,
    declaration: { ...i.declaration, packages: ["curl", "docker-ce-cli"] },
    packages: i.packages!.map((p) => ({ ...p, ...facts[p.name] })),
    base: i.base.kind === "image" ? { ...i.base, packages: i.base.packages!.map((p) => (p.name === "bsdutils" ? { ...p, dependsOn: ["libc6:amd64"] } : p)) } : i.base,
    licences: [{ id: "LicenseRef-public-domain", name: "public-domain", text: "This file is in the public domain." }],
  };
}

type Spdx = {
  packages: { SPDXID: string; name: string; supplier?: string; originator?: string; licenseDeclared: string; externalRefs?: { referenceLocator: string }[] }[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
  hasExtractedLicensingInfos?: { licenseId: string; extractedText: string }[];
};

describe("package facts in the documents", () => {
  const bom = buildBom(withFacts());

  it("round-trip through bom.json", () => {
    expect(readBomJson(writeBomJson(bom))).toEqual(bom);
    expect(bom.declaration.packages).toEqual(["curl", "docker-ce-cli"]);
  });

  it("SPDX: DEPENDS_ON from each package and from the image, supplier, originator, licenseDeclared, extracted texts", () => {
    const text = writeSpdx(bom);
    expect(spdxErrors(text)).toEqual([]);
    const doc = JSON.parse(text) as Spdx;
    const contained = new Set(doc.relationships.filter((r) => r.spdxElementId === "SPDXRef-Image" && r.relationshipType === "CONTAINS").map((r) => r.relatedSpdxElement));
    const byName = (name: string) => doc.packages.find((p) => p.name === name && contained.has(p.SPDXID))!;
    const curl = byName("curl");
    const dependsOn = (id: string) => doc.relationships.filter((r) => r.spdxElementId === id && r.relationshipType === "DEPENDS_ON").map((r) => r.relatedSpdxElement);
    expect(dependsOn(curl.SPDXID).sort()).toEqual([byName("libc6").SPDXID, byName("libcurl4").SPDXID].sort());
    expect(dependsOn("SPDXRef-Image").sort()).toEqual([curl.SPDXID, byName("docker-ce-cli").SPDXID].sort());
    // the image's libc6 is the one the build installed: a base package depends within the image
    expect(dependsOn(byName("bsdutils").SPDXID)).toEqual([byName("libc6").SPDXID]);
    expect(curl.supplier).toBe("Organization: Debian");
    expect(curl.originator).toBe("Person: Alessandro Ghedini (ghedo@debian.org)");
    expect(byName("libc6").originator).toBe("Organization: GNU Libc Maintainers (debian-glibc@lists.debian.org)");
    expect(curl.licenseDeclared).toBe("curl AND LicenseRef-public-domain");
    expect(byName("libc6").licenseDeclared).toBe("NOASSERTION");
    expect(doc.hasExtractedLicensingInfos).toEqual([{ licenseId: "LicenseRef-public-domain", name: "public-domain", extractedText: "This file is in the public domain." }]);
    for (const p of doc.packages) expect(p.supplier, p.SPDXID).toBeDefined();
  });

  it("CycloneDX: a dependencies entry for every component, supplier, authors and licenses", async () => {
    const text = writeCycloneDx(bom);
    expect(await cycloneDxErrors(text)).toEqual([]);
    const doc = JSON.parse(text);
    const refs = new Set(doc.dependencies.map((d: { ref: string }) => d.ref));
    for (const c of doc.components) expect(refs.has(c["bom-ref"]), c["bom-ref"]).toBe(true);
    const curl = doc.components.find((c: { name: string }) => c.name === "curl");
    expect(curl.supplier).toEqual({ name: "Debian" });
    expect(curl.authors).toEqual([{ name: "Alessandro Ghedini", email: "ghedo@debian.org" }]);
    expect(curl.licenses).toEqual([{ expression: "curl AND LicenseRef-public-domain" }]);
    const curlDeps = doc.dependencies.find((d: { ref: string }) => d.ref === curl["bom-ref"]).dependsOn;
    expect(curlDeps.map((r: string) => r.replace(/@.*/, ""))).toEqual(["pkg:deb/debian/libc6", "pkg:deb/debian/libcurl4"]);
    const image = doc.dependencies.find((d: { ref: string }) => d.ref === "image").dependsOn;
    expect(image.map((r: string) => r.replace(/@.*/, ""))).toEqual(["base-image", "os", "pkg:deb/debian/curl", "pkg:deb/debian/docker-ce-cli"]);
  });

  it("buildBom refuses a LicenseRef with no text, and an expression that is not SPDX", () => {
    const i = withFacts();
    const refused = (inputs: BomInputs) => {
      try {
        buildBom(inputs);
        return "";
      } catch (e) {
        if (!isBomInputError(e)) throw e;
        return e.message;
      }
    };
    expect(refused({ ...i, licences: [] })).toMatch(/curl declares LicenseRef-public-domain, which has no entry/);
    expect(refused({ ...i, packages: i.packages!.map((p) => (p.name === "curl" ? { ...p, licence: { declared: "GPL-2+", from: "dep5" as const } } : p)) })).toMatch(
      /must be an SPDX licence expression or NOASSERTION, got "GPL-2\+"/,
    );
  });

  it("the summary counts packages and licences", () => {
    const summary = renderBomSummary(bom);
    expect(summary).toMatch(/^Packages\s+7 \(3 from the base image, 4 added\)$/m);
    expect(summary).toMatch(/^Licences\s+declared for 2 of \d+ packages/m);
    expect(summary).toMatch(/^\s+2 {2}curl$/m);
    expect(summary).toMatch(/^Asked for\s+curl docker-ce-cli$/m);
  });
});

describe("maintainers as SPDX parties", () => {
  it.each([
    ["Alessandro Ghedini <ghedo@debian.org>", "Person: Alessandro Ghedini (ghedo@debian.org)"],
    ["Debian Python Team <team+python@tracker.debian.org>", "Organization: Debian Python Team (team+python@tracker.debian.org)"],
    ["Debconf Developers <debconf-devel@lists.alioth.debian.org>", "Organization: Debconf Developers (debconf-devel@lists.alioth.debian.org)"],
    ["Someone (nickname) <x@example.org>", "Person: Someone [nickname] (x@example.org)"],
  ])("%s", (maintainer, party) => {
    expect(spdxParty(maintainerParty(maintainer))).toBe(party);
  });
});
