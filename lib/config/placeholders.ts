/**
 * Example values in the environment files. `placeholder(v)` marks a value as an example that must be replaced
 * before an environment is deployed; `findPlaceholders` lists every field of a validated config that still holds
 * one. Synth keeps working (tests, snapshots, `cdk synth` offline); the stage turns the list into a CloudFormation
 * rule that rejects every deploy of the environment (see lib/constructs/placeholder-guard.ts).
 */

const marked = new Set<string>();

/** Marks an example value in an environment file: it synthesizes, but no stack holding it deploys. */
export function placeholder<T extends string>(value: T): T {
  marked.add(value);
  return value;
}

/** Domains reserved for examples and tests (RFC 2606, RFC 6761): an address or URL there reaches nobody. */
const RESERVED_DOMAIN = /(^|\.)(example|invalid|test|localhost|example\.com|example\.net|example\.org)$/i;

/** One config field that must change before the environment may be deployed. */
export interface PlaceholderField {
  /** Dotted field path, e.g. `alarms.criticalEmails.0`. */
  readonly path: string;
  readonly value: string;
  readonly reason: string;
}

function hostOf(value: string): string | undefined {
  const email = /^[^@\s]+@([^@\s]+)$/.exec(value);
  if (email) return email[1];
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(value);
  return url?.[1];
}

function visit(value: unknown, path: string[], out: PlaceholderField[]): void {
  if (typeof value === 'string') {
    const host = hostOf(value);
    if (marked.has(value)) out.push({ path: path.join('.'), value, reason: 'is an example value (placeholder)' });
    else if (host && RESERVED_DOMAIN.test(host))
      out.push({ path: path.join('.'), value, reason: `uses the reserved example domain ${host}` });
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, String(i)], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, [...path, k], out);
}

/**
 * Every field of a config that still holds an example value, plus settings that would leave a deployed
 * environment unattended (a staging or prod critical topic with no subscriber pages nobody).
 */
export function findPlaceholders(config: {
  readonly name: string;
  readonly alarms: { readonly criticalEmails: readonly string[] };
}): PlaceholderField[] {
  const out: PlaceholderField[] = [];
  visit(config, [], out);
  if (config.name !== 'dev' && config.alarms.criticalEmails.length === 0) {
    out.push({ path: 'alarms.criticalEmails', value: '[]', reason: 'is empty: the critical topic would page nobody' });
  }
  return out;
}

/** The refusal, one line per field: what `cdk synth` warns and what CloudFormation answers a deploy with. */
export function placeholderMessage(env: string, fields: readonly PlaceholderField[]): string {
  return `Environment "${env}" still holds example values and will not deploy; replace in lib/config/environments.ts (or -c account=...): ${fields
    .map((f) => `${f.path} ${f.reason}`)
    .join('; ')}`;
}
