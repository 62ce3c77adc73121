import { describe, expect, it } from "vitest";
import { tar, type TarSpec } from "../../test/cli/registry-fixture.js";
import { layerFiles, type Layer } from "./index.js";

const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : new TextDecoder().decode(bytes));

/** Layers from tar entries; `reads` counts how often each layer was streamed. */
function layers(...specs: (readonly TarSpec[])[]): { layers: Layer[]; reads: number[] } {
  const reads = specs.map(() => 0);
  return {
    reads,
    layers: specs.map((entries, i) => ({
      description: `layer ${i}`,
      async *tar() {
        reads[i]!++;
        const bytes = tar(entries);
        // in uneven chunks, as a decompressor hands them over
        for (let at = 0; at < bytes.length; at += 700) yield bytes.subarray(at, at + 700);
      },
    })),
  };
}

describe("layerFiles", () => {
  it("stacks layers: a later file replaces an earlier one, directories merge", async () => {
    const { layers: l } = layers(
      [{ name: "etc/", type: "directory" }, { name: "etc/a", content: "a1" }, { name: "etc/b", content: "b1" }],
      [{ name: "etc/a", content: "a2" }, { name: "etc/c", content: "c2" }],
    );
    const files = await layerFiles(l);
    expect(text(await files.readFile("/etc/a"))).toBe("a2");
    expect(text(await files.readFile("/etc/b"))).toBe("b1");
    expect(await files.readDir("/etc")).toEqual(["a", "b", "c"]);
    expect(await files.readFile("/etc/missing")).toBeUndefined();
    expect(await files.readDir("/nope")).toBeUndefined();
    expect(await files.readDir("/etc/a")).toBeUndefined();
    expect(await files.readFile("/etc")).toBeUndefined();
  });

  it("applies whiteouts to the layers below only, and opaque directories hide everything below", async () => {
    const { layers: l } = layers(
      [
        { name: "etc/apt/sources.list", content: "old" },
        { name: "etc/apt/sources.list.d/a.list", content: "a" },
        { name: "etc/apt/sources.list.d/b.list", content: "b" },
        { name: "etc/keep", content: "k" },
        { name: "opt/tree/deep/file", content: "x" },
      ],
      [
        { name: "etc/apt/.wh.sources.list" },
        { name: "etc/apt/sources.list.d/.wh..wh..opq" },
        { name: "etc/apt/sources.list.d/c.sources", content: "c" },
        { name: "opt/.wh.tree" },
      ],
      [{ name: "etc/apt/sources.list", content: "new" }],
    );
    const files = await layerFiles(l);
    expect(text(await files.readFile("/etc/apt/sources.list"))).toBe("new");
    expect(await files.readDir("/etc/apt/sources.list.d")).toEqual(["c.sources"]);
    expect(await files.readFile("/etc/apt/sources.list.d/a.list")).toBeUndefined();
    expect(text(await files.readFile("/etc/keep"))).toBe("k");
    expect(await files.readFile("/opt/tree/deep/file")).toBeUndefined();
    expect(await files.readDir("/opt")).toEqual([]);
  });

  it("a file replacing a directory hides what was under it", async () => {
    const { layers: l } = layers([{ name: "srv/data/x", content: "x" }], [{ name: "srv/data", content: "now a file" }]);
    const files = await layerFiles(l);
    expect(text(await files.readFile("/srv/data"))).toBe("now a file");
    expect(await files.readFile("/srv/data/x")).toBeUndefined();
  });

  it("follows symbolic links inside the image, absolute ones from the image's root, and gives up on loops", async () => {
    const { layers: l } = layers([
      { name: "usr/lib/os-release", content: "ID=debian\n" },
      { name: "etc/os-release", type: "symlink", link: "../usr/lib/os-release" },
      { name: "usr/share/keyrings/k.gpg", content: "KEY" },
      { name: "etc/apt/trusted.gpg.d/k.gpg", type: "symlink", link: "/usr/share/keyrings/k.gpg" },
      { name: "etc/hostname", type: "symlink", link: "/etc/hostname-real" },
      { name: "etc/keys", type: "symlink", link: "/usr/share/keyrings" },
      { name: "etc/loop", type: "symlink", link: "loop" },
      { name: "etc/passwd-link", type: "symlink", link: "/etc/passwd" },
      { name: "usr/bin/perl5.36", content: "perl" },
      { name: "usr/bin/perl", type: "hardlink", link: "usr/bin/perl5.36" },
    ]);
    const files = await layerFiles(l);
    expect(text(await files.readFile("/etc/os-release"))).toBe("ID=debian\n");
    expect(text(await files.readFile("/etc/apt/trusted.gpg.d/k.gpg"))).toBe("KEY");
    expect(text(await files.readFile("/etc/keys/k.gpg"))).toBe("KEY");
    expect(await files.readDir("/etc/keys")).toEqual(["k.gpg"]);
    expect(await files.readFile("/etc/hostname")).toBeUndefined();
    expect(await files.readFile("/etc/loop")).toBeUndefined();
    // the host has /etc/passwd; the image does not
    expect(await files.readFile("/etc/passwd-link")).toBeUndefined();
    expect(text(await files.readFile("/usr/bin/perl"))).toBe("perl");
  });

  it("keeps only the files asked for in memory, and reads any other from its layer again", async () => {
    const big = "x".repeat(5000);
    const { layers: l, reads } = layers([{ name: "etc/a", content: "a" }, { name: "usr/bin/tool", content: big }], [{ name: "usr/lib/lib.so", content: "lib" }]);
    const files = await layerFiles(l, { keep: (path) => path.startsWith("/etc/") });
    expect(reads).toEqual([1, 1]);
    expect(text(await files.readFile("/etc/a"))).toBe("a");
    expect(reads).toEqual([1, 1]);
    expect(text(await files.readFile("/usr/bin/tool"))).toBe(big);
    expect(text(await files.readFile("/usr/lib/lib.so"))).toBe("lib");
    expect(reads).toEqual([2, 2]);
  });

  it("implies parent directories a layer leaves out, and reads long (pax) names", async () => {
    const long = `var/${"d".repeat(120)}/file`;
    const { layers: l } = layers([{ name: "./var/lib/dpkg/status", content: "Package: base-files\n" }, { name: long, content: "long" }]);
    const files = await layerFiles(l);
    expect(await files.readDir("/var/lib")).toEqual(["dpkg"]);
    expect(text(await files.readFile("/var/lib/dpkg/status"))).toBe("Package: base-files\n");
    expect(text(await files.readFile(`/${long}`))).toBe("long");
  });

  it("names the layer when it is not a tar archive", async () => {
    const broken: Layer = {
      description: "example.org/img:1 layer sha256:abc",
      async *tar() {
        yield new Uint8Array(512).fill(7);
      },
    };
    await expect(layerFiles([broken])).rejects.toThrow(/^example\.org\/img:1 layer sha256:abc: is not a readable tar archive \(bad tar header checksum at byte 0\)$/);
  });
});
