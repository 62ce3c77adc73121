/**
 * How the resolved packages are installed: one exec with no network, the .debs mounted read-only, and
 * dpkg run once per stage. A stage holds packages whose pre-dependencies were all configured by an
 * earlier stage (dpkg refuses to unpack a package whose Pre-Depends are only unpacked); within a stage
 * `dpkg --install` unpacks everything, then configures in dependency order itself.
 */

export interface PlannedPackage {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  /** New packages (in this plan) that satisfy its Pre-Depends / Depends. */
  readonly preDepends: readonly string[];
  readonly depends: readonly string[];
}

export interface InstallPlanOptions {
  /** Where the merged directory of .debs is mounted (read-only) in the install exec. */
  readonly debDirectory: string;
  /** The build's epoch (seconds): what the install writes is clamped to it. */
  readonly epoch: number;
}

export const defaultInstallPlanOptions: Readonly<InstallPlanOptions> = Object.freeze({ debDirectory: "/run/slipway/debs", epoch: 0 });

/** The file name a .deb gets in the mounted directory: apt's `name_version_arch.deb`, `:` escaped as `%3a`. */
export function debFileName(p: { name: string; version: string; architecture: string }): string {
  return `${p.name}_${p.version.replace(/:/g, "%3a")}_${p.architecture}.deb`;
}

/**
 * Groups packages into stages. `stage(p) > stage(q)` for each pre-dependency q of p, and
 * `stage(p) >= stage(d)` for each dependency d (so d is present when p is configured). Cycles through
 * Depends share a stage; a cycle through Pre-Depends cannot be ordered and also shares one (dpkg then
 * reports it). Stages and their members are sorted so the script is the same for the same set.
 */
export function planStages(packages: readonly PlannedPackage[]): PlannedPackage[][] {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const names = [...byName.keys()].sort();
  const edges = (p: PlannedPackage) => [...p.preDepends, ...p.depends].filter((n) => byName.has(n) && n !== p.name);
  // Tarjan's strongly connected components over all edges; components come out dependencies first.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges(byName.get(v)!).sort()) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      components.push(comp.sort());
    }
  };
  for (const n of names) if (!index.has(n)) visit(n);
  const componentOf = new Map<string, number>();
  components.forEach((c, i) => c.forEach((n) => componentOf.set(n, i)));
  const stageOf = new Map<number, number>();
  components.forEach((comp, i) => {
    let stage = 0;
    for (const n of comp) {
      const p = byName.get(n)!;
      for (const q of p.preDepends) {
        const c = componentOf.get(q);
        if (c !== undefined && c !== i) stage = Math.max(stage, stageOf.get(c)! + 1);
      }
      for (const d of p.depends) {
        const c = componentOf.get(d);
        if (c !== undefined && c !== i) stage = Math.max(stage, stageOf.get(c)!);
      }
    }
    stageOf.set(i, stage);
  });
  const stages: PlannedPackage[][] = [];
  components.forEach((comp, i) => {
    const s = stageOf.get(i)!;
    (stages[s] ??= []).push(...comp.map((n) => byName.get(n)!));
  });
  // Within a stage keep dependencies-first order (Tarjan's output), which is deterministic.
  return stages.filter((s) => s.length > 0);
}

/**
 * The shell script the install exec runs (`/bin/sh -c`). It leaves no trace of the installation beyond
 * the packages themselves, and the same bytes on every run (docs/design.md, "Reproducible builds"):
 * - dpkg's log goes to /dev/null; services are kept from starting with a temporary policy-rc.d; the
 *   alternatives log is restored; leftovers that are not part of any package (`-old` backups of dpkg and
 *   debconf, adduser's lock in /run) are removed when this run created them (the base image's own are
 *   kept, so no whiteouts); ldconfig's aux-cache, which records inodes and ctimes, is put back as the
 *   base image had it, or removed;
 * - `/etc/shadow` day counts ("last changed", field 3) the run wrote are lowered to the epoch's day;
 * - last, every path this run created or changed (its ctime is after a marker made at the start) whose
 *   mtime is after the epoch gets the epoch, not following symlinks and staying on the root filesystem
 *   (mounts such as the .deb directory, /proc and /dev are other filesystems). Older times, such as those
 *   of files unpacked from a .deb, are kept: a clamp, as debuerreotype does.
 * apt's sources and lists are not touched: apt is not used at all.
 */
