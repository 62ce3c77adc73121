import { describe, expect, test } from "vitest";
import {
  bomContentId,
  buildBom,
  readEstaleiroYaml,
  writeBomDocuments,
  writeBomJson,
  writeCycloneDx,
  writeEstaleiroYaml,
  writeSpdx,
  type Bom,
} from "../../frontend/bom/index.js";
import { parse } from "yaml";
import { debianInputs, scratchInputs, sha256Of } from "./fixtures.js";
import { cycloneDxErrors, spdxErrors, type SpdxDoc } from "./validate.js";

const fixtures: [string, () => Bom][] = [
  ["scratch image with tarball files", () => buildBom(scratchInputs())],
  ["debian image with packages, sources, vcs and every file origin", () => buildBom(debianInputs())],
];

describe.each(fixtures)("%s", (_, make) => {
  test("bom.spdx.json is valid SPDX 2.3 (official schema plus the spec's id, SHA1 and filesAnalyzed rules)", () => {
    expect(spdxErrors(writeSpdx(make()))).toEqual([]);
  });

  test("bom.cdx.json passes the CycloneDX library's strict 1.6 validator", async () => {
    expect(await cycloneDxErrors(writeCycloneDx(make()))).toEqual([]);
  });

  test("bom.yaml and bom.json read back into the same Bom", () => {
    const bom = make();
    expect(readEstaleiroYaml(writeEstaleiroYaml(bom))).toEqual(bom);
    expect(buildBom(JSON.parse(writeBomJson(bom)))).toEqual(bom);
  });

  test("every document is UTF-8 text ending in one newline", () => {
    for (const d of writeBomDocuments(make())) {
      expect(d.content.endsWith("\n")).toBe(true);
      expect(d.content.endsWith("\n\n")).toBe(false);
    }
  });
});

describe("validators catch what they should (so a pass means something)", () => {
  test("an SPDX file without SHA1 and a dangling relationship are reported", () => {
    const doc = JSON.parse(writeSpdx(buildBom(scratchInputs()))) as SpdxDoc;
    doc.files![0]!.checksums = doc.files![0]!.checksums.filter((c) => c.algorithm !== "SHA1");
    doc.relationships!.push({ spdxElementId: "SPDXRef-Image", relationshipType: "CONTAINS", relatedSpdxElement: "SPDXRef-nowhere" });
    const errors = spdxErrors(JSON.stringify(doc));
    expect(errors).toContain(`file ${doc.files![0]!.fileName} has no SHA1`);
    expect(errors).toContain("relationship to unknown element SPDXRef-nowhere");
  });

  test("a CycloneDX serialNumber that is not a UUID is reported", async () => {
    const doc = JSON.parse(writeCycloneDx(buildBom(scratchInputs())));
    doc.serialNumber = "urn:uuid:not-a-uuid";
    expect((await cycloneDxErrors(JSON.stringify(doc))).join("\n")).toMatch(/serialNumber/);
  });
});

