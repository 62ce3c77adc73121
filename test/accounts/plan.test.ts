import { describe, expect, it } from "vitest";
import { loadDeclaration, SourceFile, type Image } from "../../grammar/index.js";
import { planAccounts, readBaseAccounts, type BaseAccounts } from "../../frontend/accounts/index.js";

// the first lines of debian:bookworm's files, as the image has them
const base: BaseAccounts = {
  "/etc/passwd": { text: "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n", mode: 0o644, uid: 0, gid: 0 },
  "/etc/group": { text: "root:x:0:\ndaemon:x:1:\nshadow:x:42:\nusers:x:100:\nnogroup:x:65534:\n", mode: 0o644, uid: 0, gid: 0 },
  "/etc/shadow": { text: "root:*:19676:0:99999:7:::\ndaemon:*:19676:0:99999:7:::\nnobody:*:19676:0:99999:7:::\n", mode: 0o640, uid: 0, gid: 42 },
  "/etc/gshadow": { text: "root:*::\ndaemon:*::\nshadow:*::\nusers:*::\nnogroup:*::\n", mode: 0o640, uid: 0, gid: 42 },
};

function image(body: string): Image {
  const r = loadDeclaration(new SourceFile("slipway.hcl", `image "app" {\n  base_image = "debian:bookworm"\n${body}\n}\n`), { vars: new Map() });
  expect(r.diagnostics).toEqual([]);
  return r.value!.images[0]!;
}

function errors(body: string, files: BaseAccounts = base): string[] {
  const planned = planAccounts(image(body), files, 0);
  expect(planned.value).toBeUndefined();
  return planned.diagnostics.map((d) => `${d.subject!.start.line}:${d.subject!.start.column} ${d.summary}: ${d.detail}`);
}

/** The plan, when there is one with no diagnostic. */
function plan(...args: Parameters<typeof planAccounts>) {
  const planned = planAccounts(...args);
  expect(planned.diagnostics).toEqual([]);
  return planned.value!;
}

const app = `  group "app" {\n    gid = 10001\n  }\n  group "ops" {\n    gid = 10002\n  }\n  user "app" {\n    uid    = 10001\n    group  = "app"\n    groups = ["users", "ops"]\n  }\n  user "svc" {\n    uid         = 10002\n    group       = "nogroup"\n    home        = "/var/lib/svc"\n    shell       = "/usr/sbin/nologin"\n    create_home = false\n  }`;

describe("planAccounts", () => {
  it("keeps the base's lines and adds the declared accounts after them, locked, dated by the epoch", () => {
    const planned = plan(image(app), base, 1_700_000_000);
    const text = Object.fromEntries(planned.files.map((f) => [f.path, f.text]));
    expect(text["/etc/passwd"]).toBe(`${base["/etc/passwd"]!.text}app:x:10001:10001::/home/app:/bin/sh\nsvc:x:10002:65534::/var/lib/svc:/usr/sbin/nologin\n`);
    // 1,700,000,000 s is day 19675
    expect(text["/etc/shadow"]).toBe(`${base["/etc/shadow"]!.text}app:!:19675:0:99999:7:::\nsvc:!:19675:0:99999:7:::\n`);
    expect(text["/etc/group"]).toBe("root:x:0:\ndaemon:x:1:\nshadow:x:42:\nusers:x:100:app\nnogroup:x:65534:\napp:x:10001:\nops:x:10002:app\n");
    expect(text["/etc/gshadow"]).toBe("root:*::\ndaemon:*::\nshadow:*::\nusers:*::app\nnogroup:*::\napp:*::\nops:*::app\n");
    expect(planned.files.map((f) => [f.path, f.mode.toString(8), f.uid, f.gid])).toEqual([
      ["/etc/passwd", "644", 0, 0],
      ["/etc/group", "644", 0, 0],
      ["/etc/shadow", "640", 0, 42],
      ["/etc/gshadow", "640", 0, 42],
    ]);
    expect(planned.homes).toEqual([{ path: "/home/app", uid: 10001, gid: 10001 }]);
    expect(planned.users).toEqual([{ name: "app", uid: 10001, gid: 10001 }, { name: "svc", uid: 10002, gid: 65534 }]);
  });

  it("gives the same bytes for the same inputs, and another day count for another epoch", () => {
    const a = plan(image(app), base, 1_700_000_000);
    expect(plan(image(app), base, 1_700_000_000)).toEqual(a);
    expect(plan(image(app), base, 1_700_086_400).files[2]!.text).not.toBe(a.files[2]!.text);
  });

  it("writes the files from nothing on a base without them", () => {
    const planned = plan(image(`  group "app" {\n    gid = 1\n  }\n  user "app" {\n    uid   = 1\n    group = "app"\n  }`), {}, 0);
    expect(planned.files.map((f) => f.text)).toEqual(["app:x:1:1::/home/app:/bin/sh\n", "app:x:1:\n", "app:!:0:0:99999:7:::\n", "app:*::\n"]);
    expect(planned.files.map((f) => f.mode.toString(8))).toEqual(["644", "644", "640", "640"]);
  });

  it("refuses, at the value, a name or id the base has and a group nobody declared", () => {
    expect(errors(`  group "users" {\n    gid = 100\n  }\n  user "root" {\n    uid    = 0\n    group  = "app"\n    groups = ["users", "wheel"]\n  }`)).toEqual([
      '3:9 Account clash: The base image has the group name users already.',
      '4:11 Account clash: The base image\'s group "users" has the gid 100 already.',
      "6:8 Account clash: The base image has the user name root already.",
      '7:14 Account clash: The base image\'s user "root" has the uid 0 already.',
      '8:14 Unknown group: No group "app" is declared in this image or found in the base image\'s /etc/group.',
      '9:24 Unknown group: No group "wheel" is declared in this image or found in the base image\'s /etc/group.',
    ]);
  });

  it("leaves comments, NIS lines and malformed lines as they are", () => {
    const odd: BaseAccounts = { ...base, "/etc/group": { ...base["/etc/group"]!, text: "# comment\n+:::\nusers:x:100:bob\nbroken\n" } };
    const planned = plan(image(`  user "app" {\n    uid    = 10001\n    group  = "users"\n    groups = ["users"]\n  }`), odd, 0);
    expect(planned.files[1]!.text).toBe("# comment\n+:::\nusers:x:100:bob,app\nbroken\n");
  });
});

