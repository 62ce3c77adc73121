import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readCopyright } from "../../frontend/bom/copyright.js";
import { isSpdxExpression, licenseRefFor, spdxForDebianName } from "../../frontend/bom/licence-names.js";

/**
 * The DEP-5 reader on real copyright files, copied from /usr/share/doc/<package>/copyright in the
 * examples/debian-tools image (Debian 12), and on a few hand-written synopses for the grammar's corners.
 */
const fixture = (name: string) => readFileSync(new URL(`../fixtures/copyright/${name}`, import.meta.url));

describe("Debian licence names as SPDX ids", () => {
  it.each([
    ["GPL-2+", "GPL-2.0-or-later"],
    ["GPL-2", "GPL-2.0-only"],
    ["GPL-2.0+", "GPL-2.0-or-later"],
    ["LGPL-2.1+", "LGPL-2.1-or-later"],
    ["lgpl-3", "LGPL-3.0-only"],
    ["AGPL-3+", "AGPL-3.0-or-later"],
    ["GFDL-NIV-1.3+", "GFDL-1.3-no-invariants-or-later"],
    ["Expat", "MIT"],
    ["BSD-3-clause", "BSD-3-Clause"],
    ["Apache-2", "Apache-2.0"],
    ["OpenLDAP-2.8", "OLDAP-2.8"],
    ["Perl", "Artistic-1.0-Perl OR GPL-1.0-or-later"],
    ["Zlib", "Zlib"],
    ["curl", "curl"],
  ])("%s → %s", (name, id) => {
    expect(spdxForDebianName(name)).toBe(id);
  });

  it.each(["public-domain", "GPL", "BSD", "permissive", "GPL-7+", "Artistic-dist"])("%s has no SPDX id", (name) => {
    expect(spdxForDebianName(name)).toBeUndefined();
  });

  it("checks an expression operand by operand, as strictly as the parser checks it whole", () => {
    expect(isSpdxExpression("MIT AND (GPL-2.0-or-later OR LicenseRef-a.b) AND GPL-2.0-only WITH Classpath-exception-2.0")).toBe(true);
    expect(isSpdxExpression("MIT AND (GPL-2.0-or-later AND BSD-3-Clause) AND LicenseRef-x")).toBe(true);
    expect(isSpdxExpression("MIT AND mit")).toBe(false);
    expect(isSpdxExpression("MIT AND (GPL-2.0-or-later AND BSD-3-Clause")).toBe(false);
    expect(isSpdxExpression("MIT AND")).toBe(false);
    expect(isSpdxExpression("LicenseRef-ok AND LicenseRef-not ok")).toBe(false);
    expect(isSpdxExpression("MIT) AND (MIT")).toBe(false);
  });

  it("spells a LicenseRef with what an SPDX id may hold", () => {
    expect(licenseRefFor("GPL-2+ with OpenSSL exception")).toBe("LicenseRef-GPL-2-plus-with-OpenSSL-exception");
    expect(licenseRefFor("public domain (s/s/d)")).toBe("LicenseRef-public-domain-s-s-d");
    expect(isSpdxExpression(licenseRefFor("ä ö ü"))).toBe(true);
  });
});

