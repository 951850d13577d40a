// nameauth/testing under Jest, by require (make test-node runs it with jest --rootDir jest):
// the sandbox with its built-in fixtures, started in beforeAll and closed in afterAll, as
// the package page says. (vitest/ shows a test's own fixtures under Vitest.)
const { Client } = require('nameauth');
const { sandbox } = require('nameauth/testing');

let sb;
beforeAll(() => {
  sb = sandbox();
});
afterAll(() => sb.close());

test('a verified user and a wrong name, each checked once', async () => {
  const client = sb.client();
  expect(client).toBeInstanceOf(Client);
  const a = await client.verify('oZhangSan', '张三', '110101199003074477');
  expect(a.code).toBe('A');
  const b = await client.verify('oZhangSan', '李四', '110101199003074477');
  expect([b.code, b.reason]).toEqual(['B', 'name_mismatch']);
  expect(sb.hits('oZhangSan')).toBe(2);
  expect(sb.stats().requests).toBe(2);
  client.close();
});
