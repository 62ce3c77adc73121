import type { Bom } from "./model.js";
import { compareStrings } from "./order.js";
import { imagePackages, sourcePackagesOf } from "./image-packages.js";

/** Licences listed by name before the rest are counted as "… N more". */
const LICENCES_SHOWN = 12;

/**
 * What `slipway bom SOURCE` prints by default: what a person wants first from 60 KB of YAML. The base
 * image, the packages (base / added), the added files, the declared licences by how many packages name
 * each, and where things came from (source packages, repositories, file origins). Plain text, stable
 * order, nothing timed.
 */
export function renderBomSummary(bom: Bom): string {
  const out: string[] = [];
  const row = (label: string, value: string) => out.push(`${label.padEnd(12)}${value}`);
  row("Image", `${bom.image.name} (${bom.image.platform}${bom.image.target !== undefined ? `, target ${bom.image.target}` : ""})`);
  row("Declaration", `${bom.declaration.file} sha256:${bom.declaration.sha256}`);
  if (bom.base.kind === "image") {
    const os = bom.base.os;
    row("Base image", `${bom.base.canonicalName}${os !== undefined ? ` (${[os.id, os.versionId || os.versionCodename].filter((x) => x).join(" ")})` : ""}`);
  } else {
    row("Base image", "scratch");
  }
  const inImage = imagePackages(bom);
  const added = inImage.filter((x) => x.added).length;
  row("Packages", `${inImage.length} (${inImage.length - added} from the base image, ${added} added)`);
  if (bom.declaration.packages !== undefined && bom.declaration.packages.length > 0) row("Asked for", bom.declaration.packages.join(" "));
  row("Files", `${bom.files.length} added${bom.files.length > 0 ? ` (${originCounts(bom)})` : ""}`);

  const measured = inImage.filter((x) => x.package.licence !== undefined);
  if (measured.length > 0) {
    const declared = measured.filter((x) => x.package.licence!.declared !== "NOASSERTION").length;
    row("Licences", `declared for ${declared} of ${inImage.length} packages (${percent(declared, inImage.length)}); packages naming each:`);
    const counts = new Map<string, number>();
    for (const x of measured) {
      for (const id of new Set(x.package.licence!.declared.split(/[ ()]+/).filter((t) => t !== "" && !/^(AND|OR|WITH)$/.test(t)))) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const ranked = [...counts].sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]));
    for (const [id, n] of ranked.slice(0, LICENCES_SHOWN)) out.push(`  ${String(n).padStart(5)}  ${id}`);
    if (ranked.length > LICENCES_SHOWN) out.push(`  … ${ranked.length - LICENCES_SHOWN} more (--format spdx lists every package's licence)`);
  } else {
    row("Licences", "not recorded in this BOM");
  }

  const sources = sourcePackagesOf(inImage.map((x) => x.package));
  row("Sources", `${sources.length} Debian source packages; ${bom.repositories.length} repositor${bom.repositories.length === 1 ? "y" : "ies"}${bom.repositories.length > 0 ? ":" : ""}`);
  for (const r of bom.repositories) out.push(`  ${r.types.join(",")} ${r.uri} ${r.suite} ${r.components.join(" ")}`);
  return `${out.join("\n")}\n`;
}

function percent(n: number, of: number): string {
  return of === 0 ? "0 %" : `${((100 * n) / of).toFixed(1)} %`;
}

function originCounts(bom: Bom): string {
  const counts = new Map<string, number>();
  for (const f of bom.files) counts.set(f.origin.kind, (counts.get(f.origin.kind) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => compareStrings(a[0], b[0]))
    .map(([kind, n]) => `${n} from ${kind}`)
    .join(", ");
}
