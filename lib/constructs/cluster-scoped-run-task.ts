import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

/**
 * `EcsRunTask` whose `.sync` polling permissions (`ecs:DescribeTasks`, `ecs:StopTask`) cover only the tasks of its
 * own cluster: CDK grants them on `*`; here the resource is `task/<cluster>/*` and an `ecs:cluster` condition pins
 * the cluster ARN.
 */
export class ClusterScopedEcsRunTask extends tasks.EcsRunTask {
  constructor(scope: Construct, id: string, props: tasks.EcsRunTaskProps) {
    super(scope, id, props);
    const policies = this.taskPolicies ?? [];
    const index = policies.findIndex((s) => s.actions.includes('ecs:StopTask'));
    if (index < 0) throw new Error('EcsRunTask no longer grants ecs:StopTask: revisit ClusterScopedEcsRunTask');
    policies[index] = new iam.PolicyStatement({
      sid: 'TrackOwnClusterTasks',
      actions: ['ecs:DescribeTasks', 'ecs:StopTask'],
      resources: [
        Stack.of(this).formatArn({
          service: 'ecs',
          resource: 'task',
          resourceName: `${props.cluster.clusterName}/*`,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
      conditions: { ArnEquals: { 'ecs:cluster': props.cluster.clusterArn } },
    });
  }
}