describe("SPDX content", () => {
  const bom = buildBom(debianInputs());
  const doc = JSON.parse(writeSpdx(bom)) as SpdxDoc;
  const rel = (a: string, type: string) => doc.relationships!.filter((r) => r.spdxElementId === a && r.relationshipType === type).map((r) => r.relatedSpdxElement);
  const pkg = (name: string, version: string) => doc.packages!.find((p) => p.name === name && p.versionInfo === version)!;

  test("the namespace and creation time come from the content and SOURCE_DATE_EPOCH, not the clock", () => {
    expect(doc.documentNamespace).toBe(`https://slipway.dev/spdx/example-app-${bomContentId(bom)}`);
    expect(bomContentId(bom)).toBe(sha256Of(writeBomJson(bom)));
    expect(doc.creationInfo.created).toBe("2023-11-14T22:13:20Z");
    const noEpoch = JSON.parse(writeSpdx(buildBom(scratchInputs()))) as SpdxDoc;
    expect(noEpoch.creationInfo.created).toBe("1970-01-01T00:00:00Z");
  });

  test("the image is described, contains every package in it and every file, and descends from the base", () => {
    expect(rel("SPDXRef-DOCUMENT", "DESCRIBES")).toEqual(["SPDXRef-Image"]);
    expect(rel("SPDXRef-Image", "DESCENDANT_OF")).toEqual(["SPDXRef-BaseImage"]);
    const contained = rel("SPDXRef-Image", "CONTAINS");
    const names = contained.map((id) => [...doc.packages!, ...doc.files!].find((x) => x.SPDXID === id)).map((x) => ("fileName" in x! ? x.fileName : `${x!.name} ${(x as { versionInfo?: string }).versionInfo}`));
    expect(names.sort()).toEqual(
      [
        "./etc/app/app.conf",
        "./usr/bin/tini",
        "./usr/local/bin/app",
        "./usr/local/bin/jq",
        "./usr/local/bin/tool",
        "./usr/share/doc/app/README.md",
        "base-files 12.4+deb12u5",
        "bsdutils 1:2.38.1-5+b1",
        "curl 7.88.1-10+deb12u5",
        "debian 12",
        "docker-ce-cli 5:27.3.1-1~debian.12~bookworm",
        "libc6 2.36-9+deb12u7",
        "libcurl4 7.88.1-10+deb12u5",
        "tzdata 2024a-0+deb12u1",
      ].sort(),
    );
    // The base's own libc6, replaced by the build, belongs to the base image only.
    expect(rel("SPDXRef-BaseImage", "CONTAINS")).toContain(pkg("libc6", "2.36-9+deb12u3").SPDXID);
    expect(contained).not.toContain(pkg("libc6", "2.36-9+deb12u3").SPDXID);
  });

  test("binary packages are generated from their source packages, with arch=source purls", () => {
    const libcurl = pkg("libcurl4", "7.88.1-10+deb12u5");
    const [sourceId] = rel(libcurl.SPDXID, "GENERATED_FROM");
    const source = doc.packages!.find((p) => p.SPDXID === sourceId)!;
    expect(source).toMatchObject({ name: "curl", versionInfo: "7.88.1-10+deb12u5", primaryPackagePurpose: "SOURCE" });
    expect(source.downloadLocation).toBe("http://deb.example.test/debian/pool/main/c/curl/curl_7.88.1-10+deb12u5.dsc");
    expect(source.externalRefs![0]!.referenceLocator).toBe("pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=source&distro=debian-12");
    expect(libcurl.externalRefs![0]!.referenceLocator).toBe("pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12&upstream=curl");
    const docker = pkg("docker-ce-cli", "5:27.3.1-1~debian.12~bookworm");
    const dockerSource = doc.packages!.find((p) => p.SPDXID === rel(docker.SPDXID, "GENERATED_FROM")[0])!;
    expect(dockerSource.downloadLocation).toBe("git+https://github.com/docker/cli@ce1223035ac3ab8922717092e63a184cf67b493d");
  });

  test("files have SHA1 and SHA256 and relate to their origin", () => {
    const tool = doc.files!.find((f) => f.fileName === "./usr/local/bin/tool")!;
    expect(tool.checksums.map((c) => c.algorithm)).toEqual(["SHA1", "SHA256"]);
    const [tarballId] = rel(tool.SPDXID, "EXPANDED_FROM_ARCHIVE");
    const tarball = doc.packages!.find((p) => p.SPDXID === tarballId)!;
    expect(tarball.checksums).toEqual([{ algorithm: "SHA256", checksumValue: sha256Of("dist/tool.tgz") }]);
    const [sourceId] = rel(tool.SPDXID, "GENERATED_FROM");
    expect(doc.packages!.find((p) => p.SPDXID === sourceId)!.downloadLocation).toBe("git+https://github.com/example/tool@0123456789abcdef0123456789abcdef01234567");
    const jq = doc.files!.find((f) => f.fileName === "./usr/local/bin/jq")!;
    expect(doc.packages!.find((p) => p.SPDXID === rel(jq.SPDXID, "GENERATED_FROM")[0])!.downloadLocation).toBe(
      "https://github.com/jqlang/jq/releases/download/jq-1.7.1/jq-linux-amd64",
    );
  });
});

