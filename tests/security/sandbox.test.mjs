// Attack group: the rules sandbox (SPEC §4.3). A rule probes for the host
// (process, require('fs'), Function-constructor escapes, import()), pollutes
// Object.prototype for the next login, and tries to rewrite the subject and
// the registered claims. The probe results travel back as ID token claims.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, codeFrom, exchange, login, request, setup, suiteScope } from './lib.mjs';

const PROBE = `function probe(user, context, callback) {
  const out = {};
  const tryIt = (name, fn) => { try { const v = fn(); out[name] = v === undefined ? 'undefined' : String(typeof v); } catch (e) { out[name] = 'threw'; } };
  tryIt('process', () => process);
  tryIt('globalThis.process', () => globalThis.process);
  tryIt('require_fs', () => require('fs'));
  tryIt('require_child_process', () => require('child_process'));
  tryIt('require_relative', () => require('../../../../etc/passwd'));
  tryIt('require_absolute', () => require('/etc/passwd'));
  tryIt('Function_process', () => Function('return process')());
  tryIt('ctor_ctor_process', () => (function () {}).constructor('return typeof process === "undefined" ? undefined : process')());
  tryIt('this_ctor', () => this.constructor.constructor('return typeof process === "undefined" ? undefined : process')());
  tryIt('os_file', () => (typeof os !== 'undefined' && os.file ? os.file : undefined));
  tryIt('readFile', () => (typeof read !== 'undefined' ? read('/etc/passwd') : undefined));
  tryIt('load', () => (typeof load !== 'undefined' ? load : undefined));
  tryIt('Debugger', () => (typeof Debugger !== 'undefined' ? Debugger : undefined));
  tryIt('ctypes', () => (typeof ctypes !== 'undefined' ? ctypes : undefined));
  out.polluted_before = ({}).polluted === undefined ? 'clean' : String(({}).polluted);
  out.array_polluted_before = [].pwn === undefined ? 'clean' : 'dirty';
  Object.prototype.polluted = user.email;
  Array.prototype.pwn = 1;
  JSON.parse = function () { return { hijacked: true }; };
  user.user_id = 'auth0|attacker';
  user.email = 'attacker@evil.example';
  context.idToken.sub = 'auth0|attacker';
  context.idToken.iss = 'https://evil.example/';
  context.idToken.aud = 'evil-client';
  context.idToken.exp = 4102444800;
  context.idToken.nonce = 'evil-nonce';
  context.accessToken.sub = 'auth0|attacker';
  context.accessToken.aud = 'https://evil.example/api';
  context.accessToken.scope = 'openid read:everything';
  let dynamicImport = 'not-run';
  Promise.resolve().then(() => import('fs')).then(() => { dynamicImport = 'loaded'; }, () => { dynamicImport = 'rejected'; })
    .finally(() => {
      out.import_fs = dynamicImport;
      context.idToken['https://probe.example/r'] = JSON.stringify(out);
      callback(null, user, context);
    });
}`;

const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'));

describe('rules sandbox', () => {
  const scope = suiteScope(after);
  let ctx;
  before(async () => {
    ctx = await setup(scope, { rules: { '10-probe': PROBE } });
  });

  async function run(email = 'alice@example.com') {
    // An API audience, so the access token is a JWT whose claims can be read.
    const { code } = codeFrom(await login(new Agent(ctx.port), ctx.clientA,
      { email, extra: { audience: 'https://api.example.com/' } }));
    const res = await exchange(ctx, ctx.clientA, code);
    assert.equal(res.status, 200, res.body);
    return { id: claims(res.json.id_token), at: res.json.access_token, probe: JSON.parse(claims(res.json.id_token)['https://probe.example/r']) };
  }

  test('no host access: process, fs, child_process, file paths, Function escapes, import()', async () => {
    const { probe } = await run();
    for (const name of ['process', 'globalThis.process', 'Function_process', 'ctor_ctor_process', 'this_ctor',
      'os_file', 'readFile', 'load', 'Debugger', 'ctypes']) {
      assert.ok(['undefined', 'threw'].includes(probe[name]), `${name}: ${probe[name]}`);
    }
    for (const name of ['require_fs', 'require_child_process', 'require_relative', 'require_absolute']) {
      assert.equal(probe[name], 'threw', `${name}: ${probe[name]}`);
    }
    assert.notEqual(probe.import_fs, 'loaded');
  });

  test('prototype pollution by one login is not visible to the next (same and other user)', async () => {
    await run('alice@example.com');
    const second = await run('bob@example.com');
    assert.equal(second.probe.polluted_before, 'clean', `bob saw ${second.probe.polluted_before}`);
    assert.equal(second.probe.array_polluted_before, 'clean');
    const third = await run('alice@example.com');
    assert.equal(third.probe.polluted_before, 'clean');
  });

  test('a rule cannot change sub, iss, aud, exp or nonce, nor the access token subject, audience or scope', async () => {
    const { id, at } = await run('alice@example.com');
    assert.equal(id.sub, ctx.alice.user_id);
    assert.equal(id.iss, ctx.issuer);
    assert.equal(id.aud, ctx.clientA.client_id);
    assert.ok(id.exp < 4102444800);
    assert.notEqual(id.nonce, 'evil-nonce');
    const atc = claims(at);
    assert.equal(atc.sub, ctx.alice.user_id);
    assert.notEqual(atc.aud, 'https://evil.example/api');
    assert.doesNotMatch(atc.scope ?? '', /read:everything/);
    // /userinfo answers for alice, not for the name the rule wrote.
    const ui = await request(ctx.port, '/userinfo', { headers: { authorization: `Bearer ${at}` } });
    assert.equal(ui.status, 200);
    assert.equal(JSON.parse(ui.body).sub, ctx.alice.user_id);
    // The stored user is unchanged.
    assert.doesNotMatch(ui.body, /attacker@evil\.example/);
  });
});
