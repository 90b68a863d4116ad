/**
 * Lets the processor write a validated event's received JSON text instead of re-serializing it (the staging line is
 * the event "exactly as validated": contracts are strict and never transform, so the parsed value is the validated
 * value). That is only sound when every reader sees the same value in the text as JSON.parse did, so duplicate keys
 * (readers disagree on which wins) and escaped keys (`"\u0061"` duplicates `"a"`) fall back to JSON.stringify.
 */

/**
 * The staging line up to its position fields: the event's JSON on one line without its closing brace. `value` is
 * `JSON.parse(text)`; the received text is reused when it means exactly that value.
 */
export function stagingOpen(value: unknown, text: string): string {
  return textIsExactly(text, value) ? openObjectText(text) : JSON.stringify(value).slice(0, -1);
}

/**
 * `text` is valid JSON and `value` is `JSON.parse(text)`. The same answer as `hasUniquePlainKeys(text)`, cheaper:
 * without any backslash every quote in the text delimits a string, so the text holds `quotes / 2` strings: every key
 * of every member of every object, and every string value. The parsed value holds the same strings minus those of the
 * members a later duplicate key replaced (at least that member's key). So equal counts prove every key unique.
 * Anything else (a backslash, a surplus string) gets the exact scan, which on every event would cost about 9% of the
 * handler's time (bench/RESULTS.md).
 */
export function textIsExactly(text: string, value: unknown): boolean {
  const quotes = plainQuotes(text);
  if (quotes !== -1 && quotes === 2 * stringCount(value)) return true;
  return hasUniquePlainKeys(text);
}

/** The number of quotes in `text`, or -1 when it contains a backslash. */
function plainQuotes(text: string): number {
  if (text.indexOf('\\') !== -1) return -1;
  let n = 0;
  let i = text.indexOf('"');
  while (i !== -1) {
    n++;
    i = text.indexOf('"', i + 1);
  }
  return n;
}

/** Keys of every object plus string values in a parsed JSON value. */
function stringCount(value: unknown): number {
  if (typeof value === 'string') return 1;
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) n += stringCount(value[i]);
    return n;
  }
  for (const key in value) n += 1 + stringCount((value as Record<string, unknown>)[key]);
  return n;
}

/**
 * True when no object in `text` has a repeated key and no key contains an escape. Meant for text JSON.parse accepted;
 * on anything else (an unterminated string) it answers false rather than guessing.
 */
export function hasUniquePlainKeys(text: string): boolean {
  const stack: (string[] | null)[] = [];
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Jump to the closing quote: one not preceded by an odd number of backslashes.
      let j = text.indexOf('"', i + 1);
      while (j !== -1 && escapedAt(text, j)) j = text.indexOf('"', j + 1);
      if (j === -1) return false;
      if (expectKey) {
        const backslash = text.indexOf('\\', i + 1);
        if (backslash !== -1 && backslash < j) return false;
        const keys = stack[stack.length - 1] as string[];
        const key = text.slice(i + 1, j);
        if (keys.includes(key)) return false;
        keys.push(key);
        expectKey = false;
      }
      i = j;
    } else if (c === 123) {
      stack.push([]);
      expectKey = true;
    } else if (c === 91) {
      stack.push(null);
    } else if (c === 125 || c === 93) {
      stack.pop();
    } else if (c === 44) {
      expectKey = stack[stack.length - 1] !== null;
    }
  }
  return true;
}

/** Is the quote at `j` escaped (preceded by an odd number of backslashes)? */
function escapedAt(text: string, j: number): boolean {
  let k = j - 1;
  while (text.charCodeAt(k) === 92) k--;
  return (j - 1 - k) % 2 === 1;
}

/** The JSON object text without its closing brace, on one line: ready to append `,"k":v}`. */
export function openObjectText(text: string): string {
  const body = text.slice(0, text.lastIndexOf('}'));
  return body.includes('\n') || body.includes('\r') ? body.replace(/[\r\n]/g, ' ') : body;
}
