// Logs: filter by type, user, client and time; a live tail (polling); one
// login's journey (rules passes with per-rule run time, the redirect, the
// resume, the result, the tokens issued) from the tenant log.
import { api, enc } from './api.js';
import { clear, emptyState, field, fmtDate, h, notice } from './dom.js';

export const TYPES = {
  s: 'Successful login', f: 'Failed login', fp: 'Wrong password', fu: 'Unknown user', limit_wc: 'Blocked: too many attempts',
  ss: 'Successful sign-up', fs: 'Failed sign-up', slo: 'Logout', seacft: 'Code exchanged for tokens', feacft: 'Failed code exchange',
  sertft: 'Refresh token exchanged', fertft: 'Failed refresh exchange', seccft: 'Client credentials token', sapi: 'Management API call',
  fapi: 'Failed Management API call', gh_rules: 'Rules ran', gh_redirect: 'Rule redirected', gh_resume: 'Login resumed',
  gh_resume_rejected: 'Resume refused', gh_rule_console: 'Rule console output',
};
const label = (t) => TYPES[t] || t;
const tone = (t) => (t.startsWith('f') || t === 'limit_wc' || t === 'gh_resume_rejected' ? 'warn' : t.startsWith('gh_') ? 'info' : 'ok');

export function logTable(events, { highlight } = {}) {
  return h('div.table-wrap', h('table.logs',
    h('thead', h('tr', h('th', 'When'), h('th', 'Event'), h('th', 'Description'), h('th', 'User'), h('th', 'Client'))),
    h('tbody', events.map((e) => h(highlight?.has(e.log_id) ? 'tr.new' : 'tr',
      h('td', h('a', { href: `#/logs/${enc(e.log_id)}` }, fmtDate(e.date))),
      h('td', h(`span.badge.${tone(e.type)}`, { title: e.type }, label(e.type))),
      h('td', e.description || ''),
      h('td', e.user_id ? h('a', { href: `#/users/${enc(e.user_id)}` }, e.user_name || e.user_id) : ''),
      h('td', e.client_name || e.client_id || ''))))));
}

function buildQ({ type, user, client, from, to }) {
  const parts = [];
  if (type) parts.push(`type:"${type}"`);
  if (user) parts.push(`user_id:"${user}"`);
  if (client) parts.push(`client_id:"${client}"`);
  if (from || to) {
    const iso = (v, fallback) => (v ? new Date(v).toISOString() : fallback);
    parts.push(`date:[${iso(from, '1970-01-01')} TO ${iso(to, '9999-12-31')}]`);
  }
  return parts.join(' AND ');
}

export async function logsPage(view, { query, onLeave }) {
  const f = {
    type: h('select', h('option', { value: '' }, 'Any event'), Object.entries(TYPES).map(([k, v]) => h('option', { value: k }, v))),
    user: h('input', { type: 'text', placeholder: 'auth0|…', autocomplete: 'off' }),
    client: h('input', { type: 'text', autocomplete: 'off' }),
    from: h('input', { type: 'datetime-local' }),
    to: h('input', { type: 'datetime-local' }),
  };
  for (const k of Object.keys(f)) f[k].value = query.get(k) || '';
  const live = h('input', { type: 'checkbox', role: 'switch' });
  const form = h('form.filters', field('Event', f.type).row, field('User ID', f.user).row, field('Client ID', f.client).row,
    field('From', f.from).row, field('To', f.to).row,
    h('div.actions', h('button.primary', { type: 'submit' }, 'Filter'), h('label.switch', live, h('span', 'Live tail'))));
  const status = h('div.status');
  const out = h('div', { 'aria-live': 'polite' });
  view.append(h('header.page-head', h('h1', 'Logs')), h('p.lead', 'Select a login event to see its whole journey.'), form, status, out);

  const values = () => Object.fromEntries(Object.entries(f).map(([k, el]) => [k, el.value.trim()]));
  let events = [];
  async function fetchPage() {
    const q = buildQ(values());
    return api('GET', `/logs?per_page=50${q ? `&q=${enc(q)}` : ''}`);
  }
  async function load() {
    clear(status);
    try {
      events = await fetchPage();
      clear(out).append(events.length ? logTable(events)
        : emptyState('No events match', 'Nothing in the log matches these filters. Widen the time range or clear a filter.'));
    } catch (e) { status.append(notice('error', e.message)); }
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams(Object.entries(values()).filter(([, v]) => v));
    const next = `#/logs${p.toString() ? `?${p}` : ''}`;
    if (window.location.hash === next) load(); else window.location.hash = next;
  });
  let timer = null;
  live.addEventListener('change', () => {
    clearInterval(timer);
    timer = null;
    if (!live.checked) return;
    timer = setInterval(async () => {
      try {
        const latest = await fetchPage();
        const seen = new Set(events.map((e) => e.log_id));
        const fresh = new Set(latest.filter((e) => !seen.has(e.log_id)).map((e) => e.log_id));
        if (!fresh.size) return;
        events = latest;
        clear(out).append(logTable(events, { highlight: fresh }));
      } catch { /* the next poll tries again */ }
    }, 2000);
  });
  onLeave(() => clearInterval(timer));
  await load();
}

