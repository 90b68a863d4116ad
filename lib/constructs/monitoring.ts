import * as fs from 'node:fs';
import * as path from 'node:path';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Construct } from 'constructs';
import type { AlarmSeverity, IAlarmTopics } from './alerting';

/** Repository folder holding one markdown runbook per alarm. */
export const RUNBOOK_DIR = path.resolve(__dirname, '..', '..', 'docs', 'runbooks');

export interface MonitoringProps {
  /** Topics the alarms notify (alarm and OK actions). */
  readonly topics: IAlarmTopics;
  /** Base URL under which `docs/runbooks/<name>.md` is browsable, ending with `/`. */
  readonly runbookBaseUrl: string;
  /**
   * Folder where each registered alarm's runbook must exist; registration fails synth otherwise.
   * @default RUNBOOK_DIR (`docs/runbooks` of this repository)
   */
  readonly runbookDir?: string;
}

interface RunbookAlarmBase {
  /** Runbook file name without `.md`, in `docs/runbooks/`. */
  readonly runbook: string;
  /** One sentence on what the alarm means for the platform. */
  readonly summary: string;
  /**
   * Which topic is notified.
   * @default 'critical'
   */
  readonly severity?: AlarmSeverity;
}

/** A static-threshold alarm with a runbook. */
export interface RunbookAlarmOptions extends RunbookAlarmBase, Omit<cloudwatch.AlarmProps, 'alarmDescription' | 'actionsEnabled'> {}

/** An anomaly-detection-band alarm with a runbook. */
export interface RunbookAnomalyAlarmOptions
  extends RunbookAlarmBase,
    Omit<cloudwatch.AnomalyDetectionAlarmProps, 'alarmDescription' | 'actionsEnabled'> {}

/**
 * Registers alarms the one way the platform allows: every alarm notifies an SNS topic on ALARM and on OK, and
 * its description links its runbook, which must exist in the repository (checked at synth).
 * Create one per stack; the alarms are children of this construct.
 */
export class Monitoring extends Construct {
  /** Every alarm registered through this construct. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  private readonly props: MonitoringProps;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    if (!props.runbookBaseUrl.endsWith('/')) throw new Error(`Monitoring: runbookBaseUrl must end with "/" (got ${props.runbookBaseUrl})`);
    this.props = props;
  }

  /** A static-threshold alarm. */
  public addAlarm(id: string, options: RunbookAlarmOptions): cloudwatch.Alarm {
    const { runbook, summary, severity, ...alarmProps } = options;
    return this.register(
      new cloudwatch.Alarm(this, id, { ...alarmProps, alarmDescription: this.describe(id, runbook, summary), actionsEnabled: true }),
      severity,
    );
  }

  /** An anomaly-detection-band alarm (e.g. on incoming volume, with missing data treated as breaching). */
  public addAnomalyAlarm(id: string, options: RunbookAnomalyAlarmOptions): cloudwatch.Alarm {
    const { runbook, summary, severity, ...alarmProps } = options;
    return this.register(
      new cloudwatch.AnomalyDetectionAlarm(this, id, {
        ...alarmProps,
        alarmDescription: this.describe(id, runbook, summary),
        actionsEnabled: true,
      }),
      severity,
    );
  }

  /** The runbook URL for a runbook name. */
  public runbookUrl(runbook: string): string {
    return `${this.props.runbookBaseUrl}docs/runbooks/${runbook}.md`;
  }

  private describe(id: string, runbook: string, summary: string): string {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(runbook)) throw new Error(`Alarm ${id}: runbook name "${runbook}" must be kebab-case`);
    const file = path.join(this.props.runbookDir ?? RUNBOOK_DIR, `${runbook}.md`);
    if (!fs.existsSync(file)) throw new Error(`Alarm ${id}: runbook docs/runbooks/${runbook}.md does not exist (${file})`);
    return `${summary} Runbook: ${this.runbookUrl(runbook)}`;
  }

  private register(alarm: cloudwatch.Alarm, severity: AlarmSeverity = 'critical'): cloudwatch.Alarm {
    const action = new actions.SnsAction(severity === 'critical' ? this.props.topics.critical : this.props.topics.warning);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    return alarm;
  }
}
