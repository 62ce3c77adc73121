import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { imageFilesFromDirectory } from "./image-files-node.js";

describe("imageFilesFromDirectory", () => {
  const root = mkdtempSync(join(tmpdir(), "slipway-rootfs-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, "usr/share/keyrings"), { recursive: true });
  mkdirSync(join(root, "etc/apt/trusted.gpg.d"), { recursive: true });
  writeFileSync(join(root, "usr/share/keyrings/debian.gpg"), "key bytes");
  symlinkSync("/usr/share/keyrings/debian.gpg", join(root, "etc/apt/trusted.gpg.d/debian.gpg"));
  symlinkSync("../../usr/share/keyrings", join(root, "etc/apt/keyrings"));
  symlinkSync("/etc/hostname", join(root, "etc/apt/escape"));
  const files = imageFilesFromDirectory(root);

  it("follows absolute and relative links inside the root", async () => {
    expect(new TextDecoder().decode(await files.readFile("/etc/apt/trusted.gpg.d/debian.gpg"))).toBe("key bytes");
    expect(await files.readDir("/etc/apt/keyrings")).toEqual(["debian.gpg"]);
    expect(await files.readDir("/etc/apt")).toEqual(["escape", "keyrings", "trusted.gpg.d"]);
  });

  it("never reads the host's files and reports missing paths as undefined", async () => {
    expect(await files.readFile("/etc/apt/escape")).toBeUndefined();
    expect(await files.readFile("/../../etc/hostname")).toBeUndefined();
    expect(await files.readFile("/var/lib/dpkg/status")).toBeUndefined();
    expect(await files.readDir("/nope")).toBeUndefined();
  });
});
