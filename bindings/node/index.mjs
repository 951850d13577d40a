// The ES module entry point: the CommonJS module's exports, one copy of the addon. Through
// require, not `export * from './index.js'`: a runner that transforms ES modules itself
// (Vitest) would run index.js a second time, with classes of its own.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const nameauth = require('./index.js');

export const {
  Client,
  Verdict,
  sign,
  validateId,
  version,
  NameauthError,
  InvalidInputError,
  InvalidConfigError,
  TimeoutError,
  TransportError,
  ProtocolError,
  InternalError,
  CancelledError,
} = nameauth;
export default nameauth;
