import { prodSnapshot } from '../snapshot';

test('Warehouse-prod matches its snapshot', () => {
  expect(prodSnapshot('warehouse')).toMatchSnapshot();
});
