import { describe, expect, it } from "vitest";
import { marshal, parsePlatform } from "../../llb/index.js";
import { cliVendor } from "./vendor-option.js";

const digest = `sha256:${"e".repeat(64)}`;

describe("$SLIPWAY_VENDOR for slipway llb", () => {
  it("is the vendored image source, pinned, for the platform given", async () => {
    expect(await cliVendor({})).toBeUndefined();
    const vendor = (await cliVendor({ SLIPWAY_VENDOR: `127.0.0.1:5000/debs@${digest}` }))!;
    const definition = marshal(vendor(parsePlatform("linux/arm64")), { platform: parsePlatform("linux/arm64") });
    expect(Buffer.from(definition.ops[0]!).toString("latin1")).toContain(`docker-image://127.0.0.1:5000/debs@${digest}`);
  });

  it("refuses a value that pins nothing, naming the variable", async () => {
    await expect(cliVendor({ SLIPWAY_VENDOR: "127.0.0.1:5000/debs:latest" })).rejects.toThrow(/^\$SLIPWAY_VENDOR: the value "127.0.0.1:5000\/debs:latest" has no digest/);
    await expect(cliVendor({ SLIPWAY_VENDOR: "" })).rejects.toThrow(/is empty/);
  });
});
