#!/usr/bin/env node
// verify: checks one user with nameauth and prints one JSON line (docs/CONFORMANCE.md).
//
//   export NAMEAUTH_APPID=... NAMEAUTH_SRC=... NAMEAUTH_KEY=...
//   node verify.mjs OPENID TRUENAME CREID [CRETYPE]
//
// Exit status 0 when the server answered (any verdict), 2 on any error.
// @ts-check
import { Client, NameauthError } from 'nameauth';

/** @param {object} obj @param {number} status */
function emit(obj, status) {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
  process.exitCode = status;
}

const args = process.argv.slice(2);
if (args.length < 3 || args.length > 4) {
  emit({ error: 'invalid_input', message: 'usage: verify OPENID TRUENAME CREID [CRETYPE]' }, 2);
} else {
  /** @type {Client | undefined} */
  let client;
  try {
    // NAMEAUTH_APPID, _SRC, _KEY and one variable per option (_ENDPOINT, _TIMEOUT_MS, ...)
    client = Client.fromEnv();
    const [openid, truename, creid, cretype] = args;
    emit(await client.verify(openid, truename, creid, cretype), 0);
  } catch (e) {
    if (!(e instanceof NameauthError)) throw e;
    emit({ error: e.kind, message: e.message }, 2);
  } finally {
    client?.close();
  }
}
