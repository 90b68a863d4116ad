import { Template } from 'aws-cdk-lib/assertions';
import { allEnvironments, stacksOf } from '../helpers/synth';

/**
 * Every stack of every environment, snapshotted. Asset hashes are normalised by the serializer in
 * test/helpers/asset-hash-serializer.ts, so a Lambda source change alters nothing here but the hidden hash.
 */
describe('synthesized templates', () => {
  const { stages } = allEnvironments();
  for (const stage of stages) {
    for (const stack of stacksOf(stage)) {
      test(`${stack.node.path} matches its snapshot`, () => {
        expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
      });
    }
  }
});
