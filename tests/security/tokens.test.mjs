// Attack group: forged and mis-scoped JWTs at /userinfo and the Management
// API. Claim checks are exercised with tokens signed by the server's own key
// (read from the database, as an attacker who stole nothing could not), so a
// refusal proves the claim check, not just the signature check.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { adminToken, b64url, request, setup, SQLITE_WAIT, suiteScope, tokensFor } from './lib.mjs';


function serverKey(ctx, alg) {
  const out = execFileSync('sqlite3', [...SQLITE_WAIT, '-json', path.join(ctx.dir, 'gatehouse.db'),
    `SELECT kid, private_pem FROM signing_keys WHERE alg='${alg}' AND status='active' ORDER BY created_at DESC LIMIT 1`],
  { encoding: 'utf8' });
  const [row] = JSON.parse(out);
  return { kid: row.kid, key: crypto.createPrivateKey(row.private_pem) };
}

function sign(header, payload, key, alg = header.alg) {
  const input = `${b64url(header)}.${b64url(payload)}`;
  let sig;
  if (alg === 'RS256') sig = crypto.sign('sha256', Buffer.from(input), key);
  else if (alg === 'ES256') sig = crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  else if (alg === 'HS256') sig = crypto.createHmac('sha256', key).update(input).digest();
  return `${input}.${sig ? sig.toString('base64url') : ''}`;
}

function decode(jwt) {
  const [h, p] = jwt.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url')), payload: JSON.parse(Buffer.from(p, 'base64url')) };
}

