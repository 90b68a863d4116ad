/**
 * Replays stream records that did not reach the staging zone, through the stream processor's own handler:
 *
 *   npm run replay -- quarantine --env dev --stream transactions --from 2026-06-01T00:00Z --to 2026-06-01T06:00Z [--reason invalid_field] [--apply]
 *   npm run replay -- failure-queue --env dev --messages messages.json [--apply]
 *
 * Dry run by default (prints what would be written); `--apply` writes, and staging/prod also need `--yes`.
 * `--lake-dir <dir>` uses a local lake (`<dir>/<zone>/<key>`, as `make demo` writes it) instead of the S3 buckets.
 */
import { MemoryDocumentStore } from './local/stream/document-stores';
import * as fs from 'node:fs';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { createEventContracts, QUARANTINE_REASONS, STREAM_NAMES, type StreamName } from '../lambda/contracts/events';
import { lakeBucketName, type LakeStore, type LakeZone } from '../lambda/contracts/lake';
import { FsLakeStore } from '../lambda/shared/fs-lake-store';
import { S3LakeStore } from '../lambda/shared/s3-lake-store';
import { createStreamHandler } from '../lambda/stream-processor/handler';
import type { EnvironmentConfig } from '../lib/config';
import { settingsFromConfig, streamNameOf } from '../lib/config/stream-settings';
import { COMMON_OPTIONS, COMMON_USAGE, confirmWrite, parseCli, parseIsoTime, resolveEnvironment, runCli, UsageError } from './cli';
import { parseFailureMessages, processRange, readRange } from './replay/failure-queue';
import { ReplayWriter } from './replay/lake';
import { replayQuarantine } from './replay/quarantine';

export const USAGE = `usage: npm run replay -- quarantine --stream <name> --from <time> --to <time> [--reason <code>] [options]
       npm run replay -- failure-queue --messages <file> [options]

quarantine      validates quarantined records again with the current contracts and stages the ones that are valid
                now (each once: a second run stages nothing new); reports what stays quarantined and why
failure-queue   reads the ranges named by failure-queue messages (saved output of aws sqs receive-message) back
                from the stream and processes them like the event source mapping would

  --stream <name>            ${STREAM_NAMES.join(', ')}
  --from, --to <time>        arrival hours to replay, ISO-8601 with zone (whole hours)
  --reason <code>            only this quarantine reason
  --messages <file>          failure-queue messages (JSON or one message body per line)
  --lake-dir <dir>           a local lake directory instead of the environment's S3 buckets
  --apply                    write (default: dry run, nothing is written)
${COMMON_USAGE}`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  stream: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  reason: { type: 'string' },
  messages: { type: 'string' },
  'lake-dir': { type: 'string' },
  apply: { type: 'boolean' },
} as const;

function lakeOf(config: EnvironmentConfig, lakeDir: string | undefined, account: string | undefined): LakeStore {
  if (lakeDir !== undefined) return new FsLakeStore(lakeDir);
  if (!account) throw new UsageError(`environment ${config.name} has no account: pass -c account=<id> or --lake-dir`);
  const bucket = (zone: LakeZone) => lakeBucketName(`${config.prefix}-${config.name}`, zone, account, config.region);
  return new S3LakeStore(new S3Client({ region: config.region }), {
    raw: bucket('raw'),
    staging: bucket('staging'),
    quarantine: bucket('quarantine'),
  });
}

function handlerFor(config: EnvironmentConfig, writer: ReplayWriter, log: (l: string) => void) {
  const settings = settingsFromConfig(config);
  const quiet = () => undefined;
  return createStreamHandler({
    settings,
    contracts: createEventContracts({ currencies: settings.currencies }),
    lake: writer,
    // Alerts are printed, not sent, during a replay: their outbox lives in memory, never in the lake.
    outboxStore: new MemoryDocumentStore(),
    alerts: { publish: async (subject) => log(`  anomaly summary (not sent during a replay): ${subject}`) },
    metrics: { record: quiet },
    logger: {
      info: quiet,
      warn: (m, e) => log(`  warning: ${m} ${JSON.stringify(e)}`),
      error: (m, e) => log(`  error: ${m} ${JSON.stringify(e)}`),
    },
    concurrency: 4,
  });
}

