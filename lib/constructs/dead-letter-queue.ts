import { Duration, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /** Encrypts the queue; whatever sends to it needs `kms:GenerateDataKey` on it. */
  readonly key: kms.IKey;
  /** What the queue catches the undeliverable messages of, e.g. `the batch schedule`. */
  readonly of: string;
}

/** A dead-letter queue: encrypted with a customer managed key, TLS only, messages kept 14 days for on-call. */
export class DeadLetterQueue extends sqs.Queue {
  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id, {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this).acknowledge({ id: 'AwsSolutions-SQS3', reason: `This queue is itself the dead-letter queue of ${props.of}.` });
  }
}
