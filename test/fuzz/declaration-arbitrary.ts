import fc from "fast-check";

/**
 * fast-check arbitraries for whole declarations whose every value is hostile: each attribute and label
 * of the language's schema gets, at random, a sensible value or one an attacker would try (control
 * characters, NUL, `..` escapes, `-option`, `ext::`, `file://`, empty strings, nulls inside computed
 * lists and maps, huge or fractional numbers, wrong types). The structure stays mostly valid, so that
 * inputs get past parsing and into decoding, the checks and compilation to LLB.
 */

/** String contents as written between quotes in HCL (escapes included). */
const SAFE = ["app", "a", "a/b", "bin/tool", "/etc/a", "/usr/bin/env", "/opt/tools/", "main", "v1.0.0", "0755", "4755", "1000:1000", "app:app", "8080", "53/udp", "SIGTERM", "linux/amd64", "linux/arm/v7", "debian:bookworm", "scratch", "https://example.org/tool", "https://example.org/r.git", "git@github.com:o/r.git", "ssh://git@example.org/r.git", "0123456789abcdef0123456789abcdef01234567", "bookworm", "jq", "1.6-2.1", "CMD", "NONE", "30s", "Dockerfile", "*"];
const HOSTILE = [
  "", " ", "-x", "--upload-pack=touch /x", "ext::sh -c x", "fd::3", "file:///srv/r", "/", "//", "/.", "/..", "/../x", "/a/../../b", "/a/./b//c/", "..", "../x", "./", ".", "~/x",
  "a\\u0000b", "a\\nb", "\\r", "\\t", "\\u001b[31m", "\\u007f", "\\u0085", "\\u202e", "😀", "é/ü", "HTTPS://EXAMPLE.ORG/X", "https://", "https://?x", "https:///x", "http://[::1]:99999/x",
  "a=b", "=", "99999999999", "4294967296", "-1", "1e308", "0x10", "07777", "17777", "sha256:abc", "a b", " x ", "%%{", "$${x}", "[", "\\\\", "a:b:c", ":", "@", "root", "x".repeat(300),
  "git@host:", "user@:path", "ssh://", "git://h/#ref", "https://h/r.git#v1", "v1:sub", "a..b", "a@{1}", "refs/heads/", "x.lock", "CMD-SHELL", "0", "1ms", "-5s", "3000000h", "9223372036854775807ns", "0.0000001s", "1e400h", "linux", "linux/amd64/v9",
];

const quoted = fc.constantFrom(...SAFE, ...HOSTILE).map((s) => `"${s}"`);
const number = fc.constantFrom("0", "-1", "0.5", "493", "4095", "4096", "65535", "65536", "1e308", "1e308 * 10", "99999999999999999999", "1 / 0");

/** An expression: mostly a string, sometimes a computed value with a null or unknown inside, or a wrong type. */
function expr(depth: number): fc.Arbitrary<string> {
  const leaf = fc.oneof({ weight: 8, arbitrary: quoted }, { weight: 2, arbitrary: number }, { weight: 1, arbitrary: fc.constantFrom("true", "false", "null") });
  if (depth <= 0) return leaf;
  const sub = expr(depth - 1);
  return fc.oneof(
    { weight: 10, arbitrary: leaf },
    { weight: 2, arbitrary: fc.array(sub, { maxLength: 3 }).map((xs) => `[${xs.join(", ")}]`) },
    { weight: 1, arbitrary: fc.array(sub, { maxLength: 2 }).map((xs) => `concat([${xs.join(", ")}], [null])`) },
    { weight: 1, arbitrary: fc.tuple(quoted, sub).map(([k, v]) => `merge({ ${k} = ${v} }, { B = null })`) },
    { weight: 1, arbitrary: fc.array(fc.tuple(quoted, sub), { maxLength: 3 }).map((kv) => `{ ${kv.map(([k, v]) => `${k} = ${v}`).join(", ")} }`) },
    { weight: 1, arbitrary: fc.array(sub, { maxLength: 3 }).map((xs) => `[for x in [${xs.join(", ")}] : x]`) },
    { weight: 1, arbitrary: fc.tuple(quoted, sub).map(([k, v]) => `{ for k in [${k}] : k => ${v} }`) },
    { weight: 1, arbitrary: sub.map((e) => `"\${${e}}/x"`) },
    { weight: 1, arbitrary: sub.map((e) => `tolist(${e})`) },
  );
}

