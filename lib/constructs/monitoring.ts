import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack, Token } from 'aws-cdk-lib';
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
  /**
   * Prefix of the alarm names (`<prefix>-<id>`), which is what on-call reads in the notification subject.
   * @default - the stack name when it is a literal (e.g. `dataflow-prod-streaming`), otherwise generated names
   */
  readonly alarmNamePrefix?: string;
  /**
   * Title of this component's section on the environment's operations dashboard.
   * @default - the stack name
   */
  readonly title?: string;
}

/** What the operations dashboard and tooling need to know about a registered alarm. */
export interface RegisteredAlarm {
  readonly alarm: cloudwatch.Alarm;
  /** Physical alarm name when it is known at synth (see `alarmNamePrefix`). */
  readonly alarmName?: string;
  readonly runbook: string;
  readonly severity: AlarmSeverity;
  readonly summary: string;
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
  extends RunbookAlarmBase, Omit<cloudwatch.AnomalyDetectionAlarmProps, 'alarmDescription' | 'actionsEnabled'> {}

/**
 * Registers alarms the one way the platform allows: every alarm notifies an SNS topic on ALARM and on OK, and
 * its description links its runbook, which must exist in the repository (checked at synth).
 * Create one per stack; the alarms are children of this construct.
 */
export class Monitoring extends Construct {
  /** Every alarm registered through this construct, in registration order. */
  public readonly registered: RegisteredAlarm[] = [];
  /** Graphs this component contributes to the operations dashboard. */
  public readonly widgets: cloudwatch.IWidget[] = [];
  /** Section title on the operations dashboard. */
  public readonly title: string;
  private readonly props: MonitoringProps;
  private readonly alarmNamePrefix?: string;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    if (!props.runbookBaseUrl.endsWith('/')) throw new Error(`Monitoring: runbookBaseUrl must end with "/" (got ${props.runbookBaseUrl})`);
    this.props = props;
    const stackName = Stack.of(this).stackName;
    this.alarmNamePrefix = props.alarmNamePrefix ?? (Token.isUnresolved(stackName) ? undefined : stackName);
    this.title = props.title ?? stackName;
  }

  /** Every alarm registered through this construct. */
  public get alarms(): cloudwatch.Alarm[] {
    return this.registered.map((r) => r.alarm);
  }

  /** A static-threshold alarm. */
  public addAlarm(id: string, options: RunbookAlarmOptions): cloudwatch.Alarm {
    const { runbook, summary, severity, alarmName, ...alarmProps } = options;
    const name = alarmName ?? this.defaultName(id);
    const alarm = new cloudwatch.Alarm(this, id, {
      ...alarmProps,
      alarmName: name,
      alarmDescription: this.describe(id, runbook, summary),
      actionsEnabled: true,
    });
    return this.register({ alarm, alarmName: name, runbook, summary, severity: severity ?? 'critical' });
  }

  /** An anomaly-detection-band alarm (e.g. on incoming volume, with missing data treated as breaching). */
  public addAnomalyAlarm(id: string, options: RunbookAnomalyAlarmOptions): cloudwatch.Alarm {
    const { runbook, summary, severity, alarmName, ...alarmProps } = options;
    const name = alarmName ?? this.defaultName(id);
    const alarm = new cloudwatch.AnomalyDetectionAlarm(this, id, {
      ...alarmProps,
      alarmName: name,
      alarmDescription: this.describe(id, runbook, summary),
      actionsEnabled: true,
    });
    return this.register({ alarm, alarmName: name, runbook, summary, severity: severity ?? 'critical' });
  }

  /** Adds graphs to this component's section of the operations dashboard. */
  public addWidgets(...widgets: cloudwatch.IWidget[]): void {
    this.widgets.push(...widgets);
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

  private defaultName(id: string): string | undefined {
    if (this.alarmNamePrefix === undefined) return undefined;
    const kebab = id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
    return `${this.alarmNamePrefix}-${kebab}`;
  }

  private register(entry: RegisteredAlarm): cloudwatch.Alarm {
    const topic = entry.severity === 'critical' ? this.props.topics.critical : this.props.topics.warning;
    const action = new actions.SnsAction(topic);
    entry.alarm.addAlarmAction(action);
    entry.alarm.addOkAction(action);
    this.registered.push(entry);
    return entry.alarm;
  }
}
