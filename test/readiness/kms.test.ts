import { checkKms } from '../../lib/readiness/kms';
import { ENVIRONMENTS, environmentTemplates, resourceNamed, synthTemplates, withDefect } from './templates';

const messages = (t: ReadonlyMap<string, object>) => checkKms(t).findings.map((f) => `${f.resource}: ${f.message}`);

describe('KMS readiness', () => {
  it.each(ENVIRONMENTS)('every CMK-encrypted resource of %s can use its key', (env) => {
    const result = checkKms(environmentTemplates(env));
    expect(result.findings).toEqual([]);
    expect(result.evaluated).toBeGreaterThan(150);
  });

  it('finds the batch log groups when the batch key does not let CloudWatch Logs use it', () => {
    const defect = withDefect(environmentTemplates('prod'), 'Batch-prod', (resources) => {
      const key = resourceNamed(resources, 'Key', 'AWS::KMS::Key');
      key.Properties.KeyPolicy!.Statement = key.Properties.KeyPolicy!.Statement.filter((s) => s.Sid !== 'AllowCloudWatchLogsOfThisAccount');
    });
    const found = messages(defect);
    expect(found).toHaveLength(5);
    for (const group of ['ControlLogs', 'ExtractLogs', 'QualityLogs', 'LoadLogs', 'ReleaseLogs']) {
      expect(found).toContainEqual(
        expect.stringMatching(new RegExp(`^${group}\\w+: service principal logs\\.eu-west-1\\.amazonaws\\.com is not allowed kms:Encrypt`)),
      );
    }
  });

  it('finds every log group on the logs key when its condition names another account', () => {
    const defect = withDefect(environmentTemplates('staging'), 'Operations-staging', (resources) => {
      const key = resourceNamed(resources, 'LogsKey', 'AWS::KMS::Key');
      const stmt = key.Properties.KeyPolicy!.Statement.find((s) => s.Sid === 'AllowCloudWatchLogsOfThisAccount')!;
      stmt.Condition = { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:999999999999:log-group:*' } };
    });
    const found = checkKms(defect).findings;
    // Streaming (4), warehouse (flow logs, audit logs, custom resources), batch (Glue, dbt, workflow, Glue's own logs), storage.
    expect(found.length).toBeGreaterThanOrEqual(15);
    expect(found.map((f) => f.resource)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^NetworkFlowLogs/),
        expect.stringMatching(/^WorkflowLogs/),
        expect.stringMatching(/^GlueSecurity/),
      ]),
    );
  });

  it('finds the schedule dead-letter queue when the schedule role lacks kms:GenerateDataKey', () => {
    const defect = withDefect(environmentTemplates('dev'), 'Batch-dev', (resources) => {
      const policy = resourceNamed(resources, 'ScheduleRoleDefaultPolicy', 'AWS::IAM::Policy');
      policy.Properties.PolicyDocument!.Statement = policy.Properties.PolicyDocument!.Statement.filter(
        (s) => s.Sid !== 'DeadLetterQueueKey',
      );
    });
    expect(messages(defect)).toEqual([
      expect.stringMatching(
        /^ScheduleDeadLetters\w+: role ScheduleRole\w+ is not allowed kms:GenerateDataKey on key Key\w+ .*dead-letter queue/,
      ),
    ]);
  });

  it('finds the alarms when the alerting key does not let CloudWatch publish', () => {
    const defect = withDefect(environmentTemplates('dev'), 'Operations-dev', (resources) => {
      const key = resourceNamed(resources, 'AlertingKey', 'AWS::KMS::Key');
      key.Properties.KeyPolicy!.Statement = key.Properties.KeyPolicy!.Statement.filter((s) => s.Sid !== 'AllowAlarmPublishers');
    });
    const found = messages(defect);
    expect(found).toContainEqual(
      expect.stringMatching(
        /^AlertingCritical\w+: service principal cloudwatch\.amazonaws\.com is not allowed kms:GenerateDataKey, kms:Decrypt/,
      ),
    );
    expect(found).toContainEqual(expect.stringMatching(/^AlertingWarning\w+: service principal cloudwatch\.amazonaws\.com/));
  });

  it('finds a role that writes a CMK bucket without the key', () => {
    const defect = withDefect(environmentTemplates('dev'), 'Batch-dev', (resources) => {
      const policy = resourceNamed(resources, 'QualityRoleDefaultPolicy', 'AWS::IAM::Policy');
      policy.Properties.PolicyDocument!.Statement = policy.Properties.PolicyDocument!.Statement.filter(
        (s) => ![s.Action].flat().includes('kms:GenerateDataKey'),
      );
    });
    expect(messages(defect)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^LakeStaging\w+: role QualityRole\w+ is not allowed kms:GenerateDataKey/),
        expect.stringMatching(/^LakeRaw\w+: role QualityRole\w+ is not allowed kms:Decrypt/),
      ]),
    );
  });

  it('finds the state machine logs when the batch key does not let CloudWatch Logs delivery decrypt', () => {
    const defect = withDefect(environmentTemplates('prod'), 'Batch-prod', (resources) => {
      const key = resourceNamed(resources, 'Key', 'AWS::KMS::Key');
      const delivery = (s: { Principal?: unknown }) => JSON.stringify(s.Principal ?? '').includes('delivery.logs.amazonaws.com');
      expect(key.Properties.KeyPolicy!.Statement.some(delivery)).toBe(true);
      key.Properties.KeyPolicy!.Statement = key.Properties.KeyPolicy!.Statement.filter((s) => !delivery(s));
    });
    expect(messages(defect)).toEqual([
      expect.stringMatching(
        /^WorkflowStateMachine\w+: service principal delivery\.logs\.amazonaws\.com is not allowed kms:Decrypt on key Key\w+: .*execution logs/,
      ),
    ]);
  });

  it('finds the state machine when its role may not use the batch key', () => {
    const defect = withDefect(environmentTemplates('dev'), 'Batch-dev', (resources) => {
      const policy = resourceNamed(resources, 'WorkflowStateMachineRoleDefaultPolicy', 'AWS::IAM::Policy');
      policy.Properties.PolicyDocument!.Statement = policy.Properties.PolicyDocument!.Statement.filter(
        (s) => !JSON.stringify(s.Condition ?? {}).includes('aws:states:stateMachineArn'),
      );
    });
    expect(messages(defect)).toEqual([
      expect.stringMatching(
        /^WorkflowStateMachine\w+: role WorkflowStateMachineRole\w+ is not allowed kms:Decrypt, kms:GenerateDataKey .*encrypted execution data/,
      ),
    ]);
  });

  it('finds the schedule role when it may start the batch but not use its key', () => {
    const defect = withDefect(environmentTemplates('staging'), 'Batch-staging', (resources) => {
      const policy = resourceNamed(resources, 'ScheduleRoleDefaultPolicy', 'AWS::IAM::Policy');
      policy.Properties.PolicyDocument!.Statement = policy.Properties.PolicyDocument!.Statement.filter(
        (s) => s.Sid !== 'BatchStateMachineKey',
      );
    });
    // kms:Decrypt it keeps: the schedule's encrypted input is decrypted with the same key.
    expect(messages(defect)).toEqual([
      expect.stringMatching(
        /^WorkflowStateMachine\w+: role ScheduleRole\w+ is not allowed kms:GenerateDataKey on key Key\w+ .*starting executions/,
      ),
    ]);
  });

  it('finds a role that starts executions with the key scoped to another state machine', () => {
    const defect = withDefect(environmentTemplates('dev'), 'Batch-dev', (resources) => {
      const policy = resourceNamed(resources, 'ScheduleRoleDefaultPolicy', 'AWS::IAM::Policy');
      const key = policy.Properties.PolicyDocument!.Statement.find((s) => s.Sid === 'BatchStateMachineKey')!;
      key.Condition = {
        StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': 'arn:aws:states:eu-west-1:123456789012:stateMachine:other' },
      };
    });
    expect(messages(defect)).toEqual([
      expect.stringMatching(/^WorkflowStateMachine\w+: role ScheduleRole\w+ is not allowed kms:GenerateDataKey .*starting executions/),
    ]);
  });

  it('finds a role that reads execution history without the key', () => {
    const defect = withDefect(environmentTemplates('dev'), 'Batch-dev', (resources) => {
      const policy = resourceNamed(resources, 'ReleaseRoleDefaultPolicy', 'AWS::IAM::Policy');
      policy.Properties.PolicyDocument!.Statement.push({
        Effect: 'Allow',
        Action: 'states:GetExecutionHistory',
        Resource: 'arn:aws:states:*:*:execution:*-hourly-batch:*',
      });
    });
    expect(messages(defect)).toEqual([
      expect.stringMatching(/^WorkflowStateMachine\w+: role ReleaseRole\w+ is not allowed kms:Decrypt .*reading executions/),
    ]);
  });

  it('reports every stack of the three environments', () => {
    expect(synthTemplates().size).toBe(18);
  });
});