/** Mostly a sensible value for the field (HCL source), now and then a hostile expression. */
const hostile = expr(2);
function v(...sensible: string[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 40, arbitrary: fc.constantFrom(...sensible) }, { weight: 1, arbitrary: hostile });
}
/** A block label: a quoted string, sensible or hostile. */
function l(...sensible: string[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...sensible) }, { weight: 1, arbitrary: quoted });
}
const q = (...xs: string[]) => xs.map((x) => `"${x}"`);

const absolute = v(...q("/etc/a", "/usr/local/bin/tool", "/opt/x/", "/a/./b", "/a//b", "/srv/app/../data"));
const relative = v(...q("a", "bin/tool", "./x", "conf//app.conf"));
const word = v(...q("app", "main", "v1.0.0", "hello world", "x\\ny"));

/** Some of `attrs` (name → arbitrary of its value), each present or not. */
function attributes(indent: string, attrs: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const entries = Object.entries(attrs);
  return fc
    .tuple(...entries.map(([name, arb]) => fc.option(arb.map((x) => `${indent}${name} = ${x}\n`), { nil: "", freq: 2 })))
    .map((lines) => lines.join(""));
}

const source = fc.oneof(
  { weight: 1, arbitrary: fc.tuple(l('"build"'), absolute).map(([b, p]) => `    from_step ${b} {\n      path = ${p}\n    }\n`) },
  { weight: 2, arbitrary: fc.tuple(l('"assets.tgz"'), relative).map(([b, p]) => `    from_tarball ${b} {\n      path = ${p}\n    }\n`) },
  { weight: 3, arbitrary: relative.map((p) => `    from_context {\n      path = ${p}\n    }\n`) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(v(...q("https://example.org/tool", "HTTP://example.org:8080/t?x=1")), v(`"${"a".repeat(64)}"`, `"sha256:${"B".repeat(64)}"`))
      .map(([u, h]) => `    from_http {\n      url    = ${u}\n      sha256 = ${h}\n    }\n`),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(v(...q("https://example.org/r.git", "git@github.com:o/r.git", "ssh://git@example.org:22/r")), v(...q("main", "v1.0.0", "0123456789abcdef0123456789abcdef01234567")), relative)
      .map(([r, f, p]) => `    from_git {\n      repository = ${r}\n      ref        = ${f}\n      path       = ${p}\n    }\n`),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(v(...q("debian:bookworm", "127.0.0.1:5000/x@sha256:" + "c".repeat(64))), absolute)
      .map(([i, p]) => `    from_image {\n      image = ${i}\n      path  = ${p}\n    }\n`),
  },
);

const file = (i: number) =>
  fc
    .tuple(l(`"/f${i}"`, `"/opt/f${i}/"`, `"/usr//f${i}"`), attributes("    ", { mode: v('"0755"', '"4755"', "493", '"0600"'), owner: v(...q("1000:1000", "app", "app:app")) }), source)
    .map(([dest, attrs, src]) => `  file ${dest} {\n${attrs}${src}  }\n`);

const vcs = fc.tuple(v(...q("https://example.org/src")), v(...q("v1", "0123abc"))).map(([r, f]) => `vcs "git" {\n        repository = ${r}\n        ref = ${f}\n      }`);
const apt = fc
  .tuple(l('"jq"', '"curl"'), fc.option(v('"1.6-2.1"'), { nil: undefined }), fc.option(vcs, { nil: undefined }))
  .map(([name, version, x]) => `  apt {\n    package ${name} {\n${version !== undefined ? `      version = ${version}\n` : ""}${x !== undefined ? `      ${x}\n` : ""}    }\n  }\n`);

