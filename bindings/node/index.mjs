// The ES module entry point: the CommonJS module's exports, one copy of the addon.
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
