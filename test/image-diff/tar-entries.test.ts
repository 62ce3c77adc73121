import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTarStream, type TarEntry } from "../../frontend/oci/index.js";
import { tempDir } from "../bom/oci-fixture.js";

async function entries(bytes: Uint8Array, wantDigest = true): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  async function* chunks() {
    // in uneven pieces, as a decompressor hands them over
    for (let at = 0; at < bytes.length; at += 333) yield bytes.subarray(at, at + 333);
  }
  for await (const e of readTarStream(chunks(), () => false, () => wantDigest)) out.push(e);
  return out;
}

describe("readTarStream's entry attributes", () => {
  it("reads mode (setuid included), owner and mtime from the header, and from pax records over it", async () => {
    const dir = tempDir("tar-attributes");
    mkdirSync(join(dir, "d"));
    const big = "x".repeat(100_000);
    writeFileSync(join(dir, "d/f"), big);
    chmodSync(join(dir, "d/f"), 0o4755);
    symlinkSync("f", join(dir, "d/l"));
    const archive = join(dir, "a.tar");
    // a uid over ustar's 7 octal digits and a fractional mtime only fit in pax records
    execFileSync("tar", ["--format=pax", "--owner=:3000000", "--group=:3000001", "--mtime=@1700000000.5", "-cf", archive, "-C", dir, "d"]);
    const [d, f, l] = await entries(readFileSync(archive));
    expect(d).toMatchObject({ name: "d", type: "directory", uid: 3000000, gid: 3000001, mtime: 1700000000.5 });
    expect(f).toMatchObject({ name: "d/f", type: "file", mode: 0o4755, size: 100_000, sha256: createHash("sha256").update(big).digest("hex") });
    expect(f!.data).toBeUndefined();
    expect(l).toMatchObject({ name: "d/l", type: "symlink", linkName: "f", uid: 3000000 });
    expect(l!.sha256).toBeUndefined();

    const ustar = join(dir, "u.tar");
    execFileSync("tar", ["--format=ustar", "--owner=:7", "--group=:8", "--mtime=@1600000000", "-cf", ustar, "-C", dir, "d/f"]);
    const [plain] = await entries(readFileSync(ustar), false);
    expect(plain).toMatchObject({ mode: 0o4755, uid: 7, gid: 8, mtime: 1600000000, size: 100_000 });
    expect(plain!.sha256).toBeUndefined();
  });

  it("refuses a file cut short while it is being hashed", async () => {
    const dir = tempDir("tar-truncated");
    writeFileSync(join(dir, "f"), "y".repeat(5000));
    const archive = join(dir, "a.tar");
    execFileSync("tar", ["--format=ustar", "-cf", archive, "-C", dir, "f"]);
    await expect(entries(readFileSync(archive).subarray(0, 2048))).rejects.toThrow("truncated tar entry at byte 0");
  });
});
