import { beforeAll, describe, expect, it } from "vitest";
import * as openpgp from "openpgp";
import { reasonOf } from "../../grammar/index.js";
import { chooseIndexFile, parseRelease, verifyInRelease } from "./inrelease.js";
import { keyMatches, readKeyring, type TrustedKey } from "./keyring.js";

const body = `Origin: Test
Suite: stable
Codename: testing-suite
Date: Sat, 01 Jun 2024 00:00:00 UTC
Acquire-By-Hash: yes
Architectures: amd64
Components: main
SHA256:
 ${"a".repeat(64)} 120 main/binary-amd64/Packages
 ${"b".repeat(64)} 80 main/binary-amd64/Packages.gz
 ${"c".repeat(64)} 60 main/source/Sources.xz
 ${"d".repeat(64)} 300 main/source/Sources
`;

async function keyPair(name: string) {
  const { privateKey, publicKey } = await openpgp.generateKey({
    userIDs: [{ name, email: `${name}@example.invalid` }],
    format: "object",
  });
  return { privateKey, trusted: (await readKeyring(publicKey.armor(), name))[0]! };
}

async function clearsign(text: string, key: openpgp.PrivateKey): Promise<string> {
  return openpgp.sign({ message: await openpgp.createCleartextMessage({ text }), signingKeys: key });
}

describe("verifyInRelease", () => {
  let good: { privateKey: openpgp.PrivateKey; trusted: TrustedKey };
  let other: { privateKey: openpgp.PrivateKey; trusted: TrustedKey };
  beforeAll(async () => {
    good = await keyPair("repo");
    other = await keyPair("stranger");
  });

  it("accepts a good signature by a trusted key and parses the signed body", async () => {
    const r = await verifyInRelease(await clearsign(body, good.privateKey), [other.trusted, good.trusted]);
    expect(r.diagnostics).toEqual([]);
    const verified = r.value!;
    expect(verified.signer.fingerprint).toBe(good.trusted.fingerprint);
    expect(verified.signer.userIds).toEqual(["repo <repo@example.invalid>"]);
    expect(verified.release.codename).toBe("testing-suite");
    expect(verified.release.sha256.get("main/binary-amd64/Packages.gz")).toEqual({ sha256: "b".repeat(64), size: 80 });
  });

  it("rejects a tampered body", async () => {
    const signed = await clearsign(body, good.privateKey);
    const tampered = signed.replace(`${"b".repeat(64)} 80`, `${"e".repeat(64)} 80`);
    expect(tampered).not.toBe(signed);
    const r = await verifyInRelease(tampered, [good.trusted]);
    expect(r.value).toBeUndefined();
    expect(reasonOf(r)).toMatch(/no valid signature by a trusted key/);
  });

  it("rejects a signature by a key that is not trusted (the signed-by restriction)", async () => {
    const signed = await clearsign(body, other.privateKey);
    const r = await verifyInRelease(signed, [good.trusted]);
    expect(r.value).toBeUndefined();
    expect(reasonOf(r)).toContain(good.trusted.fingerprint);
    expect((await verifyInRelease(signed, [good.trusted, other.trusted])).value).toBeDefined();
  });

  it("rejects unsigned text and an empty trust set", async () => {
    const unsigned = await verifyInRelease(body, [good.trusted]);
    expect(unsigned).toMatchObject({ value: undefined, diagnostics: [{ severity: "error", detail: expect.stringMatching(/not a cleartext-signed message/) }] });
    expect(await verifyInRelease(await clearsign(body, good.privateKey), [])).toMatchObject({
      value: undefined,
      diagnostics: [{ severity: "error", summary: "InRelease does not verify", detail: "no trusted key is configured for this repository" }],
    });
  });

  it("reads binary keyrings with several keys and matches fingerprints and key ids", async () => {
    const binary = new Uint8Array([...good.trusted.key.write(), ...other.trusted.key.write()]);
    const keys = await readKeyring(binary, "/etc/apt/trusted.gpg.d/test.gpg");
    expect(keys.map((k) => k.fingerprint)).toEqual([good.trusted.fingerprint, other.trusted.fingerprint]);
    expect(keyMatches(keys[0]!, good.trusted.fingerprint.toUpperCase())).toBe(true);
    expect(keyMatches(keys[0]!, good.trusted.fingerprint.slice(-16))).toBe(true);
    expect(keyMatches(keys[0]!, other.trusted.fingerprint)).toBe(false);
    await expect(readKeyring(new Uint8Array([1, 2, 3, 4]), "junk.gpg")).rejects.toThrow(/junk\.gpg/);
  });
});

describe("chooseIndexFile", () => {
  const release = parseRelease(body);
  it("prefers .gz and uses by-hash paths when offered", () => {
    expect(chooseIndexFile(release, "main/binary-amd64/Packages")).toEqual({
      value: {
        path: "main/binary-amd64/Packages.gz",
        compression: "gz",
        sha256: "b".repeat(64),
        size: 80,
        byHashPath: `main/binary-amd64/by-hash/SHA256/${"b".repeat(64)}`,
      },
      diagnostics: [],
    });
  });
  it("takes .xz when no .gz is offered", () => {
    expect(chooseIndexFile(release, "main/source/Sources")).toMatchObject({
      value: { path: "main/source/Sources.xz", compression: "xz", sha256: "c".repeat(64), size: 60 },
    });
  });
  it("says clearly when only forms it cannot read are offered, and when nothing is listed", () => {
    const r = parseRelease(`Suite: x\nSHA256:\n ${"e".repeat(64)} 10 main/source/Sources.bz2\n ${"f".repeat(64)} 90 main/source/Sources\n`);
    expect(chooseIndexFile(r, "main/source/Sources")).toMatchObject({ value: undefined, diagnostics: [{ detail: expect.stringMatching(/only as bz2, and slipway reads \.gz, \.xz or uncompressed/) }] });
    expect(chooseIndexFile(release, "contrib/source/Sources")).toMatchObject({ value: undefined, diagnostics: [{ detail: expect.stringMatching(/lists no SHA256/) }] });
  });
  it("falls back to the uncompressed file when it is the only form", () => {
    const r = parseRelease(`Suite: x\nSHA256:\n ${"f".repeat(64)} 10 main/binary-all/Packages\n`);
    expect(chooseIndexFile(r, "main/binary-all/Packages")).toMatchObject({ value: { compression: "none" } });
    expect(r.acquireByHash).toBe(false);
  });
});
