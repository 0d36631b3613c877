// `gatehouse import auth0 <dir>` on a real data directory: a Deploy CLI export
// (rules, a rules-config, an action bound to post-login, a client) and an
// Auth0 user export go in; the broken rule is reported; the imported user
// logs in with the password Auth0 knew (bcrypt hash kept) through the password
// grant of the imported client, and the imported rule and action both run.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { request, run, serve, tempDir } from './harness.mjs';

// bcrypt of "Secret123!" made by `htpasswd -bnBC 4`, as an Auth0 export carries it.
const BCRYPT = '$2y$04$mwU3ZVU8QYXvhyT.ysIrUO0lKBXP3WXz9SxHq9OFV1RLb8mWt65Mi';

function writeExport(root) {
  const w = (rel, content) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), typeof content === 'string' ? content : JSON.stringify(content));
  };
  w('rules/greeting.js', `function greeting(user, context, callback) {
  context.idToken['https://example.com/greeting'] = configuration.GREETING;
  callback(null, user, context);
}`);
  w('rules/greeting.json', { name: 'greeting', script: './rules/greeting.js', enabled: true, order: 1 });
  w('rules/broken.js', `function broken(user, context, callback) {
  callback(null, user context);
}`);
  w('rules/broken.json', { name: 'broken', script: './rules/broken.js', enabled: true, order: 2 });
  w('rules-configs/GREETING.json', { key: 'GREETING', value: 'hello from auth0' });
  w('actions/stamp/code.js', `exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://example.com/stamp', event.secrets.WORD);
};`);
  w('actions/stamp.json', { name: 'stamp', code: './actions/stamp/code.js', runtime: 'node18',
    dependencies: [], secrets: [{ name: 'WORD', value: 'stamped' }],
    supported_triggers: [{ id: 'post-login', version: 'v3' }], deployed: true });
  w('actions/with-deps.json', { name: 'with-deps', code: 'exports.onExecutePostLogin = async () => {};',
    dependencies: [{ name: 'lodash', version: '4.17.21' }],
    supported_triggers: [{ id: 'post-login', version: 'v3' }], deployed: true });
  w('triggers/triggers.json', { 'post-login': [{ action_name: 'stamp', display_name: 'stamp' }] });
  w('clients/Backend.json', { name: 'Backend', app_type: 'regular_web',
    callbacks: ['https://app.example.com/callback'], allowed_logout_urls: [],
    grant_types: ['authorization_code', 'refresh_token', 'password', 'implicit'],
    token_endpoint_auth_method: 'client_secret_post' });
  w('users.jsonl', JSON.stringify({ email: 'ada@example.com', email_verified: true,
    user_id: 'auth0|ada1', name: 'Ada',
    custom_password_hash: { algorithm: 'bcrypt', hash: { value: BCRYPT } } }) + '\n');
}

function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

test('import auth0 brings rules, configs, actions, clients and users; reports failures; re-runs cleanly', async (t) => {
  const tmp = tempDir(t);
  const dir = path.join(tmp, 'data');
  const exp = path.join(tmp, 'export');
  assert.equal(run(['init', '--data-dir', dir]).status, 0);
  writeExport(exp);

  const usage = run(['import', 'auth0', '--data-dir', dir]);
  assert.equal(usage.status, 2, 'missing <dir> is a usage error');
  assert.equal(run(['import', 'auth0', path.join(tmp, 'nope'), '--data-dir', dir]).status, 2,
    'a missing export directory is a usage error');

  const dry = run(['import', 'auth0', exp, '--data-dir', dir, '--dry-run', '--json']);
  assert.equal(dry.status, 1, dry.stderr);
  assert.equal(JSON.parse(dry.stdout).dry_run, true);
  assert.equal(JSON.parse(run(['rules', 'list', '--data-dir', dir, '--json']).stdout).length, 0,
    'a dry run writes nothing');

  const r = run(['import', 'auth0', exp, '--data-dir', dir, '--users', path.join(exp, 'users.jsonl'), '--json']);
  assert.equal(r.status, 1, `some items failed, so exit 1: ${r.stderr}`);
  const report = JSON.parse(r.stdout);
  const item = (kind, name) => report.items.find((i) => i.kind === kind && i.name === name);
  assert.equal(item('rule', 'greeting').status, 'created');
  assert.equal(item('rule', 'broken').status, 'failed');
  assert.match(item('rule', 'broken').reason, /does not compile.*line 2/i);
  assert.equal(item('rules-config', 'GREETING').status, 'created');
  assert.equal(item('action', 'stamp').status, 'created');
  assert.equal(item('action', 'with-deps').status, 'failed');
  assert.match(item('action', 'with-deps').reason, /unsupported npm dependency lodash@4\.17\.21/);
  assert.equal(item('trigger', 'post-login').status, 'updated');
  assert.equal(item('client', 'Backend').status, 'created');
  assert.match(item('client', 'Backend').reason, /implicit/);
  assert.match(item('users', path.join(exp, 'users.jsonl')).reason, /^1 imported/);
  assert.equal(report.clients.length, 1);
  const { client_id: clientId, client_secret: clientSecret } = report.clients[0];
  assert.ok(clientSecret, 'a new secret is printed once');

  const rules = JSON.parse(run(['rules', 'list', '--data-dir', dir, '--json']).stdout);
  assert.deepEqual(rules.map((x) => x.name), ['greeting']);

  // Re-run: rules/configs/actions updated, the client skipped (no second one), users skipped.
  const again = run(['import', 'auth0', exp, '--data-dir', dir, '--users', path.join(exp, 'users.jsonl'), '--json']);
  const report2 = JSON.parse(again.stdout);
  const item2 = (kind, name) => report2.items.find((i) => i.kind === kind && i.name === name);
  assert.equal(item2('rule', 'greeting').status, 'updated');
  assert.equal(item2('action', 'stamp').status, 'updated');
  assert.equal(item2('client', 'Backend').status, 'skipped');
  assert.equal(report2.clients.length, 0);
  assert.match(item2('users', path.join(exp, 'users.jsonl')).reason, /^0 imported, 1 skipped/);
  assert.equal(JSON.parse(run(['clients', 'list', '--data-dir', dir, '--json']).stdout)
    .filter((c) => c.name === 'Backend').length, 1);

  // The imported user logs in with the password Auth0 knew; the rule and action ran.
  const server = await serve(t, dir);
  const login = (password) => request(server.port, '/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username: 'ada@example.com', password,
      client_id: clientId, client_secret: clientSecret, scope: 'openid email' }).toString(),
  });
  const bad = await login('wrong password');
  assert.equal(bad.status, 400, bad.body);
  assert.equal(JSON.parse(bad.body).error, 'invalid_grant');
  const ok = await login('Secret123!');
  assert.equal(ok.status, 200, ok.body);
  const idToken = claims(JSON.parse(ok.body).id_token);
  assert.equal(idToken.email, 'ada@example.com');
  assert.equal(idToken['https://example.com/greeting'], 'hello from auth0');
  assert.equal(idToken['https://example.com/stamp'], 'stamped');
  await server.stop();
});
