// `gatehouse users create|list|import` on a real data directory (SPEC §7, §5.1).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { run, tempDir } from './harness.mjs';

// The reason line (config warnings, e.g. about GATEHOUSE_BIN in the test
// environment, may come before it).
const lastLine = (s) => s.trim().split('\n').at(-1);

function initDir(t) {
  const dir = path.join(tempDir(t), 'data');
  const r = run(['init', '--data-dir', dir]);
  assert.equal(r.status, 0, r.stderr);
  return dir;
}

// bcrypt of "Secret123!" made by `htpasswd -bnBC 4`, as an Auth0 export carries it.
const BCRYPT = '$2y$04$mwU3ZVU8QYXvhyT.ysIrUO0lKBXP3WXz9SxHq9OFV1RLb8mWt65Mi';

test('users create --json prints the Auth0 user shape, and list shows it', (t) => {
  const dir = initDir(t);
  const r = run(['users', 'create', '--data-dir', dir, '--email', ' Ada@Example.com',
    '--password', 'correct horse', '--username', 'ada', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const user = JSON.parse(r.stdout);
  assert.match(user.user_id, /^auth0\|[0-9a-f]{24}$/);
  assert.equal(user.email, 'ada@example.com');
  assert.equal(user.username, 'ada');
  assert.equal(user.email_verified, false);
  assert.match(user.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual(user.identities, [{
    connection: 'Username-Password-Authentication', provider: 'auth0',
    user_id: user.user_id.slice('auth0|'.length), isSocial: false,
  }]);
  assert.equal(JSON.stringify(user).includes('argon2'), false, 'no password hash in output');

  const list = run(['users', 'list', '--data-dir', dir, '--json']);
  assert.equal(list.status, 0, list.stderr);
  const users = JSON.parse(list.stdout);
  assert.equal(users.length, 1);
  assert.equal(users[0].user_id, user.user_id);

  const table = run(['users', 'list', '--data-dir', dir]);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /ada@example\.com/);
});

test('users create refuses duplicates and weak passwords with exit 1 and one reason', (t) => {
  const dir = initDir(t);
  assert.equal(run(['users', 'create', '--data-dir', dir, '--email', 'a@example.com',
    '--password', 'correct horse']).status, 0);
  const dup = run(['users', 'create', '--data-dir', dir, '--email', 'A@example.com',
    '--password', 'correct horse']);
  assert.equal(dup.status, 1);
  assert.equal(lastLine(dup.stderr), 'gatehouse: The user already exists.');
  const weak = run(['users', 'create', '--data-dir', dir, '--email', 'b@example.com',
    '--password', 'short']);
  assert.equal(weak.status, 1);
  assert.match(lastLine(weak.stderr), /^gatehouse: Password is too short/);
  const bad = run(['users', 'create', '--data-dir', dir, '--email', 'nope',
    '--password', 'correct horse']);
  assert.equal(bad.status, 1);
  assert.equal(lastLine(bad.stderr), 'gatehouse: Invalid email address.');
});

test('users import keeps bcrypt hashes, skips existing emails and reports bad lines', (t) => {
  const dir = initDir(t);
  const file = path.join(path.dirname(dir), 'export.jsonl');
  writeFileSync(file, [
    JSON.stringify({ user_id: 'auth0|5f1a', email: 'ada@example.com', email_verified: true,
      name: 'Ada Lovelace', user_metadata: { lang: 'en' }, password_hash: BCRYPT }),
    JSON.stringify({ email: 'grace@example.com',
      custom_password_hash: { algorithm: 'bcrypt', hash: { value: BCRYPT } } }),
  ].join('\n') + '\n');
  const first = run(['users', 'import', '--data-dir', dir, file, '--json']);
  assert.equal(first.status, 0, first.stderr);
  assert.deepEqual(JSON.parse(first.stdout), { imported: 2, skipped: 0, errors: [] });

  writeFileSync(file, [
    JSON.stringify({ email: 'ada@example.com' }),
    'not json',
    JSON.stringify({ email: 'new@example.com' }),
  ].join('\n'));
  const second = run(['users', 'import', '--data-dir', dir, file, '--json']);
  assert.equal(second.status, 1);
  assert.deepEqual(JSON.parse(second.stdout),
    { imported: 1, skipped: 1, errors: ['line 2: not a JSON object'] });

  const users = JSON.parse(run(['users', 'list', '--data-dir', dir, '--json']).stdout);
  assert.deepEqual(users.map((u) => u.email),
    ['ada@example.com', 'grace@example.com', 'new@example.com']);
  const ada = users[0];
  assert.equal(ada.user_id, 'auth0|5f1a');
  assert.equal(ada.name, 'Ada Lovelace');
  assert.equal(ada.email_verified, true);
  assert.deepEqual(ada.user_metadata, { lang: 'en' });
});

test('users usage errors exit 2 with one line; runtime errors exit 1', (t) => {
  for (const args of [['users'], ['users', 'create'], ['users', 'create', '--data-dir', '/tmp'],
    ['users', 'list'], ['users', 'import', '--data-dir', '/tmp'], ['users', 'frob']]) {
    const r = run(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  for (const args of [['users', '--help'], ['users', 'create', '--help'],
    ['users', 'list', '--help'], ['users', 'import', '--help']]) {
    const r = run(args);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--data-dir|Subcommands/);
  }
  const dir = tempDir(t);
  const missing = run(['users', 'import', '--data-dir', dir, path.join(dir, 'absent.jsonl')]);
  assert.equal(missing.status, 1);
  assert.match(lastLine(missing.stderr), /^gatehouse: cannot read /);
});