const id = v("10001", "0", "65534", "4294967294", "4294967295", "-1", "1.5");
const accountName = l('"app"', '"app"', '"root"', '"_svc$"', '"a:b"', '"ops"');
const group = fc.tuple(accountName, id).map(([n, g]) => `  group ${n} {\n    gid = ${g}\n  }\n`);
const user = fc
  .tuple(accountName, id, v(...q("app", "root", "nope", "ops")), attributes("    ", { groups: v('["ops"]', '["users", "ops"]', '["ops", "ops"]', "[]"), home: absolute, shell: v(...q("/bin/sh", "/", "bin/sh")), create_home: v("true", "false") }))
  .map(([n, u, g, attrs]) => `  user ${n} {\n    uid = ${u}\n    group = ${g}\n${attrs}  }\n`);
/** Groups and users: the names and ids collide now and then, with each other and with a base's. */
const accounts = fc.tuple(fc.array(group, { maxLength: 2 }), fc.array(user, { maxLength: 2 })).map(([gs, us]) => gs.join("") + us.join(""));

const config = {
  entrypoint: v('["/bin/app"]', '["/bin/sh", "-c", "echo hi\\nthere"]'),
  cmd: v('["serve"]', "[]"),
  env: v('{ A = "1", B = "two words" }', '{ "PATH" = "/bin" }'),
  user: v(...q("app", "1000:1000")),
  workdir: absolute,
  labels: v('{ "org.example.a" = "x" }', '{ a = "multi\\nline" }'),
  expose: v('[80, "53/udp"]', '["8080/tcp"]'),
  volumes: v('["/data"]', '["/data", "/cache//x"]'),
  stopsignal: v(...q("SIGTERM", "9")),
  platforms: v('["linux/amd64"]', '["linux/arm64", "linux/arm/v7"]'),
};

const image = (n: number) =>
  fc
    .tuple(
      l(`"app${n}"`),
      v('"debian:bookworm"', '"debian:bookworm"', '"127.0.0.1:5000/base:1"', '"scratch"'),
      attributes("  ", config),
      fc.integer({ min: 1, max: 4 }).chain((k) => fc.tuple(...Array.from({ length: k }, (_, i) => file(i)))),
      fc.option(
        fc
          .tuple(v('["CMD", "/bin/ok"]', '"curl -f localhost"', '["NONE"]'), v("3", "0"), v(...q("30s", "1m30s", "0", "1.5h", "250ms")))
          .map(([t, r, d]) => `  healthcheck {\n    test = ${t}\n    retries = ${r}\n    interval = ${d}\n  }\n`),
        { nil: "" },
      ),
      fc.option(absolute.map((p) => `  bom {\n    path = ${p}\n  }\n`), { nil: "" }),
      fc.option(apt, { nil: "", freq: 4 }),
      fc.option(accounts, { nil: "", freq: 2 }),
    )
    .map(([name, base, attrs, files, health, bom, aptBlock, accountBlocks]) => `image ${name} {\n  base_image = ${base}\n${attrs}${files.join("")}${health}${bom}${aptBlock}${accountBlocks}}\n`);

// One source_file per depth, so that most step and tarball paths have one (estaleiro's rule).
const sourceFiles = fc
  .tuple(...["*", "*/*", "*/*/*", "/*", "/*/*", "/*/*/*", "/*/*/*/"].map((p) => fc.tuple(l(`"${p}"`), vcs)))
  .map((sfs) => sfs.map(([b, x]) => `  source_file ${b} {\n    ${x}\n  }\n`).join(""));
const step = fc
  .tuple(l('"build"'), attributes("  ", { target: word, context: relative, build_args: v('{ A = "1" }') }), relative, sourceFiles)
  .map(([b, attrs, dockerfile, sfs]) => `step ${b} {\n  dockerfile = ${dockerfile}\n${attrs}${sfs}}\n`);
const tarball = fc.tuple(l('"assets.tgz"'), sourceFiles).map(([b, sfs]) => `tarball ${b} {\n${sfs}}\n`);

/** A whole declaration: one or two images, maybe steps and tarballs. */
export const hostileDeclaration: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(fc.tuple(image(1)), fc.tuple(image(1), image(2))), fc.option(step, { nil: "", freq: 4 }), fc.option(tarball, { nil: "", freq: 4 }))
  .map(([images, s, t]) => [s, t, ...images].filter(Boolean).join("\n"));
