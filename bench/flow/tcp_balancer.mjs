// A round-robin TCP balancer for benchmarks: each accepted connection is
// piped to the next backend in turn (what an L4 load balancer does).
//   node tcp_balancer.mjs LISTEN_PORT BACKEND_PORT [BACKEND_PORT...]
// Loopback only. Used by pg_compare.sh so one node and two nodes are measured
// through the same hop.
import net from 'node:net';

const [listen, ...backends] = process.argv.slice(2).map(Number);
let next = 0;
net.createServer((client) => {
  const port = backends[next++ % backends.length];
  const upstream = net.connect({ host: '127.0.0.1', port });
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  client.pipe(upstream).pipe(client);
  const close = () => { client.destroy(); upstream.destroy(); };
  client.on('error', close);
  upstream.on('error', close);
  client.on('close', close);
  upstream.on('close', close);
}).listen(listen, '127.0.0.1', () => console.error(`balancer :${listen} -> ${backends.join(', ')}`));
