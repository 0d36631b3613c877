#!/usr/bin/env node
// The side-by-side table of bench/run: one row per workload and concurrency, the peer's and
// Gatehouse's throughput, p50/p99, server CPU ms per operation and peak RSS, and the ratios
// Gatehouse/peer. Medians over repetitions (clean measurements only when there is one).
//   node bench/summarize.mjs results.jsonl
// Lines are driver.mjs output (label "peer:<workload>" or "gh:<workload>") plus the
// {"kind":"rss"|"openssl"|"hash"} lines bench/run writes.
import fs from 'node:fs';

const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const med = (xs) => {
  const a = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((p, q) => p - q);
  if (!a.length) return NaN;
  return a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
};
const num = (x, d = 1) => {
  if (!Number.isFinite(x)) return '–';
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(d);
};
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–');

const runs = lines.filter((l) => l.scenario && l.label && !l.label.endsWith(':warmup'));
const rows = new Map(); // workload|c -> { peer: [...], gh: [...] }
for (const r of runs) {
  const [server, ...rest] = r.label.split(':');
  const key = `${rest.join(':')}|${r.c}`;
  if (!rows.has(key)) rows.set(key, { workload: rest.join(':'), c: r.c, peer: [], gh: [] });
  rows.get(key)[server]?.push(r);
}
const stat = (rs) => {
  if (!rs.length) return undefined;
  const clean = rs.filter((r) => !r.disturbed);
  const use = clean.length ? clean : rs;
  return {
    rate: med(use.map((r) => r.rate_per_s)),
    p50: med(use.map((r) => r.lat_ms.p50)),
    p99: med(use.map((r) => r.lat_ms.p99)),
    cpu: med(use.map((r) => r.server?.cpu_ms_per_op)),
    rss: med(use.map((r) => r.server?.rss_kb_max / 1024)),
    errors: use.reduce((s, r) => s + (r.errors || 0), 0),
    flag: clean.length ? '' : '!',
  };
};
const out = [];
out.push('| workload | c | peer ops/s | Gatehouse ops/s | thr. G/P | peer p50 / p99 ms | Gatehouse p50 / p99 ms | peer CPU ms/op | Gatehouse CPU ms/op | CPU G/P | RSS peak peer / Gatehouse MiB |');
out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows.values()) {
  const p = stat(row.peer); const g = stat(row.gh);
  const cell = (s, f) => (s ? f(s) : '–');
  const errs = (s) => (s && s.errors ? ` (${s.errors} err)` : '') + (s?.flag ?? '');
  out.push(`| ${row.workload} | ${row.c} | ${cell(p, (s) => num(s.rate))}${errs(p)} | ${cell(g, (s) => num(s.rate))}${errs(g)} | ${ratio(g?.rate, p?.rate)} | `
    + `${cell(p, (s) => `${num(s.p50)} / ${num(s.p99)}`)} | ${cell(g, (s) => `${num(s.p50)} / ${num(s.p99)}`)} | `
    + `${cell(p, (s) => s.cpu.toFixed(3))} | ${cell(g, (s) => s.cpu.toFixed(3))} | ${ratio(g?.cpu, p?.cpu)} | `
    + `${cell(p, (s) => num(s.rss, 0))} / ${cell(g, (s) => num(s.rss, 0))} |`);
}
out.push('');
out.push('"!" = every measurement of that cell was disturbed by other processes on the machine (see driver.mjs --max-other).');

const rss = lines.filter((l) => l.kind === 'rss');
if (rss.length) {
  out.push('', '| RSS (MiB) | peer | Gatehouse | G/P |', '|---|---:|---:|---:|');
  for (const phase of [...new Set(rss.map((l) => l.phase))]) {
    const p = med(rss.filter((l) => l.phase === phase && l.server === 'peer').map((l) => l.rss_kb / 1024));
    const g = med(rss.filter((l) => l.phase === phase && l.server === 'gh').map((l) => l.rss_kb / 1024));
    out.push(`| ${phase} | ${num(p)} | ${num(g)} | ${ratio(g, p)} |`);
  }
  const peak = (server) => Math.max(...runs.filter((r) => r.label.startsWith(`${server}:`) && r.server)
    .map((r) => r.server.rss_kb_max / 1024));
  out.push(`| peak under load (max over all workloads) | ${num(peak('peer'))} | ${num(peak('gh'))} | ${ratio(peak('gh'), peak('peer'))} |`);
}
for (const l of lines.filter((x) => x.kind === 'openssl')) {
  out.push('', `RSA-2048 signature, same run (openssl speed rsa2048 -seconds 1): ${num(l.sign_per_s)} sign/s per core = **${(1000 / l.sign_per_s).toFixed(3)} ms** of CPU each.`);
}
for (const l of lines.filter((x) => x.kind === 'hash')) {
  out.push(`Password hash on its own (${l.what}): **${num(l.per_s)} hashes/s** with ${l.threads} threads (${l.ms_cpu.toFixed(1)} ms CPU each).`);
}
console.log(out.join('\n'));
