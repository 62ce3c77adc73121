import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { buildx, frontendImage, must, project, scratchDir, syntaxLine } from "./harness.js";
import { startHttpServer, type TestHttpServer } from "./http-server.js";
import { extractOci, ociAttestations, type OciAttestation } from "./oci.js";

/**
 * SLSA provenance beside slipway's bill of materials (issue 14): one `docker buildx build` with
 * `--provenance=mode=max --sbom=true` attaches BuildKit's provenance and slipway's own SPDX document to
 * the same image, neither in place of the other, and the provenance says what a release process asks
 * of it: the frontend image by digest, the declaration (its text, and how it was read), the build
 * arguments, and the declaration's inputs as materials.
 */

const SLSA = "https://slsa.dev/provenance/v0.2";
const SPDX = "https://spdx.dev/Document";
const SLIPWAY_BOM = "https://slipway.dev/bom/v1";
const BUILDKIT_METADATA = "https://mobyproject.org/buildkit@v1#metadata";
const sha256 = (data: string) => createHash("sha256").update(data).digest("hex");

interface Provenance {
  invocation: { configSource: { entryPoint?: string }; parameters: { frontend: string; args: Record<string, string>; locals?: { name: string }[] } };
  materials: { uri: string; digest: Record<string, string> }[];
  metadata: Record<string, unknown> & {
    [BUILDKIT_METADATA]: {
      source?: { infos: { filename: string; language: string; data: string; llbDefinition?: { id: string; op: { Op?: { source?: { identifier: string; attrs?: Record<string, string> } } } }[] }[] };
    };
  };
}

/** The digest a registry reference resolves to (a manifest, or an index), as `imagetools inspect` shows it. */
function registryDigest(ref: string): string {
  const digest = /^Digest:\s+(sha256:[0-9a-f]{64})$/m.exec(must("docker", ["buildx", "imagetools", "inspect", ref]).stdout)?.[1];
  if (!digest) throw new Error(`no digest for ${ref}`);
  return digest;
}

describe("provenance beside the bill of materials", () => {
  const notice = "served over http, pinned by sha256\n";
  let server: TestHttpServer;
  let attestations: OciAttestation[];
  let imageManifest: string;
  let declaration: string;

  beforeAll(async () => {
    server = await startHttpServer({ "/files/notice.txt": notice });
    declaration = `${syntaxLine()}variable "release" {
  default = "dev"
}

image "prov" {
  base_image = "debian:bookworm"

  file "/etc/motd" {
    from_context {
      path = "motd"
    }
  }

  file "/srv/notice.txt" {
    from_http {
      url    = "${server.url}/files/notice.txt"
      sha256 = "${sha256(notice)}"
    }
  }

  labels = {
    "org.opencontainers.image.version" = release
  }
}
`;
    const dir = project("provenance", { "slipway.hcl": declaration, motd: "hello from the context\n" });
    const tar = join(scratchDir("provenance-oci"), "image.tar");
    // A name, because BuildKit makes the attestations' subjects from the image names.
    const r = await buildx(dir, {
      output: `type=oci,dest=${tar},name=slipway-e2e/provenance:1`,
      buildArgs: { release: "1.2.3" },
      extra: ["--provenance=mode=max", "--sbom=true"],
    });
    expect(r.code, r.output.slice(-3000)).toBe(0);
    // slipway's SPDX stands in for BuildKit's scanner, which would need an image no registry here has
    expect(r.output).not.toMatch(/buildkit-syft-scanner/);
    ({ imageManifest, attestations } = ociAttestations(extractOci(tar)));
  });
  afterAll(() => server?.close());

  const predicate = <T>(type: string) => attestations.find((a) => a.predicateType === type)!.statement.predicate as T;

  it("attaches BuildKit's SLSA provenance and slipway's SPDX document to the same image, neither displacing the other", () => {
    expect(attestations.map((a) => a.predicateType).sort()).toEqual(["https://cyclonedx.org/bom", SLIPWAY_BOM, SLSA, SPDX].sort());
    for (const a of attestations) expect(a.statement.subject.map((s) => `sha256:${s.digest.sha256}`), a.predicateType).toEqual([imageManifest]);
    const spdx = predicate<{ spdxVersion: string; creationInfo: { creators: string[] }; packages: { name: string }[] }>(SPDX);
    expect(spdx.spdxVersion).toBe("SPDX-2.3");
    expect(spdx.creationInfo.creators.some((c) => /^Tool: slipway/.test(c)), spdx.creationInfo.creators.join(", ")).toBe(true);
  });

  it("names the frontend image by digest", () => {
    const prov = predicate<Provenance>(SLSA);
    const frontend = frontendImage();
    expect(prov.invocation.parameters.frontend).toBe("gateway.v0");
    expect(prov.invocation.parameters.args.source).toBe(frontend);
    const [repository, tag] = [frontend.slice(0, frontend.lastIndexOf(":")), frontend.slice(frontend.lastIndexOf(":") + 1)];
    const material = prov.materials.find((m) => m.uri === `pkg:docker/${repository}@${tag}`);
    expect(material, JSON.stringify(prov.materials)).toBeDefined();
    expect(`sha256:${material!.digest.sha256}`).toBe(registryDigest(frontend));
  });

  it("records the declaration, the build arguments and the declaration's inputs", () => {
    const prov = predicate<Provenance>(SLSA);
    expect(prov.invocation.configSource.entryPoint).toBe("slipway.hcl");
    expect(prov.invocation.parameters.args["build-arg:release"]).toBe("1.2.3");
    expect(prov.invocation.parameters.locals?.map((l) => l.name).sort()).toEqual(["context", "dockerfile"]);

    // materials: the base image at the digest slipway's BOM states, and the http file at its sha256
    const bom = predicate<{ base: { kind: string; canonicalName: string } }>(SLIPWAY_BOM);
    const baseDigest = /@sha256:([0-9a-f]{64})$/.exec(bom.base.canonicalName)?.[1];
    expect(baseDigest, bom.base.canonicalName).toBeDefined();
    expect(prov.materials).toContainEqual({ uri: "pkg:docker/debian@bookworm?platform=linux%2Famd64", digest: { sha256: baseDigest } });
    expect(prov.materials).toContainEqual({ uri: `${server.url}/files/notice.txt`, digest: { sha256: sha256(notice) } });

    // the declaration's own text, from slipway's source map, and the LLB that read it from the
    // `dockerfile` local (SourceInfo.definition), as the Dockerfile frontend gives its Dockerfile
    const infos = prov.metadata[BUILDKIT_METADATA].source?.infos ?? [];
    expect(infos.map((i) => [i.filename, i.language])).toEqual([["slipway.hcl", "HCL"]]);
    expect(Buffer.from(infos[0]!.data, "base64").toString("utf8")).toBe(declaration);
    const loads = (infos[0]!.llbDefinition ?? []).flatMap((step) => (step.op.Op?.source ? [step.op.Op.source] : []));
    expect(loads.map((s) => s.identifier)).toEqual(["local://dockerfile"]);
    expect(JSON.parse(loads[0]!.attrs?.["local.followpaths"] ?? "[]")).toContain("slipway.hcl");
  });
});