describe('forged and mis-scoped tokens', () => {
  let ctx;
  let real;      // alice's genuine JWT access token (API audience, also good at /userinfo)
  let opaque;    // alice's genuine opaque access token (no audience: /userinfo only)
  let realMgmt;  // the admin client's genuine Management API token
  let rs;        // the server's RS256 key
  let es;        // the server's ES256 key
  let publicPem;
  const scope = suiteScope(after);
  before(async () => {
    ctx = await setup(scope);
    real = (await tokensFor(ctx, ctx.clientA, { audience: 'https://api.example.com/' })).access_token;
    opaque = (await tokensFor(ctx)).access_token;
    realMgmt = await adminToken(ctx);
    rs = serverKey(ctx, 'RS256');
    es = serverKey(ctx, 'ES256');
    const jwks = JSON.parse((await request(ctx.port, '/.well-known/jwks.json')).body);
    const jwk = jwks.keys.find((k) => k.kid === rs.kid);
    publicPem = crypto.createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  });

  const userinfo = (tok) => request(ctx.port, '/userinfo', { headers: { authorization: `Bearer ${tok}` } });
  const mgmt = (tok) => request(ctx.port, '/api/v2/users', { headers: { authorization: `Bearer ${tok}` } });

  // Each forgery from a genuine token: [name, (header, payload) => jwt].
  function forgeries(genuine) {
    const { header, payload } = decode(genuine);
    const now = Math.floor(Date.now() / 1000);
    const list = [];
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      list.push([`alg ${alg}, no signature`, `${b64url({ ...header, alg })}.${b64url(payload)}.`]);
      list.push([`alg ${alg}, original signature`, `${b64url({ ...header, alg })}.${b64url(payload)}.${genuine.split('.')[2]}`]);
    }
    list.push(['HS256 keyed with the RS256 public key (PEM)', sign({ ...header, alg: 'HS256' }, payload, publicPem)]);
    list.push(['HS256 keyed with the public key, no kid', sign({ alg: 'HS256', typ: 'JWT' }, payload, publicPem)]);
    const attacker = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    list.push(['unknown kid, attacker key', sign({ ...header, kid: 'attacker-kid' }, payload, attacker)]);
    list.push(['known kid, attacker key', sign(header, payload, attacker)]);
    list.push(['embedded jwk header', sign({ ...header, jwk: crypto.createPublicKey(attacker).export({ format: 'jwk' }) }, payload, attacker)]);
    list.push(['payload changed, signature kept', `${genuine.split('.')[0]}.${b64url({ ...payload, sub: 'auth0|someone-else' })}.${genuine.split('.')[2]}`]);
    list.push(['expired (server key)', sign(header, { ...payload, exp: now - 120, iat: now - 3600 }, rs.key, 'RS256')]);
    list.push(['nbf in the future (server key)', sign(header, { ...payload, nbf: now + 3600 }, rs.key, 'RS256')]);
    list.push(['wrong aud (server key)', sign(header, { ...payload, aud: 'https://other.example/api' }, rs.key, 'RS256')]);
    list.push(['wrong iss (server key)', sign(header, { ...payload, iss: 'https://evil.example/' }, rs.key, 'RS256')]);
    list.push(['no exp (server key)', sign(header, (({ exp, ...rest }) => rest)(payload), rs.key, 'RS256')]);
    const esHeader = { alg: 'ES256', typ: header.typ, kid: es.kid };
    list.push(['ES256 all-zero signature', `${b64url(esHeader)}.${b64url(payload)}.${Buffer.alloc(64).toString('base64url')}`]);
    list.push(['ES256 r=s=n (psychic)', `${b64url(esHeader)}.${b64url(payload)}.${Buffer.from(
      'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'.repeat(2), 'hex').toString('base64url')}`]);
    list.push(['two segments', genuine.split('.').slice(0, 2).join('.')]);
    list.push(['four segments', `${genuine}.x`]);
    list.push(['garbage base64', 'eyJ!!!.eyJ!!!.!!!']);
    list.push(['header is a JSON array', `${b64url([1])}.${b64url(payload)}.x`]);
    list.push(['crit header', sign({ ...header, crit: ['exp'] }, payload, rs.key, 'RS256')]);
    return list;
  }

  test('a genuine token works at /userinfo and the Management API (the control)', async () => {
    assert.equal((await userinfo(real)).status, 200);
    assert.equal((await userinfo(opaque)).status, 200);
    assert.match(opaque, /^gh1_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/, 'opaque: not a JWT');
    assert.equal((await mgmt(realMgmt)).status, 200);
  });

  test('every forgery is refused at /userinfo with 401 invalid_token and no claims', async () => {
    let n = 0;
    for (const [name, jwt] of forgeries(real)) {
      const res = await userinfo(jwt);
      assert.equal(res.status, 401, `${name}: ${res.status} ${res.body}`);
      assert.match(res.headers['www-authenticate'] ?? '', /^Bearer/, name);
      assert.doesNotMatch(res.body, /alice@example\.com|"sub"/, name);
      n++;
    }
    assert.ok(n >= 25);
  });

  test('every forgery of an opaque token is refused at /userinfo with 401 and no claims', async () => {
    const [sealed, mac] = opaque.split('.');
    const payload = JSON.parse(Buffer.from(sealed.slice(4), 'base64url'));
    const reseal = (p, key) => {
      const body = `gh1_${b64url(p)}`;
      return `${body}.${crypto.createHmac('sha256', key).update(body).digest('base64url')}`;
    };
    const list = [
      ['another subject, MAC kept', `gh1_${b64url({ ...payload, sub: 'auth0|someone-else' })}.${mac}`],
      ['longer expiry, MAC kept', `gh1_${b64url({ ...payload, exp: payload.exp + 86400 })}.${mac}`],
      ['sealed with a guessed key', reseal(payload, 'secret')],
      ['sealed with an empty key', reseal(payload, '')],
      ['sealed with the RS256 public key (PEM)', reseal(payload, publicPem)],
      ['no MAC', sealed],
      ['empty MAC', `${sealed}.`],
      ['MAC of zeros', `${sealed}.${Buffer.alloc(32).toString('base64url')}`],
      ['prefix only', 'gh1_'],
      ['three segments', `${opaque}.x`],
      ['1 kB of junk after the MAC', `${opaque}${'A'.repeat(1024)}`],
      ['upper-case prefix', `GH1_${opaque.slice(4)}`],
    ];
    for (const [name, tok] of list) {
      const res = await userinfo(tok);
      assert.equal(res.status, 401, `${name}: ${res.status} ${res.body}`);
      assert.doesNotMatch(res.body, /alice@example\.com|"sub"/, name);
    }
    assert.equal((await mgmt(opaque)).status, 401, 'opaque token at the Management API');
  });

  test('every forgery is refused at the Management API with 401 and no data', async () => {
    for (const [name, jwt] of forgeries(realMgmt)) {
      const res = await mgmt(jwt);
      assert.equal(res.status, 401, `${name}: ${res.status} ${res.body}`);
      assert.equal(JSON.parse(res.body).statusCode, 401, name);
      assert.doesNotMatch(res.body, /alice@example\.com/, name);
    }
  });

  test('a user access token (other audience) is refused by the Management API, and vice versa', async () => {
    const res = await mgmt(real);
    assert.equal(res.status, 401, res.body);
    assert.equal((await mgmt(opaque)).status, 401);
    const ui = await userinfo(realMgmt);
    assert.equal(ui.status, 401, ui.body);
  });

  test('an ID token is not an access token', async () => {
    const { id_token: idToken } = await tokensFor(ctx);
    assert.equal((await userinfo(idToken)).status, 401);
    assert.equal((await mgmt(idToken)).status, 401);
  });

  test('a 1 MB token is refused before any parsing work (header and body)', async () => {
    const huge = `${b64url({ alg: 'RS256', kid: rs.kid })}.${'A'.repeat(1024 * 1024)}.x`;
    const h = await userinfo(huge).catch((e) => ({ status: 'reset', body: String(e) }));
    assert.ok(h.status === 431 || h.status === 'reset', `header: ${h.status}`);
    const b = await request(ctx.port, '/userinfo', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `access_token=${huge}`,
    }).catch((e) => ({ status: 'reset', body: String(e) }));
    assert.ok([401, 413, 'reset'].includes(b.status), `body: ${b.status}`);
    assert.doesNotMatch(b.body ?? '', /alice/);
    // The server is still serving.
    assert.equal((await userinfo(real)).status, 200);
  });
});
