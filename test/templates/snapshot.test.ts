import { HASH_PLACEHOLDER, normaliseAssetHashes } from '../../scripts/asset-hashes';
import { prodSnapshot, withoutContentDigests } from './snapshot';
import type { CfnTemplate } from './platform';

describe('what the prod snapshots leave out', () => {
  test('the warehouse setup SQL digest is in the template and replaced in the snapshot', () => {
    const setup = Object.values(prodSnapshot('warehouse').Resources).filter((r) => r.Type === 'Custom::WarehouseSetup');
    expect(setup.map((r) => r.Properties?.SqlHash)).toEqual([HASH_PLACEHOLDER]);
  });

  test('templates that differ only in a content digest or an asset hash snapshot alike; other differences show', () => {
    const template = (digest: string, asset: string, database = 'dataflow'): CfnTemplate => ({
      Resources: {
        Setup: { Type: 'Custom::WarehouseSetup', Properties: { SqlHash: digest, Database: database } },
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: `${asset}.zip` } } },
      },
    });
    const view = (t: CfnTemplate) => normaliseAssetHashes(JSON.stringify(withoutContentDigests(t)));
    expect(view(template('e4bca36e77a78a81', 'a'.repeat(64)))).toEqual(view(template('0123456789abcdef', 'b'.repeat(64))));
    expect(view(template('e4bca36e77a78a81', 'a'.repeat(64)))).not.toEqual(view(template('e4bca36e77a78a81', 'a'.repeat(64), 'other')));
  });
});