export function installScript(stages: readonly (readonly PlannedPackage[])[], options: Partial<InstallPlanOptions> = {}): string {
  const o = { ...defaultInstallPlanOptions, ...options };
  const dir = o.debDirectory.replace(/\/+$/, "");
  const epoch = String(o.epoch);
  const lines = [
    "set -eu",
    "umask 022",
    `export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=${epoch}`,
    "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    // what is newer than this (by ctime) was written by this run; /dev is not part of the image
    "start=/dev/.slipway-install-start; : > $start",
    // Keep maintainer scripts from starting services during the build (invoke-rc.d honours this).
    "created_policy=; if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; created_policy=1; fi",
    // update-alternatives appends timestamps to its log; keep the base image's log as it was.
    "alt_log=/var/log/alternatives.log; had_alt_log=; if [ -e $alt_log ]; then cp -p $alt_log /tmp/.slipway-alternatives.log; had_alt_log=1; fi",
    // ldconfig's cache of inodes and ctimes: the base image's is put back as it was (a stale entry only
    // costs ldconfig a re-read), one this run creates is removed
    "aux=/var/cache/ldconfig/aux-cache; had_aux=; if [ -e $aux ]; then cp -p $aux /dev/.slipway-aux-cache; had_aux=1; fi",
    // leftovers of an installation: removed when this run creates them, the base image's own kept
    `left_before=" $(echo ${leftovers}) "`,
  ];
  for (const stage of stages) {
    const files = stage.map((p) => shellQuote(`${dir}/${debFileName(p)}`));
    lines.push(`dpkg --force-unsafe-io --log=/dev/null --install ${files.join(" ")}`);
  }
  lines.push(
    "dpkg --force-unsafe-io --log=/dev/null --configure --pending",
    'if [ -n "$created_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi',
    'if [ -n "$had_alt_log" ]; then mv /tmp/.slipway-alternatives.log $alt_log; else rm -f $alt_log; fi',
    `for f in ${leftovers}; do [ -e "$f" ] || continue; case "$left_before" in *" $f "*) ;; *) rm -f "$f" ;; esac; done`,
    'if [ -n "$had_aux" ]; then cp -p /dev/.slipway-aux-cache $aux; rm -f /dev/.slipway-aux-cache; else rm -f $aux; fi',
    "rm -f /tmp/.slipway-*",
    // field 3 is the day of the last password change, written from the clock by useradd and chpasswd
    `days=$((${epoch} / 86400))`,
    'for f in /etc/shadow /etc/shadow-; do if [ -f "$f" ] && [ -n "$(find "$f" -cnewer $start)" ]; then awk -F: -v OFS=: -v d=$days \'$3 != "" && $3 + 0 > d { $3 = d } { print }\' "$f" > /dev/.slipway-shadow && cat /dev/.slipway-shadow > "$f"; rm -f /dev/.slipway-shadow; fi; done',
    `find / -xdev -cnewer $start -newermt @${epoch} ! -path /etc/hosts ! -path /etc/resolv.conf ! -path /etc/hostname -exec touch --no-dereference --date=@${epoch} {} +`,
    "rm -f $start",
  );
  return `${lines.join("\n")}\n`;
}

const leftovers = "/var/lib/dpkg/*-old /var/cache/debconf/*-old /var/log/dpkg.log /run/adduser";

/** `s` as one shell word. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./%+:=@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The progress name of the install exec: every package and version, as a reviewer wants to see it. */
export function installProgressName(packages: readonly { name: string; version: string }[]): string {
  const list = [...packages].sort((a, b) => (a.name < b.name ? -1 : 1)).map((p) => `${p.name} ${p.version}`);
  return `[apt] dpkg --install ${list.length} package${list.length === 1 ? "" : "s"}: ${list.join(", ")}`;
}
