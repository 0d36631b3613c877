// Load driver for full browser-less login flows against a running Gatehouse:
//   authorize -> hosted login page -> login POST -> code -> token exchange.
// Usage: node login_flow.mjs BASE CLIENT_ID CLIENT_SECRET REDIRECT_URI EMAIL PASSWORD [SECONDS]
// Prints one JSON line per (variant, concurrency): flows/s and latency percentiles.
// Variants: "password" logs in with the password every time (one argon2id
// verification per flow); "sso" reuses a session cookie, so the difference is
// the password hash cost. Loopback only; every loop is bounded by time.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';

const [base, clientId, clientSecret, redirectUri, email, password, secondsArg] = process.argv.slice(2);
const SECONDS = Number(secondsArg ?? 10);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const origin = new URL(base);

function req(method, path, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const r = http.request({ host: origin.hostname, port: origin.port, path, method, headers, agent }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { data += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    r.on('error', reject);
    if (body) r.write(body);
    r.end();
  });
}

const cookieJar = (jar, res) => {
  for (const c of res.headers['set-cookie'] ?? []) {
    const [pair] = c.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
};
const cookieHeader = (jar) => [...jar].filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join('; ');
const field = (html, name) => html.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1];

async function flow(jar, usePassword) {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const q = new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: redirectUri,
    scope: 'openid profile email', state: 's', nonce: 'n', code_challenge: challenge, code_challenge_method: 'S256' });
  let res = await req('GET', `/authorize?${q}`, { headers: { cookie: cookieHeader(jar) } });
  cookieJar(jar, res);
  let location = res.headers.location ?? '';
  if (usePassword || !location.startsWith(redirectUri)) {
    if (res.status === 302) {
      res = await req('GET', location, { headers: { cookie: cookieHeader(jar) } });
      cookieJar(jar, res);
    }
    const form = new URLSearchParams({ tx: field(res.body, 'tx'), csrf: field(res.body, 'csrf'), username: email, password });
    res = await req('POST', '/u/login', { headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    cookieJar(jar, res);
    location = res.headers.location ?? '';
  }
  const code = new URL(location, base).searchParams.get('code');
  if (!code) throw new Error(`no code (status ${res.status})`);
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
  res = await req('POST', '/oauth/token', { headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }).toString() });
  if (res.status !== 200) throw new Error(`token ${res.status} ${res.body}`);
}

async function measure(variant, concurrency) {
  const latencies = [];
  let errors = 0;
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    const jar = new Map();
    if (variant === 'sso') await flow(jar, true); // establish the session once
    while (Date.now() < deadline) {
      const t0 = process.hrtime.bigint();
      try { await flow(variant === 'password' ? new Map() : jar, variant === 'password'); latencies.push(Number(process.hrtime.bigint() - t0) / 1e6); } catch { errors++; }
    }
  }));
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]?.toFixed(2);
  return { variant, concurrency, flows: latencies.length, errors, flows_per_s: +(latencies.length / SECONDS).toFixed(1), p50_ms: pct(0.5), p99_ms: pct(0.99) };
}

for (const variant of ['password', 'sso']) {
  for (const c of [1, 4, 16]) console.log(JSON.stringify(await measure(variant, c)));
}
agent.destroy();
