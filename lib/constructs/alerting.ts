import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** How loud an alarm is: `critical` pages on-call, `warning` is worked in office hours. */
export type AlarmSeverity = 'critical' | 'warning';

/** What alarm registration needs from the alerting foundation. */
export interface IAlarmTopics {
  readonly critical: sns.ITopic;
  readonly warning: sns.ITopic;
}

export interface AlertingProps {
  /**
   * Prefix of the topic names: `<namePrefix>-alarms-critical` / `-warning`.
   * @default - CloudFormation-generated topic names
   */
  readonly namePrefix?: string;
  /**
   * E-mail addresses subscribed to the critical topic.
   * @default []
   */
  readonly criticalEmails?: readonly string[];
  /**
   * E-mail addresses subscribed to the warning topic.
   * @default []
   */
  readonly warningEmails?: readonly string[];
  /**
   * Removal policy of the alerting key.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The alerting foundation of one environment: a critical and a warning SNS topic, both encrypted with a rotating
 * customer-managed key that CloudWatch alarms (and EventBridge) may use, both TLS-only.
 */
export class Alerting extends Construct implements IAlarmTopics {
  /** Encrypts both topics; CloudWatch and EventBridge may use it to publish. */
  public readonly key: kms.Key;
  /** Pages on-call. */
  public readonly critical: sns.Topic;
  /** Lower severity: reviewed in office hours. */
  public readonly warning: sns.Topic;

  constructor(scope: Construct, id: string, props: AlertingProps = {}) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'DataFlow alerting: encrypts the alarm topics',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    // CloudWatch alarm actions and EventBridge rules publish to encrypted topics only if they may use the key.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowAlarmPublishers',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    const topic = (severity: AlarmSeverity, emails: readonly string[]) => {
      const t = new sns.Topic(this, severity === 'critical' ? 'Critical' : 'Warning', {
        topicName: props.namePrefix ? `${props.namePrefix}-alarms-${severity}` : undefined,
        displayName: `DataFlow ${severity} alarms`,
        masterKey: this.key,
        enforceSSL: true,
      });
      emails.forEach((address) => t.addSubscription(new subs.EmailSubscription(address)));
      return t;
    };
    this.critical = topic('critical', props.criticalEmails ?? []);
    this.warning = topic('warning', props.warningEmails ?? []);
  }

  /** The topic for a severity. */
  public topic(severity: AlarmSeverity): sns.Topic {
    return severity === 'critical' ? this.critical : this.warning;
  }
}
