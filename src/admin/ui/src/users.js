// Users: search, detail, metadata as validated JSON, block/unblock, set
// password, delete, recent logins.
import { api, enc } from './api.js';
import { clear, emptyState, field, fmtDate, h, notice } from './dom.js';
import { logTable } from './logs.js';

export async function usersPage(view, { query }) {
  const q = h('input', { type: 'search', value: query.get('q') || '', placeholder: 'Email, name or username', 'aria-label': 'Search users' });
  const form = h('form.search', { role: 'search' }, q, h('button', { type: 'submit' }, 'Search'));
  const results = h('div', { 'aria-live': 'polite' });
  form.addEventListener('submit', (e) => { e.preventDefault(); window.location.hash = `#/users?q=${enc(q.value.trim())}`; });
  view.append(h('header.page-head', h('h1', 'Users')), form, results);
  try {
    const term = q.value.trim();
    const page = await api('GET', `/users?per_page=50&include_totals=true${term ? `&q=${enc(term)}` : ''}`);
    if (!page.users.length) {
      results.append(term ? emptyState('No users match', `Nobody matches “${term}”. Try part of an email address.`)
        : emptyState('No users yet', 'Users appear here once they sign up or are created with `gatehouse users create`.'));
      return;
    }
    results.append(h('p.hint', `${page.total} user${page.total === 1 ? '' : 's'}${page.total > page.users.length ? `, showing the first ${page.users.length}` : ''}.`),
      h('div.table-wrap', h('table',
        h('thead', h('tr', h('th', 'Email'), h('th', 'Name'), h('th', 'Logins'), h('th', 'Last login'), h('th', 'Status'))),
        h('tbody', page.users.map((u) => h('tr',
          h('td', h('a', { href: `#/users/${enc(u.user_id)}` }, u.email || u.user_id)),
          h('td', u.name || ''), h('td.num', String(u.logins_count ?? 0)), h('td', fmtDate(u.last_login)),
          h('td', u.blocked ? h('span.badge.warn', 'Blocked') : h('span.badge.ok', 'Active'))))))));
  } catch (e) { results.append(notice('error', e.message)); }
}

function jsonEditor(label, value, testid) {
  const area = h('textarea.json', { rows: 8, spellcheck: 'false', 'data-testid': testid });
  area.value = JSON.stringify(value ?? {}, null, 2);
  const err = h('p.field-error', { role: 'alert' });
  const f = field(label, area);
  f.row.append(err);
  return {
    row: f.row,
    area,
    // The parsed object, or null after showing why it is not one.
    parse() {
      err.textContent = '';
      area.removeAttribute('aria-invalid');
      try {
        const v = JSON.parse(area.value || '{}');
        if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('it must be a JSON object, like {"plan": "pro"}');
        return v;
      } catch (e) {
        err.textContent = `${label} is not valid: ${e.message}`;
        area.setAttribute('aria-invalid', 'true');
        return null;
      }
    },
  };
}

export async function userPage(view, { id, navigate, flash }) {
  const status = h('div.status');
  let user;
  try { user = await api('GET', `/users/${enc(id)}`); } catch (e) {
    view.append(h('h1', 'User'), notice('error', e.status === 404 ? 'This user does not exist (it may have been deleted).' : e.message));
    return;
  }
  const say = (kind, text) => { clear(status).append(notice(kind, text)); };
  if (flash) say('ok', flash);

  const um = jsonEditor('user_metadata', user.user_metadata, 'user-metadata');
  const am = jsonEditor('app_metadata', user.app_metadata, 'app-metadata');
  const metaForm = h('form', um.row, am.row, h('div.actions', h('button.primary', { type: 'submit' }, 'Save metadata')));
  metaForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const u = um.parse();
    const a = am.parse();
    if (!u || !a) return;
    // PATCH merges top-level keys; keys removed in the editor are sent as null.
    const removed = (before, after) => Object.fromEntries(Object.keys(before || {}).filter((k) => !(k in after)).map((k) => [k, null]));
    try {
      user = await api('PATCH', `/users/${enc(id)}`, {
        user_metadata: { ...removed(user.user_metadata, u), ...u },
        app_metadata: { ...removed(user.app_metadata, a), ...a },
      });
      say('ok', 'Metadata saved.');
    } catch (err) { say('error', err.message); }
  });

  const password = h('input', { type: 'password', autocomplete: 'new-password', minlength: 8 });
  const pwForm = h('form.inline-form', field('New password', password, 'At least 8 characters. Ends the user’s refresh tokens.').row,
    h('div.actions', h('button', { type: 'submit' }, 'Set password')));
  pwForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api('PATCH', `/users/${enc(id)}`, { password: password.value });
      password.value = '';
      say('ok', 'Password changed.');
    } catch (err) { say('error', err.message); }
  });

  const blockBtn = h('button', { type: 'button' }, user.blocked ? 'Unblock user' : 'Block user');
  blockBtn.addEventListener('click', async () => {
    try {
      user = await api('PATCH', `/users/${enc(id)}`, { blocked: !user.blocked });
      blockBtn.textContent = user.blocked ? 'Unblock user' : 'Block user';
      say('ok', user.blocked ? 'The user is blocked and cannot sign in.' : 'The user can sign in again.');
    } catch (err) { say('error', err.message); }
  });
  const del = h('button.danger', { type: 'button' }, 'Delete user');
  del.addEventListener('click', async () => {
    if (!window.confirm(`Delete ${user.email}? This cannot be undone.`)) return;
    try { await api('DELETE', `/users/${enc(id)}`); navigate('#/users', { flash: `Deleted ${user.email}.` }); } catch (err) { say('error', err.message); }
  });

  const logins = h('div');
  view.append(
    h('nav.crumbs', h('a', { href: '#/users' }, 'Users'), ' / ', user.email),
    h('header.page-head', h('h1', user.email || user.user_id), h('div.actions', blockBtn, del)),
    status,
    h('div.split',
      h('section.card', h('h2', 'Profile'), h('dl.facts',
        ...[['User ID', user.user_id], ['Name', user.name], ['Email verified', user.email_verified ? 'yes' : 'no'],
          ['Created', fmtDate(user.created_at)], ['Last login', fmtDate(user.last_login)], ['Last IP', user.last_ip],
          ['Logins', String(user.logins_count ?? 0)], ['Status', user.blocked ? 'Blocked' : 'Active']]
          .flatMap(([k, v]) => [h('dt', k), h('dd', v || '—')]))),
      h('section.card', h('h2', 'Metadata'), metaForm)),
    h('section.card', h('h2', 'Password'), pwForm),
    h('section.card', h('h2', 'Recent logins'), logins));
  try {
    const events = await api('GET', `/logs?per_page=10&q=${enc(`user_id:"${id}"`)}`);
    logins.append(events.length ? logTable(events) : emptyState('No logins yet', 'Logins and failed attempts of this user show up here.'));
  } catch (e) { logins.append(notice('error', e.message)); }
}