describe("DEP-5 files from the image", () => {
  it("libcurl4 (curl): SPDX ids, a known exception as WITH, an unknown one as a LicenseRef with its text", () => {
    const r = readCopyright(fixture("libcurl4"));
    expect(r.format).toBe("dep5");
    const conjuncts = r.declared!.split(" AND ");
    expect(conjuncts).toEqual(expect.arrayContaining(["curl", "GPL-2.0-or-later WITH Libtool-exception", "OLDAP-2.8", "ISC", "BSD-3-Clause"]));
    const autoconf = r.extracted.find((e) => e.id === "LicenseRef-GPL-2-plus-with-Autoconf-data-exception");
    expect(autoconf?.name).toBe("GPL-2+ with Autoconf-data exception");
    // the stand-alone License paragraph's text, not the empty body of the Files paragraph that names it
    expect(autoconf?.text).toMatch(/^This program is free software; you can redistribute it/);
    expect(isSpdxExpression(r.declared!)).toBe(true);
  });

  it("libgmp10: an `or` synopsis stays one parenthesised alternative", () => {
    const r = readCopyright(fixture("libgmp10"));
    expect(r.declared).toBe("(GPL-2.0-or-later OR LGPL-3.0-or-later) AND GPL-3.0-or-later AND LicenseRef-GPL-3-plus-with-Bison-exception");
  });

  it("libsystemd0: Expat is MIT, a Linux-syscall-note exception is WITH, public domain is a LicenseRef", () => {
    const r = readCopyright(fixture("libsystemd0"));
    expect(r.declared).toBe("CC0-1.0 AND GPL-2.0-only WITH Linux-syscall-note AND GPL-2.0-or-later AND LGPL-2.1-or-later AND LicenseRef-public-domain AND MIT");
    expect(r.extracted.map((e) => e.id)).toEqual(["LicenseRef-public-domain"]);
  });

  it("dpkg and tzdata: LicenseRef texts from the stand-alone paragraph, or the Files paragraph's own body", () => {
    const dpkg = readCopyright(fixture("dpkg"));
    expect(dpkg.declared).toBe("BSD-2-Clause AND GPL-2.0-only AND GPL-2.0-or-later AND LicenseRef-public-domain-s-s-d");
    expect(dpkg.extracted).toHaveLength(1);
    expect(dpkg.extracted[0]!.text).toMatch(/^Written by Marek Michalkiewicz/);
    const tz = readCopyright(fixture("tzdata"));
    expect(tz).toEqual({
      declared: "LicenseRef-public-domain",
      extracted: [{ id: "LicenseRef-public-domain", name: "public-domain", text: "This database is in the public domain." }],
      format: "dep5",
    });
  });

  it("zlib1g, libcap2, liberror-perl", () => {
    expect(readCopyright(fixture("zlib1g")).declared).toBe("Zlib");
    expect(readCopyright(fixture("libcap2")).declared).toBe("(BSD-3-Clause OR GPL-2.0-only) AND (BSD-3-Clause OR GPL-2.0-or-later)");
    expect(readCopyright(fixture("liberror-perl")).declared).toBe("(Artistic-1.0 OR GPL-1.0-or-later) AND LicenseRef-MIT-X11");
  });
});

describe("files that are not DEP-5", () => {
  it("base-files: one pointer to common-licenses/GPL, with one version stated and 'any later version'", () => {
    expect(readCopyright(fixture("base-files"))).toEqual({ declared: "GPL-2.0-or-later", extracted: [], format: "common-licenses" });
  });

  it("librtmp1: two versioned pointers, each 'or later' by its own sentence", () => {
    expect(readCopyright(fixture("librtmp1")).declared).toBe("GPL-2.0-or-later AND LGPL-2.1-or-later");
  });

  it("libkrb5-3: a pointer beside BSD and MIT grants is NOASSERTION, not a guess", () => {
    expect(readCopyright(fixture("libkrb5-3"))).toEqual({ extracted: [], format: "unknown" });
  });

  it("libsemanage2: bare LGPL and GPL pointers, each read with the version stated next to its own name", () => {
    // "GNU Lesser General Public License … either version 2.1 …, or (at your option) any later version"
    // for the library, "GNU General Public License, version 2." for the Debian changes
    expect(readCopyright(fixture("libsemanage2"))).toEqual({ declared: "GPL-2.0-only AND LGPL-2.1-or-later", extracted: [], format: "common-licenses" });
  });

  it("libtasn1-6: a bare LGPL pointer beside LGPL-2.1, with GPL-3 and GFDL-1.3 each 'or later' by its own sentence", () => {
    expect(readCopyright(fixture("libtasn1-6")).declared).toBe("GFDL-1.3-or-later AND GPL-3.0-or-later AND LGPL-2.1-or-later");
  });

  it("libselinux1: public-domain code beside two pointed files is LicenseRef-public-domain, its paragraph as the text", () => {
    expect(readCopyright(fixture("libselinux1"))).toEqual({
      declared: "GPL-2.0-only AND LGPL-2.1-or-later AND LicenseRef-public-domain",
      extracted: [{ id: "LicenseRef-public-domain", name: "public-domain", text: "This library (libselinux) is public domain software, i.e. not copyrighted." }],
      format: "common-licenses",
    });
  });

  it("a public-domain mention that does not say something is public domain is NOASSERTION", () => {
    const pointer = "\n\nSee /usr/share/common-licenses/GPL-2.\n";
    expect(readCopyright(`This program is not in the public domain.${pointer}`).declared).toBeUndefined();
    expect(readCopyright(`Based on public domain code by someone.${pointer}`).declared).toBeUndefined();
    expect(readCopyright(`The tables are in the public domain.${pointer}`).declared).toBe("GPL-2.0-only AND LicenseRef-public-domain");
  });

  it("prose without a pointer, or a bare GPL pointer with no version, is NOASSERTION", () => {
    expect(readCopyright("This package is free software.\n").declared).toBeUndefined();
    expect(readCopyright("See /usr/share/common-licenses/GPL and /usr/share/common-licenses/LGPL.\n").declared).toBeUndefined();
  });

  it("a bare pointer to a licence stated in two versions is NOASSERTION", () => {
    const text = (v: string) =>
      `Under the GNU General Public License, version 2 or later; some parts under the GNU General Public License, version ${v}.\nSee /usr/share/common-licenses/GPL.\n`;
    expect(readCopyright(text("3")).declared).toBeUndefined();
    expect(readCopyright(text("2")).declared).toBe("GPL-2.0-or-later");
  });

  it("'or later' counts for the licence it is said of, not for another of the same version", () => {
    const text =
      "The library is under the GNU Lesser General Public License as published by the Free Software Foundation; either version 2 of the License, or (at your option) any later version.\n" +
      "The programs are under the GNU General Public License, version 2.\n" +
      "See /usr/share/common-licenses/LGPL-2 and /usr/share/common-licenses/GPL-2.\n";
    expect(readCopyright(text).declared).toBe("GPL-2.0-only AND LGPL-2.0-or-later");
  });
});

