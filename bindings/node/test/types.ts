// Compiled by `tsc --strict --noEmit` only (make lint-node): the public types as a user
// writes against them. A type error here fails the lint.
import { type Client, NameauthError, type Stats, sign, type Verdict, validateId } from 'nameauth';
import { sandbox } from 'nameauth/testing';

export async function example(): Promise<string> {
  const sb = sandbox({ latencyMs: 0 });
  const client: Client = sb.client({ timeoutMs: 5000, logger: console });
  const controller = new AbortController();
  try {
    const v: Verdict = await client.verify('oZhangSan', '张三', '110101199003074477', null, { signal: controller.signal });
    const many = await client.verifyMany(
      [['oLiSi', '李四', '11010519491231002X'], { openid: 'o', truename: 'n', creid: 'c', cretype: '2' }],
      {
        concurrency: 4,
      },
    );
    const kinds = many.map((r) => (r instanceof NameauthError ? r.kind : r.code));
    const s: Stats = client.stats();
    validateId('110101199003074477');
    const sig: string = sign('wx1', 'o', 's', '张三', '110101199003074477', null, 'k', { signCase: 'upper' });
    return `${v.passed} ${v.isConfigProblem} ${JSON.stringify(v.toJSON())} ${kinds} ${s.verdicts.A} ${sig}`;
  } catch (e) {
    if (e instanceof NameauthError) return `${e.kind} ${e.field ?? ''} ${e.rule ?? ''} ${e.httpStatus ?? ''}`;
    throw e;
  } finally {
    client.close();
    sb.close();
  }
}
