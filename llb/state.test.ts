import { describe, expect, it } from "vitest";
import { decode } from "../test/llb/decode.js";
import { addEnv, dir, EnvList, image, marshal, parsePlatform, scratch, user, type StateOption } from "./index.js";

describe("State", () => {
  it("is immutable: every method returns a new state and leaves the old one alone", () => {
    const a = scratch();
    const b = a.addEnv("K", "v").dir("/x").user("u").network("host").hostname("h");
    expect(a.meta).toMatchObject({ dir: "/", user: "", network: "sandbox", hostname: "" });
    expect(a.meta.env.size).toBe(0);
    expect(b.meta).toMatchObject({ dir: "/x", user: "u", network: "host", hostname: "h" });
    expect(b.getEnv("K")).toBe("v");
    expect(Object.isFrozen(b.meta)).toBe(true);
  });

  it("addEnv replaces an existing key in place; deleteEnv removes it", () => {
    const state = scratch().addEnv("A", "1").addEnv("B", "2").addEnv("A", "3");
    expect(state.meta.env.toArray()).toEqual(["A=3", "B=2"]);
    expect(state.deleteEnv("A").meta.env.toArray()).toEqual(["B=2"]);
    expect(() => scratch().addEnv("A=B", "x")).toThrow(/invalid environment variable name/);
  });

  it("dir joins relative paths to the previous one, like Go's Dir", () => {
    expect(scratch().dir("/usr").dir("bin").meta.dir).toBe("/usr/bin");
    expect(scratch().dir("/usr/").dir("../etc/./x").meta.dir).toBe("/etc/x");
    expect(scratch().dir("/a").dir("/b").meta.dir).toBe("/b");
    expect(scratch().dir("/a").dir("").meta.dir).toBe("/a");
  });

  it("with() applies StateOptions in order", () => {
    const pipeline: StateOption[] = [addEnv("A", "1"), dir("/app"), user("app"), dir("bin"), addEnv("A", "2")];
    const state = scratch().with(...pipeline);
    expect(state.meta.env.toArray()).toEqual(["A=2"]);
    expect(state.meta.dir).toBe("/app/bin");
    expect(state.meta.user).toBe("app");
  });

  it("withImageConfig takes Env in order, WorkingDir, User and the platform", () => {
    const state = scratch()
      .addEnv("HOME", "/root")
      .withImageConfig({
        architecture: "arm64",
        os: "linux",
        variant: "v8",
        config: { Env: ["PATH=/bin", "HOME=/home/app", "=ignored", "EMPTY"], WorkingDir: "/srv", User: "app" },
      });
    expect(state.meta.env.toArray()).toEqual(["HOME=/home/app", "PATH=/bin", "EMPTY="]);
    expect(state.meta.dir).toBe("/srv");
    expect(state.meta.user).toBe("app");
    expect(state.meta.platform).toEqual({ os: "linux", architecture: "arm64" });
    expect(scratch().withImageConfig({ config: null }).meta.dir).toBe("/");
  });

  it("run on an image with a config inherits Env, WorkingDir and User", () => {
    const base = image("node:20-bookworm-slim", {
      config: { architecture: "amd64", os: "linux", config: { Env: ["NODE_VERSION=20"], WorkingDir: "/app", User: "node" } },
    });
    const exec = decode(marshal(base.run({ args: ["node", "-v"] }).root(), { platform: parsePlatform("linux/amd64") })).head.op.exec;
    expect(exec.meta.env).toEqual(["NODE_VERSION=20"]);
    expect(exec.meta.cwd).toBe("/app");
    expect(exec.meta.user).toBe("node");
  });

  it("EnvList keeps first-definition order and reads image config pairs", () => {
    const list = EnvList.fromArray(["A=1=2", "B", "A=3"]);
    expect(list.toArray()).toEqual(["A=3", "B="]);
    expect(list.setDefault("A", "x").get("A")).toBe("3");
    expect(list.setDefault("C", "x").keys()).toEqual(["A", "B", "C"]);
  });

  it("platform() normalizes", () => {
    expect(scratch().platform({ os: "Linux", architecture: "x86_64" }).meta.platform).toEqual(parsePlatform("linux/amd64"));
  });
});
