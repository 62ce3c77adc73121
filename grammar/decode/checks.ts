import type { FileEntry, Located, SourceFileDecl, Step, Tarball, Vcs } from "../model/declaration.js";
import { errorAt, warningAt, type Diagnostic } from "../source/diagnostic.js";
import type { Range } from "../source/pos.js";
import { didYouMean } from "../source/suggest.js";
import { escapesBase, isAbsolutePath } from "../eval/path.js";
import { compileGlob } from "./glob.js";
import { checkCharacters } from "./text.js";
import type { ImageDraft } from "./image.js";
import { Omissions } from "./values.js";

/** Targets the frontend answers itself, so no image may take these names. */
export const RESERVED_TARGETS = ["lock", "bom", "vendor"] as const;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The semantic checks on a decoded declaration: cross-references (steps, tarballs, source files), paths,
 * digests, duplicates and reserved names. Each problem is a located diagnostic and all are reported in one
 * pass; things that work but look wrong are warnings. (Formats that the model stores already parsed —
 * image references, platforms, modes, ports, durations — are checked where they are decoded.)
 */
export function checkDeclaration(
  d: { readonly images: readonly ImageDraft[]; readonly steps: readonly Step[]; readonly tarballs: readonly Tarball[] },
  omissions: Omissions = new Omissions(),
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const steps = new Map<string, Step>();
  const tarballs = new Map<string, Tarball>();
  const usedSteps = new Set<string>();
  const usedTarballs = new Set<string>();

  const names = new Map<string, Range>();
  for (const step of d.steps) {
    if (unique(out, names, step.name, "step")) continue;
    steps.set(step.name.value, step);
    relativePath(out, step.dockerfile, "The Dockerfile path");
    if (step.context) relativePath(out, step.context, "The step's context", { allowRoot: true });
    checkSourceFiles(out, step.sourceFiles);
  }
  names.clear();
  for (const tarball of d.tarballs) {
    if (unique(out, names, tarball.name, "tarball")) continue;
    tarballs.set(tarball.name.value, tarball);
    relativePath(out, tarball.name, "A tarball's path");
    checkSourceFiles(out, tarball.sourceFiles);
  }

  const images = new Map<string, Range>();
  for (const image of d.images) {
    if ((RESERVED_TARGETS as readonly string[]).includes(image.name.value)) {
      out.push(
        errorAt(image.name.range, "Reserved image name", `"${image.name.value}" is a reserved target name (the frontend's ${RESERVED_TARGETS.slice(0, -1).map((t) => `"${t}"`).join(", ")} and "${RESERVED_TARGETS[RESERVED_TARGETS.length - 1]}" targets).`, {
          hint: "Give the image another name.",
        }),
      );
    } else if (image.name.value.trim() === "") {
      out.push(errorAt(image.name.range, "Invalid image name", "The image name is empty.", { hint: 'Name the image, e.g. image "app" { … }.' }));
    }
    unique(out, images, image.name, "image");
    checkImage(out, image, { steps, tarballs, usedSteps, usedTarballs, omissions });
  }

  // A file that was left out may have used them, so unused-ness is unknown.
  if (omissions.files) return out;
  for (const step of steps.values()) {
    if (!usedSteps.has(step.name.value)) {
      out.push(warningAt(step.defRange, "Unused step", `No file is taken from step "${step.name.value}", so it is never built.`, { hint: `Take a file from it with from_step "${step.name.value}" { … }, or remove it.` }));
    }
  }
  for (const tarball of tarballs.values()) {
    if (!usedTarballs.has(tarball.name.value)) {
      out.push(warningAt(tarball.defRange, "Unused tarball", `No file is taken from tarball "${tarball.name.value}".`, { hint: `Take a file from it with from_tarball "${tarball.name.value}" { … }, or remove it.` }));
    }
  }
  return out;
}

interface Declared {
  readonly steps: ReadonlyMap<string, Step>;
  readonly tarballs: ReadonlyMap<string, Tarball>;
  readonly usedSteps: Set<string>;
  readonly usedTarballs: Set<string>;
  readonly omissions: Omissions;
}

