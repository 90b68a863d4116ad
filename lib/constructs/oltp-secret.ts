import { Validations, type RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

export interface OltpSecretProps {
  /** The secret's name, e.g. `dataflow-prod/oltp-source`. */
  readonly secretName: string;
  /** Encrypts the secret (customer managed key). */
  readonly key: kms.IKey;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Read-only credentials of the OLTP Postgres the batch extracts from, `{host, port, dbname, username, password}`,
 * optionally with a CA bundle field. Created with a placeholder host and a generated password; the team owning the
 * database writes the real values (docs/operations.md).
 */
export class OltpSecret extends secretsmanager.Secret {
  constructor(scope: Construct, id: string, props: OltpSecretProps) {
    super(scope, id, {
      secretName: props.secretName,
      description: 'Read-only credentials of the OLTP Postgres the batch extracts from: {host, port, dbname, username, password}',
      encryptionKey: props.key,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ host: 'oltp.invalid', port: 5432, dbname: 'shop', username: 'dataflow_extract' }),
        generateStringKey: 'password',
        excludePunctuation: true,
      },
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The OLTP database is owned by the shop team, outside this app: its password rotates there, and they update this secret.',
    });
  }
}
