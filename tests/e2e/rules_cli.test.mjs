// `gatehouse rules test` as a rule author uses it, and the cross-check of the
// native jsonwebtoken against the npm package under Node (issue 4): tokens
// signed in a rule verify with npm jsonwebtoken, tokens signed by npm
// jsonwebtoken verify in a rule, and both report the same errors.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import jwt from 'jsonwebtoken';
import { run, tempDir } from './harness.mjs';

const SECRET = 'a-shared-secret-of-at-least-32-bytes!!';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = (k, type) => k.export({ type, format: 'pem' });
const KEYS = {
  HS256: { sign: SECRET, verify: SECRET },
  RS256: { sign: pem(rsa.privateKey, 'pkcs8'), verify: pem(rsa.publicKey, 'spki') },
  ES256: { sign: pem(ec.privateKey, 'pkcs8'), verify: pem(ec.publicKey, 'spki') },
};

function writeRule(t, source) {
  const file = path.join(tempDir(t), 'rule.js');
  writeFileSync(file, source);
  return file;
}

function tryRule(file, config = {}, extra = []) {
  const args = ['rules', 'test', file, '--json', ...extra];
  for (const [k, v] of Object.entries(config)) args.push('--config', `${k}=${v}`);
  const r = run(args);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('tokens signed in a rule verify with npm jsonwebtoken', (t) => {
  const file = writeRule(t, `
    function (user, context, callback) {
      const jwt = require('jsonwebtoken');
      for (const alg of ['HS256', 'RS256', 'ES256']) {
        context.idToken['https://x.test/' + alg] = jwt.sign(
          { passwordChanged: true }, configuration['SIGN_' + alg],
          { algorithm: alg, subject: user.user_id, audience: 'app', issuer: 'https://gh.test/',
            expiresIn: '5 minutes', jwtid: 'j-' + alg });
      }
      callback(null, user, context);
    }`);
  const out = tryRule(file, Object.fromEntries(Object.entries(KEYS).map(([a, k]) => [`SIGN_${a}`, k.sign])));
  assert.equal(out.outcome, 'continue', JSON.stringify(out));
  for (const [alg, k] of Object.entries(KEYS)) {
    const token = out.idTokenClaims[`https://x.test/${alg}`];
    const claims = jwt.verify(token, k.verify, { algorithms: [alg], audience: 'app', issuer: 'https://gh.test/' });
    assert.equal(claims.sub, 'auth0|5f7c8ec7c33c6c004bbafe82');
    assert.equal(claims.passwordChanged, true);
    assert.equal(claims.jti, `j-${alg}`);
    assert.equal(claims.exp - claims.iat, 300);
  }
});

test('tokens signed by npm jsonwebtoken verify in a rule; failures carry the npm names and messages', (t) => {
  const now = Math.floor(Date.now() / 1000);
  const cases = {};
  for (const [alg, k] of Object.entries(KEYS)) {
    cases[`OK_${alg}`] = jwt.sign({ sub: 'auth0|1', role: 'admin' }, k.sign, { algorithm: alg, audience: 'app', issuer: 'iss' });
  }
  cases.EXPIRED = jwt.sign({ sub: 'auth0|1', exp: now - 60 }, SECRET);
  cases.WRONG_AUD = jwt.sign({ sub: 'auth0|1' }, SECRET, { audience: 'other' });
  cases.WRONG_ISS = jwt.sign({ sub: 'auth0|1' }, SECRET, { issuer: 'evil' });
  cases.NOT_BEFORE = jwt.sign({ sub: 'auth0|1' }, SECRET, { notBefore: '1h' });
  const file = writeRule(t, `
    function (user, context, callback) {
      const jwt = require('jsonwebtoken');
      const keys = { HS256: configuration.V_HS256, RS256: configuration.V_RS256, ES256: configuration.V_ES256 };
      const out = {};
      for (const alg of Object.keys(keys)) {
        out[alg] = jwt.verify(configuration['OK_' + alg], keys[alg], { algorithms: [alg], audience: 'app', issuer: 'iss' }).role;
      }
      const attempt = (name, fn) => { try { fn(); out[name] = 'accepted'; } catch (e) { out[name] = e.name + ': ' + e.message; } };
      attempt('expired', () => jwt.verify(configuration.EXPIRED, keys.HS256));
      attempt('aud', () => jwt.verify(configuration.WRONG_AUD, keys.HS256, { audience: 'app' }));
      attempt('iss', () => jwt.verify(configuration.WRONG_ISS, keys.HS256, { issuer: 'iss' }));
      attempt('nbf', () => jwt.verify(configuration.NOT_BEFORE, keys.HS256));
      attempt('alg', () => jwt.verify(configuration.OK_HS256, keys.HS256, { algorithms: ['RS256'] }));
      context.idToken['https://x.test/result'] = out;
      callback(null, user, context);
    }`);
  const config = { ...cases };
  for (const [alg, k] of Object.entries(KEYS)) config[`V_${alg}`] = k.verify;
  const out = tryRule(file, config);
  assert.equal(out.outcome, 'continue', JSON.stringify(out));
  const result = out.idTokenClaims['https://x.test/result'];
  assert.deepEqual([result.HS256, result.RS256, result.ES256], ['admin', 'admin', 'admin']);

  // The same failures, as the npm package reports them.
  const npm = (fn) => { try { fn(); return 'accepted'; } catch (e) { return `${e.name}: ${e.message}`; } };
  assert.equal(result.expired, npm(() => jwt.verify(cases.EXPIRED, SECRET)));
  assert.equal(result.aud, npm(() => jwt.verify(cases.WRONG_AUD, SECRET, { audience: 'app' })));
  assert.equal(result.iss, npm(() => jwt.verify(cases.WRONG_ISS, SECRET, { issuer: 'iss' })));
  assert.match(result.nbf, /^NotBeforeError: jwt not active$/);
  assert.equal(result.alg, npm(() => jwt.verify(cases.OK_HS256, SECRET, { algorithms: ['RS256'] })));
});

test('rules test runs a directory in name order and reports denials', (t) => {
  const dir = path.join(tempDir(t), 'rules');
  mkdirSync(dir);
  writeFileSync(path.join(dir, '10-first.js'), `function (user, context, callback) {
    context.idToken['https://x.test/order'] = ['first']; callback(null, user, context); }`);
  writeFileSync(path.join(dir, '20-second.js'), `function (user, context, callback) {
    context.idToken['https://x.test/order'].push('second');
    if (context.protocol === 'oauth2-password') return callback(new UnauthorizedError('no passwords here'));
    callback(null, user, context); }`);
  const ok = tryRule(dir);
  assert.deepEqual(ok.idTokenClaims['https://x.test/order'], ['first', 'second']);
  const denied = tryRule(dir, {}, ['--protocol', 'oauth2-password']);
  assert.equal(denied.outcome, 'deny');
  assert.equal(denied.error, 'unauthorized');
  assert.equal(denied.error_description, 'no passwords here');
});

test('a rule that does not compile is refused with its line; bad usage exits 2', (t) => {
  const file = writeRule(t, 'function (user, context, callback) {\n  callback(null, user context);\n}');
  const r = run(['rules', 'test', file]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /line 2/);
  assert.equal(run(['rules', 'test', file, '--protocol', 'carrier-pigeon']).status, 2);
  assert.equal(run(['rules', 'test']).status, 2);
});

test('rules create, list and delete store rules as the server runs them', (t) => {
  const dir = tempDir(t);
  assert.equal(run(['init', '--data-dir', dir]).status, 0);
  const file = path.join(dir, 'claim.js');
  writeFileSync(file, 'function (user, context, callback) { callback(null, user, context); }');
  const created = JSON.parse(run(['rules', 'create', '--data-dir', dir, '--name', 'Add claim', '--file', file, '--order', '5', '--json']).stdout);
  assert.match(created.id, /^rul_/);
  assert.equal(created.order, 5);
  assert.equal(created.enabled, true);
  const dup = run(['rules', 'create', '--data-dir', dir, '--name', 'Add claim', '--file', file]);
  assert.equal(dup.status, 1);
  assert.match(dup.stderr, /already exists/);
  const badName = run(['rules', 'create', '--data-dir', dir, '--name', ' bad name', '--file', file]);
  assert.equal(badName.status, 1);
  writeFileSync(file, 'function (user, context, callback) {\n  callback(null user);\n}');
  const broken = run(['rules', 'create', '--data-dir', dir, '--name', 'Broken', '--file', file]);
  assert.equal(broken.status, 1);
  assert.match(broken.stderr, /line 2/);
  const list = JSON.parse(run(['rules', 'list', '--data-dir', dir, '--json']).stdout);
  assert.deepEqual(list.map((r) => r.name), ['Add claim']);
  assert.equal(run(['rules', 'delete', '--data-dir', dir, created.id]).status, 0);
  assert.equal(run(['rules', 'delete', '--data-dir', dir, created.id]).status, 1);
  assert.deepEqual(JSON.parse(run(['rules', 'list', '--data-dir', dir, '--json']).stdout), []);
});

test('users delete removes a user; deleting again fails', (t) => {
  const dir = tempDir(t);
  assert.equal(run(['init', '--data-dir', dir]).status, 0);
  const user = JSON.parse(run(['users', 'create', '--data-dir', dir, '--email', 'del@example.com', '--password', 'long enough pw', '--json']).stdout);
  assert.equal(run(['users', 'delete', '--data-dir', dir, user.user_id]).status, 0);
  const again = run(['users', 'delete', '--data-dir', dir, user.user_id]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /no user/);
  assert.deepEqual(JSON.parse(run(['users', 'list', '--data-dir', dir, '--json']).stdout), []);
});