function checkImage(out: Diagnostic[], image: ImageDraft, declared: Declared): void {
  if (image.base?.kind === "scratch") {
    for (const apt of image.apt) {
      out.push(
        errorAt(apt.range, "Packages on a scratch image", `image "${image.name.value}" starts from scratch, which has no package manager to install with.`, {
          hint: "Start from a Debian-based image, or take the files you need with file blocks.",
        }),
      );
    }
  }
  const packages = new Map<string, Range>();
  const repositories = new Map<string, Range>();
  const keys = new Map<string, Range>();
  for (const apt of image.apt) {
    for (const p of apt.packages) {
      unique(out, packages, p.name, "package");
      if (p.vcs) checkVcs(out, p.vcs);
    }
    for (const r of apt.repositories) if (r.form === "block") unique(out, repositories, { value: r.name, range: r.range }, "repository");
    for (const k of apt.keys) {
      unique(out, keys, k.name, "key");
      checkCharacters(out, k.name, "The key name", "name");
      checkCharacters(out, k.uri, "The key URI", "name");
      if (k.sha256) sha256(out, k.sha256);
    }
  }

  const destinations = new Map<string, Range>();
  for (const file of image.files) {
    if (!file.destination.value.startsWith("/")) {
      out.push(
        errorAt(file.destination.range, "Relative file destination", `"${file.destination.value}" is not an absolute path in the image.`, {
          hint: `Write the full path, e.g. "/${file.destination.value.replace(/^\.?\/*/, "")}".`,
        }),
      );
    }
    // "/opt/x/" (into the directory /opt/x) and "/opt/x" (the file /opt/x) cannot both be.
    unique(out, destinations, { value: file.destination.value.replace(/(.)\/$/, "$1"), range: file.destination.range }, "file destination");
    checkFileSource(out, file, declared);
  }

  const { workdir, volumes } = image.config;
  if (workdir && !workdir.value.startsWith("/")) {
    out.push(errorAt(workdir.range, "Relative working directory", `The workdir "${workdir.value}" is not an absolute path.`, { hint: `Write "/${workdir.value.replace(/^\.?\/*/, "")}".` }));
  }
  for (const v of volumes) {
    if (!v.value.startsWith("/")) out.push(errorAt(v.range, "Relative volume path", `The volume "${v.value}" is not an absolute path.`));
  }
  if (image.bom?.path && !image.bom.path.value.startsWith("/")) {
    out.push(errorAt(image.bom.path.range, "Relative BOM path", `The BOM path "${image.bom.path.value}" is not an absolute path in the image.`));
  }
}

function checkFileSource(out: Diagnostic[], file: FileEntry, declared: Declared): void {
  const source = file.source;
  switch (source.kind) {
    case "step": {
      const pathOk = absolutePath(out, source.path, "from_step.path", "the step's result");
      const step = declared.steps.get(source.step.value);
      const { omissions } = declared;
      if (!step) {
        if (!omissions.steps.has(source.step.value) && !omissions.steps.has(undefined)) out.push(undeclared(source.step, "step", declared.steps.keys()));
        return;
      }
      declared.usedSteps.add(step.name.value);
      if (!pathOk || omissions.sourceFiles.has(`step ${step.name.value}`)) return;
      requireSourceFile(out, source.path, step.sourceFiles, `step "${step.name.value}"`, step.defRange);
      return;
    }
    case "tarball": {
      const pathOk = relativePath(out, source.path, "A tarball member's path");
      const tarball = declared.tarballs.get(source.tarball.value);
      const { omissions } = declared;
      if (!tarball) {
        if (!omissions.tarballs.has(undefined)) out.push(undeclared(source.tarball, "tarball", declared.tarballs.keys()));
        return;
      }
      declared.usedTarballs.add(tarball.name.value);
      if (!pathOk || omissions.sourceFiles.has(`tarball ${tarball.name.value}`)) return;
      requireSourceFile(out, source.path, tarball.sourceFiles, `tarball "${tarball.name.value}"`, tarball.defRange);
      return;
    }
    case "context":
      relativePath(out, source.path, "A build context path");
      return;
    case "git":
      relativePath(out, source.path, "A path in the repository");
      return;
    case "http":
      sha256(out, source.sha256);
      return;
    case "image":
      absolutePath(out, source.path, "from_image.path", "that image");
      return;
  }
}

/** estaleiro's rule: every file taken from a step or tarball has a `source_file` saying where it comes from. */
function requireSourceFile(out: Diagnostic[], path: Located<string>, sourceFiles: readonly SourceFileDecl[], owner: string, ownerRange: Range): void {
  const matched = sourceFiles.some((s) => compileGlob(s.location.value)?.test(path.value));
  if (matched) return;
  out.push(
    errorAt(path.range, "File without a declared source", `No source_file of ${owner} matches "${path.value}", so its origin cannot go into the bill of materials.`, {
      hint: `Add source_file "${path.value}" { vcs "git" { repository = "…" ref = "…" } } to ${owner}, or widen an existing pattern.`,
      context: ownerRange,
    }),
  );
}

