import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { checkIam } from '../../lib/readiness/iam';
import { checkRuntimeConfig } from '../../lib/readiness/runtime-config';
import { synthApp } from '../helpers/synth';
import { resourceNamed, withDefect, type Statement } from '../readiness/templates';

/**
 * The lineage wiring of the batch stack, lake only (the default) and with an endpoint and an API-key secret: the
 * functions' runtime config, the grants, the dbt task's settings and the egress rule exist only when configured,
 * and the deploy-readiness checks pass with the endpoint configured.
 */
const ENDPOINT = { url: 'https://marquez.lineage.internal:5000', cidr: '10.60.0.0/24', apiKeySecret: 'dataflow-dev/openlineage-api-key' };

function synthDev(lineage?: Record<string, unknown>) {
  const saved = ENVIRONMENTS.dev.lineage;
  ENVIRONMENTS.dev.lineage = lineage;
  try {
    const { app, stages } = synthApp({ context: { env: 'dev' } });
    const assembly = app.synth();
    return {
      batch: Template.fromStack(stages[0].batch),
      templates: new Map(assembly.stacksRecursively.map((s) => [s.hierarchicalId, s.template as object])),
    };
  } finally {
    ENVIRONMENTS.dev.lineage = saved;
  }
}

const lakeOnly = synthDev();
const withEndpoint = synthDev({ endpoint: ENDPOINT });

const batchConfig = (t: Template, fn: string) => {
  const [resource] = Object.values(
    t.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp(fn) } }),
  ) as { Properties: { Environment: { Variables: { BATCH_CONFIG: unknown } } } }[];
  return JSON.stringify(resource.Properties.Environment.Variables.BATCH_CONFIG);
};
const dbtContainer = (t: Template) =>
  (Object.values(t.findResources('AWS::ECS::TaskDefinition'))[0] as { Properties: { ContainerDefinitions: Record<string, unknown>[] } })
    .Properties.ContainerDefinitions[0];
const egressTo5000 = (t: Template) =>
  Object.values(t.findResources('AWS::EC2::SecurityGroup')).flatMap((g) =>
    ((g as { Properties: { SecurityGroupEgress?: { FromPort: number; CidrIp?: string }[] } }).Properties.SecurityGroupEgress ?? []).filter(
      (r) => r.FromPort === 5000,
    ),
  );
const secretGrants = (t: Template) =>
  JSON.stringify(t.findResources('AWS::IAM::Policy')).match(/secret:dataflow-dev\/openlineage-api-key-\?\?\?\?\?\?/g) ?? [];

describe('lineage transport: lake only (default)', () => {
  test('extract, quality gate and load carry the namespace and no endpoint; each may write lineage/ of the staging zone', () => {
    for (const fn of ['Batch extract', 'Batch quality gate', 'Batch loader']) {
      const config = batchConfig(lakeOnly.batch, fn);
      expect(config).toContain('\\"lineage\\":{\\"namespace\\":\\"dataflow-dev\\"');
      expect(config).not.toContain('endpoint');
    }
    lakeOnly.batch.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'LineageLakeCopy',
            Action: 's3:PutObject',
            Resource: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['/lineage/*'])]) }),
          }),
        ]),
      },
    });
  });

  test('no egress rule, no secret grant, no endpoint for dbt; its undelivered events are counted', () => {
    expect(egressTo5000(lakeOnly.batch)).toEqual([]);
    expect(secretGrants(lakeOnly.batch)).toEqual([]);
    const env = dbtContainer(lakeOnly.batch).Environment as { Name: string }[];
    expect(env.map((e) => e.Name)).toEqual(
      expect.arrayContaining(['OPENLINEAGE_NAMESPACE', 'DATAFLOW_LINEAGE_BUCKET', 'DATAFLOW_LINEAGE_TIMEOUT_MS']),
    );
    expect(env.map((e) => e.Name)).not.toContain('OPENLINEAGE_URL');
    expect(dbtContainer(lakeOnly.batch).Secrets).toBeUndefined();
    lakeOnly.batch.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.lineage = "not delivered" }',
      MetricTransformations: [
        {
          MetricNamespace: 'DataFlow/Batch',
          MetricName: 'LineageEmitFailures',
          MetricValue: '$.events',
          Dimensions: [
            { Key: 'service', Value: '$.service' },
            { Key: 'Transport', Value: '$.transport' },
          ],
        },
      ],
    });
  });
});

describe('lineage transport: endpoint with an API-key secret', () => {
  test('the functions get the POST URL and the secret; extract, quality gate and load may read it', () => {
    for (const fn of ['Batch extract', 'Batch quality gate', 'Batch loader']) {
      expect(batchConfig(withEndpoint.batch, fn)).toContain(
        '\\"endpoint\\":{\\"url\\":\\"https://marquez.lineage.internal:5000/api/v1/lineage\\",\\"apiKeySecretId\\":\\"dataflow-dev/openlineage-api-key\\"}',
      );
    }
    // Three function roles and the dbt task's execution role.
    expect(secretGrants(withEndpoint.batch)).toHaveLength(4);
  });

  test('egress to the endpoint port, only to its network, from the extract and dbt security groups', () => {
    const rules = egressTo5000(withEndpoint.batch);
    expect(rules).toHaveLength(2);
    for (const r of rules) expect(r).toMatchObject({ CidrIp: '10.60.0.0/24', IpProtocol: 'tcp', FromPort: 5000, ToPort: 5000 });
  });

  test('dbt gets OPENLINEAGE_URL / OPENLINEAGE_ENDPOINT and the key as a task secret, never in its environment', () => {
    const c = dbtContainer(withEndpoint.batch);
    expect(c.Environment).toEqual(
      expect.arrayContaining([
        { Name: 'OPENLINEAGE_URL', Value: ENDPOINT.url },
        { Name: 'OPENLINEAGE_ENDPOINT', Value: 'api/v1/lineage' },
      ]),
    );
    expect(c.Secrets).toEqual([{ Name: 'OPENLINEAGE_API_KEY', ValueFrom: expect.objectContaining({ 'Fn::Join': expect.anything() }) }]);
    expect(JSON.stringify(c.Environment)).not.toContain('OPENLINEAGE_API_KEY');
  });

  test('readiness: the runtime config parses and every lineage call is granted and every grant used', () => {
    expect(checkRuntimeConfig(withEndpoint.templates).findings).toEqual([]);
    expect(checkIam(withEndpoint.templates).findings).toEqual([]);
  });

  test('readiness finds the API-key read and the lake copy when their grants are missing', () => {
    const defect = withDefect(withEndpoint.templates, 'Batch-dev', (resources) => {
      const policy = resourceNamed(resources, 'QualityRoleDefaultPolicy', 'AWS::IAM::Policy').Properties.PolicyDocument!;
      policy.Statement = policy.Statement.filter(
        (s: Statement) => s.Sid !== 'LineageLakeCopy' && ![s.Action].flat().includes('secretsmanager:GetSecretValue'),
      );
    });
    const messages = checkIam(defect).findings.map((f) => f.message);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /batch-quality: secretsmanager:GetSecretValue on arn:aws:secretsmanager:\S+:secret:dataflow-dev\/openlineage-api-key-AbCdEf is ImplicitlyDenied/,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/batch-quality: s3:PutObject on arn:aws:s3:::\S+\/lineage\/openlineage\/\S+ is ImplicitlyDenied/),
    );
  });
});
