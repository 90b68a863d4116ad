import { prodSnapshot } from '../snapshot';

test('Dashboard-prod matches its snapshot', () => {
  expect(prodSnapshot('dashboard')).toMatchSnapshot();
});
