import fc from "fast-check";
import { expect, test } from "vitest";
import { buildBom, readBomJson, readEstaleiroYaml, writeBomJson, writeCycloneDx, writeEstaleiroYaml, writeSpdx, type BomInputs } from "../../frontend/bom/index.js";
import { sha1Of, sha256Of } from "./fixtures.js";
import { cycloneDxErrors, spdxErrors } from "./validate.js";

// Names, versions and paths with the characters that trip writers up: Debian epochs and `+~.`, spaces,
// quotes and non-ASCII in paths, YAML-looking values ("0755", "yes", "1.0").
const debName = fc.stringMatching(/^[a-z0-9][a-z0-9+.-]{0,15}$/);
const debVersion = fc.stringMatching(/^([0-9]:)?[0-9][A-Za-z0-9.+~]{0,8}(-[A-Za-z0-9.+~]{1,6})?$/);
const arch = fc.constantFrom("amd64", "arm64", "all", "i386");
const segment = fc.oneof(fc.stringMatching(/^[A-Za-z0-9._-]{1,8}$/), fc.constantFrom("with space", "é", "quote\"d", "0755", "yes", "1.0", "#x")).filter((s) => s !== "." && s !== "..");
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join("/")}`);
const sha = fc.string({ minLength: 1, maxLength: 8 }).map((s) => sha256Of(s));

const inputs: fc.Arbitrary<BomInputs> = fc
  .record({
    base: fc.uniqueArray(fc.record({ name: debName, version: debVersion, architecture: arch, source: fc.option(debName, { nil: undefined }) }), {
      selector: (p) => `${p.name}:${p.architecture}`,
      maxLength: 8,
    }),
    added: fc.uniqueArray(fc.record({ name: debName, version: debVersion, architecture: arch, sha256: sha }), { selector: (p) => `${p.name}:${p.architecture}`, maxLength: 6 }),
    files: fc.uniqueArray(fc.record({ path, content: fc.string({ maxLength: 20 }), mode: fc.integer({ min: 0, max: 0o7777 }) }), { selector: (f) => f.path, maxLength: 6 }),
    epoch: fc.option(fc.integer({ min: 0, max: 2_000_000_000 }), { nil: undefined }),
    name: fc.oneof(fc.constant("app"), fc.stringMatching(/^[a-z][a-z0-9/._-]{0,20}$/)),
  })
  .map(({ base, added, files, epoch, name }) => ({
    tool: { name: "slipway", version: "0.1.0" },
    image: { name, platform: "linux/amd64" },
    declaration: { file: "slipway.hcl", sha256: sha256Of(name) },
    base: {
      kind: "image" as const,
      canonicalName: `127.0.0.1:5000/base:1@sha256:${sha256Of("base")}`,
      os: { id: "debian", versionId: "12", versionCodename: "bookworm" },
      packages: base.map((p) => ({ ...p, ...(p.source !== undefined ? { source: p.source } : { source: undefined }) })),
    },
    packages: added.map((p) => ({
      name: p.name,
      version: p.version,
      architecture: p.architecture,
      location: { uri: `http://mirror.test/pool/${encodeURIComponent(p.name)}_${encodeURIComponent(p.version)}.deb`, sha256: p.sha256, size: 10 },
    })),
    files: files.map((f) => ({ path: f.path, sha256: sha256Of(f.content), sha1: sha1Of(f.content), size: Buffer.byteLength(f.content), mode: f.mode, origin: { kind: "context" as const, path: f.path.slice(1) } })),
    ...(epoch !== undefined ? { sourceDateEpoch: epoch } : {}),
  }));

test("for arbitrary facts: documents validate, read back losslessly, and ids stay unique", async () => {
  await fc.assert(
    fc.asyncProperty(inputs, async (i) => {
      const bom = buildBom(JSON.parse(JSON.stringify(i)));
      expect(spdxErrors(writeSpdx(bom))).toEqual([]);
      expect(await cycloneDxErrors(writeCycloneDx(bom))).toEqual([]);
      expect(readEstaleiroYaml(writeEstaleiroYaml(bom))).toEqual(bom);
      expect(readBomJson(writeBomJson(bom))).toEqual(bom);
    }),
    { numRuns: 60, seed: 20261122 },
  );
});
