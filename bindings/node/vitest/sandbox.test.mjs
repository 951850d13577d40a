// nameauth/testing under Vitest, by ES module imports (make test-node runs it with vitest
// run): a sandbox with the test's own fixtures, started in beforeAll and closed in afterAll
// as the package page says. What its client returns and throws are instances of the
// classes `import ... from 'nameauth'` gives: one copy of the package, even under a runner
// that transforms ES modules itself. (jest/ shows the built-in fixtures under Jest.)
import { Client, InvalidInputError, Verdict } from 'nameauth';
import { sandbox } from 'nameauth/testing';
import { afterAll, beforeAll, expect, test } from 'vitest';

const ID = '110101199003074477';

let sb;
beforeAll(() => {
  sb = sandbox({ fixtures: { oWangWu: { status: 1, truename: '王五', creid: ID } } });
});
afterAll(() => sb.close());

test('a fixture of our own, and the classes of nameauth itself', async () => {
  const client = sb.client();
  expect(client).toBeInstanceOf(Client);
  const v = await client.verify('oWangWu', '王五', ID);
  expect(v).toBeInstanceOf(Verdict);
  expect(v.code).toBe('A');
  // Refused before sending: nameauth's own error class, and no request reached the sandbox.
  await expect(client.verify('oWangWu', '', ID)).rejects.toBeInstanceOf(InvalidInputError);
  expect(sb.hits('oWangWu')).toBe(1);
  client.close();
});
