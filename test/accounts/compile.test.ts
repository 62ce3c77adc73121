import { describe, expect, it } from "vitest";
import { loadDeclaration, SourceFile } from "../../grammar/index.js";
import { marshal, parsePlatform, SourceMap } from "../../llb/index.js";
import type { AptResolution } from "../../frontend/debian/index.js";
import { planAccounts } from "../../frontend/accounts/index.js";
import { compileImage } from "../../frontend/compile/index.js";
import { decode } from "../llb/decode.js";

const platform = parsePlatform("linux/amd64");
const text = `image "app" {
  base_image = "scratch"
  group "app" {
    gid = 10001
  }
  user "app" {
    uid   = 10001
    group = "app"
    home  = "/srv/app/home"
  }
}
`;

/** One package to install: the compiler then adds the dpkg exec the accounts must come before. */
const oneDeb: AptResolution = {
  architecture: "amd64",
  installRecommends: false,
  repositories: [],
  basePackages: [],
  indexFiles: [],
  stages: [["jq"]],
  packages: [
    {
      name: "jq",
      version: "1.0-1",
      architecture: "amd64",
      multiArch: "no",
      repository: 0,
      filename: "pool/main/jq_1.0-1_amd64.deb",
      uri: "http://archive.example.org/debian/pool/main/jq_1.0-1_amd64.deb",
      sha256: "c".repeat(64),
      size: 100,
      preDepends: [],
      depends: [],
      source: { kind: "archive", name: "jq", version: "1.0-1", files: [] },
    },
  ],
};

describe("compileImage with accounts", () => {
  it("writes the account files and the home in one op, before the package install, located at the declaration", () => {
    const declaration = loadDeclaration(new SourceFile("slipway.hcl", text), { vars: new Map() }).value!;
    const image = declaration.images[0]!;
    const compiled = compileImage({
      declaration,
      image,
      platform,
      sourceMap: new SourceMap(declaration.file.name, declaration.file.text),
      context: { localName: "context", sessionId: "s" },
      base: undefined,
      images: new Map(),
      git: new Map(),
      steps: new Map(),
      accounts: planAccounts(image, {}, 1_700_000_000).value!,
      packages: { resolution: oneDeb, mirrors: [] },
      optionLabels: new Map(),
      noCache: false,
      epoch: 1_700_000_000,
    });
    const d = decode(marshal(compiled.state, { platform }));
    // the accounts' op (the other file op is the empty directory its stamps copy from)
    const fileOp = d.body.find((o) => o.op.op === "file" && o.op.inputs.length > 0)!;
    const exec = d.body.find((o) => o.op.op === "exec")!;
    expect(exec.op.inputs[0]!.digest).toBe(fileOp.digest);
    const actions = fileOp.op.file.actions;
    expect(actions.filter((a) => a.action === "mkfile").map((a) => [a.mkfile.path, a.mkfile.mode.toString(8), a.mkfile.owner.toObject()])).toEqual([
      ["/etc/passwd", "644", { user: { byID: 0 }, group: { byID: 0 } }],
      ["/etc/group", "644", { user: { byID: 0 }, group: { byID: 0 } }],
      ["/etc/shadow", "640", { user: { byID: 0 }, group: { byID: 0 } }],
      ["/etc/gshadow", "640", { user: { byID: 0 }, group: { byID: 0 } }],
    ]);
    const dirs = actions.filter((a) => a.action === "mkdir").map((a) => [a.mkdir.path, a.mkdir.owner?.user?.byID ?? "-"]);
    // the parent is root's; only the home itself is the user's
    expect(dirs).toEqual([["/etc", "-"], ["/srv/app", "-"], ["/srv/app/home", 10001]]);
    expect(fileOp.metadata?.description.get("llb.customname")).toBe("[slipway] accounts: group app, user app");
    expect(compiled.config.history!.map((h) => h.created_by)).toContain("slipway: accounts: group app, user app");
  });
});
