/**
 * A DynamoDB lease table in memory that evaluates the condition expressions the lease store sends (the subset it
 * uses: OR / AND of `attribute_not_exists(a)`, `a = :v`, `a < :v`, with `#name` placeholders). A condition the
 * store forgot to send is simply not checked, as on DynamoDB, so a test sees the missing guard.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

type Item = Record<string, AttributeValue>;
type Input = {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
};

const scalar = (v: AttributeValue | undefined): string | number | undefined => (v?.N !== undefined ? Number(v.N) : v?.S);

function holds(expression: string | undefined, item: Item | undefined, input: Input): boolean {
  if (!expression) return true;
  const name = (n: string) => input.ExpressionAttributeNames?.[n] ?? n;
  const value = (v: string) => scalar(input.ExpressionAttributeValues?.[v]);
  const atom = (text: string): boolean => {
    const notExists = /^attribute_not_exists\(([^)]+)\)$/.exec(text);
    if (notExists) return item?.[name(notExists[1])] === undefined;
    const cmp = /^(\S+)\s*(=|<)\s*(:\w+)$/.exec(text);
    if (!cmp) throw new Error(`fake lease table: unsupported condition "${text}"`);
    const left = scalar(item?.[name(cmp[1])]);
    const right = value(cmp[3]);
    if (left === undefined || right === undefined) return false;
    return cmp[2] === '=' ? left === right : left < right;
  };
  return expression.split(/\s+OR\s+/).some((conj) => conj.split(/\s+AND\s+/).every((a) => atom(a.trim())));
}

export class FakeLeaseTable {
  readonly items = new Map<string, Item>();
  /** The item names read (GetItem), in order, each marked if the read was not strongly consistent. */
  readonly reads: string[] = [];

  /** Stands in for the DynamoDB client the lease store is given. */
  readonly client = {
    send: async (command: unknown) => {
      if (command instanceof PutItemCommand) {
        const { Item: item, ...rest } = command.input;
        const key = item!.lease_name.S!;
        if (!holds(rest.ConditionExpression, this.items.get(key), rest))
          throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
        this.items.set(key, item!);
        return {};
      }
      if (command instanceof DeleteItemCommand) {
        const key = command.input.Key!.lease_name.S!;
        if (!holds(command.input.ConditionExpression, this.items.get(key), command.input))
          throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
        this.items.delete(key);
        return {};
      }
      if (command instanceof GetItemCommand) {
        this.reads.push(`${command.input.Key!.lease_name.S!}${command.input.ConsistentRead ? '' : ' (eventually consistent)'}`);
        return { Item: this.items.get(command.input.Key!.lease_name.S!) };
      }
      throw new Error(`fake lease table: unsupported command ${(command as object).constructor.name}`);
    },
  } as unknown as DynamoDBClient;

  owner(name: string): string | undefined {
    return this.items.get(name)?.owner?.S;
  }
}
