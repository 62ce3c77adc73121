import { describe, expect, it } from "vitest";
import { packageFromParagraph, type BinaryPackage } from "./packages.js";
import { resolvePackages, type PackageRequest } from "./resolve.js";
import { Universe } from "./universe.js";

/** `p("curl 7.88.1-10", { depends: "libcurl4 (= 7.88.1-10)" })` */
function p(spec: string, fields: Record<string, string> = {}, origin = 0): BinaryPackage {
  const [name, version] = spec.split(" ");
  const pkg = packageFromParagraph({ package: name!, version: version!, architecture: "amd64", ...fields }, origin);
  return pkg!;
}

function resolve(installed: BinaryPackage[], available: BinaryPackage[], requests: (string | PackageRequest)[], installRecommends = false) {
  const universe = new Universe("amd64", installed, [available]);
  const reqs = requests.map((r) => (typeof r === "string" ? { name: r } : r));
  return resolvePackages(universe, reqs, { installRecommends });
}

const names = (r: ReturnType<typeof resolve>) => r.install.map((x) => `${x.name}=${x.version}`).sort();

const libc = p("libc6 2.36-9", { priority: "required" });

describe("resolvePackages", () => {
  it("closes over Depends and Pre-Depends, leaving installed packages that satisfy them", () => {
    const r = resolve(
      [libc],
      [p("a 1", { depends: "b, libc6 (>= 2.34)" }), p("b 1", { "pre-depends": "c" }), p("c 2", { depends: "libc6" }), p("unrelated 1")],
      ["a"],
    );
    expect(r.problems).toEqual([]);
    expect(names(r)).toEqual(["a=1", "b=1", "c=2"]);
    expect(r.dependencies.get("b")).toEqual({ preDepends: ["c"], depends: [] });
    expect(r.dependencies.get("a")).toEqual({ preDepends: [], depends: ["b"] });
  });

  it("takes the highest version, and upgrades an installed package whose version no longer satisfies", () => {
    const r = resolve([libc], [p("a 1", { depends: "libc6 (>= 2.37)" }), p("libc6 2.37-1"), p("libc6 2.38-1"), p("a 0.9")], ["a"]);
    expect(names(r)).toEqual(["a=1", "libc6=2.38-1"]);
  });

  it("never downgrades an installed package that is newer than every repository version", () => {
    const r = resolve([p("b 3")], [p("a 1", { depends: "b" }), p("b 2")], ["a"]);
    expect(names(r)).toEqual(["a=1"]);
  });

  it("honours every version operator", () => {
    const avail = [p("x 1.0"), p("x 2.0"), p("x 3.0~rc1")];
    const pick = (dep: string) => resolve([], [...avail, p("a 1", { depends: dep })], ["a"]);
    expect(names(pick("x (<< 2.0)"))).toEqual([]); // the candidate 3.0~rc1 does not match: apt gives up too
    expect(pick("x (<< 2.0)").problems[0]!.detail).toMatch(/candidate version 3\.0~rc1 does not match/);
    expect(names(pick("x (>= 2.0)"))).toEqual(["a=1", "x=3.0~rc1"]);
    expect(names(pick("x (>> 3.0~)"))).toEqual(["a=1", "x=3.0~rc1"]);
    expect(pick("x (>> 3.0)").problems[0]!.detail).toMatch(/only versions 3\.0~rc1, 2\.0, 1\.0 are available/);
  });

  it("installs the exact version asked for, and lists the offered versions when it does not exist", () => {
    const avail = [p("jq 1.6-2.1", { depends: "libjq1 (= 1.6-2.1)" }), p("jq 1.7-1", { depends: "libjq1 (= 1.7-1)" }), p("libjq1 1.6-2.1"), p("libjq1 1.7-1")];
    // As with apt, pinning jq does not re-pin libjq1: the error says how to.
    const onlyJq = resolve([], avail, [{ name: "jq", version: "1.6-2.1" }]);
    expect(onlyJq.problems[0]!.detail).toContain('the candidate version 1.7-1 does not match (declare package "libjq1" with version = "1.6-2.1"');
    const both = resolve([], avail, [{ name: "jq", version: "1.6-2.1" }, { name: "libjq1", version: "1.6-2.1" }]);
    expect(names(both)).toEqual(["jq=1.6-2.1", "libjq1=1.6-2.1"]);
    const bad = resolve([], avail, [{ name: "jq", version: "1.5" }]);
    expect(bad.install).toEqual([]);
    expect(bad.problems).toMatchObject([{ request: 0, kind: "version", summary: "Version 1.5 of \"jq\" is not available", hint: 'Use version = "1.7-1", or remove the version to take the newest.' }]);
    expect(bad.problems[0]!.detail).toBe('The repositories offer "jq" in versions 1.7-1, 1.6-2.1.');
  });

  it("takes the first satisfiable alternative, and skips one whose own dependencies cannot be met", () => {
    expect(names(resolve([], [p("a 1", { depends: "x | y" }), p("x 1"), p("y 1")], ["a"]))).toEqual(["a=1", "x=1"]);
    expect(names(resolve([], [p("a 1", { depends: "x | y" }), p("y 1")], ["a"]))).toEqual(["a=1", "y=1"]);
    expect(names(resolve([], [p("a 1", { depends: "x | y" }), p("x 1", { depends: "missing" }), p("y 1")], ["a"]))).toEqual(["a=1", "y=1"]);
  });

  it("treats a group as satisfied when any alternative is installed, and prefers upgrading installed alternatives", () => {
    expect(names(resolve([p("y 1")], [p("a 1", { depends: "x | y" }), p("x 1"), p("y 1")], ["a"]))).toEqual(["a=1"]);
    const r = resolve([p("y 1")], [p("a 1", { depends: "x | y (>= 2)" }), p("x 1"), p("y 2")], ["a"]);
    expect(names(r)).toEqual(["a=1", "y=2"]);
  });

  it("chooses among virtual providers as apt does: installed, then Essential, then Priority", () => {
    const mta = (spec: string, priority: string) => p(spec, { provides: "mail-transport-agent", priority });
    const avail = [p("mailer 1", { depends: "default-mta | mail-transport-agent" }), mta("postfix 3", "optional"), mta("exim4-daemon-light 4", "standard")];
    expect(names(resolve([], avail, ["mailer"]))).toEqual(["exim4-daemon-light=4", "mailer=1"]);
    expect(names(resolve([p("postfix 3", { provides: "mail-transport-agent" })], avail, ["mailer"]))).toEqual(["mailer=1"]);
    const withDefault = [...avail, p("default-mta 1", { depends: "postfix" })];
    expect(names(resolve([], withDefault, ["mailer"]))).toEqual(["default-mta=1", "mailer=1", "postfix=3"]);
    const essential = [p("a 1", { depends: "awk" }), p("mawk 1", { provides: "awk", essential: "yes", priority: "required" }), p("gawk 5", { provides: "awk", priority: "optional" })];
    expect(names(resolve([], essential, ["a"]))).toEqual(["a=1", "mawk=1"]);
  });

  it("breaks a full tie among providers as apt's package ids do: the name first mentioned later wins", () => {
    // apt numbers packages as it first meets their names while reading the indexes; among otherwise equal
    // providers it tries the highest number first.
    const avail = [p("a 1", { depends: "editor" }), p("nano 1", { provides: "editor" }), p("joe 1", { provides: "editor" })];
    expect(names(resolve([], avail, ["a"]))).toEqual(["a=1", "joe=1"]);
    const mentioned = [p("a 1", { depends: "editor", suggests: "joe" }), p("nano 1", { provides: "editor" }), p("joe 1", { provides: "editor" })];
    expect(names(resolve([], mentioned, ["a"]))).toEqual(["a=1", "nano=1"]);
  });

  it("matches versioned relations only through versioned Provides", () => {
    const avail = [p("a 1", { depends: "libz (>= 2)" }), p("zlib-ng 1", { provides: "libz (= 2.1)" }), p("zlib-old 1", { provides: "libz" })];
    expect(names(resolve([], avail, ["a"]))).toEqual(["a=1", "zlib-ng=1"]);
  });

  it("satisfies :any only with Multi-Arch: allowed", () => {
    const ok = resolve([], [p("tool 1", { depends: "python3:any" }), p("python3 3.11", { "multi-arch": "allowed" })], ["tool"]);
    expect(names(ok)).toEqual(["python3=3.11", "tool=1"]);
    const bad = resolve([], [p("tool 1", { depends: "perl:any" }), p("perl 5")], ["tool"]);
    expect(bad.problems[0]!.detail).toMatch(/perl:any: no version can satisfy the :any qualifier/);
  });

  it("selects the only provider of a requested virtual package, and refuses to guess among several", () => {
    const avail = [p("mawk 1", { provides: "awk" }), p("gawk 5", { provides: "awk" }), p("nc-openbsd 1", { provides: "netcat" })];
    expect(names(resolve([], avail, ["netcat"]))).toEqual(["nc-openbsd=1"]);
    expect(resolve([], avail, ["awk"]).problems).toMatchObject([{ kind: "virtual", suggestions: ["gawk", "mawk"] }]);
  });

  it("suggests close names for an unknown package", () => {
    const r = resolve([], [p("curl 1"), p("libcurl4 1"), p("git 1"), p("openssh-client 1")], ["crul", "openssh"]);
    expect(r.problems.map((x) => [x.request, x.kind, x.hint])).toEqual([
      [0, "unknown", 'Did you mean "curl"?'],
      [1, "unknown", 'Did you mean "openssh-client"?'],
    ]);
  });

  it("explains an unsatisfiable version with the whole chain", () => {
    const avail = [p("curl 7.88.1-10+deb12u5", { depends: "libcurl4 (= 7.88.1-10+deb12u5)" }), p("libcurl4 7.88.1-10+deb12u5", { depends: "libssl3 (>= 3.1)" }), p("libssl3 3.0.11-1")];
    const r = resolve([], avail, ["curl"]);
    expect(r.install).toEqual([]);
    expect(r.problems).toHaveLength(1);
    const problem = r.problems[0]!;
    expect(problem).toMatchObject({ request: 0, kind: "unsatisfiable" });
    expect(problem.chain).toEqual(["curl (7.88.1-10+deb12u5)", "libcurl4 (7.88.1-10+deb12u5)", "libssl3 (>= 3.1)"]);
    expect(problem.detail).toContain("curl (7.88.1-10+deb12u5) → libcurl4 (7.88.1-10+deb12u5) → libssl3 (>= 3.1)");
    expect(problem.detail).toContain("only version 3.0.11-1 is available");
  });

  it("leaves Recommends out unless asked", () => {
    const avail = [p("a 1", { recommends: "r", depends: "d" }), p("r 1"), p("d 1")];
    expect(names(resolve([], avail, ["a"]))).toEqual(["a=1", "d=1"]);
    expect(names(resolve([], avail, ["a"], true))).toEqual(["a=1", "d=1", "r=1"]);
    expect(names(resolve([], [p("a 1", { recommends: "missing" })], ["a"], true))).toEqual(["a=1"]);
  });

  it("upgrades installed binaries of the same source version (apt's UpgradeOtherBinaries)", () => {
    const installed = [p("libfoo1 1.0", { source: "foo" }), p("foo-common 1.0", { source: "foo" }), p("libbar 1.0")];
    const avail = [p("foo-tools 1.1", { source: "foo" }), p("libfoo1 1.1", { source: "foo" }), p("foo-common 1.1", { source: "foo" }), p("libbar 2.0")];
    expect(names(resolve(installed, avail, ["foo-tools"]))).toEqual(["foo-common=1.1", "foo-tools=1.1", "libfoo1=1.1"]);
  });

  it("reports Conflicts with an installed package, and resolves Breaks by upgrading when that helps", () => {
    const conflict = resolve([p("mawk 1")], [p("gawk 5", { conflicts: "mawk" })], ["gawk"]);
    expect(conflict.problems).toMatchObject([{ kind: "conflict" }]);
    expect(conflict.problems[0]!.detail).toBe("gawk (5) declares mawk, which mawk (1) matches.");
    const upgrade = resolve([p("old 1")], [p("new 2", { breaks: "old (<< 2)" }), p("old 2")], ["new"]);
    expect(upgrade.problems).toEqual([]);
    expect(names(upgrade)).toEqual(["new=2", "old=2"]);
    const installedBreaks = resolve([p("guard 1", { breaks: "lib (>= 2)" })], [p("lib 2")], ["lib"]);
    expect(installedBreaks.problems).toMatchObject([{ kind: "conflict" }]);
  });

  it("is deterministic and does not depend on the order of stanzas in an index", () => {
    const avail = [p("a 1", { depends: "b | c, d" }), p("b 1", { depends: "e" }), p("c 1"), p("d 1", { depends: "c | b" }), p("e 1"), p("e 2")];
    const once = names(resolve([libc], avail, ["a"]));
    for (let i = 0; i < 10; i++) {
      const shuffled = [...avail].sort(() => Math.random() - 0.5);
      expect(names(resolve([libc], shuffled, ["a"]))).toEqual(once);
    }
    expect(once).toEqual(["a=1", "b=1", "d=1", "e=2"]);
  });

  it("prefers the first repository among identical versions", () => {
    const universe = new Universe("amd64", [], [[p("x 1", {}, 0)], [p("x 1", {}, 1)]]);
    const r = resolvePackages(universe, [{ name: "x" }], { installRecommends: false });
    expect(r.install[0]!.origin).toBe(0);
  });
});
