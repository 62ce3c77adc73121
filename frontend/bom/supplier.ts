import type { BomOsRelease } from "./model.js";

/**
 * Who supplies and who made a Debian package, as SBOM readers (NTIA's "supplier") want them: the
 * distribution supplies it (an organisation named after the os-release ID: `Debian`, `Ubuntu`), and its
 * `Maintainer` made it, a person or, for a team or a mailing list, an organisation.
 */
export interface Party {
  readonly kind: "Person" | "Organization";
  readonly name: string;
  readonly email?: string;
}

/** The distribution as an organisation; undefined without an os-release. */
export function distribution(os: BomOsRelease | undefined): Party | undefined {
  if (os === undefined || os.id === "") return undefined;
  return { kind: "Organization", name: os.id.charAt(0).toUpperCase() + os.id.slice(1) };
}

/** `Name <email>` as dpkg's Maintainer field writes it. */
export function maintainerParty(maintainer: string | undefined): Party | undefined {
  if (maintainer === undefined) return undefined;
  const m = /^(.*?)\s*<([^<>\s]+)>\s*$/.exec(maintainer);
  const name = (m ? m[1]! : maintainer).trim();
  const email = m?.[2];
  if (name === "" && email === undefined) return undefined;
  const team = /\b(team|maintainers|developers|group|project)\b/i.test(name) || (email !== undefined && /^(team\+|pkg-)|@(lists\.|alioth-lists\.)/i.test(email));
  return { kind: team ? "Organization" : "Person", name: name || email!, ...(email !== undefined ? { email } : {}) };
}

/** SPDX's `Person: Name (email)` / `Organization: Name`; `(`/`)` in a name would end it early, so they become `[`/`]`. */
export function spdxParty(p: Party | undefined): string {
  if (p === undefined) return "NOASSERTION";
  const name = p.name.replace(/\(/g, "[").replace(/\)/g, "]");
  return `${p.kind}: ${name}${p.email !== undefined ? ` (${p.email})` : ""}`;
}
