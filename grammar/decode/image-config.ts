import type { Attribute, Block } from "../syntax/ast.js";
import type { Healthcheck, ImageConfig, KeyValue, Located } from "../model/declaration.js";
import { errorAt } from "../source/diagnostic.js";
import { ANY, STRING } from "../eval/types.js";
import { formatNumber } from "../eval/value.js";
import { parseDuration } from "./duration.js";
import { imagePath } from "./paths.js";
import { checkCharacters } from "./text.js";
import { content, type BodySchema } from "./schema.js";
import { locatedItems, numberAttr, stringAttr, stringListAttr, stringMapAttr, type DecodeContext } from "./values.js";

/** The image attributes that become the OCI image config. */
export const IMAGE_CONFIG_ATTRIBUTES = ["entrypoint", "cmd", "env", "user", "workdir", "labels", "expose", "volumes", "stopsignal"] as const;

export const HEALTHCHECK_SCHEMA: BodySchema = {
  attributes: [
    { name: "test", required: true, example: 'test = ["CMD", "/bin/healthy"]' },
    { name: "interval" },
    { name: "timeout" },
    { name: "start_period" },
    { name: "start_interval" },
    { name: "retries" },
  ],
  blocks: [],
};

// OCI: a variable is "NAME=VALUE", so a name holds no "=" (nor a control character, see text.ts).
const ENV_NAME = /^[^=\u0000-\u001f\u007f-\u009f]+$/u;
/** 2^63 ns: the first duration a Go time.Duration (int64) cannot hold. */
const MAX_DURATION_NS = 2 ** 63;
/** The image config's Retries is a Go int; a count above int32 means nothing for a healthcheck. */
const MAX_RETRIES = 2 ** 31 - 1;
const PORT = /^(\d+)(?:\/(tcp|udp|sctp))?$/i;
const SIGNAL = /^(?:SIG)?[A-Z][A-Z0-9]*(?:[+-]\d+)?$|^\d+$/i;

/** Decodes the image config attributes of an image body and its `healthcheck` block. */
export function decodeImageConfig(
  ctx: DecodeContext,
  attributes: ReadonlyMap<string, Attribute>,
  healthcheckBlock: Block | undefined,
): ImageConfig {
  const env = (stringMapAttr(ctx, attributes.get("env")) ?? []).filter((kv) => checkEnvName(ctx, kv) && textValue(ctx, kv, `The value of the variable "${kv.key}"`));
  const expose = decodeExpose(ctx, attributes.get("expose"));
  const volumes = decodeVolumes(ctx, attributes.get("volumes"));
  const stopsignal = stringAttr(ctx, attributes.get("stopsignal"));
  if (stopsignal && !SIGNAL.test(stopsignal.value)) {
    ctx.diagnostics.push(
      errorAt(stopsignal.range, "Invalid stop signal", `"${stopsignal.value}" is not a signal name or number.`, {
        hint: 'Write a name such as "SIGTERM" or "SIGQUIT", or a number such as "15".',
      }),
    );
  }
  const user = stringAttr(ctx, attributes.get("user"));
  if (user && user.value.trim() === "") ctx.diagnostics.push(errorAt(user.range, "Invalid user", "The user is empty.", { hint: 'Write a name or id, e.g. "app" or "1000:1000".' }));
  else if (user) checkCharacters(ctx.diagnostics, user, "The user", "name");
  const workdir = stringAttr(ctx, attributes.get("workdir"));
  const config: ImageConfig = {
    env,
    labels: (stringMapAttr(ctx, attributes.get("labels")) ?? []).filter((kv) => checkLabelKey(ctx, kv) && textValue(ctx, kv, `The value of the label "${kv.key}"`)),
    expose,
    volumes,
    ...optional("entrypoint", textList(ctx, stringListAttr(ctx, attributes.get("entrypoint")), "An entrypoint argument")),
    ...optional("cmd", textList(ctx, stringListAttr(ctx, attributes.get("cmd")), "A cmd argument")),
    ...optional("user", user),
    ...optional("workdir", workdir && imagePath(ctx, workdir, "The workdir")),
    ...optional("stopsignal", stopsignal),
    ...optional("healthcheck", healthcheckBlock && decodeHealthcheck(ctx, healthcheckBlock)),
  };
  return config;
}

