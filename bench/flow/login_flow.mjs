// Load driver: full login flows per second (issue 3 and issue 5 benchmarks).
//   node login_flow.mjs BASE CLIENT_ID CLIENT_SECRET REDIRECT_URI EMAIL PASSWORD [SECONDS]
// The server runs one rule that redirects when /authorize carries
// `bench=redirect` and does nothing otherwise. Variants:
//   password: a fresh browser each flow: authorize -> login page -> login POST
//             (one argon2id verification) -> code -> token exchange
// and, after one password login per worker (SSO session):
//   plain:    authorize -> (rules pass) -> code -> token exchange
//   redirect: authorize -> (rules pass 1) -> 302 to the rule's URL (not
//             followed: the external site is simulated) -> GET /continue ->
//             (rules pass 2) -> code -> token exchange
// so password - plain is the password hash cost, and redirect - plain the cost
// of the redirect round trip inside Gatehouse.
// Prints one JSON line per (variant, concurrency). Loopback only; time-bounded.
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

const absorb = (jar, res) => {
  for (const c of res.headers['set-cookie'] ?? []) {
    const [pair] = c.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
};
const cookies = (jar) => [...jar].filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join('; ');
const field = (html, name) => html.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1];
const form = { 'content-type': 'application/x-www-form-urlencoded' };

async function flow(jar, variant) {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const q = new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: redirectUri,
    scope: 'openid', state: 's', nonce: 'n', code_challenge: challenge, code_challenge_method: 'S256',
    bench: variant === 'redirect' ? 'redirect' : 'plain' });
  let res = await req('GET', `/authorize?${q}`, { headers: { cookie: cookies(jar) } });
  absorb(jar, res);
  let location = res.headers.location ?? '';
  if (location.startsWith('/u/login')) { // no session yet: log in once
    res = await req('GET', location, { headers: { cookie: cookies(jar) } });
    absorb(jar, res);
    const body = new URLSearchParams({ tx: field(res.body, 'tx'), csrf: field(res.body, 'csrf'), username: email, password });
    res = await req('POST', '/u/login', { headers: { ...form, cookie: cookies(jar) }, body: body.toString() });
    absorb(jar, res);
    location = res.headers.location ?? '';
  }
  if (!location.startsWith(redirectUri)) { // the rule redirected: resume at once
    const state = new URL(location).searchParams.get('state');
    if (!state) throw new Error(`no state in ${location}`);
    res = await req('GET', `/continue?state=${encodeURIComponent(state)}`, { headers: { cookie: cookies(jar) } });
    location = res.headers.location ?? '';
  }
  const code = new URL(location, base).searchParams.get('code');
  if (!code) throw new Error(`no code (status ${res.status}) ${location}`);
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
  res = await req('POST', '/oauth/token', { headers: { ...form, authorization: `Basic ${basic}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }).toString() });
  if (res.status !== 200) throw new Error(`token ${res.status} ${res.body}`);
}

async function measure(variant, concurrency) {
  const latencies = [];
  let errors = 0;
  let lastError = '';
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    const jar = new Map();
    if (variant !== 'password') await flow(jar, 'plain'); // SSO session, outside the measurement
    while (Date.now() < deadline) {
      const t0 = process.hrtime.bigint();
      try { await flow(variant === 'password' ? new Map() : jar, variant); latencies.push(Number(process.hrtime.bigint() - t0) / 1e6); } catch (e) { errors++; lastError = e.message; }
    }
  }));
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]?.toFixed(2);
  return { variant, concurrency, flows: latencies.length, errors, ...(errors ? { last_error: lastError } : {}),
    flows_per_s: +(latencies.length / SECONDS).toFixed(1), p50_ms: pct(0.5), p99_ms: pct(0.99) };
}

const results = {};
for (const c of [1, 4, 16]) {
  for (const variant of ['password', 'plain', 'redirect']) {
    const r = await measure(variant, c);
    results[`${variant}/${c}`] = r;
    console.log(JSON.stringify(r));
  }
  const plain = results[`plain/${c}`];
  const redirect = results[`redirect/${c}`];
  console.log(JSON.stringify({ concurrency: c, redirect_cost_ratio: +(plain.flows_per_s / redirect.flows_per_s).toFixed(2),
    extra_p50_ms: +(redirect.p50_ms - plain.p50_ms).toFixed(2) }));
}
agent.destroy();
