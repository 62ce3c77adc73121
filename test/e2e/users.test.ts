import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildx, dockerRun, project, scratchDir, syntaxLine } from "./harness.js";
import { extractOci, ociAttestations } from "./oci.js";

/**
 * Users and groups (issue 14) on debian:bookworm, with openssh-client, whose postinst adds the system
 * group _ssh with addgroup: the account files the frontend writes come before dpkg, and the package's
 * account lands beside the declared ones.
 */
const declaration = (syntax: string) => `${syntax}image "app" {
  base_image = "debian:bookworm"

  apt {
    package "openssh-client" {}
  }

  group "app" {
    gid = 10001
  }
  user "app" {
    uid   = 10001
    group = "app"
    home  = "/home/app"
  }

  user = "app"
}
`;

const shell = ["--entrypoint", "", "--user", "0"];

function accounts(image: string, file: string): string[] {
  return dockerRun(image, ["cat", file], shell).split("\n").filter(Boolean);
}

describe("user and group blocks", () => {
  it("adds the declared accounts to the base's, before dpkg, and runs as the declared user", async () => {
    const dir = project("users", { "slipway.hcl": declaration(syntaxLine()) });
    const locked = await buildx(dir, { target: "lock", output: `type=local,dest=${dir}` });
    expect(locked.code, locked.output.slice(-4000)).toBe(0);
    expect(readFileSync(join(dir, "slipway.lock.json"), "utf8")).toContain('"openssh-client"');

    const tag = "slipway-e2e/users:a";
    const r = await buildx(dir, { tag });
    expect(r.code, r.output.slice(-4000)).toBe(0);

    expect(dockerRun(tag, ["id"], ["--entrypoint", ""]).trim()).toBe("uid=10001(app) gid=10001(app) groups=10001(app)");
    expect(dockerRun(tag, ["stat", "-c", "%u:%g %a %F", "/home/app"], shell).trim()).toBe("10001:10001 755 directory");

    // every account of the base is still there, line for line, in its order
    for (const file of ["/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow"]) {
      const base = accounts("debian:bookworm", file);
      const after = accounts(tag, file);
      expect(after.slice(0, base.length), file).toEqual(base);
    }
    expect(accounts(tag, "/etc/passwd")).toContain("app:x:10001:10001::/home/app:/bin/sh");
    expect(accounts(tag, "/etc/shadow").find((l) => l.startsWith("app:"))).toMatch(/^app:!:\d+:0:99999:7:::$/);
    // the package's system group, added by its postinst after the declared accounts
    const groups = accounts(tag, "/etc/group");
    expect(groups.indexOf(groups.find((l) => l.startsWith("_ssh:"))!)).toBeGreaterThan(groups.indexOf("app:x:10001:"));
    expect(dockerRun(tag, ["stat", "-c", "%G %a", "/etc/shadow"], shell).trim()).toBe("shadow 640");

    // the BOM lists every account of the image, the base's and the package's too, and marks the declared ones
    const bomDir = scratchDir("users-bom");
    const bomBuild = await buildx(dir, { target: "bom", output: `type=local,dest=${bomDir}` });
    expect(bomBuild.code, bomBuild.output.slice(-4000)).toBe(0);
    const bom = JSON.parse(readFileSync(join(bomDir, "bom.json"), "utf8")) as { accounts: { users: { name: string; uid: number; added: boolean }[]; groups: { name: string; gid: number; added: boolean }[] } };
    expect(bom.accounts.users.map((u) => u.name).sort()).toEqual(accounts(tag, "/etc/passwd").map((l) => l.split(":")[0]).sort());
    expect(bom.accounts.groups.map((g) => g.name).sort()).toEqual(groups.map((l) => l.split(":")[0]).sort());
    expect(bom.accounts.users.filter((u) => u.added)).toEqual([expect.objectContaining({ name: "app", uid: 10001 })]);
    expect(bom.accounts.groups.filter((g) => g.added)).toEqual([expect.objectContaining({ name: "app", gid: 10001 })]);
    expect(bom.accounts.groups.find((g) => g.name === "_ssh")?.added).toBe(false);

    // a second build that reuses nothing gives the same image manifest (layers and config)
    const out = scratchDir("users-oci");
    const first = await buildx(dir, { output: `type=oci,dest=${join(out, "a.tar")}` });
    expect(first.code, first.output.slice(-4000)).toBe(0);
    const again = await buildx(dir, { output: `type=oci,dest=${join(out, "b.tar")}`, extra: ["--no-cache"] });
    expect(again.code, again.output.slice(-4000)).toBe(0);
    const a = ociAttestations(extractOci(join(out, "a.tar")));
    const b = ociAttestations(extractOci(join(out, "b.tar")));
    expect(b.imageManifest).toBe(a.imageManifest);
  });

  for (const [what, block, line, message] of [
    ["uid 0", `user "app" {\n    uid   = 0\n    group = "root"\n  }`, "5:13", /Account clash: The base image's user "root" has the uid 0 already/],
    ["the name root", `user "root" {\n    uid   = 10001\n    group = "root"\n  }`, "4:8", /Account clash: The base image has the user name root already/],
    ["an undeclared group", `user "app" {\n    uid   = 10001\n    group = "nope"\n  }`, "6:13", /Unknown group: No group "nope"/],
    ["a home the base has already", `user "app" {\n    uid   = 10001\n    group = "users"\n    home  = "/srv"\n  }`, "7:13", /Home exists in the base image: The base image has \/srv already \(a directory owned by 0:0, mode 0755\)/],
  ] as const) {
    it(`refuses ${what} at the declaration's line`, async () => {
      const dir = project("users-clash", { "slipway.hcl": `${syntaxLine()}image "app" {\n  base_image = "debian:bookworm"\n  ${block}\n}\n` });
      const r = await buildx(dir, { output: "type=cacheonly" });
      expect(r.code, r.output).not.toBe(0);
      // line 1 of the file is the syntax line
      expect(r.output).toContain(`slipway.hcl:${line}: `);
      expect(r.output).toMatch(message);
    });
  }
});