function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}

function checkEnvName(ctx: DecodeContext, kv: KeyValue): boolean {
  if (ENV_NAME.test(kv.key)) return true;
  ctx.diagnostics.push(
    errorAt(kv.range, "Invalid environment variable name", `${JSON.stringify(kv.key)} cannot be an environment variable name: it is empty, or contains "=" or a control character.`),
  );
  return false;
}

/** Label keys are names (reverse-DNS by convention): not empty, no control characters. */
function checkLabelKey(ctx: DecodeContext, kv: KeyValue): boolean {
  if (kv.key === "") {
    ctx.diagnostics.push(errorAt(kv.range, "Invalid label key", "A label key is empty.", { hint: 'Name the label, e.g. "org.opencontainers.image.source".' }));
    return false;
  }
  return checkCharacters(ctx.diagnostics, { value: kv.key, range: kv.range }, "The label key", "name");
}

function textValue(ctx: DecodeContext, kv: KeyValue, what: string): boolean {
  return checkCharacters(ctx.diagnostics, { value: kv.value, range: kv.range }, what, "text");
}

/** A list of program arguments: free text, but no NUL (see text.ts). */
function textList(ctx: DecodeContext, list: Located<readonly string[]> | undefined, what: string): Located<readonly string[]> | undefined {
  if (!list) return undefined;
  const ok = list.value.every((arg) => checkCharacters(ctx.diagnostics, { value: arg, range: list.range }, what, "text"));
  return ok ? list : undefined;
}

/** `volumes`: absolute paths in canonical form, each once. */
function decodeVolumes(ctx: DecodeContext, attr: Attribute | undefined): Located<string>[] {
  const out: Located<string>[] = [];
  for (const item of locatedItems(ctx, attr, STRING) ?? []) {
    const given = { value: (item.value as { value: string }).value, range: item.range };
    const volume = imagePath(ctx, given, "The volume");
    if (!volume) continue;
    const first = out.find((v) => v.value === volume.value);
    if (first) {
      ctx.diagnostics.push(
        errorAt(volume.range, "Duplicate volume", `The volume ${JSON.stringify(given.value)} is ${volume.value}, already listed at line ${first.range.start.line}, column ${first.range.start.column}.`, {
          hint: "List each volume once.",
        }),
      );
      continue;
    }
    out.push(volume);
  }
  return out;
}

/** `expose = [80, "53/udp"]` → `["80/tcp", "53/udp"]`, each error at its element. */
function decodeExpose(ctx: DecodeContext, attr: Attribute | undefined): Located<string>[] {
  const items = locatedItems(ctx, attr, ANY) ?? [];
  const out: Located<string>[] = [];
  for (const item of items) {
    const v = item.value;
    const text = v.kind === "number" ? formatNumber(v.value) : v.kind === "string" ? v.value : undefined;
    const m = text === undefined ? null : PORT.exec(text);
    const port = m ? Number(m[1]) : NaN;
    if (!m || !(port >= 1 && port <= 65535)) {
      ctx.diagnostics.push(
        errorAt(item.range, "Invalid port", `${text === undefined ? `A ${v.kind}` : `"${text}"`} is not a port to expose.`, {
          hint: 'Write a port number from 1 to 65535, optionally with a protocol: 8080, "8080/tcp", "53/udp".',
        }),
      );
      continue;
    }
    out.push({ value: `${port}/${(m[2] ?? "tcp").toLowerCase()}`, range: item.range });
  }
  return out;
}