// The events of the login `event` belongs to, oldest first.
async function journeyOf(event) {
  const tx = event.details?.transaction;
  if (!event.user_id) return [event];
  const t = new Date(event.date).getTime();
  const from = new Date(t - 30 * 60 * 1000).toISOString();
  const to = new Date(t + 30 * 60 * 1000).toISOString();
  const all = await api('GET', `/logs?per_page=100&q=${enc(`user_id:"${event.user_id}" AND date:[${from} TO ${to}]`)}`);
  all.sort((a, b) => (a.log_id < b.log_id ? -1 : 1));
  if (!tx) return [event];
  const mine = all.filter((e) => e.details?.transaction === tx);
  // The code exchange carries neither the transaction nor the user: the first
  // exchange by the same client within the code's lifetime after the success
  // is the one its code made (the best the log can say; docs/admin.md).
  const done = mine.find((e) => e.type === 's');
  if (done) {
    const start = new Date(done.date).getTime();
    const range = `date:[${new Date(start).toISOString()} TO ${new Date(start + 2 * 60 * 1000).toISOString()}]`;
    const exchanges = await api('GET', `/logs?per_page=100&q=${enc(`client_id:"${done.client_id}" AND ${range}`)}`);
    const exchange = exchanges.filter((e) => (e.type === 'seacft' || e.type === 'feacft') && e.log_id > done.log_id)
      .sort((a, b) => (a.log_id < b.log_id ? -1 : 1))[0];
    if (exchange) mine.push(exchange);
  }
  return mine;
}

function step(e) {
  const d = e.details || {};
  const body = [];
  if (e.type === 'gh_rules') {
    body.push(h('p', `Pass: ${d.protocol === 'redirect-callback' ? 'after the redirect (redirect-callback)' : d.protocol}. Outcome: ${d.outcome}.`));
    if (d.rules?.length) body.push(h('ul.timings', d.rules.map((r) => h('li', `${r.rule}: ${(r.us / 1000).toFixed(2)} ms`))));
    if (d.redirect) body.push(h('p', 'Redirect to ', h('code', d.redirect)));
    if (d.error) body.push(h('p.error-text', `${d.error} in ${d.failed_rule || 'a rule'}`));
  } else if (e.type === 'gh_redirect') {
    body.push(h('p', 'The browser was sent to ', h('code', d.url || '')));
  } else if (e.type === 'gh_rule_console') {
    body.push(h('p', h('code', `[${d.rule}] ${d.level}: ${e.description}`)));
  } else if (e.type === 'seacft') {
    body.push(h('p', 'The application exchanged the code: tokens issued.'));
  } else if (e.description) {
    body.push(h('p', e.description));
  }
  return h('li.step', h('div.step-head', h(`span.badge.${tone(e.type)}`, label(e.type)), h('time', fmtDate(e.date))), body);
}

export async function logPage(view, { id }) {
  let event;
  try { event = await api('GET', `/logs/${enc(id)}`); } catch (e) {
    view.append(h('h1', 'Log event'), notice('error', e.status === 404 ? 'This event is no longer in the log (it may have been purged).' : e.message));
    return;
  }
  const journey = h('div');
  view.append(h('nav.crumbs', h('a', { href: '#/logs' }, 'Logs'), ' / ', label(event.type)),
    h('header.page-head', h('h1', label(event.type))),
    h('div.split',
      h('section.card', h('h2', 'Login journey'), journey),
      h('section.card', h('h2', 'Event'), h('pre.json-view', JSON.stringify(event, null, 2)))));
  try {
    const steps = await journeyOf(event);
    if (steps.length <= 1 && !event.details?.transaction) {
      journey.append(emptyState('Not part of a login', 'This event is not tied to a login transaction, so there is no journey to show.'));
    } else {
      journey.append(h('ol.journey', { 'data-testid': 'journey' }, steps.map(step)));
    }
  } catch (e) { journey.append(notice('error', e.message)); }
}