describe("hostile copyright files", () => {
  // each of these took time quadratic in the file's size before (minutes at these sizes)
  it("a file of lines without a colon, then one", () => {
    expect(readCopyright(`${"a\n".repeat(400_000)}Format: x\n`).declared).toBeUndefined();
  });

  it("a prose file of GNU licence names and versions", () => {
    const text = `See /usr/share/common-licenses/GPL-2.\n${"GNU General Public License version 2 ".repeat(60_000)}\n`;
    expect(readCopyright(text).declared).toBe("GPL-2.0-only");
  });

  it("a prose file saying 'is public domain' over and over, in one paragraph", () => {
    const r = readCopyright(`See /usr/share/common-licenses/GPL-2.\n${"This is public domain. ".repeat(100_000)}\n`);
    expect(r.declared).toBe("GPL-2.0-only AND LicenseRef-public-domain");
  });
});

describe("the DEP-5 synopsis grammar", () => {
  const dep5 = (synopsis: string, extra = "") =>
    readCopyright(`Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: someone\nLicense: ${synopsis}\n${extra}`);

  it("`and` binds tighter than `or`; a comma before the operator regroups", () => {
    expect(dep5("GPL-2+ or MIT and BSD-3-clause").declared).toBe("GPL-2.0-or-later OR (MIT AND BSD-3-Clause)");
    expect(dep5("GPL-2+ or Expat, and BSD-3-clause").declared).toBe("(GPL-2.0-or-later OR MIT) AND BSD-3-Clause");
  });

  it("an exception SPDX does not list makes the whole term a LicenseRef, with the stand-alone text", () => {
    const r = dep5("GPL-2+ with OpenSSL exception", "\nLicense: GPL-2+ with OpenSSL exception\n In addition, as a special exception,\n .\n the authors give permission.\n");
    expect(r.declared).toBe("LicenseRef-GPL-2-plus-with-OpenSSL-exception");
    expect(r.extracted).toEqual([
      { id: "LicenseRef-GPL-2-plus-with-OpenSSL-exception", name: "GPL-2+ with OpenSSL exception", text: "In addition, as a special exception,\n\nthe authors give permission." },
    ]);
  });

  it("reads paragraphs the way deb822 does: a byte order mark, CRLF, a line of white space that ends a text", () => {
    const crlf = "\ufeffFormat: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\r\n\r\nFiles: *\r\nCopyright: x\r\nLicense: permissive\r\n\r\n" +
      "License: permissive\r\n Do what you like.\r\n .\r\n Really.\r\n \t\r\n Not this: a line of spaces ends the paragraph.\r\n";
    expect(readCopyright(crlf).extracted).toEqual([{ id: "LicenseRef-permissive", name: "permissive", text: "Do what you like.\n\nReally." }]);
    expect(readCopyright(new TextEncoder().encode(crlf)).extracted[0]!.text).toMatch(/^Do what you like\./);
  });

  it("a non-ASCII synopsis and licence text are decoded as UTF-8", () => {
    const r = dep5("Schöne-Lizenz", "\nLicense: Schöne-Lizenz\n Grüße.\n");
    expect(r.extracted).toEqual([{ id: "LicenseRef-Sch-ne-Lizenz", name: "Schöne-Lizenz", text: "Grüße." }]);
  });

  it("a LicenseRef with no text anywhere says so instead of inventing one", () => {
    expect(dep5("permissive").extracted[0]!.text).toMatch(/names the licence "permissive" without its text/);
  });
});