function decodeHealthcheck(ctx: DecodeContext, block: Block): Healthcheck | undefined {
  const c = content(block.body, HEALTHCHECK_SCHEMA, { description: "the healthcheck block", defRange: block.defRange }, ctx.diagnostics);
  const test = decodeTest(ctx, c.attributes.get("test"));
  const durations: Partial<Record<"intervalNs" | "timeoutNs" | "startPeriodNs" | "startIntervalNs", number>> = {};
  for (const [name, key] of [
    ["interval", "intervalNs"],
    ["timeout", "timeoutNs"],
    ["start_period", "startPeriodNs"],
    ["start_interval", "startIntervalNs"],
  ] as const) {
    const d = stringAttr(ctx, c.attributes.get(name));
    if (!d) continue;
    const { value: ns, diagnostics } = parseDuration(d.value, d.range);
    ctx.diagnostics.push(...diagnostics);
    if (ns === undefined) continue;
    if (ns !== 0 && ns < 1e6) {
      ctx.diagnostics.push(errorAt(d.range, "Invalid duration", `The healthcheck's ${name} must be 0 or at least 1ms; "${d.value}" is shorter.`));
    } else if (ns >= MAX_DURATION_NS) {
      // The image config stores a Go time.Duration, an int64 of nanoseconds (about 292 years).
      ctx.diagnostics.push(errorAt(d.range, "Invalid duration", `The healthcheck's ${name} "${d.value}" is longer than a Go duration can be (about 292 years).`));
    } else {
      durations[key] = ns;
    }
  }
  const retries = numberAttr(ctx, c.attributes.get("retries"));
  if (retries && !(Number.isInteger(retries.value) && retries.value >= 0 && retries.value <= MAX_RETRIES)) {
    ctx.diagnostics.push(errorAt(retries.range, "Invalid retries", `The retry count must be a whole number from 0 to ${MAX_RETRIES}; it is ${formatNumber(retries.value)}.`));
  }
  if (!test) return undefined;
  return { test, ...durations, ...(retries ? { retries: retries.value } : {}), range: block.range };
}

/** `test = "curl -f localhost"` (shell form) or `["CMD", …]`, `["CMD-SHELL", "…"]`, `["NONE"]`. */
function decodeTest(ctx: DecodeContext, attr: Attribute | undefined): string[] | undefined {
  if (!attr) return undefined;
  const expr = attr.expr.kind === "parens" ? attr.expr.expr : attr.expr;
  if (expr.kind !== "tuple") {
    const asString = stringAttr(ctx, attr);
    if (asString && checkCharacters(ctx.diagnostics, asString, "The healthcheck command", "text")) return ["CMD-SHELL", asString.value];
    return undefined;
  }
  const list = textList(ctx, stringListAttr(ctx, attr), "A healthcheck argument");
  if (!list) return undefined;
  const [kind, ...rest] = list.value;
  const problem =
    kind === "NONE"
      ? rest.length > 0
        ? '["NONE"] takes nothing after NONE'
        : undefined
      : kind === "CMD" || kind === "CMD-SHELL"
        ? rest.length === 0
          ? `${kind} must be followed by ${kind === "CMD" ? "the command and its arguments" : "a shell command"}`
          : kind === "CMD-SHELL" && rest.length > 1
            ? "CMD-SHELL takes one shell command string"
            : undefined
        : `the first element must be "CMD", "CMD-SHELL" or "NONE", not ${kind === undefined ? "missing" : `"${kind}"`}`;
  if (problem) {
    ctx.diagnostics.push(
      errorAt(attr.expr.range, "Invalid healthcheck test", `The healthcheck test is not valid: ${problem}.`, {
        hint: 'Write ["CMD", "/bin/check", "--quick"], ["CMD-SHELL", "curl -f http://localhost/"], ["NONE"], or a shell command string.',
      }),
    );
    return undefined;
  }
  return list.value as string[];
}
