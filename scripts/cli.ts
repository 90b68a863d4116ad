/**
 * What every operator CLI shares: strict `node:util` parseArgs (unknown flags and bad values exit 2 naming the flag),
 * `--help`, the target environment resolved exactly like the CDK app (`--env`, `-c account=…`, `-c region=…` through
 * lib/config's loader), confirmation before writing to staging or prod, and progress lines.
 */
import * as readline from 'node:readline/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadEnvironmentConfig, type EnvironmentConfig } from '../lib/config';

/** A command-line mistake: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Options every operator CLI accepts. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  env: { type: 'string' },
  context: { type: 'string', short: 'c', multiple: true },
  yes: { type: 'boolean' },
} as const satisfies OptionsConfig;

export const COMMON_USAGE = `  --env <dev|staging|prod>   target environment (default dev)
  -c account=<id>            override the environment's account (as for cdk)
  -c region=<region>         override the environment's region (as for cdk)
  --yes                      confirm writing to staging or prod without a prompt
  -h, --help                 print this help`;

/** Strict parse: unknown flags, missing values and stray positionals become a UsageError naming them. */
export function parseCli<const O extends OptionsConfig>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** A number flag within [min, max] (`integer` for whole numbers); undefined → fallback. */
export function numberFlag(name: string, raw: string | undefined, fallback: number, min: number, max: number, integer = false): number {
  if (raw === undefined) return fallback;
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new UsageError(`--${name} must be a ${integer ? 'whole ' : ''}number between ${min} and ${max} (got "${raw}")`);
  }
  return v;
}

/** ISO-8601 date-time with an explicit zone (`Z` or `±HH:MM`); seconds and fractions optional. */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Parses a strict ISO-8601 timestamp (a real calendar date and time); the error names the flag. */
export function parseIsoTime(flag: string, value: string): number {
  const m = ISO_TIME.exec(value);
  const day = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  const valid =
    m !== null &&
    day !== undefined &&
    day.getUTCMonth() === Number(m[2]) - 1 &&
    day.getUTCDate() === Number(m[3]) &&
    Number(m[4]) < 24 &&
    Number(m[5]) < 60 &&
    Number(m[6] ?? 0) < 60;
  const ms = valid ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new UsageError(`--${flag} must be an ISO-8601 time with a zone, e.g. 2026-06-01T00:00Z (got "${value}")`);
  return ms;
}

/** `-c key=value` pairs; only account and region are accepted, as the CDK app reads them. */
export function contextOverrides(pairs: readonly string[] | undefined): { account?: string; region?: string } {
  const out: { account?: string; region?: string } = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq) : pair;
    if (key !== 'account' && key !== 'region') throw new UsageError(`-c ${pair}: only -c account=<id> and -c region=<region> are accepted`);
    if (eq < 0 || eq === pair.length - 1) throw new UsageError(`-c ${key} needs a value (-c ${key}=…)`);
    out[key] = pair.slice(eq + 1);
  }
  return out;
}

/** The validated environment config, with `-c` overrides applied by lib/config's loader. */
export function resolveEnvironment(env: string | undefined, context: readonly string[] | undefined): EnvironmentConfig {
  try {
    return loadEnvironmentConfig(env ?? 'dev', contextOverrides(context));
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(`--env ${env ?? 'dev'}: ${err.message}`);
    throw err;
  }
}

export interface ConfirmIo {
  readonly isTty: boolean;
  ask(question: string): Promise<string>;
}

const terminal: ConfirmIo = {
  isTty: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  async ask(question) {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  },
};

/** Writes to staging or prod need `--yes` or, on a terminal, the environment's name typed back. */
export async function confirmWrite(
  config: EnvironmentConfig,
  action: string,
  yes: boolean | undefined,
  io: ConfirmIo = terminal,
): Promise<void> {
  if (config.name === 'dev' || yes) return;
  if (!io.isTty) throw new UsageError(`${action} writes to ${config.name}: add --yes to confirm`);
  const answer = await io.ask(
    `${action} writes to ${config.name} (${config.account ?? 'no account'} ${config.region}). Type "${config.name}" to continue: `,
  );
  if (answer.trim() !== config.name) throw new UsageError(`${action} on ${config.name} not confirmed`);
}

/** Runs a CLI's main: `--help` output and usage errors are handled here. */
export function runCli(name: string, usage: string, main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (err) => {
      if (err instanceof UsageError) {
        console.error(`${name}: ${err.message}\n\n${usage}`);
        process.exit(2);
      }
      console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}

/** Prints `line()` at most every `everyMs` (and on `done`). */
export class Progress {
  private last = 0;
  constructor(
    private readonly line: () => string,
    private readonly everyMs = 5_000,
    private readonly out: (line: string) => void = console.log,
    private readonly now: () => number = Date.now,
  ) {
    this.last = now();
  }
  public tick(): void {
    if (this.now() - this.last >= this.everyMs) {
      this.last = this.now();
      this.out(this.line());
    }
  }
}

/** `1m05s` style duration. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
