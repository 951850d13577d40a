// The ES module entry point of nameauth/testing.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const testing = require('./testing.js');

export const { sandbox, Sandbox } = testing;
export default testing;
