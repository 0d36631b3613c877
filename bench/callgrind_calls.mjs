#!/usr/bin/env node
// Calls per operation of the functions matching each pattern, from a callgrind profile's exact
// call counts ("calls=" lines, summed over every caller).
//   node bench/callgrind_calls.mjs callgrind.out OPS REGEX [REGEX ...]
import fs from 'node:fs';

const [file, opsArg, ...patterns] = process.argv.slice(2);
const ops = Number(opsArg);
const names = new Map(); // "(id)" -> name (callgrind name compression)
const calls = new Map(); // callee name -> calls
let callee = '';
const resolve = (spec) => {
  const m = /^\((\d+)\)(?: (.*))?$/.exec(spec);
  if (!m) return spec;
  if (m[2] !== undefined) names.set(m[1], m[2]);
  return names.get(m[1]) ?? spec;
};
for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
  if (line.startsWith('fn=')) resolve(line.slice(3));
  else if (line.startsWith('cfn=')) callee = resolve(line.slice(4));
  else if (line.startsWith('calls=')) {
    const n = Number(line.slice(6).split(' ')[0]);
    calls.set(callee, (calls.get(callee) ?? 0) + n);
  }
}
let total = 0;
for (const p of patterns) {
  const re = new RegExp(p);
  const rows = [...calls].filter(([name]) => re.test(name)).sort((a, b) => b[1] - a[1]);
  for (const [name, n] of rows) {
    console.log(`${(n / ops).toFixed(2).padStart(8)}  ${name.slice(0, 140)}`);
    if (p === patterns[0]) total += n;
  }
  if (p === patterns[0]) console.log(`${(total / ops).toFixed(2).padStart(8)}  = repository calls per operation`);
}
