import { prodSnapshot } from '../snapshot';

test('Batch-prod matches its snapshot', () => {
  expect(prodSnapshot('batch')).toMatchSnapshot();
});
