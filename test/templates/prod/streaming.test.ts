import { prodSnapshot } from '../snapshot';

test('Streaming-prod matches its snapshot', () => {
  expect(prodSnapshot('streaming')).toMatchSnapshot();
});
