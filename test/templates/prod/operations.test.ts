import { prodSnapshot } from '../snapshot';

test('Operations-prod matches its snapshot', () => {
  expect(prodSnapshot('operations')).toMatchSnapshot();
});
