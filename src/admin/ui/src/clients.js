// Clients (applications): create (secret shown once), edit callbacks and
// grant types, rotate the secret, delete.
import { api, enc } from './api.js';
import { clear, emptyState, field, fmtDate, h, notice } from './dom.js';

const GRANTS = ['authorization_code', 'refresh_token', 'client_credentials', 'password'];
const TYPES = [['regular_web', 'Regular web app'], ['spa', 'Single-page app'], ['native', 'Native app'], ['non_interactive', 'Machine to machine']];

function secretBox(client, secret) {
  return h('div.notice.secret', { role: 'status' },
    h('p', h('strong', 'Copy the client secret now.'), ' It is shown only this once; Gatehouse keeps only a hash.'),
    h('dl.facts', h('dt', 'Client ID'), h('dd', h('code', client.client_id)),
      h('dt', 'Client secret'), h('dd', h('code', { 'data-testid': 'client-secret' }, secret))));
}

function lines(text) { return text.split('\n').map((s) => s.trim()).filter(Boolean); }

function grantBoxes(selected) {
  const boxes = GRANTS.map((g) => h('input', { type: 'checkbox', value: g, checked: selected.includes(g) }));
  return {
    row: h('fieldset.checks', h('legend', 'Grant types'), boxes.map((b) => h('label', b, ` ${b.value}`))),
    value: () => boxes.filter((b) => b.checked).map((b) => b.value),
  };
}

export async function clientsPage(view) {
  const status = h('div.status');
  const list = h('div');
  const name = h('input', { type: 'text', required: true, autocomplete: 'off' });
  const type = h('select', TYPES.map(([v, l]) => h('option', { value: v }, l)));
  const callbacks = h('textarea', { rows: 3, spellcheck: 'false', placeholder: 'https://app.example.com/callback' });
  const grants = grantBoxes(['authorization_code', 'refresh_token']);
  const form = h('form', field('Name', name).row, field('Application type', type).row,
    field('Allowed callback URLs', callbacks, 'One per line; matched exactly.').row, grants.row,
    h('div.actions', h('button.primary', { type: 'submit' }, 'Create client')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(status);
    if (!name.value.trim()) { status.append(notice('error', 'Give the client a name.')); name.focus(); return; }
    try {
      const c = await api('POST', '/clients', { name: name.value.trim(), app_type: type.value, callbacks: lines(callbacks.value), grant_types: grants.value() });
      status.append(c.client_secret ? secretBox(c, c.client_secret) : notice('ok', `Created ${c.name} (${c.client_id}). It is a public client: it has no secret.`));
      name.value = ''; callbacks.value = '';
      await load();
    } catch (err) { status.append(notice('error', err.message)); }
  });
  async function load() {
    const clients = (await api('GET', '/clients')).filter((c) => c.client_id !== 'gatehouse-admin');
    clear(list);
    if (!clients.length) { list.append(emptyState('No clients yet', 'A client is an application that signs users in through Gatehouse.')); return; }
    list.append(h('div.table-wrap', h('table',
      h('thead', h('tr', h('th', 'Name'), h('th', 'Type'), h('th', 'Client ID'), h('th', 'Grant types'))),
      h('tbody', clients.map((c) => h('tr',
        h('td', h('a', { href: `#/clients/${enc(c.client_id)}` }, c.name)), h('td', c.app_type),
        h('td', h('code', c.client_id)), h('td', (c.grant_types || []).join(', '))))))));
  }
  view.append(h('header.page-head', h('h1', 'Clients')), status,
    h('div.split', h('section.card', h('h2', 'Applications'), list), h('section.card', h('h2', 'New client'), form)));
  try { await load(); } catch (e) { status.append(notice('error', e.message)); }
}

export async function clientPage(view, { id, navigate }) {
  const status = h('div.status');
  let c;
  try { c = await api('GET', `/clients/${enc(id)}`); } catch (e) {
    view.append(h('h1', 'Client'), notice('error', e.status === 404 ? 'This client does not exist (it may have been deleted).' : e.message));
    return;
  }
  const callbacks = h('textarea', { rows: 4, spellcheck: 'false' });
  callbacks.value = (c.callbacks || []).join('\n');
  const logout = h('textarea', { rows: 2, spellcheck: 'false' });
  logout.value = (c.allowed_logout_urls || []).join('\n');
  const grants = grantBoxes(c.grant_types || []);
  const form = h('form', field('Allowed callback URLs', callbacks, 'One per line; matched exactly.').row,
    field('Allowed logout URLs', logout).row, grants.row, h('div.actions', h('button.primary', { type: 'submit' }, 'Save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(status);
    try {
      c = await api('PATCH', `/clients/${enc(id)}`, { callbacks: lines(callbacks.value), allowed_logout_urls: lines(logout.value), grant_types: grants.value() });
      status.append(notice('ok', 'Saved.'));
    } catch (err) { status.append(notice('error', err.message)); }
  });
  const isPublic = c.token_endpoint_auth_method === 'none';
  const rotate = h('button', { type: 'button', disabled: isPublic }, 'Rotate secret');
  rotate.addEventListener('click', async () => {
    if (!window.confirm('Rotate the secret? The current secret stops working at once.')) return;
    clear(status);
    try { const r = await api('POST', `/clients/${enc(id)}/rotate-secret`); status.append(secretBox(r, r.client_secret)); } catch (err) { status.append(notice('error', err.message)); }
  });
  const del = h('button.danger', { type: 'button' }, 'Delete client');
  del.addEventListener('click', async () => {
    if (!window.confirm(`Delete ${c.name}? Its users can no longer sign in to it.`)) return;
    try { await api('DELETE', `/clients/${enc(id)}`); navigate('#/clients', { flash: `Deleted ${c.name}.` }); } catch (err) { status.append(notice('error', err.message)); }
  });
  view.append(h('nav.crumbs', h('a', { href: '#/clients' }, 'Clients'), ' / ', c.name),
    h('header.page-head', h('h1', c.name), h('div.actions', rotate, del)), status,
    h('div.split',
      h('section.card', h('h2', 'Settings'), form),
      h('section.card', h('h2', 'Details'), h('dl.facts',
        h('dt', 'Client ID'), h('dd', h('code', c.client_id)), h('dt', 'Type'), h('dd', c.app_type),
        h('dt', 'Authentication'), h('dd', isPublic ? 'public (PKCE, no secret)' : c.token_endpoint_auth_method),
        h('dt', 'Created'), h('dd', fmtDate(c.created_at))))));
}
