import { Template } from 'aws-cdk-lib/assertions';
import { allEnvironments, stacksOf } from '../helpers/synth';

const { stages } = allEnvironments();

describe.each(stages.map((s) => [s.config.name, s] as const))('tags in %s', (env, stage) => {
  const expected = {
    project: stage.config.tags.project,
    environment: env,
    owner: stage.config.tags.owner,
    'cost-center': stage.config.tags.costCenter,
  };

  test.each(stacksOf(stage).map((s) => [s.stackName, s] as const))('%s carries the four tags as stack tags', (_name, stack) => {
    expect(stack.tags.tagValues()).toMatchObject(expected);
  });

  test.each(stacksOf(stage).map((s) => [s.stackName, s] as const))('%s: every taggable resource is tagged', (_name, stack) => {
    const resources = Object.entries(Template.fromStack(stack).toJSON().Resources as Record<string, any>);
    const taggable = resources.filter(([, r]) => r.Properties && 'Tags' in r.Properties);
    expect(taggable.length).toBeGreaterThan(0);
    for (const [id, r] of taggable) {
      const tags = Array.isArray(r.Properties.Tags)
        ? Object.fromEntries(r.Properties.Tags.map((t: { Key: string; Value: string }) => [t.Key, t.Value]))
        : r.Properties.Tags;
      expect({ id, tags }).toEqual({ id, tags: expect.objectContaining(expected) });
    }
  });
});

test('buckets, keys and topics are among the tagged resources', () => {
  const types = new Set<string>();
  for (const stage of stages)
    for (const stack of stacksOf(stage))
      for (const r of Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, any>))
        if (r.Properties?.Tags) types.add(r.Type);
  expect([...types]).toEqual(expect.arrayContaining(['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::SNS::Topic']));
});
