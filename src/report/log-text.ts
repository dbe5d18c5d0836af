/**
 * Names and reasons come from the workspace, the dispatcher, S3 keys and records: text an attacker may
 * choose. The runner reads a line of stdout that starts with `::` as a workflow command, and sha256sum-style
 * files read one name per line, so a newline or carriage return in such text could forge a command or a
 * line. Control characters (C0, DEL and C1), and the Unicode line and paragraph separators, are what can
 * break a line or hide what follows.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this matches
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g')

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/** True when the text holds a character that can break or hide part of a log line. */
export function hasUnsafeCharacter(text: string): boolean {
  return UNSAFE.test(text)
}

/**
 * The one escaping of outside text for a log line, an annotation or an error message: backslash and every
 * unsafe character written as an escape (`\n`, `\u001b`), so the text stays on one line and shows what it
 * holds. Anything else is left as it is.
 */
export function logSafe(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(UNSAFE_ALL, char => NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
