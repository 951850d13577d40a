// bench-peers, Node.js: the nameauth package against global fetch (undici, keep-alive)
// + crypto.createHash('md5'), what Node shops write by hand today.
//
//   node peers.mjs steady CALLS ROUNDS   CPU per verify of each, in interleaved blocks
//   node peers.mjs first IMPL            one verify in this fresh process (nameauth,
//                                        fetch), imports included
//
// Run by tools/bench_peers.py, which starts the sandbox and reads the JSON lines printed
// here; NAMEAUTH_NODE_PACKAGE is the package's folder. CPU is this process's
// (process.cpuUsage: user + system, every thread, libuv's pool included). Each verify is
// awaited before the next, for both.
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const START = performance.now();
const USER = ['oZhangSan', '张三', '110101199003074477', '1'];
const { NAMEAUTH_ENDPOINT: endpoint, NAMEAUTH_APPID: appid, NAMEAUTH_SRC: src, NAMEAUTH_KEY: key } = process.env;

// The verdict table as a hand-written client carries it.
const TABLE = {
  '0/1/': ['A', 'verified'],
  '0/1/1': ['B', 'name_mismatch'],
  '0/1/2': ['C', 'id_mismatch'],
  '0/1/1|2': ['D', 'name_and_id_mismatch'],
  '0/2/': ['E', 'police_check_only'],
  '0/3/': ['F', 'not_realname'],
  '0/4/': ['F', 'foreign_card'],
  '0/5/': ['F', 'bank_unsupported'],
};

function peer() {
  return async (openid, truename, creid, cretype) => {
    const fields = { appid, creid, cretype, openid, src, truename };
    const text = `${Object.keys(fields)
      .sort()
      .map((k) => `${k}=${fields[k]}`)
      .join('&')}&key=${key}`;
    const sign = createHash('md5').update(text, 'utf8').digest('hex');
    const url = `${endpoint}?${new URLSearchParams({ ...fields, sign, type: 'json' })}`;
    const r = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const body = await r.json();
    const nm = String(body.notmatch_param ?? '')
      .replace('%7C', '|')
      .replace('2|1', '1|2');
    const row = `${Number(body.error_code)}/${String(body.nameauth_status ?? '')}/${nm}`;
    return (TABLE[row] ?? ['Other', 'unexpected_response'])[0];
  };
}

async function ours() {
  const { Client } = await import(pathToFileURL(`${process.env.NAMEAUTH_NODE_PACKAGE}/index.mjs`).href);
  const client = new Client({ appid, src, key, endpoint });
  return async (...user) => (await client.verify(...user)).code;
}

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

const [mode, ...args] = process.argv.slice(2);
if (mode === 'first') {
  const impl = args[0];
  const verify = impl === 'nameauth' ? await ours() : peer();
  if ((await verify(...USER)) !== 'A') throw new Error('not A');
  console.log(JSON.stringify({ impl, first_ms: performance.now() - START }));
} else {
  const [calls, rounds] = args.map(Number);
  const impls = { nameauth: await ours(), fetch: peer() };
  for (const verify of Object.values(impls)) {
    for (let i = 0; i < 200; i++) if ((await verify(...USER)) !== 'A') throw new Error('not A');
  }
  const per = { nameauth: [], fetch: [] };
  const block = Math.floor(calls / rounds);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['nameauth', 'fetch'] : ['fetch', 'nameauth'];
    for (const name of order) {
      const verify = impls[name];
      const t0 = cpuUs();
      for (let i = 0; i < block; i++) await verify(...USER);
      per[name].push((cpuUs() - t0) / block);
    }
  }
  for (const [impl, cpu_us] of Object.entries(per)) console.log(JSON.stringify({ impl, cpu_us }));
}
