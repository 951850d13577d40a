// The Verdict: the same fields as every front end. The server's masked name (nameMask)
// is kept out of util.inspect and toString (logs take those); toJSON() is
// docs/CONFORMANCE.md's line and carries it, as every front end's JSON does.

const { inspect } = require('node:util');

const SHOWN = ['code', 'reason', 'passed', 'isConfigProblem', 'errorCode', 'nameauthStatus', 'notmatchParam', 'messageEn', 'adviceEn'];

class Verdict {
  constructor(f) {
    this.code = f.code;
    this.reason = f.reason;
    this.passed = f.passed;
    this.isConfigProblem = f.isConfigProblem;
    this.messageZh = f.messageZh;
    this.messageEn = f.messageEn;
    this.adviceZh = f.adviceZh;
    this.adviceEn = f.adviceEn;
    this.errorCode = f.errorCode;
    this.nameauthStatus = f.nameauthStatus;
    this.notmatchParam = f.notmatchParam;
    // Not enumerable: console.log, util.inspect and spreads leave it out.
    Object.defineProperty(this, 'nameMask', { value: f.nameMask, enumerable: false });
    Object.freeze(this);
  }

  /** docs/CONFORMANCE.md's object: code, reason, error_code, nameauth_status, notmatch_param, name_mask. */
  toJSON() {
    return {
      code: this.code,
      reason: this.reason,
      error_code: this.errorCode,
      nameauth_status: this.nameauthStatus,
      notmatch_param: this.notmatchParam,
      name_mask: this.nameMask,
    };
  }

  toString() {
    return `Verdict(${this.code} ${this.reason}: ${this.messageEn})`;
  }

  [inspect.custom](_depth, options, inspectFn) {
    const shown = {};
    for (const k of SHOWN) shown[k] = this[k];
    return `Verdict ${(inspectFn ?? inspect)(shown, options)}`;
  }
}

module.exports = { Verdict };
