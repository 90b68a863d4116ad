/**
 * Who uses the customer-managed key of a Step Functions state machine: its execution role (execution data, and
 * data keys for the log delivery), CloudWatch Logs delivery (decrypts what it delivers), and every role allowed to
 * start executions or read their history (Step Functions encrypts and decrypts on the caller's behalf).
 */
import { globMatch, keyOf, type KmsRule, type KeyUse, prop, roleByArn, rolesGranted, roleUse } from './kms-rules';

const START = ['kms:Decrypt', 'kms:GenerateDataKey'];

export const STATE_MACHINE_RULE: KmsRule = {
  type: 'AWS::StepFunctions::StateMachine',
  uses: ({ deployment, stack, logicalId, resource }) => {
    const key = keyOf(stack, prop(resource, 'EncryptionConfiguration.KmsKeyId'));
    if (!key || prop(resource, 'EncryptionConfiguration.Type') !== 'CUSTOMER_MANAGED_KMS_KEY') return [];
    const arn = stack.str({ Ref: logicalId });
    const context = { 'kms:EncryptionContext:aws:states:stateMachineArn': arn };
    const uses: KeyUse[] = [];
    const role = roleByArn(deployment, stack.str(prop(resource, 'RoleArn')));
    if (role) uses.push(roleUse(key, role, START, context, `state machine ${logicalId} reads and writes its encrypted execution data`));
    const level = prop(resource, 'LoggingConfiguration.Level');
    if (level !== undefined && level !== 'OFF') {
      if (role) {
        const logs = { 'kms:EncryptionContext:SourceArn': `arn:aws:logs:${stack.region}:${stack.account}:*` };
        uses.push(roleUse(key, role, ['kms:GenerateDataKey'], logs, `state machine ${logicalId} encrypts the execution logs it sends`));
      }
      uses.push({
        keyArn: key,
        principal: { kind: 'service', name: 'delivery.logs.amazonaws.com' },
        actions: ['kms:Decrypt'],
        context: {},
        purpose: `CloudWatch Logs delivers the encrypted execution logs of state machine ${logicalId}`,
      });
    }
    for (const caller of rolesGranted(deployment, ['states:StartExecution'], (r) => r === arn)) {
      if (caller !== role) uses.push(roleUse(key, caller, START, context, `starting executions of state machine ${logicalId}`));
    }
    // An execution ARN of this state machine (the execution name is any).
    const execution = `${arn.replace(':stateMachine:', ':execution:')}:any-execution`;
    for (const reader of rolesGranted(deployment, ['states:DescribeExecution', 'states:GetExecutionHistory'], (r) =>
      globMatch(r, execution),
    )) {
      uses.push(roleUse(key, reader, ['kms:Decrypt'], context, `reading executions of state machine ${logicalId}`));
    }
    return uses;
  },
};
