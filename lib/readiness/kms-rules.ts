/**
 * Who uses a customer-managed key for each kind of encrypted resource, and for what: resource type →
 * (principal AWS uses, KMS actions it needs, request context). Service principals need the key policy alone;
 * roles need their identity policy and the key policy (KMS evaluates both for same-account callers).
 */
import {
  globMatch,
  keyOf,
  list,
  LOGS_ACTIONS,
  prop,
  roleByArn,
  rolesGranted,
  roleUse,
  SEND,
  via,
  type KeyUse,
  type KmsRule,
} from './kms-rule-helpers';

export * from './kms-rule-helpers';

export const KMS_RULES: readonly KmsRule[] = [
  {
    type: 'AWS::Logs::LogGroup',
    uses: ({ stack, logicalId, resource }) => {
      const key = keyOf(stack, prop(resource, 'KmsKeyId'));
      if (!key) return [];
      const arn = stack.str({ 'Fn::GetAtt': [logicalId, 'Arn'] }).replace(/:\*$/, '');
      const service = `logs.${stack.region}.amazonaws.com`;
      return [
        {
          keyArn: key,
          principal: { kind: 'service', name: service },
          actions: LOGS_ACTIONS,
          context: { 'kms:EncryptionContext:aws:logs:arn': arn },
          purpose: 'CloudWatch Logs creates and writes the encrypted log group',
        },
      ];
    },
  },
  {
    type: 'AWS::Glue::SecurityConfiguration',
    uses: ({ deployment, stack, logicalId, resource }) => {
      const cw = keyOf(stack, prop(resource, 'EncryptionConfiguration.CloudWatchEncryption.KmsKeyArn'));
      const bookmarks = keyOf(stack, prop(resource, 'EncryptionConfiguration.JobBookmarksEncryption.KmsKeyArn'));
      const s3 = list(prop(resource, 'EncryptionConfiguration.S3Encryptions')).length
        ? ([prop(resource, 'EncryptionConfiguration.S3Encryptions')].flat() as Record<string, unknown>[])
            .map((e) => keyOf(stack, e.KmsKeyArn))
            .filter(Boolean)
        : [];
      const name = stack.str(prop(resource, 'Name') ?? logicalId);
      const jobs = stack.resources('AWS::Glue::Job').filter(([, j]) => stack.str(prop(j, 'SecurityConfiguration') ?? '') === name);
      const uses: KeyUse[] = [];
      if (cw) {
        uses.push({
          keyArn: cw,
          principal: { kind: 'service', name: `logs.${stack.region}.amazonaws.com` },
          actions: LOGS_ACTIONS,
          context: {
            'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${stack.region}:${stack.account}:log-group:/aws-glue/jobs/${name}-role/output`,
          },
          purpose: `CloudWatch Logs writes the Glue job logs encrypted by security configuration ${name}`,
        });
      }
      for (const [jobId, job] of jobs) {
        const role = [...deployment.roles.values()].find(
          (r) => r.arn === stack.str(prop(job, 'Role')) || r.logicalId === stack.str(prop(job, 'Role')),
        );
        if (!role) continue;
        if (cw)
          uses.push(
            roleUse(
              cw,
              role,
              ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
              {},
              `Glue job ${jobId} associates and writes its encrypted logs`,
            ),
          );
        const bookmarksOn =
          (stack.resolve(prop(job, 'DefaultArguments')) as Record<string, string> | undefined)?.['--job-bookmark-option'] !==
          'job-bookmark-disable';
        if (bookmarks && bookmarksOn)
          uses.push(
            roleUse(bookmarks, role, ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], {}, `Glue job ${jobId} encrypts its bookmarks`),
          );
        for (const k of s3) uses.push(roleUse(k!, role, SEND, via('s3', stack), `Glue job ${jobId} writes SSE-KMS objects`));
      }
      return uses;
    },
  },
  {
    type: 'AWS::SQS::Queue',
    uses: ({ deployment, stack, logicalId, resource }) => {
      const key = keyOf(stack, prop(resource, 'KmsMasterKeyId'));
      if (!key) return [];
      const queueArn = stack.str({ 'Fn::GetAtt': [logicalId, 'Arn'] });
      const uses: KeyUse[] = [];
      for (const s of deployment.stacks) {
        for (const [id, sch] of s.resources('AWS::Scheduler::Schedule')) {
          if (keyOf(s, prop(sch, 'Target.DeadLetterConfig.Arn')) !== queueArn) continue;
          const role = roleByArn(deployment, s.str(prop(sch, 'Target.RoleArn')));
          if (role)
            uses.push(roleUse(key, role, SEND, via('sqs', s), `schedule ${id} sends undeliverable events to its dead-letter queue`));
        }
        const functionRole = (fnRef: unknown) => {
          const fnName = s.str(fnRef);
          const fn = s
            .resources('AWS::Lambda::Function')
            .find(([fid]) => s.str({ Ref: fid }) === fnName || s.str({ 'Fn::GetAtt': [fid, 'Arn'] }) === fnName)?.[1];
          return fn ? roleByArn(deployment, s.str(prop(fn, 'Role'))) : undefined;
        };
        for (const [id, esm] of s.resources('AWS::Lambda::EventSourceMapping')) {
          if (keyOf(s, prop(esm, 'DestinationConfig.OnFailure.Destination')) !== queueArn) continue;
          const role = functionRole(prop(esm, 'FunctionName'));
          if (role)
            uses.push(roleUse(key, role, SEND, via('sqs', s), `event source mapping ${id} sends failed batches to its on-failure queue`));
        }
        for (const [id, fn] of s.resources('AWS::Lambda::Function')) {
          if (keyOf(s, prop(fn, 'DeadLetterConfig.TargetArn')) !== queueArn) continue;
          const role = roleByArn(deployment, s.str(prop(fn, 'Role')));
          if (role) uses.push(roleUse(key, role, SEND, via('sqs', s), `function ${id} sends failed async events to its dead-letter queue`));
        }
      }
      return uses;
    },
  },
  {
    type: 'AWS::SNS::Topic',
    uses: ({ deployment, stack, logicalId, resource }) => {
      const key = keyOf(stack, prop(resource, 'KmsMasterKeyId'));
      if (!key) return [];
      const topicArn = stack.str({ Ref: logicalId });
      const uses: KeyUse[] = [];
      for (const s of deployment.stacks) {
        const alarms = s
          .resources('AWS::CloudWatch::Alarm')
          .filter(([, a]) =>
            ['AlarmActions', 'OKActions', 'InsufficientDataActions'].some((p) =>
              (s.resolve(prop(a, p) ?? []) as string[]).includes(topicArn),
            ),
          );
        if (alarms.length) {
          uses.push({
            keyArn: key,
            principal: { kind: 'service', name: 'cloudwatch.amazonaws.com' },
            actions: SEND,
            context: {},
            purpose: `alarm ${alarms[0][0]} (and ${alarms.length - 1} more) of ${s.id} notify the encrypted topic`,
          });
        }
        const rules = s
          .resources('AWS::Events::Rule')
          .filter(([, r]) => (s.resolve(prop(r, 'Targets') ?? []) as { Arn: string }[]).some((t) => t.Arn === topicArn));
        if (rules.length)
          uses.push({
            keyArn: key,
            principal: { kind: 'service', name: 'events.amazonaws.com' },
            actions: SEND,
            context: {},
            purpose: `rule ${rules[0][0]} targets the encrypted topic`,
          });
      }
      for (const role of rolesGranted(deployment, ['sns:Publish'], (r) => globMatch(r, topicArn))) {
        uses.push(roleUse(key, role, SEND, via('sns', role.stack), 'publishing to the encrypted topic'));
      }
      return uses;
    },
  },
  {
    type: 'AWS::S3::Bucket',
    uses: ({ deployment, stack, logicalId, resource }) => {
      const sse = (
        [prop(resource, 'BucketEncryption.ServerSideEncryptionConfiguration')].flat() as Record<string, Record<string, unknown>>[]
      )
        .map((c) => c?.ServerSideEncryptionByDefault)
        .find((d) => d?.SSEAlgorithm === 'aws:kms' && d.KMSMasterKeyID !== undefined);
      if (!sse) return [];
      const key = stack.str(sse.KMSMasterKeyID);
      const objects = `${stack.str({ 'Fn::GetAtt': [logicalId, 'Arn'] })}/`;
      const below = (r: string) => r.startsWith(objects);
      return [
        ...rolesGranted(deployment, ['s3:PutObject'], below).map((role) =>
          roleUse(key, role, ['kms:GenerateDataKey'], via('s3', stack), `writing SSE-KMS objects to ${logicalId}`),
        ),
        ...rolesGranted(deployment, ['s3:GetObject'], below).map((role) =>
          roleUse(key, role, ['kms:Decrypt'], via('s3', stack), `reading SSE-KMS objects of ${logicalId}`),
        ),
      ];
    },
  },
  {
    type: 'AWS::SecretsManager::Secret',
    uses: ({ deployment, stack, logicalId, resource }) => {
      const key = keyOf(stack, prop(resource, 'KmsKeyId'));
      if (!key) return [];
      const arn = stack.str({ Ref: logicalId });
      return rolesGranted(deployment, ['secretsmanager:GetSecretValue'], (r) => globMatch(r, arn)).map((role) =>
        roleUse(key, role, ['kms:Decrypt'], via('secretsmanager', stack), `reading secret ${logicalId}`),
      );
    },
  },
  {
    type: 'AWS::Kinesis::Stream',
    uses: ({ deployment, stack, logicalId, resource }) => {
      const key = keyOf(stack, prop(resource, 'StreamEncryption.KeyId'));
      if (!key) return [];
      const arn = stack.str({ 'Fn::GetAtt': [logicalId, 'Arn'] });
      return [
        ...rolesGranted(deployment, ['kinesis:GetRecords'], (r) => globMatch(r, arn)).map((role) =>
          roleUse(key, role, ['kms:Decrypt'], {}, `reading encrypted stream ${logicalId}`),
        ),
        ...rolesGranted(deployment, ['kinesis:PutRecord', 'kinesis:PutRecords'], (r) => globMatch(r, arn)).map((role) =>
          roleUse(key, role, ['kms:GenerateDataKey'], {}, `writing encrypted stream ${logicalId}`),
        ),
      ];
    },
  },
  {
    type: 'AWS::DynamoDB::Table',
    uses: ({ deployment, stack, logicalId, resource }) => {
      const key = keyOf(stack, prop(resource, 'SSESpecification.KMSMasterKeyId'));
      if (!key) return [];
      const arn = stack.str({ 'Fn::GetAtt': [logicalId, 'Arn'] });
      return rolesGranted(
        deployment,
        ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query'],
        (r) => globMatch(r, arn),
      ).map((role) =>
        roleUse(key, role, ['kms:Decrypt', 'kms:GenerateDataKey'], via('dynamodb', stack), `reading and writing items of ${logicalId}`),
      );
    },
  },
  {
    type: 'AWS::Scheduler::Schedule',
    uses: ({ deployment, stack, logicalId, resource }) => {
      const key = keyOf(stack, prop(resource, 'KmsKeyArn'));
      const role = roleByArn(deployment, stack.str(prop(resource, 'Target.RoleArn')));
      return key && role ? [roleUse(key, role, ['kms:Decrypt'], {}, `schedule ${logicalId} decrypts its encrypted target input`)] : [];
    },
  },
];
