/** The one entry-point shape: dependencies built at the edge once, on the first invocation; the core injected. */
import { GetNamespaceCommand, RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { lambdaHandler, powertools } from '../../lambda/shared/powertools';
import { createHandler as setupHandler } from '../../lambda/warehouse-setup/handler';

process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

describe('lambdaHandler', () => {
  test('builds the dependencies once, on the first invocation, and passes every event to the core', async () => {
    let built = 0;
    const seen: number[] = [];
    const handler = lambdaHandler(
      powertools('test-service'),
      () => ({ built: ++built }),
      (deps: { built: number }) => async (event: number) => {
        seen.push(event);
        return event * 10 + deps.built;
      },
    );
    expect(built).toBe(0);
    await expect(handler(1)).resolves.toBe(11);
    await expect(handler(2)).resolves.toBe(21);
    expect({ built, seen }).toEqual({ built: 1, seen: [1, 2] });
  });

  test('a configuration the edge refuses fails the invocation with the edge’s error, and the next one tries again', async () => {
    let attempts = 0;
    const handler = lambdaHandler(
      powertools('test-service'),
      () => {
        attempts++;
        throw new Error('BATCH_CONFIG is invalid: leaseTable: Too small');
      },
      () => async () => 'never',
    );
    await expect(handler({})).rejects.toThrow('BATCH_CONFIG is invalid: leaseTable: Too small');
    await expect(handler({})).rejects.toThrow(/leaseTable/);
    expect(attempts).toBe(2);
  });
});

describe('warehouse setup handler over injected clients', () => {
  const serverless = mockClient(RedshiftServerlessClient);
  const data = mockClient(RedshiftDataClient);
  const logged: string[] = [];
  const handle = setupHandler({
    data: new RedshiftDataClient({}),
    serverless: new RedshiftServerlessClient({}),
    log: (m) => void logged.push(m),
  });
  const props = { ServiceToken: 'x', NamespaceName: 'ns', WorkgroupName: 'wg', Database: 'dataflow' };

  test('Delete keeps everything: no call to the warehouse', async () => {
    const event = { RequestType: 'Delete', PhysicalResourceId: 'wg/dataflow/setup', ResourceProperties: props } as never;
    await expect(handle(event)).resolves.toEqual({
      PhysicalResourceId: 'wg/dataflow/setup',
      Data: { Role: 'analysts', Statements: 0, AdminSecretArn: '' },
    });
    expect(serverless.calls()).toHaveLength(0);
    expect(data.calls()).toHaveLength(0);
  });

  test('bad resource properties fail naming the field', async () => {
    await expect(handle({ RequestType: 'Create', ResourceProperties: { ...props, Database: 'Bad-Name' } } as never)).rejects.toThrow(
      /^ResourceProperties is invalid: Database: /,
    );
  });

  test('a namespace without a managed admin secret fails before any statement', async () => {
    serverless.on(GetNamespaceCommand).resolves({ namespace: {} });
    await expect(handle({ RequestType: 'Create', ResourceProperties: props } as never)).rejects.toThrow(/manageAdminPassword must be true/);
    expect(data.calls()).toHaveLength(0);
    expect(logged).toEqual([]);
  });
});
