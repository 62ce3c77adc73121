import { describe, expect, it } from "vitest";
import { buildBom, isBomInputError, writeBomJson, writeEstaleiroYaml } from "../../frontend/bom/index.js";
import { readEstaleiroYaml } from "../../frontend/bom/read-estaleiro.js";
import { debianInputs } from "../bom/fixtures.js";

const accounts = {
  users: [
    { name: "app", uid: 10001, gid: 10001, home: "/home/app", shell: "/bin/sh", added: true },
    { name: "root", uid: 0, gid: 0, home: "/root", shell: "/bin/bash", added: false },
  ],
  groups: [
    { name: "app", gid: 10001, added: true },
    { name: "_ssh", gid: 101, added: false },
    { name: "root", gid: 0, added: false },
  ],
};

describe("the BOM's accounts", () => {
  it("are sorted by id, written to bom.json and bom.yaml, and read back", () => {
    const bom = buildBom({ ...debianInputs(), accounts });
    expect(bom.accounts!.users.map((u) => u.name)).toEqual(["root", "app"]);
    expect(bom.accounts!.groups.map((g) => `${g.name}:${g.gid}:${g.added}`)).toEqual(["root:0:false", "_ssh:101:false", "app:10001:true"]);
    expect(JSON.parse(writeBomJson(bom)).accounts).toEqual(bom.accounts);
    expect(readEstaleiroYaml(writeEstaleiroYaml(bom)).accounts).toEqual(bom.accounts);
  });

  it("are absent unless given, and refuse a name twice or an id out of range", () => {
    expect(buildBom(debianInputs()).accounts).toBeUndefined();
    const bad = { users: [accounts.users[0]!, { ...accounts.users[0]!, uid: -1 }], groups: [] };
    try {
      buildBom({ ...debianInputs(), accounts: bad });
      expect.unreachable();
    } catch (e) {
      expect(isBomInputError(e)).toBe(true);
      expect(String(e)).toMatch(/accounts\.users\[1\]\.uid/);
      expect(String(e)).toMatch(/accounts\.users/);
    }
  });
});
