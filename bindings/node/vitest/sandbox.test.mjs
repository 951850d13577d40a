// nameauth/testing under Vitest (make test-node runs it with vitest run): the sandbox
// started in beforeAll and closed in afterAll, as the package page says.
import { Client } from 'nameauth';
import { sandbox } from 'nameauth/testing';
import { afterAll, beforeAll, expect, test } from 'vitest';

let sb;
beforeAll(() => {
  sb = sandbox();
});
afterAll(() => sb.close());

test('a verdict from the sandbox, and its count', async () => {
  const client = sb.client();
  expect(client).toBeInstanceOf(Client);
  const v = await client.verify('oZhangSan', '张三', '110101199003074477');
  expect(v.code).toBe('A');
  expect(sb.hits('oZhangSan')).toBe(1);
  client.close();
});