describe("a home the base image has already", () => {
  // BuildKit's mkdir, like useradd -m, leaves an existing directory's owner and mode as they are, so the
  // user would not own the home the declaration gives it: refused, not left as it is without a word
  const user = (name: string, uid: number, home: string, more = "") => `  user "${name}" {\n    uid   = ${uid}\n    group = "users"\n    home  = "${home}"${more}\n  }`;
  const srv = new Map([["/srv", { directory: true, mode: 0o755, uid: 0, gid: 0 }], ["/etc/motd", { directory: false, mode: 0o644, uid: 0, gid: 0 }]]);

  it("is refused at the home's value, saying what is there, unless create_home = false", () => {
    expect(errors(user("app", 10001, "/srv"), { ...base, existing: srv })).toEqual([
      '6:13 Home exists in the base image: The base image has /srv already (a directory owned by 0:0, mode 0755); slipway makes a home only where there is none, so it would not be the user "app"\'s.',
    ]);
    expect(errors(user("app", 10001, "/etc/motd"), { ...base, existing: srv })[0]).toContain("(and it is not a directory)");
    expect(plan(image(user("app", 10001, "/srv", "\n    create_home = false")), { ...base, existing: srv }, 0).homes).toEqual([]);
  });

  it("is refused when another declared user gets it first", () => {
    expect(errors(`${user("a", 10001, "/srv/app")}\n${user("b", 10002, "/srv/app")}`)).toEqual([
      '11:13 Home taken: The user "a" gets /srv/app as its home already; one directory has one owner.',
    ]);
  });

  it("is found by one ReadDir of each home's parent, beside /etc's", async () => {
    const dirs: string[] = [];
    const entry = (path: string, mode: number) => ({ path, mode, size: 0, uid: 0, gid: 0 });
    const reader = {
      readDir: async (_: string, dir: string) => {
        dirs.push(dir);
        if (dir === "/etc") return [];
        if (dir === "/") return [entry("srv", 2 ** 31 + 0o755), entry("home", 2 ** 31 + 0o755)];
        if (dir === "/home") return [entry("app", 2 ** 27 + 0o777)];
        return undefined;
      },
      readFile: async () => new Uint8Array(),
    };
    const at = { file: "slipway.hcl", start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
    const read = (await readBaseAccounts(reader, "ref", at, ["/srv", "/home/app", "/home/b", "/nope/x"])).value!;
    expect([...read.existing!]).toEqual([
      ["/home/app", { directory: false, mode: 0o777, uid: 0, gid: 0 }],
      ["/srv", { directory: true, mode: 0o755, uid: 0, gid: 0 }],
    ]);
    expect(dirs.sort()).toEqual(["/", "/etc", "/home", "/nope"]);
  });

  it("refuses an account file that is not a regular file, or is too large, at the base image, reading nothing", async () => {
    const read: string[] = [];
    const reader = (stat: { mode: number; size: number }) => ({
      readDir: async (_: string, dir: string) => (dir === "/etc" ? [{ path: "passwd", uid: 0, gid: 0, ...stat }] : []),
      readFile: async (_: string, path: string) => (read.push(path), new Uint8Array()),
    });
    const at = { file: "slipway.hcl", start: { line: 2, column: 16, offset: 30 }, end: { line: 2, column: 33, offset: 47 } };
    expect(await readBaseAccounts(reader({ mode: 2 ** 27 + 0o777, size: 0 }), "ref", at)).toEqual({
      value: undefined,
      diagnostics: [{ severity: "error", summary: "Unusable account file", detail: "The base image's /etc/passwd is not a regular file; slipway rewrites it to add the declared accounts.", subject: at }],
    });
    expect((await readBaseAccounts(reader({ mode: 0o644, size: 17 * 2 ** 20 }), "ref", at)).diagnostics.map((d) => d.detail)).toEqual([
      "The base image's /etc/passwd is larger than 16 MiB; slipway rewrites it to add the declared accounts.",
    ]);
    expect(read).toEqual([]);
  });
});
