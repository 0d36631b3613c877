// Shared helpers for the end-to-end tests: run the real `gatehouse` binary,
// find free loopback ports, make raw HTTP requests (with any Host header).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const BIN = process.env.GATEHOUSE_BIN ??
  path.resolve(import.meta.dirname, '../../build/src/cli/gatehouse');

export function tempDir(t) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gh-e2e-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// Runs the CLI to completion: { status, stdout, stderr }.
export function run(args, env = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// GET/POST with full control of headers. Resolves { status, headers, body }.
export function request(port, pathname, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, method, headers, agent: false }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { data += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// Starts `gatehouse serve` and waits until /healthz answers. Returns
// { proc, port, logs(), stop() }; stop() sends SIGTERM and resolves the exit code.
export async function serve(t, dataDir, { env = {}, port } = {}) {
  port ??= await freePort();
  const proc = spawn(BIN, ['serve', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (c) => { stderr += c; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  t.after(() => { if (proc.exitCode === null) proc.kill('SIGKILL'); });
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`serve exited early: ${stderr}`);
    try {
      const r = await request(port, '/healthz');
      if (r.status === 200) break;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    proc, port, exited,
    logs: () => stderr,
    stop: async (signal = 'SIGTERM') => { proc.kill(signal); return exited; },
  };
}

// Runs `gatehouse args...`, asserts exit 0, and parses its --json output.
export function runJson(args) {
  const r = run(args);
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// A throwaway HTTP server on a free loopback port (an external site or a
// relying party's callback), closed by `t.after`. Resolves to the port.
export async function listen(t, handler) {
  const port = await freePort();
  const server = http.createServer(handler);
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  t.after(() => server.close());
  return port;
}

// A Management API token for the admin client `gatehouse init` printed, and
// the official `auth0` SDK's ManagementClient on it (the SDK speaks https to
// `domain`; its fetch is pointed back at our plain-HTTP port).
export async function managementClient(port, admin, issuer) {
  const { ManagementClient } = await import('auth0');
  const form = new URLSearchParams({
    grant_type: 'client_credentials', client_id: admin.client_id,
    client_secret: admin.client_secret, audience: `${issuer}api/v2/`,
  }).toString();
  const tok = await request(port, '/oauth/token', {
    method: 'POST', body: form,
    headers: { Host: `127.0.0.1:${port}`, 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(tok.status, 200, tok.body);
  const token = JSON.parse(tok.body).access_token;
  const origin = `https://127.0.0.1:${port}`;
  const management = new ManagementClient({
    domain: `127.0.0.1:${port}`,
    token: () => token,
    maxRetries: 0,
    fetch: (url, init) => fetch(String(url).replace(origin, `http://127.0.0.1:${port}`), init),
  });
  return { management, token };
}
