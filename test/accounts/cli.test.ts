import { describe, expect, it } from "vitest";
import { runCli } from "../../frontend/cli/main.js";
import { memoryIO } from "../../frontend/cli/memory-io.js";
import { Definition } from "../../llb/index.js";
import { pb } from "../../llb/proto/github.com/moby/buildkit/solver/pb/ops.js";

const declaration = (base: string, group: string) => `image "app" {
  base_image = "${base}"
  group "app" {
    gid = 10001
  }
  user "app" {
    uid   = 10001
    group = "${group}"
  }
  user "b" {
    uid   = 10001
    group = "app"
  }
}
`;

describe("users and groups through the CLI", () => {
  it("slipway check refuses a duplicate uid at its value", async () => {
    const { io, out } = memoryIO({ "slipway.hcl": declaration("debian:bookworm", "app") });
    expect(await runCli(["check", "slipway.hcl"], io)).toBe(1);
    expect(out.stderr).toContain("slipway.hcl:11:13: error: Duplicate uid");
  });

  it("slipway llb on scratch refuses an undeclared group at its value, and writes the account files", async () => {
    const one = declaration("scratch", "nope").replace(/  user "b" \{[^}]*\}\n/, "");
    const bad = memoryIO({ "slipway.hcl": one });
    expect(await runCli(["llb", "--platform", "linux/amd64", "slipway.hcl"], bad.io)).toBe(1);
    expect(bad.out.stderr).toContain('slipway.hcl:8:13: error: Unknown group');

    const good = memoryIO({ "slipway.hcl": one.replace('"nope"', '"app"') });
    expect(await runCli(["llb", "--platform", "linux/amd64", "slipway.hcl"], good.io)).toBe(0);
    const ops = Definition.fromBytes(Buffer.concat(good.stdoutBytes)).ops.map((op) => pb.Op.deserialize(op));
    const files = ops.flatMap((o) => (o.file ? o.file.actions.filter((a) => a.mkfile).map((a) => [a.mkfile.path, new TextDecoder().decode(a.mkfile.data)]) : []));
    expect(files).toEqual([
      ["/etc/passwd", "app:x:10001:10001::/home/app:/bin/sh\n"],
      ["/etc/group", "app:x:10001:\n"],
      ["/etc/shadow", "app:!:0:0:99999:7:::\n"],
      ["/etc/gshadow", "app:*::\n"],
    ]);
  });
});
