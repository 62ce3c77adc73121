import * as openpgp from "openpgp";

/**
 * OpenPGP keyrings as apt finds them: binary `.gpg` files (concatenated transferable public keys) and
 * ASCII-armored `.asc` files, both read with OpenPGP.js.
 */
export interface TrustedKey {
  readonly key: openpgp.PublicKey;
  /** Lowercase hex fingerprint of the primary key. */
  readonly fingerprint: string;
  readonly userIds: readonly string[];
  /** Where it came from: a path in the base image, a URL, or a declaration. */
  readonly from: string;
}

/** Reads every public key in `data` (armored or binary). Throws a `KeyringError` naming `from` when unreadable. */
export async function readKeyring(data: Uint8Array | string, from: string): Promise<TrustedKey[]> {
  const text =
    typeof data === "string"
      ? data
      : new TextDecoder().decode(data.subarray(0, 64)).includes("-----BEGIN PGP")
        ? new TextDecoder().decode(data)
        : undefined;
  let keys: openpgp.PublicKey[];
  try {
    const read =
      text !== undefined
        ? await openpgp.readKeys({ armoredKeys: text })
        : await openpgp.readKeys({ binaryKeys: data as Uint8Array });
    keys = read.map((k) => (k.isPrivate() ? k.toPublic() : k));
  } catch (e) {
    throw new KeyringError(from, e instanceof Error ? e.message : String(e));
  }
  return keys.map((key) => ({ key, fingerprint: key.getFingerprint().toLowerCase(), userIds: key.getUserIDs(), from }));
}

/** A keyring that could not be read. */
export class KeyringError extends Error {
  override readonly name = "KeyringError" as const;
  constructor(
    readonly from: string,
    readonly reason: string,
  ) {
    super(`cannot read OpenPGP keys from ${from}: ${reason}`);
  }
}

export function isKeyringError(e: unknown): e is KeyringError {
  return e instanceof Error && e.name === "KeyringError";
}

/** True when `fingerprint` (a primary key's or a subkey's, any case, optionally 16-hex key id) is in `key`. */
export function keyMatches(key: TrustedKey, fingerprint: string): boolean {
  const want = fingerprint.toLowerCase().replace(/\s+/g, "");
  if (key.fingerprint === want || key.fingerprint.endsWith(want)) return true;
  return key.key.getSubkeys().some((s) => {
    const f = s.getFingerprint().toLowerCase();
    return f === want || f.endsWith(want);
  });
}