describe("CycloneDX content", () => {
  const bom = buildBom(debianInputs());
  const doc = JSON.parse(writeCycloneDx(bom));
  const component = (ref: string) => doc.components.find((c: { "bom-ref": string }) => c["bom-ref"] === ref);

  test("serialNumber is a version-5-shaped UUID from the content hash", () => {
    const id = bomContentId(bom);
    expect(doc.serialNumber).toBe(`urn:uuid:${id.slice(0, 8)}-${id.slice(8, 12)}-5${id.slice(13, 16)}-${((parseInt(id[16]!, 16) & 3) | 8).toString(16)}${id.slice(17, 20)}-${id.slice(20, 32)}`);
    expect(doc.metadata.timestamp).toBe("2023-11-14T22:13:20Z");
  });

  test("packages carry purls, hashes and their source package as pedigree ancestor", () => {
    const curl = component("pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12");
    expect(curl.hashes).toEqual([{ alg: "SHA-256", content: bom.packages.find((p) => p.name === "curl")!.location.sha256 }]);
    expect(curl.pedigree.ancestors[0].purl).toBe("pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=source&distro=debian-12");
    expect(curl.pedigree.ancestors[0].externalReferences.map((r: { type: string }) => r.type)).toEqual(["source-distribution", "source-distribution", "source-distribution"]);
    expect(component("pkg:deb/debian/libc6@2.36-9%2Bdeb12u3?arch=amd64&distro=debian-12")).toBeUndefined();
  });

  test("dependencies: the image on the base, the OS and every package; the base on what it still provides", () => {
    const image = doc.dependencies.find((d: { ref: string }) => d.ref === "image");
    expect(image.dependsOn.map((ref: string) => ref.replace(/\?.*$/, ""))).toEqual([
      "base-image",
      "os",
      "pkg:deb/debian/base-files@12.4%2Bdeb12u5",
      "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bb1",
      "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5",
      "pkg:deb/debian/docker-ce-cli@5:27.3.1-1~debian.12~bookworm",
      "pkg:deb/debian/libc6@2.36-9%2Bdeb12u7",
      "pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u5",
      "pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1",
    ]);
    const base = doc.dependencies.find((d: { ref: string }) => d.ref === "base-image");
    expect(base.dependsOn).toEqual([
      "os",
      "pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12",
      "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bb1?arch=amd64&distro=debian-12&upstream=util-linux%402.38.1-5",
      "pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all&distro=debian-12",
    ]);
  });

  test("files are file components with both hashes and their origin as properties", () => {
    const tool = component("file:/usr/local/bin/tool");
    expect(tool.hashes.map((h: { alg: string }) => h.alg)).toEqual(["SHA-1", "SHA-256"]);
    const props = Object.fromEntries(tool.properties.map((p: { name: string; value: string }) => [p.name, p.value]));
    expect(props).toMatchObject({
      "slipway:file:mode": "0755",
      "slipway:origin:kind": "tarball",
      "slipway:origin:tarball": "dist/tool.tgz",
      "slipway:origin:tarball-sha256": sha256Of("dist/tool.tgz"),
      "slipway:origin:member": "bin/tool",
    });
  });
});

describe("bom.yaml keeps estaleiro's final format", () => {
  // Every field of estaleiro's bom/bom.go (reference notes §3.1), by path.
  const estaleiroFields = {
    top: ["base_image", "changeset"],
    base_image: ["canonical_name", "os", "version", "codename", "packages"],
    changeset: ["files", "packages"],
    package: ["name", "version", "source_package", "architecture"],
    addedPackage: ["name", "version", "source_package", "architecture", "location", "sources"],
    externalResource: ["uri", "digest", "name"],
    file: ["path", "digest", "source"],
    git: ["repository_uri", "ref"],
  };
  const tree = parse(writeEstaleiroYaml(buildBom(debianInputs())));

  test("every field of §3.1 is present, in estaleiro's order, before any addition", () => {
    const startsWith = (o: object, keys: string[]) => expect(Object.keys(o).slice(0, keys.length)).toEqual(keys);
    startsWith(tree, estaleiroFields.top);
    startsWith(tree.base_image, estaleiroFields.base_image);
    startsWith(tree.changeset, estaleiroFields.changeset);
    for (const p of tree.base_image.packages) expect(Object.keys(p)).toEqual(estaleiroFields.package);
    for (const p of tree.changeset.packages) {
      startsWith(p, estaleiroFields.addedPackage);
      startsWith(p.location, estaleiroFields.externalResource);
      for (const s of p.sources) {
        const [kind] = Object.keys(s);
        if (kind === "external_resource") startsWith(s.external_resource, estaleiroFields.externalResource);
        else startsWith(s.git, estaleiroFields.git);
      }
    }
    for (const f of tree.changeset.files) startsWith(f, estaleiroFields.file);
  });

  test("digests are labelled sha256, never md5", () => {
    const text = writeEstaleiroYaml(buildBom(debianInputs()));
    expect(text).not.toMatch(/md5:/);
    expect(tree.changeset.packages[0].location.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(tree.changeset.files[0].digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test("source_package is dpkg's Source field: empty, a name, or name (version)", () => {
    const byName = Object.fromEntries(tree.base_image.packages.map((p: { name: string; source_package: string }) => [p.name, p.source_package]));
    expect(byName).toEqual({ "base-files": "", bsdutils: "util-linux (2.38.1-5)", libc6: "glibc", tzdata: "" });
  });

  test("scratch has empty base fields and an empty package list", () => {
    const scratch = parse(writeEstaleiroYaml(buildBom(scratchInputs())));
    expect(scratch.base_image).toEqual({ canonical_name: "scratch", os: "", version: "", codename: "", packages: [] });
    expect(writeEstaleiroYaml(buildBom(scratchInputs()))).toContain("packages: []");
  });
});
