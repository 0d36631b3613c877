// Attack group: the HTTP layer. Oversized header and body, request smuggling
// (CL+TE, double Content-Length, obfuscated Transfer-Encoding), malformed
// chunked bodies, slowloris, invalid UTF-8 in JSON and forms. Every answer is
// a clean 4xx (never a 500, never a second smuggled request), and the server
// keeps serving.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Agent, adminToken, openLogin, request, setup, suiteScope } from './lib.mjs';

// Writes raw bytes, reads until the server closes or `ms` pass; returns the text.
function raw(port, data, { ms = 3000, chunks } = {}) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let out = '';
    const done = () => { sock.destroy(); resolve(out); };
    const timer = setTimeout(done, ms);
    sock.on('data', (d) => { out += d.toString('latin1'); });
    sock.on('close', () => { clearTimeout(timer); resolve(out); });
    sock.on('error', () => {});
    if (chunks) {
      (async () => { for (const c of chunks) { sock.write(c); await new Promise((r) => setTimeout(r, 50)); } })();
    } else sock.write(data);
  });
}
const statuses = (text) => [...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));

describe('HTTP layer', () => {
  let ctx;
  let host;
  const scope = suiteScope(after);
  before(async () => {
    ctx = await setup(scope, { env: { GATEHOUSE_HEADER_TIMEOUT_MS: '700', GATEHOUSE_BODY_TIMEOUT_MS: '700' } });
    host = ctx.host;
  });
  const alive = async () => assert.equal((await request(ctx.port, '/healthz')).status, 200);

  test('oversized header block: 431', async () => {
    const out = await raw(ctx.port, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
    assert.deepEqual(statuses(out), [431]);
    await alive();
  });

  test('oversized body: 413 by Content-Length and by chunked length', async () => {
    const cl = await raw(ctx.port, `POST /oauth/token HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${8 * 1024 * 1024}\r\n\r\n` + 'a'.repeat(1024));
    assert.deepEqual(statuses(cl), [413]);
    const big = 'a'.repeat(256 * 1024);
    const chunked = await raw(ctx.port, `POST /oauth/token HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n`
      + `${big.length.toString(16)}\r\n${big}\r\n`.repeat(6) + '0\r\n\r\n');
    assert.equal(statuses(chunked)[0], 413);
    await alive();
  });

  const smuggled = `GET /smuggled HTTP/1.1\r\nHost: ${'HOST'}\r\n\r\n`;
  const smuggling = [
    ['CL + TE', (h) => `POST /oauth/token HTTP/1.1\r\nHost: ${h}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled.replace('HOST', h)}`],
    ['TE + CL', (h) => `POST /oauth/token HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n${smuggled.replace('HOST', h)}`],
    ['double Content-Length', (h) => `POST /oauth/token HTTP/1.1\r\nHost: ${h}\r\nContent-Length: 0\r\nContent-Length: 45\r\n\r\n${smuggled.replace('HOST', h)}`],
    ['Content-Length list', (h) => `POST /oauth/token HTTP/1.1\r\nHost: ${h}\r\nContent-Length: 0, 45\r\n\r\n${smuggled.replace('HOST', h)}`],
    ['TE not last chunked', (h) => `POST /oauth/token HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n${smuggled.replace('HOST', h)}`],
    ['TE obfuscated', (h) => `POST /oauth/token HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n${smuggled.replace('HOST', h)}`],
    ['TE with space before colon', (h) => `POST /oauth/token HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n${smuggled.replace('HOST', h)}`],
    ['negative Content-Length', (h) => `POST /oauth/token HTTP/1.1\r\nHost: ${h}\r\nContent-Length: -1\r\n\r\n${smuggled.replace('HOST', h)}`],
    ['bare LF line endings', (h) => `POST /oauth/token HTTP/1.1\nHost: ${h}\nContent-Length: 0\nTransfer-Encoding: chunked\n\n0\n\n${smuggled.replace('HOST', h)}`],
  ];
  for (const [name, build] of smuggling) {
    test(`request smuggling refused: ${name}`, async () => {
      const out = await raw(ctx.port, build(host));
      const codes = statuses(out);
      assert.equal(codes[0], 400, `${name}: ${out.slice(0, 200)}`);
      // The hidden request is never answered (it would be a 404 for /smuggled).
      assert.equal(codes.length, 1, `${name}: a second response ${codes}`);
      await alive();
    });
  }

  for (const [name, body] of [
    ['non-hex size', 'zz\r\nabc\r\n0\r\n\r\n'],
    ['size overflow', 'ffffffffffffffffffff\r\nabc\r\n0\r\n\r\n'],
    ['missing CRLF after data', '3\r\nabcX0\r\n\r\n'],
    ['negative size', '-1\r\nabc\r\n0\r\n\r\n'],
  ]) {
    test(`malformed chunked body refused: ${name}`, async () => {
      const out = await raw(ctx.port, `POST /oauth/token HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n${body}`);
      const codes = statuses(out);
      assert.ok(codes.length === 1 && (codes[0] === 400 || codes[0] === 413), `${name}: ${codes}`);
      await alive();
    });
  }

  test('slowloris: trickled headers are cut off (408) and other clients are served meanwhile', async () => {
    const trickle = Array.from({ length: 40 }, (_, i) => (i === 0 ? `GET /healthz HTTP/1.1\r\nHost: ${host}\r\n` : `X-${i}: a\r\n`));
    const slow = Array.from({ length: 20 }, () => raw(ctx.port, null, { ms: 5000, chunks: trickle }));
    await alive();
    const outs = await Promise.all(slow);
    for (const out of outs) assert.deepEqual(statuses(out), [408], out.slice(0, 100));
    await alive();
  });

  test('invalid UTF-8 in a JSON body: 400, never 500, nothing created', async () => {
    const tok = await adminToken(ctx);
    for (const bytes of [Buffer.from([0x7b, 0x22, 0x65, 0x6d, 0x61, 0x69, 0x6c, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      Buffer.concat([Buffer.from('{"email":"a\u00e9@example.com","password":"long password 12","connection":"Username-Password-Authentication","name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
      Buffer.from('{"email": "x@example.com", "password": "\\ud800 lone surrogate", "connection":"Username-Password-Authentication"}')]) {
      const res = await request(ctx.port, '/api/v2/users', { method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }, body: bytes });
      assert.ok(res.status === 400 || res.status === 201, `${res.status} ${res.body}`);
      if (res.status === 201) assert.doesNotMatch(res.body, /\ufffd\ufffd/);
    }
    for (const body of ['{"email":', '[]', '"str"', '{"email":{"$gt":""}}', '{'.repeat(60000), '['.repeat(60000), '['.repeat(32000) + ']'.repeat(32000),
      `{"email":"d@example.com","user_metadata":${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}}`]) {
      const res = await request(ctx.port, '/api/v2/users', { method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }, body });
      assert.equal(res.status, 400, `${body.slice(0, 20)}: ${res.status} ${res.body}`);
    }
    await alive();
  });

  test('invalid UTF-8 and malformed escapes in forms: 4xx, never 500', async () => {
    for (const body of ['grant_type=password&username=%FF%FE&password=x&client_id=%C3%28', 'grant_type=%', 'a=%zz',
      'grant_type=authorization_code&code=%00%00', `client_id=${'%FF'.repeat(10000)}`]) {
      const res = await request(ctx.port, '/oauth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      assert.ok(res.status >= 400 && res.status < 500, `${body.slice(0, 30)}: ${res.status}`);
    }
    const agent = new Agent(ctx.port);
    const { tx, csrf } = await openLogin(agent, ctx.clientA);
    for (const body of [`tx=${tx}&csrf=${csrf}&username=%FF%FE%FD&password=%C3%28`, `tx=${tx}&csrf=${csrf}&username=%&password=x`]) {
      const res = await agent.req('/u/login', { method: 'POST', body });
      assert.ok(res.status >= 400 && res.status < 500, `${body}: ${res.status}`);
      assert.equal(agent.jar.has('gh_session'), false);
    }
    await alive();
  });

  test('invalid UTF-8 and control bytes in the request line and headers: 400', async () => {
    for (const line of [`GET /authorize?client_id=\xff\xfe HTTP/1.1`, 'GET /%00 HTTP/1.1', 'GET /u/login?tx=%E0%80%AF HTTP/1.1', 'GET http://evil.example/ HTTP/1.1']) {
      const out = await raw(ctx.port, Buffer.from(`${line}\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, 'latin1'));
      const [code] = statuses(out);
      assert.ok(code >= 400 && code < 500, `${line}: ${code}`);
    }
    const out = await raw(ctx.port, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-A: a\x00b\r\nConnection: close\r\n\r\n`);
    assert.ok([200, 400].includes(statuses(out)[0]));
    await alive();
  });
});