export async function main(argv: readonly string[], log: (l: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    log(USAGE);
    return 0;
  }
  if (command !== 'quarantine' && command !== 'failure-queue')
    throw new UsageError(`the first argument must be quarantine or failure-queue (got "${command ?? ''}")`);
  const v = parseCli(rest, OPTIONS);
  if (v.help) {
    log(USAGE);
    return 0;
  }
  const config = resolveEnvironment(v.env, v.context);
  const account = config.account ?? process.env.AWS_ACCOUNT_ID;
  const apply = Boolean(v.apply);
  const lake = lakeOf(config, v['lake-dir'], account);
  const mode = apply ? 'writing' : 'dry run: nothing is written';

  if (command === 'quarantine') {
    for (const flag of ['stream', 'from', 'to'] as const)
      if (v[flag] === undefined) throw new UsageError(`--${flag} is required for quarantine`);
    if (!(STREAM_NAMES as readonly string[]).includes(v.stream as string))
      throw new UsageError(`--stream must be one of ${STREAM_NAMES.join(', ')} (got "${v.stream}")`);
    if (v.reason !== undefined && !(QUARANTINE_REASONS as readonly string[]).includes(v.reason))
      throw new UsageError(`--reason must be one of ${QUARANTINE_REASONS.join(', ')} (got "${v.reason}")`);
    if (v.messages !== undefined) throw new UsageError('--messages belongs to failure-queue');
    const fromMs = parseIsoTime('from', v.from as string);
    const toMs = parseIsoTime('to', v.to as string);
    if (fromMs % 3_600_000 !== 0 || toMs % 3_600_000 !== 0 || toMs <= fromMs)
      throw new UsageError('--from and --to must be whole hours, --to after --from');
    if (apply) await confirmWrite(config, 'replaying quarantined records', v.yes);
    const stream = v.stream as StreamName;
    const writer = new ReplayWriter(lake, { apply, writeQuarantine: false });
    const streamArn = `arn:aws:kinesis:${config.region}:${account ?? '000000000000'}:stream/${streamNameOf(config, stream)}`;
    log(
      `replaying quarantined ${stream} records ${v.from} … ${v.to}${v.reason ? ` (reason ${v.reason})` : ''} on ${config.name} (${mode})`,
    );
    const r = await replayQuarantine(lake, handlerFor(config, writer, log), writer, { stream, streamArn, reason: v.reason, fromMs, toMs });
    const still = Object.values(r.stillQuarantined).reduce((a, b) => a + b, 0);
    log(`read ${r.recordsRead} record(s) from ${r.objectsRead} quarantine object(s)`);
    log(
      `valid now: ${r.recordsRead - still - r.failedRecords}; staging objects ${apply ? 'written' : 'to write'}: ${writer.tally.written.length}, already staged: ${writer.tally.present.length}`,
    );
    log(
      `still quarantined: ${still}${
        still
          ? ` (${Object.entries(r.stillQuarantined)
              .map(([k, n]) => `${k}=${n}`)
              .join(', ')})`
          : ''
      }`,
    );
    r.examples.forEach((e) => log(`  ${e}`));
    if (r.failedRecords) log(`${r.failedRecords} record(s) could not be written; run again`);
    return r.failedRecords ? 1 : 0;
  }

  if (v.messages === undefined) throw new UsageError('--messages <file> is required for failure-queue');
  for (const flag of ['stream', 'from', 'to', 'reason'] as const)
    if (v[flag] !== undefined) throw new UsageError(`--${flag} belongs to quarantine`);
  let ranges;
  try {
    ranges = parseFailureMessages(fs.readFileSync(v.messages, 'utf8'));
  } catch (err) {
    throw new UsageError(`--messages ${v.messages}: ${(err as Error).message}`);
  }
  if (apply) await confirmWrite(config, 'replaying failure-queue ranges', v.yes);
  return replayFailureQueue(ranges, new KinesisClient({ region: config.region }), config, lake, apply, log);
}

/** Reads and processes every range; exit code 1 when a range is incomplete or a record could not be written. */
export async function replayFailureQueue(
  ranges: ReturnType<typeof parseFailureMessages>,
  kinesis: KinesisClient,
  config: EnvironmentConfig,
  lake: LakeStore,
  apply: boolean,
  log: (l: string) => void,
): Promise<number> {
  const writer = new ReplayWriter(lake, { apply, writeQuarantine: true });
  const handler = handlerFor(config, writer, log);
  let problems = 0;
  for (const range of ranges) {
    const read = await readRange(kinesis, range);
    const failed = await processRange(handler, read.records, config.streaming.batchSize);
    log(
      `${range.shardId} ${range.startSequenceNumber} … ${range.endSequenceNumber}: ${read.records.length} record(s) read${read.complete ? '' : ` — incomplete: ${read.note}`}${failed ? `, ${failed} not written` : ''}`,
    );
    if (!read.complete || failed) problems++;
  }
  log(
    `objects ${apply ? 'written' : 'to write (dry run)'}: ${writer.tally.written.length}, already present: ${writer.tally.present.length}`,
  );
  writer.tally.written.forEach((k) => log(`  ${k}`));
  return problems ? 1 : 0;
}

if (require.main === module) runCli('replay', USAGE, () => main(process.argv.slice(2)));
