import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';

/**
 * The processor's AWS clients with finite network timeouts: without them a stalled connection holds the invocation
 * until the function timeout, which Lambda treats as an error of the whole batch. A timed-out call fails like any
 * transient error (the SDK retries it, then the record range is rolled back and redelivered). The handler options are
 * passed as a plain object (the SDK builds its NodeHttpHandler from them), so the bundle does not carry a second copy
 * of the HTTP handler. `throwOnRequestTimeout` is required: without it an exceeded `requestTimeout` only logs a warning.
 */
export interface ClientTimeouts {
  /** Time to establish the TCP/TLS connection (ms). */
  readonly connectionTimeout: number;
  /** Time without response data once the request is sent (ms). */
  readonly requestTimeout: number;
  /** Attempts per call, including the first. */
  readonly maxAttempts: number;
}

/** 3 s to connect, 15 s per request (a multi-MB PUT takes well under a second inside the region), 3 attempts. */
export const CLIENT_TIMEOUTS: ClientTimeouts = { connectionTimeout: 3_000, requestTimeout: 15_000, maxAttempts: 3 };

export function s3Client(timeouts: ClientTimeouts = CLIENT_TIMEOUTS, config: S3ClientConfig = {}): S3Client {
  return new S3Client({ ...config, ...clientConfig(timeouts) });
}

export function snsClient(timeouts: ClientTimeouts = CLIENT_TIMEOUTS, config: SNSClientConfig = {}): SNSClient {
  return new SNSClient({ ...config, ...clientConfig(timeouts) });
}

function clientConfig(t: ClientTimeouts) {
  return {
    maxAttempts: t.maxAttempts,
    requestHandler: { connectionTimeout: t.connectionTimeout, requestTimeout: t.requestTimeout, throwOnRequestTimeout: true },
  };
}
