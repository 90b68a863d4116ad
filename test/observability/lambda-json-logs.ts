/**
 * An offline stand-in for what the Lambda Node.js runtime does with a function's output under the JSON log format,
 * and for what CloudWatch Logs then extracts as embedded-metric-format (EMF) metrics.
 *
 * - Text written straight to process.stdout / process.stderr reaches the log stream line by line, unchanged.
 * - Text written through `console.*` is wrapped by the runtime: one `{"timestamp","level","message","requestId"}`
 *   object per call, the formatted text as the `message` string.
 * - CloudWatch extracts metrics only from a log event that is itself an EMF object: `_aws.CloudWatchMetrics` at the
 *   top level, each dimension and metric a top-level member (string / number).
 */
import { format } from 'node:util';

type Write = typeof process.stdout.write;
const CONSOLE_LEVELS = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' } as const;

/** Runs `fn` with stdout, stderr and the console methods redirected as the runtime does; returns the log lines. */
export async function underLambdaJsonLogs<T>(
  fn: () => Promise<T> | T,
  requestId = 'c0ffee00-0000-4000-8000-000000000001',
): Promise<{ result: T; lines: string[] }> {
  let buffer = '';
  const writer = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    buffer += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as Write;
  // The original methods, put back unchanged (same function objects) after the capture.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const saved = { stdout: process.stdout.write, stderr: process.stderr.write, console: { ...console } };
  process.stdout.write = writer;
  process.stderr.write = writer;
  for (const [method, level] of Object.entries(CONSOLE_LEVELS)) {
    (console as unknown as Record<string, (...args: unknown[]) => void>)[method] = (...args: unknown[]) => {
      buffer += `${JSON.stringify({ timestamp: new Date().toISOString(), level, message: format(...args), requestId })}\n`;
    };
  }
  try {
    const result = await fn();
    return { result, lines: buffer.split('\n').filter((l) => l.trim() !== '') };
  } finally {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    Object.assign(console, saved.console);
  }
}

/** One datapoint CloudWatch would extract. */
export interface ExtractedMetric {
  readonly namespace: string;
  readonly name: string;
  readonly unit?: string;
  readonly value: number | number[];
  /** One dimension set of the record, with its values. */
  readonly dimensions: Readonly<Record<string, string>>;
}

/** What CloudWatch Logs extracts from the lines; `ignored` lists lines that carry EMF but are not EMF log events. */
export function extractEmf(lines: readonly string[]): { metrics: ExtractedMetric[]; ignored: string[] } {
  const metrics: ExtractedMetric[] = [];
  const ignored: string[] = [];
  for (const line of lines) {
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      if (line.includes('CloudWatchMetrics')) ignored.push(`not a JSON log event: ${line.slice(0, 120)}`);
      continue;
    }
    const problem = emfProblem(event);
    if (problem === undefined) metrics.push(...datapoints(event as EmfEvent));
    else if (line.includes('CloudWatchMetrics')) ignored.push(`${problem}: ${line.slice(0, 160)}`);
  }
  return { metrics, ignored };
}

interface EmfEvent extends Record<string, unknown> {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit?: string }[] }[];
  };
}

function emfProblem(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return 'not a JSON object';
  const e = event as Record<string, unknown>;
  const aws = e._aws as Record<string, unknown> | undefined;
  if (typeof aws !== 'object' || aws === null) return 'no top-level _aws member (EMF nested in a wrapped console message?)';
  if (typeof aws.Timestamp !== 'number') return '_aws.Timestamp is not a number';
  if (!Array.isArray(aws.CloudWatchMetrics)) return '_aws.CloudWatchMetrics is not an array';
  for (const directive of aws.CloudWatchMetrics as Record<string, unknown>[]) {
    if (typeof directive.Namespace !== 'string' || directive.Namespace === '') return 'a directive has no Namespace';
    if (!Array.isArray(directive.Dimensions) || !Array.isArray(directive.Metrics)) return 'a directive lacks Dimensions or Metrics';
    for (const set of directive.Dimensions as unknown[]) {
      if (!Array.isArray(set) || set.length > 30) return 'a dimension set is not an array of at most 30 names';
      for (const key of set) if (typeof e[key] !== 'string') return `dimension ${String(key)} is not a top-level string member`;
    }
    for (const m of directive.Metrics as { Name?: unknown }[]) {
      const v = e[String(m.Name)];
      const numeric = typeof v === 'number' || (Array.isArray(v) && v.every((x) => typeof x === 'number'));
      if (!numeric) return `metric ${String(m.Name)} is not a top-level number member`;
    }
  }
  return undefined;
}

function datapoints(e: EmfEvent): ExtractedMetric[] {
  const out: ExtractedMetric[] = [];
  for (const d of e._aws.CloudWatchMetrics) {
    for (const set of d.Dimensions) {
      const dimensions = Object.fromEntries(set.map((k) => [k, e[k] as string]));
      for (const m of d.Metrics) out.push({ namespace: d.Namespace, name: m.Name, unit: m.Unit, value: e[m.Name] as number, dimensions });
    }
  }
  return out;
}
