import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readPackageFacts, uniqueLicenceRefs, type PackageFacts } from "../../frontend/bom-worker/package-facts.js";
import { MountedTree } from "../../frontend/bom-worker/measured-tree.js";
import { readImagePackages } from "../../frontend/debian/status.js";

/** What the worker reads per installed package, on a root filesystem laid out in a temporary directory. */
function rootfs(files: Record<string, string | { link: string }>): MountedTree {
  const root = mkdtempSync(join(tmpdir(), "slipway-facts-"));
  for (const [path, content] of Object.entries(files)) {
    const host = join(root, path);
    mkdirSync(join(host, ".."), { recursive: true });
    if (typeof content === "string") writeFileSync(host, content);
    else symlinkSync(content.link, host);
  }
  return new MountedTree(root);
}

/** As the worker does: the dpkg database read once, then the facts from it and the tree's copyright files. */
async function factsOf(tree: MountedTree) {
  return readPackageFacts(tree, await readImagePackages(tree.asImageFiles()));
}

const entry = (name: string, fields: string, arch = "amd64") =>
  `Package: ${name}\nStatus: install ok installed\nArchitecture: ${arch}\nVersion: 1.0-1\nMaintainer: Jane Doe <jane@example.org>\n${fields}`;

const STATUS = [
  entry("app", "Pre-Depends: libc6 (>= 0.5)\nDepends: mawk | awk, missing-one | debconf-2.0, libold (>= 2.0) | libnew, python3:any, libc6"),
  entry("libc6", ""),
  entry("mawk", "Provides: awk"),
  entry("cdebconf", "Provides: debconf-2.0"),
  entry("libold", ""),
  entry("libnew", ""),
  entry("python3", "Multi-Arch: allowed"),
  entry("tools", "Depends: awk"),
  "Package: removed\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1\n",
].join("\n\n");

const DEP5 = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/

Files: *
Copyright: someone
License: GPL-2+ or public-domain

License: public-domain
 TEXT
`;

describe("readPackageFacts", () => {
  it("resolves each group to the alternative installed: by name, by a satisfied version, through Provides", async () => {
    const facts = (await factsOf(rootfs({ "var/lib/dpkg/status": STATUS })))!;
    expect([...facts.keys()].sort()).toEqual(["app:amd64", "cdebconf:amd64", "libc6:amd64", "libnew:amd64", "libold:amd64", "mawk:amd64", "python3:amd64", "tools:amd64"]);
    // libold 1.0-1 does not satisfy (>= 2.0), so libnew; debconf-2.0 is cdebconf's; python3:any is python3
    expect(facts.get("app:amd64")!.dependsOn).toEqual(["cdebconf:amd64", "libc6:amd64", "libnew:amd64", "mawk:amd64", "python3:amd64"]);
    expect(facts.get("tools:amd64")!.dependsOn).toEqual(["mawk:amd64"]);
    expect(facts.get("libc6:amd64")!.dependsOn).toEqual([]);
    expect(facts.get("app:amd64")!.maintainer).toBe("Jane Doe <jane@example.org>");
  });

  it("reads each package's copyright file, through a symlinked doc directory too; a missing one is NOASSERTION", async () => {
    const facts = (await factsOf(
      rootfs({
        "var/lib/dpkg/status": STATUS,
        "usr/share/doc/app/copyright": DEP5,
        "usr/share/doc/libc6/copyright": "Licensed as /usr/share/common-licenses/GPL-2, version 2 or (at your option) any later version.\n",
        "usr/share/doc/mawk": { link: "app" },
      }),
    ))!;
    expect(facts.get("app:amd64")!.licence).toEqual({ declared: "GPL-2.0-or-later OR LicenseRef-public-domain", from: "dep5" });
    expect(facts.get("app:amd64")!.extracted).toEqual([{ id: "LicenseRef-public-domain", name: "public-domain", text: "TEXT" }]);
    expect(facts.get("mawk:amd64")!.licence).toEqual(facts.get("app:amd64")!.licence);
    expect(facts.get("libc6:amd64")!.licence).toEqual({ declared: "GPL-2.0-or-later", from: "common-licenses" });
    expect(facts.get("libnew:amd64")!.licence).toEqual({ declared: "NOASSERTION", from: "missing" });
  });

  it("has nothing to say about a tree without a dpkg database", async () => {
    expect(await factsOf(rootfs({ "etc/hostname": "x\n" }))).toBeUndefined();
  });

  it("keeps a maintainer's name as the UTF-8 dpkg stored, though the database is read as latin1", async () => {
    const status = `Package: app\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1\nMaintainer: José Müller <jm@example.org>\n`;
    const facts = (await factsOf(rootfs({ "var/lib/dpkg/status": status })))!;
    expect(facts.get("app:amd64")!.maintainer).toBe("José Müller <jm@example.org>");
  });
});

describe("uniqueLicenceRefs", () => {
  const fact = (name: string, text: string): PackageFacts => ({
    name,
    version: "1",
    architecture: "amd64",
    dependsOn: [],
    licence: { declared: "MIT AND LicenseRef-public-domain", from: "dep5" },
    extracted: [{ id: "LicenseRef-public-domain", name: "public-domain", text }],
  });

  it("keeps an id that names one text, and gives each of two texts its own digest-suffixed id", () => {
    const same = uniqueLicenceRefs([fact("a", "PD"), fact("b", "PD")]);
    expect(same.licences.map((l) => l.id)).toEqual(["LicenseRef-public-domain"]);
    expect(same.facts.map((f) => f.licence.declared)).toEqual(["MIT AND LicenseRef-public-domain", "MIT AND LicenseRef-public-domain"]);
    const differ = uniqueLicenceRefs([fact("a", "PD one"), fact("b", "PD two")]);
    expect(differ.licences).toHaveLength(2);
    expect(differ.licences.every((l) => /^LicenseRef-public-domain-[0-9a-f]{8}$/.test(l.id))).toBe(true);
    const textOf = new Map(differ.licences.map((l) => [l.id, l.text]));
    expect(differ.facts.map((f) => textOf.get(f.licence.declared.split(" AND ")[1]!))).toEqual(["PD one", "PD two"]);
  });
});
