import { describe, expect, test } from "vitest";
import { debPurl, ociPurl, purl } from "./index.js";

const bookworm = { id: "debian", versionId: "12", versionCodename: "bookworm" };

describe("purl encoding (package-url spec, characters and encoding)", () => {
  test.each([
    // + must be %2B, or a decoder turns it into a space.
    [debPurl(bookworm, "curl", "7.88.1-10+deb12u5", "amd64"), "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12"],
    // The colon of a Debian epoch is never encoded; ~ is unreserved.
    [debPurl(bookworm, "bsdutils", "1:2.38.1-5+b1", "amd64"), "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bb1?arch=amd64&distro=debian-12"],
    [debPurl(bookworm, "docker-ce", "5:27.3.1-1~debian.12~bookworm", "amd64"), "pkg:deb/debian/docker-ce@5:27.3.1-1~debian.12~bookworm?arch=amd64&distro=debian-12"],
    // Source packages: arch=source.
    [debPurl(bookworm, "attr", "1:2.5.1-4", "source"), "pkg:deb/debian/attr@1:2.5.1-4?arch=source&distro=debian-12"],
    // The namespace is the os-release ID; no VERSION_ID falls back to the codename.
    [debPurl({ id: "ubuntu", versionId: "24.04", versionCodename: "noble" }, "dpkg", "1.22.6ubuntu6", "arm64"), "pkg:deb/ubuntu/dpkg@1.22.6ubuntu6?arch=arm64&distro=ubuntu-24.04"],
    [debPurl({ id: "debian", versionId: "", versionCodename: "trixie" }, "g++", "4:14.2.0-1", "amd64"), "pkg:deb/debian/g%2B%2B@4:14.2.0-1?arch=amd64&distro=debian-trixie"],
    // No os-release: namespace debian, no distro qualifier.
    [debPurl(undefined, "x", "1", "all"), "pkg:deb/debian/x@1?arch=all"],
    // upstream= as syft writes it: the source's name when only it differs, name@version for a binNMU
    [debPurl(bookworm, "libcurl4", "7.88.1-10+deb12u8", "amd64", { name: "curl", version: "7.88.1-10+deb12u8" }), "pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u8?arch=amd64&distro=debian-12&upstream=curl"],
    [debPurl(bookworm, "bash", "5.2.15-2+b8", "amd64", { name: "bash", version: "5.2.15-2" }), "pkg:deb/debian/bash@5.2.15-2%2Bb8?arch=amd64&distro=debian-12&upstream=bash%405.2.15-2"],
    [debPurl(bookworm, "curl", "7.88.1-10+deb12u8", "amd64", { name: "curl", version: "7.88.1-10+deb12u8" }), "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u8?arch=amd64&distro=debian-12"],
    // Qualifiers sorted by key; empty ones left out; `/` inside a value encoded; non-ASCII as UTF-8 bytes.
    [purl({ type: "generic", name: "a b", version: "é", qualifiers: { z: "1", a: "x/y", m: "" } }), "pkg:generic/a%20b@%C3%A9?a=x%2Fy&z=1"],
  ])("%s", (actual, expected) => {
    expect(actual).toBe(expected);
  });

  test("image purls name the last path component and keep the repository as a qualifier", () => {
    const digest = `sha256:${"0".repeat(64)}`;
    expect(ociPurl(`docker.io/library/debian:bookworm@${digest}`, "amd64")).toBe(
      `pkg:oci/debian@${digest}?arch=amd64&repository_url=docker.io%2Flibrary%2Fdebian&tag=bookworm`,
    );
    expect(ociPurl(`127.0.0.1:5000/team/app@${digest}`)).toBe(`pkg:oci/app@${digest}?repository_url=127.0.0.1:5000%2Fteam%2Fapp`);
    expect(ociPurl("debian:bookworm")).toBeUndefined();
  });
});
