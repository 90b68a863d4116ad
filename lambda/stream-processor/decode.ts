import { isUtf8 } from 'node:buffer';
import type { ContractIssue } from '../contracts/events';

/** Decode → parse: base64 Kinesis data to a JSON value, or the reason it is not one. Never throws. */
export type Decoded =
  | { readonly ok: true; readonly value: unknown; /** The decoded text. */ readonly text: string }
  | { readonly ok: false; readonly reason: 'invalid_encoding' | 'invalid_json'; readonly issues: readonly ContractIssue[] };

const NOT_UTF8: Decoded = {
  ok: false,
  reason: 'invalid_encoding',
  issues: [{ path: '', code: 'invalid_encoding', message: 'record data is not valid UTF-8' }],
};

export function decodeRecord(base64: string): Decoded {
  const text = decodeText(base64);
  if (text === undefined) return NOT_UTF8;
  try {
    return { ok: true, value: JSON.parse(text), text };
  } catch (err) {
    return {
      ok: false,
      reason: 'invalid_json',
      issues: [{ path: '', code: 'invalid_json', message: (err as Error).message.slice(0, 200) }],
    };
  }
}

/**
 * The record's bytes as UTF-8 text (`Buffer.from(base64, 'base64').toString('utf8')`), or undefined when they are not
 * valid UTF-8.
 *
 * Fast path: `atob` decodes to one character per byte without a Buffer; when every byte is ASCII (UTF-8 length equals
 * the character count) that string is already the UTF-8 text. Anything else (non-ASCII bytes, or base64 that `atob`
 * refuses but Buffer's lenient decoder accepts) takes the Buffer path.
 */
export function decodeText(base64: string): string | undefined {
  const binary = asciiOf(base64);
  if (binary !== undefined) return binary;
  const bytes = Buffer.from(base64, 'base64');
  const text = bytes.toString('utf8');
  // Invalid UTF-8 decodes to U+FFFD; only then is the (rarer) full validation needed to tell it from a real U+FFFD.
  if (text.includes('\uFFFD') && !isUtf8(bytes)) return undefined;
  return text;
}

function asciiOf(base64: string): string | undefined {
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    return undefined;
  }
  return Buffer.byteLength(binary, 'utf8') === binary.length ? binary : undefined;
}