function checkSourceFiles(out: Diagnostic[], sourceFiles: readonly SourceFileDecl[]): void {
  const seen = new Map<string, Range>();
  for (const s of sourceFiles) {
    checkVcs(out, s.vcs);
    if (!compileGlob(s.location.value)) {
      out.push(
        errorAt(s.location.range, "Invalid pattern", `"${s.location.value}" is not a valid path pattern.`, {
          hint: "Patterns use * (any characters but /), ? (one character) and [abc] classes; escape with \\.",
        }),
      );
    }
    unique(out, seen, s.location, "source_file");
  }
}

function undeclared(name: Located<string>, kind: "step" | "tarball", declared: Iterable<string>): Diagnostic {
  const names = [...declared];
  return errorAt(name.range, `Undeclared ${kind}`, `There is no ${kind} named "${name.value}".`, {
    hint: didYouMean(name.value, names) ?? (names.length ? `Declared ${kind}s: ${names.map((n) => `"${n}"`).join(", ")}.` : `Declare it with a top-level ${kind} "${name.value}" { … } block.`),
  });
}

/**
 * A `vcs` block only describes where sources are, for the bill of materials; nothing fetches it, so its
 * shape is not BuildKit's business. It still must not be able to pass for an option or a command to a
 * tool that reads the BOM: no control characters, no leading "-", no `ext::`-style transport.
 */
function checkVcs(out: Diagnostic[], vcs: Vcs): void {
  for (const [value, what] of [
    [vcs.repository, "The vcs repository"],
    [vcs.ref, "The vcs ref"],
  ] as const) {
    if (!checkCharacters(out, value, what, "name")) continue;
    const problem =
      value.value.trim() === ""
        ? "is empty"
        : value.value.startsWith("-")
          ? 'starts with "-", which a tool would read as an option'
          : /^[A-Za-z][A-Za-z0-9+.-]*::/.test(value.value)
            ? "is a remote helper transport, which can run commands"
            : undefined;
    if (problem) out.push(errorAt(value.range, "Invalid vcs value", `${what} ${JSON.stringify(value.value)} ${problem}.`, { hint: 'Write the repository URL, e.g. "https://github.com/owner/repo", and a branch, tag or commit.' }));
  }
}

/** Records `name` in `seen`; reports and returns true when it was already there. */
function unique(out: Diagnostic[], seen: Map<string, Range>, name: Located<string>, what: string): boolean {
  const first = seen.get(name.value);
  if (first === undefined) {
    seen.set(name.value, name.range);
    return false;
  }
  out.push(
    errorAt(name.range, `Duplicate ${what}`, `The ${what} "${name.value}" is already declared at line ${first.start.line}.`, {
      hint: `Each ${what} may be declared once; remove or rename one of them.`,
    }),
  );
  return true;
}

/** Reports a path that is not relative or climbs out of its base; true when it is fine. */
function relativePath(out: Diagnostic[], path: Located<string>, what: string, options: { allowRoot?: boolean } = {}): boolean {
  if (isAbsolutePath(path.value)) {
    out.push(errorAt(path.range, "Absolute path", `${what} "${path.value}" must be relative (to the build context, or to the archive).`, { hint: `Write "${path.value.replace(/^\/+/, "")}".` }));
  } else if (escapesBase(path.value)) {
    out.push(errorAt(path.range, "Path escapes its base", `${what} "${path.value}" climbs out of its base with "..".`, { hint: "Only paths inside the build context (or the archive) can be used." }));
  } else if (path.value === "." && !options.allowRoot) {
    out.push(errorAt(path.range, "Empty path", `${what} is empty (or only ".").`));
  } else {
    return true;
  }
  return false;
}

/** Reports a path that is not absolute; true when it is. */
function absolutePath(out: Diagnostic[], path: Located<string>, what: string, where: string): boolean {
  if (path.value.startsWith("/")) return true;
  out.push(errorAt(path.range, "Relative path", `${what} "${path.value}" must be an absolute path in ${where}.`, { hint: `Write "/${path.value.replace(/^\.?\/*/, "")}".` }));
  return false;
}

function sha256(out: Diagnostic[], digest: Located<string>): void {
  if (!SHA256_HEX.test(digest.value)) {
    out.push(
      errorAt(digest.range, "Invalid sha256", `"${digest.value}" is not a sha256 digest: it must be 64 hex digits (${digest.value.length} given).`, {
        hint: "Compute it with sha256sum FILE.",
      }),
    );
  }
}
