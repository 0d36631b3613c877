// Helpers of the connections suites (issue 13): a Gatehouse instance with an
// admin Management API token, a loopback HTTP server, the CLI as JSON.
import assert from 'node:assert/strict';
import http from 'node:http';
import { freePort, request, run, serve, tempDir } from './harness.mjs';

export async function listen(t, handler) {
  const port = await freePort();
  const server = http.createServer(handler);
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  t.after(() => { server.closeAllConnections?.(); server.close(); });
  return port;
}

export function cli(args) {
  const r = run(args);
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// `gatehouse init` + an admin Management API token for that instance. Two
// instances in one browser need different host names: cookies ignore ports,
// so their session cookies would overwrite each other on one host.
export async function instance(t, { rulesDir, hostname = '127.0.0.1' } = {}) {
  const dir = tempDir(t);
  const port = await freePort();
  const host = `${hostname}:${port}`;
  const init = cli(['init', '--data-dir', dir, '--domain', host, '--json']);
  const env = rulesDir ? { GATEHOUSE_RULES_DIR: rulesDir } : {};
  const server = await serve(t, dir, { port, env });
  const issuer = `http://${host}/`;
  const tok = await request(port, '/oauth/token', {
    method: 'POST',
    headers: { host, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials', client_id: init.admin_client.client_id,
      client_secret: init.admin_client.client_secret, audience: `${issuer}api/v2/`,
    }).toString(),
  });
  assert.equal(tok.status, 200, tok.body);
  const token = JSON.parse(tok.body).access_token;
  const api = async (method, p, body) => {
    const r = await request(port, p, {
      method,
      headers: { host, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: r.body ? JSON.parse(r.body) : null };
  };
  return { dir, port, issuer, server, api };
}

