/**
 * The Lambda edge every function shares: Powertools Logger, Metrics and Tracer for one service, `instrument`, which
 * wraps a thin handler with them, and `lambdaHandler`, the one shape of every entry point. Logger and Metrics write to process.stdout through their own `Console`, so
 * with the JSON log format each log line and each EMF record stays one top-level JSON object (text written through
 * `console.*` is wrapped by the runtime into `{"message": "<text>"}`, where CloudWatch extracts no metric).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';

export interface Powertools {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

/** Logger, Metrics and Tracer of one service; `namespace` only for functions that publish metrics. */
export function powertools(serviceName: string, namespace?: string): Powertools {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ serviceName, ...(namespace ? { namespace } : {}) }),
    tracer: new Tracer({ serviceName }),
  };
}

/** Log keys of one invocation (e.g. window, table, execution), derived from its event. */
export type InvocationKeys = (event: unknown) => Record<string, string | undefined>;

/**
 * Wraps `handle` for Lambda: the request context and the invocation's keys on every log line (cleared afterwards),
 * one X-Ray subsegment, the failure logged and recorded on the trace, and stored metrics flushed however the
 * invocation ends.
 */
export function instrument<E, R>(pt: Powertools, handle: (event: E) => Promise<R>, keys: InvocationKeys = () => ({})) {
  const { logger, metrics, tracer } = pt;
  return async (event: E, context?: Context): Promise<R> => {
    if (context) logger.addContext(context);
    logger.appendKeys(definedOnly(keys(event)));
    const segment = tracer.getSegment();
    const subsegment = segment?.addNewSubsegment(`## ${process.env._HANDLER ?? 'handler'}`);
    if (subsegment) tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      return await handle(event);
    } catch (err) {
      tracer.addErrorAsMetadata(err as Error);
      logger.error('invocation failed', { error: err as Error });
      throw err;
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      subsegment?.close();
      if (segment) tracer.setSegment(segment);
      logger.resetKeys();
    }
  };
}

function definedOnly(keys: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(keys)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * The one shape of a Lambda entry point: `create(deps)` is the handler over injected dependencies (what tests and
 * the local run call with theirs); `edge()` builds the AWS ones — configuration parsed, clients traced — once, on the
 * first invocation, so a bad configuration fails that invocation logged and naming the field. The result is
 * wrapped by `instrument`.
 */
export function lambdaHandler<D, E, R>(
  pt: Powertools,
  edge: () => D,
  create: (deps: D) => (event: E) => Promise<R>,
  keys?: InvocationKeys,
) {
  let live: ((event: E) => Promise<R>) | undefined;
  return instrument(pt, (event: E) => (live ??= create(edge()))(event), keys);
}
