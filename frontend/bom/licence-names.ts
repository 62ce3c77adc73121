import spdxExceptions from "spdx-exceptions/index.json" with { type: "json" };
import spdxLicenseIds from "spdx-license-ids/index.json" with { type: "json" };
import parseSpdxExpression from "spdx-expression-parse";

/**
 * Debian licence short names (copyright-format 1.0, "License short name") as SPDX licence ids. The SPDX
 * lists come from `spdx-license-ids` and `spdx-exceptions`; only what no list can say is written here:
 * the GNU version rule and the Debian-only names. Never a guess: a name that maps to no single SPDX id
 * (`public-domain`, a bare `GPL`, `BSD`, `Python`) gives undefined, and the caller writes a LicenseRef.
 */

/** Lower-case id → the id as SPDX spells it. */
const LICENSES = new Map<string, string>(spdxLicenseIds.map((id) => [id.toLowerCase(), id]));
const EXCEPTIONS = new Map<string, string>(spdxExceptions.map((id) => [id.toLowerCase(), id]));

/**
 * Debian-only names (DEP-5's table and what Debian 12 writes), lower-cased. `Perl` is "GPL-1+ or
 * Artistic-1" in DEP-5's own words; `Artistic` is DEP-5's Artistic 1.0 (Debian's common-licenses file).
 */
const DEBIAN_NAMES = new Map<string, string>([
  ["expat", "MIT"],
  ["perl", "Artistic-1.0-Perl OR GPL-1.0-or-later"],
  ["artistic", "Artistic-1.0"],
  ["artistic-1", "Artistic-1.0"],
  ["cc0", "CC0-1.0"],
  ["zope", "ZPL-1.1"],
  ["psf-2", "PSF-2.0"],
]);

/**
 * Debian names that a recent SPDX id now shares, kept as LicenseRefs: the SPDX project's own validator
 * (spdx-tools 0.8.5, as Debian ships it) carries an older list and rejects perl's `Artistic-dist`.
 */
const KEPT_AS_REFS = new Set(["artistic-dist"]);

/** GNU licences carry their "or later" in the name: `GPL-2+` is GPL-2.0-or-later, `GPL-2` GPL-2.0-only. */
const GNU = /^(a?gpl|lgpl|gfdl|gfdl-niv)-(\d+(?:\.\d+)?)(\+?)$/;

/** The SPDX expression for one Debian licence short name, or undefined when SPDX has no id for it. */
export function spdxForDebianName(name: string): string | undefined {
  if (mapped.has(name)) return mapped.get(name);
  const id = lookUp(name);
  // an image repeats a few dozen names thousands of times
  if (mapped.size >= MAX_CHECKED) mapped.clear();
  mapped.set(name, id);
  return id;
}

const mapped = new Map<string, string | undefined>();

function lookUp(name: string): string | undefined {
  const lower = name.trim().toLowerCase().replace(/\.0\+$/, "+");
  if (KEPT_AS_REFS.has(lower)) return undefined;
  const table = DEBIAN_NAMES.get(lower);
  if (table !== undefined) return table;
  const gnu = GNU.exec(lower);
  if (gnu) {
    const [, family, number, plus] = gnu;
    const version = number!.includes(".") ? number! : `${number}.0`;
    const base = family === "gfdl-niv" ? `GFDL-${version}-no-invariants` : `${family!.toUpperCase()}-${version}`;
    return LICENSES.get(`${base}-${plus ? "or-later" : "only"}`.toLowerCase());
  }
  // `OpenLDAP-2.8` is SPDX's OLDAP-2.8
  const ldap = /^openldap-(\d[\d.]*)$/.exec(lower);
  if (ldap) return LICENSES.get(`oldap-${ldap[1]}`);
  // Case differs (`BSD-3-clause`), or a major version stands for N.0 (`Apache-2`, `MPL-2`).
  return LICENSES.get(lower) ?? (/-\d+$/.test(lower) ? LICENSES.get(`${lower}.0`) : undefined);
}

/** The SPDX exception id for DEP-5's `with <X> exception`, when SPDX has one. */
export function spdxException(name: string): string | undefined {
  const lower = name.trim().toLowerCase();
  return EXCEPTIONS.get(lower) ?? EXCEPTIONS.get(`${lower}-exception`);
}

/**
 * `LicenseRef-` plus the name reduced to what an SPDX id may hold (letters, digits, `.` and `-`; `+`
 * is spelt `plus`, so `GPL-2+ with X exception` stays readable as `LicenseRef-GPL-2-plus-with-X-exception`).
 */
export function licenseRefFor(name: string): string {
  const cleaned = name
    .trim()
    .replace(/\+/g, "-plus")
    .replace(/[^A-Za-z0-9.-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-|-$/g, "");
  return `LicenseRef-${cleaned || "unnamed"}`;
}

/**
 * True when `expression` is a valid SPDX licence expression (ids from the lists, LicenseRef-…).
 *
 * `A AND B` is valid exactly when A and B are, so each operand of the top-level ANDs is checked on its
 * own, and remembered: an image's packages declare different conjunctions of a few dozen operands. A
 * LicenseRef's name is checked by the pattern the parser applies (`[A-Za-z0-9.-]+`), so operands that
 * differ only in one share a check.
 */
export function isSpdxExpression(expression: string): boolean {
  return topLevelAnd(expression).every(isValidOperand);
}

/** The operands of the ANDs outside parentheses; unbalanced parentheses keep the rest as one operand. */
function topLevelAnd(expression: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let operand = "";
  for (const piece of expression.split(" AND ")) {
    operand = operand === "" && depth === 0 ? piece : `${operand} AND ${piece}`;
    depth += piece.split("(").length - piece.split(")").length;
    if (depth === 0) {
      out.push(operand);
      operand = "";
    }
  }
  if (depth !== 0) out.push(operand);
  return out;
}

function isValidOperand(operand: string): boolean {
  const key = operand.replace(/LicenseRef-[A-Za-z0-9.-]+/g, "LicenseRef-x");
  let valid = checked.get(key);
  if (valid === undefined) {
    try {
      parseSpdxExpression(key);
      valid = true;
    } catch {
      valid = false;
    }
    if (checked.size >= MAX_CHECKED) checked.clear();
    checked.set(key, valid);
  }
  return valid;
}

const checked = new Map<string, boolean>();
const MAX_CHECKED = 4096;
