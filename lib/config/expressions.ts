/**
 * Semantic checks of configuration strings that AWS would otherwise reject only at deploy time (or, worse, accept
 * and misread): EventBridge Scheduler expressions and VPC CIDR blocks. Each returns the problem as a sentence, or
 * undefined when the value means what it says.
 */

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted for values (JAN…DEC, SUN…SAT), in order from `min`. */
  readonly names?: readonly string[];
  /** `?` (no specific value) allowed. */
  readonly any?: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** The six fields of an AWS cron expression: minutes hours day-of-month month day-of-week year. */
const CRON_FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, any: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, any: true },
  { name: 'year', min: 1970, max: 2199 },
];

function cronValue(text: string, field: CronField): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const i = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return i >= 0 ? field.min + i : undefined;
}

/** One comma-separated element of a cron field: `*`, `v`, `a-b`, `*\/n`, `a/n`, `a-b/n`, and the L / W / # forms. */
function cronElementProblem(element: string, field: CronField): string | undefined {
  const bad = `${field.name} "${element}" is not a value in ${field.min}–${field.max}${field.names ? ` or ${field.names[0]}–${field.names[field.names.length - 1]}` : ''}`;
  if (field.name === 'day-of-month' && (element === 'L' || /^(\d{1,2})W$/.test(element) || element === 'LW')) {
    const day = /^(\d{1,2})W$/.exec(element)?.[1];
    return day !== undefined && cronValue(day, field) === undefined ? bad : undefined;
  }
  if (field.name === 'day-of-week') {
    const nth = /^([^#]+)#(\d+)$/.exec(element);
    if (nth)
      return cronValue(nth[1], field) === undefined
        ? bad
        : Number(nth[2]) >= 1 && Number(nth[2]) <= 5
          ? undefined
          : `day-of-week "${element}": the occurrence after # must be 1–5`;
    if (element === 'L' || /^.+L$/.test(element))
      return element === 'L' || cronValue(element.slice(0, -1), field) !== undefined ? undefined : bad;
  }
  const [range, step, ...extra] = element.split('/');
  if (extra.length) return bad;
  if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1 || Number(step) > field.max)) {
    return `${field.name} "${element}": the step after / must be a whole number from 1 to ${field.max}`;
  }
  if (range === '*') return undefined;
  const [from, to, ...more] = range.split('-');
  if (more.length) return bad;
  const a = cronValue(from, field);
  if (a === undefined) return bad;
  if (to === undefined) return undefined;
  const b = cronValue(to, field);
  if (b === undefined) return bad;
  return a <= b ? undefined : `${field.name} "${element}": the range must run from low to high`;
}

function cronProblem(body: string): string | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) return `cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`;
  for (const [i, text] of fields.entries()) {
    const field = CRON_FIELDS[i];
    if (text === '?') {
      if (!field.any) return `${field.name} cannot be "?" (only day-of-month or day-of-week can)`;
      continue;
    }
    for (const element of text.split(',')) {
      const problem = element === '' ? `${field.name} "${text}" has an empty list element` : cronElementProblem(element, field);
      if (problem) return problem;
    }
  }
  const [, , dom, , dow] = fields;
  if ((dom === '?') === (dow === '?')) return 'exactly one of day-of-month and day-of-week must be "?"';
  return undefined;
}

const RATE_UNITS = ['minute', 'hour', 'day'];

function rateProblem(body: string): string | undefined {
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(body);
  if (!m) return 'rate needs "<value> <unit>", e.g. rate(1 hour) or rate(15 minutes)';
  const [, value, unit] = m;
  if (!/^\d+$/.test(value) || Number(value) < 1) return `rate value "${value}" must be a positive whole number`;
  const singular = unit.replace(/s$/, '');
  if (!RATE_UNITS.includes(singular)) return `rate unit "${unit}" must be minute(s), hour(s) or day(s)`;
  const n = Number(value);
  if (n === 1 && unit !== singular) return `rate(1 ${unit}) must use the singular unit: rate(1 ${singular})`;
  if (n > 1 && unit === singular) return `rate(${n} ${unit}) must use the plural unit: rate(${n} ${singular}s)`;
  return undefined;
}

function atProblem(body: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body.trim());
  if (!m) return 'at() needs a time yyyy-mm-ddThh:mm:ss';
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const same =
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === mo - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === h &&
    t.getUTCMinutes() === mi &&
    t.getUTCSeconds() === s;
  return same ? undefined : `at(${body}) is not a real date and time`;
}

/** EventBridge Scheduler: `cron(6 fields)`, `rate(value unit)` or `at(yyyy-mm-ddThh:mm:ss)`. */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const m = /^(cron|rate|at)\((.*)\)$/.exec(expression);
  if (!m) return 'must be a cron(...), rate(...) or at(...) expression';
  const [, kind, body] = m;
  return kind === 'cron' ? cronProblem(body) : kind === 'rate' ? rateProblem(body) : atProblem(body);
}

/** The prefix lengths a VPC's primary CIDR block may have. */
export const VPC_PREFIX = { min: 16, max: 28 } as const;

/**
 * An IPv4 CIDR block usable as a VPC: four octets 0–255, a prefix /16–/28, no host bits set, and a prefix no
 * longer than `maxPrefix` (the subnets carved from it must fit).
 */
export function vpcCidrProblem(cidr: string, maxPrefix: number = VPC_PREFIX.max): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return 'must be an IPv4 CIDR block a.b.c.d/n';
  const octets = m.slice(1, 5).map(Number);
  const bad = octets.find((o) => o > 255);
  if (bad !== undefined) return `octet ${bad} is not in 0–255`;
  const prefix = Number(m[5]);
  if (prefix < VPC_PREFIX.min || prefix > VPC_PREFIX.max)
    return `prefix /${prefix} must be between /${VPC_PREFIX.min} and /${VPC_PREFIX.max} (VPC limits)`;
  if (prefix > maxPrefix) return `prefix /${prefix} is too small: the subnets need /${maxPrefix} or larger`;
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) {
    const network = Math.floor(address / size) * size;
    const text = [24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join('.');
    return `host bits are set: the network address is ${text}/${prefix}`;
  }
  return undefined;
}
