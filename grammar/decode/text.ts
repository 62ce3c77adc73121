import type { Located } from "../model/declaration.js";
import { errorAt, type Diagnostic } from "../source/diagnostic.js";

/**
 * Which characters a string may hold, by where it goes.
 *
 * - `name`: names, paths, references, URLs, users, keys: anything BuildKit, the kernel or a registry reads
 *   as a name. No control character means anything there (a newline in a path, an ESC in a user name), and
 *   NUL cannot even reach the kernel, so C0 controls (U+0000–U+001F), DEL and the C1 controls
 *   (U+0080–U+009F) are refused.
 * - `text`: free text a program receives as it is: env and label values, `cmd`/`entrypoint`/healthcheck
 *   arguments, build argument values. A newline or a tab there is content (a certificate, a script), so
 *   only NUL is refused: execve and the environment carry C strings, which end at NUL.
 */
export type TextKind = "name" | "text";

// In a `u` regex, [\ud800-\udfff] matches only a lone surrogate (a pair is one code point): such a string
// has no UTF-8 form, so protobuf, the image config and the kernel cannot carry it (a `"\ud800"` escape).
const NAME_CONTROL = /[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/u;
const TEXT_CONTROL = /[\u0000\ud800-\udfff]/u;

/** The first character `kind` refuses in `value`, described for a message ("a newline (U+000A) at character 4"), or undefined. */
export function characterProblem(value: string, kind: TextKind): string | undefined {
  const m = (kind === "name" ? NAME_CONTROL : TEXT_CONTROL).exec(value);
  if (!m) return undefined;
  const code = m[0].codePointAt(0)!;
  const described = code >= 0xd800 && code <= 0xdfff ? "half of a UTF-16 surrogate pair, which no UTF-8 text can hold" : CONTROL_NAMES.get(code) ?? "a control character";
  return `${described} (U+${code.toString(16).toUpperCase().padStart(4, "0")}) at character ${[...value.slice(0, m.index)].length + 1}`;
}

const CONTROL_NAMES = new Map([
  [0x00, "a NUL byte"],
  [0x09, "a tab"],
  [0x0a, "a newline"],
  [0x0d, "a carriage return"],
  [0x1b, "an ESC"],
  [0x7f, "a DEL"],
]);

/**
 * Reports (at the value) a character `kind` refuses in `value`; true when there is none. `what` names the
 * value in the message: `The user`, `The label key "a"`.
 */
export function checkCharacters(out: Diagnostic[], value: Located<string>, what: string, kind: TextKind): boolean {
  const problem = characterProblem(value.value, kind);
  if (problem === undefined) return true;
  out.push(
    errorAt(value.range, "Invalid character", `${what} contains ${problem}.`, {
      hint: kind === "name" ? "Names, paths and references cannot hold control characters; remove it." : "A NUL byte or half a surrogate pair cannot be passed to a program; remove it.",
    }),
  );
  return false;
}
