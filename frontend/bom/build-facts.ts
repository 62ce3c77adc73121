import type { BomInstalledPackageInput } from "./inputs.js";
import { isSpdxExpression } from "./licence-names.js";
import type { BomExtractedLicence, BomInstalledPackage, BomPackageLicence } from "./model.js";
import { compareBy, compareStrings } from "./order.js";
import { show, type Validator } from "./validator.js";

/**
 * What the BOM worker reads about an installed package besides its name and version: its maintainer,
 * the packages its dependencies resolved to, and its declared licence. Each is optional, so BOMs written
 * before they were measured still read.
 */
export function packageFacts(v: Validator, at: string, p: BomInstalledPackageInput): Pick<BomInstalledPackage, "maintainer" | "dependsOn" | "licence"> {
  return {
    ...(p.maintainer !== undefined ? { maintainer: v.text(`${at}.maintainer`, p.maintainer) } : {}),
    ...(p.dependsOn !== undefined
      ? { dependsOn: [...new Set(p.dependsOn.map((d, i) => v.match(`${at}.dependsOn[${i}]`, d, PACKAGE_KEY, "name:architecture")))].sort(compareStrings) }
      : {}),
    ...(p.licence !== undefined ? { licence: licence(v, `${at}.licence`, p.licence) } : {}),
  };
}

const PACKAGE_KEY = /^[a-z0-9][a-z0-9+.-]*:[a-z0-9-]+$/;
const LICENSE_REF = /^LicenseRef-[A-Za-z0-9.-]+$/;

function licence(v: Validator, at: string, l: BomPackageLicence): BomPackageLicence {
  const declared = v.text(`${at}.declared`, l.declared);
  if (declared !== "NOASSERTION" && !isSpdxExpression(declared)) v.problem(`${at}.declared`, `must be an SPDX licence expression or NOASSERTION, got ${show(declared)}`);
  return { declared, from: v.oneOf(`${at}.from`, l.from, ["common-licenses", "dep5", "missing", "unreadable"] as const) };
}

/**
 * The extracted licences, sorted by id; every LicenseRef a package declares must be among them, and
 * each must be used (SPDX validators reject both a dangling and an unused reference… the former at least).
 */
export function extractedLicences(
  v: Validator,
  list: readonly BomExtractedLicence[] | undefined,
  packages: readonly BomInstalledPackage[],
): BomExtractedLicence[] | undefined {
  if (list === undefined) return undefined;
  const out = list
    .map((l, i) => ({
      id: v.match(`licences[${i}].id`, l.id, LICENSE_REF, "LicenseRef- and letters, digits, . or -"),
      name: v.text(`licences[${i}].name`, l.name),
      text: v.text(`licences[${i}].text`, l.text),
    }))
    .sort(compareBy((l) => [l.id]));
  const ids = new Set<string>();
  for (const l of out) {
    if (ids.has(l.id)) v.problem("licences", `two entries for ${show(l.id)}`);
    ids.add(l.id);
  }
  for (const p of packages) {
    for (const ref of p.licence?.declared.match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? []) {
      if (!ids.has(ref)) v.problem("licences", `${p.name} declares ${ref}, which has no entry`);
    }
  }
  return out;
}
