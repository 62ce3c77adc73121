import type { Image } from "../../grammar/index.js";
import { defaultLinuxPath, type Platform } from "../../llb/index.js";
import { epochTime } from "./epoch.js";
import type { OciContainerConfig, OciHistory, OciImageConfig } from "./types.js";

/**
 * The image config, inherited from the base image the way a Dockerfile's `FROM` inherits it, then the
 * declaration applied on top:
 * - Env keeps the base's variables (PATH included) in order; declared ones replace a same-named variable
 *   in place or are appended in declared order. An image without PATH gets the default one, as with Dockerfile.
 * - Entrypoint: declaring one resets an inherited Cmd (unless `cmd` is declared too), as Dockerfile does.
 * - Labels: base, then declared, then `label:*` build options (the command line wins, as with docker build).
 * - Exposed ports and volumes add to the base's; user, workdir, stopsignal and healthcheck replace them.
 * - OnBuild triggers are not run and not inherited (slipway has no build steps of its own to run them in).
 * - History: the base's entries unchanged, then one per layer the build adds (`added`), created at the epoch.
 * - `created` is the epoch, never the clock (BuildKit's exporter keeps a time that is not after its own epoch).
 */
export function buildImageConfig(
  base: OciImageConfig | undefined,
  image: Image,
  platform: Platform,
  optionLabels: ReadonlyMap<string, string>,
  added: readonly string[],
  /** The build's epoch in seconds: `created` and each added history entry's time. */
  epoch: number,
): OciImageConfig {
  const from = base?.config ?? {};
  const decl = image.config;
  const config: OciContainerConfig = {};

  const env = new Map<string, string>();
  for (const entry of from.Env ?? []) {
    const eq = entry.indexOf("=");
    env.set(eq < 0 ? entry : entry.slice(0, eq), eq < 0 ? "" : entry.slice(eq + 1));
  }
  // Dockerfile makes sure PATH is always set (except on Windows); an image without it runs nothing by name.
  if (platform.os !== "windows" && !env.has("PATH")) env.set("PATH", defaultLinuxPath);
  for (const kv of decl.env) env.set(kv.key, kv.value);
  if (env.size > 0) config.Env = [...env].map(([k, v]) => `${k}=${v}`);

  const user = decl.user?.value ?? from.User;
  if (user) config.User = user;
  const workdir = decl.workdir?.value ?? from.WorkingDir;
  if (workdir) config.WorkingDir = workdir;

  if (decl.entrypoint) {
    config.Entrypoint = [...decl.entrypoint.value];
    if (decl.cmd) config.Cmd = [...decl.cmd.value];
  } else {
    if (from.Entrypoint) config.Entrypoint = [...from.Entrypoint];
    const cmd = decl.cmd ? [...decl.cmd.value] : from.Cmd;
    if (cmd) config.Cmd = [...cmd];
  }

  const ports = { ...(from.ExposedPorts ?? {}) };
  for (const p of decl.expose) ports[p.value] = {};
  if (Object.keys(ports).length > 0) config.ExposedPorts = sortedRecord(ports);

  const volumes = { ...(from.Volumes ?? {}) };
  for (const v of decl.volumes) volumes[v.value] = {};
  if (Object.keys(volumes).length > 0) config.Volumes = sortedRecord(volumes);

  const labels: Record<string, string> = { ...(from.Labels ?? {}) };
  for (const kv of decl.labels) labels[kv.key] = kv.value;
  for (const [k, v] of optionLabels) labels[k] = v;
  if (Object.keys(labels).length > 0) config.Labels = sortedRecord(labels);

  const stopsignal = decl.stopsignal?.value ?? from.StopSignal;
  if (stopsignal) config.StopSignal = stopsignal;

  if (decl.healthcheck) {
    const h = decl.healthcheck;
    config.Healthcheck = {
      Test: [...h.test],
      ...(h.intervalNs !== undefined && { Interval: h.intervalNs }),
      ...(h.timeoutNs !== undefined && { Timeout: h.timeoutNs }),
      ...(h.startPeriodNs !== undefined && { StartPeriod: h.startPeriodNs }),
      ...(h.startIntervalNs !== undefined && { StartInterval: h.startIntervalNs }),
      ...(h.retries !== undefined && { Retries: h.retries }),
    };
  } else if (from.Healthcheck) {
    config.Healthcheck = from.Healthcheck;
  }
  if (from.Shell) config.Shell = [...from.Shell];

  const created = epochTime(epoch);
  const history: OciHistory[] = [...(base?.history ?? []), ...added.map((what) => historyEntry(what, epoch))];
  return {
    created,
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant && { variant: platform.variant }),
    config,
    rootfs: { type: "layers", diff_ids: [] },
    history,
  };
}

/** The history entry of a layer slipway adds: what it is, at the epoch. */
export function historyEntry(what: string, epoch: number): OciHistory {
  return { created: epochTime(epoch), created_by: `slipway: ${what}`, comment: "slipway" };
}

function sortedRecord<V>(record: Record<string, V>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
