import { prodSnapshot } from '../snapshot';

test('Storage-prod matches its snapshot', () => {
  expect(prodSnapshot('storage')).toMatchSnapshot();
});
