// The admin dashboard: boot (config, sign-in), the shell and a hash router.
import { setUnauthorizedHandler } from './api.js';
import { finishSignIn, session, signOut, startSignIn } from './auth.js';
import { clientPage, clientsPage } from './clients.js';
import { clear, h, notice } from './dom.js';
import { logPage, logsPage } from './logs.js';
import { ruleEditorPage, rulesPage, settingsPage } from './rules.js';
import { userPage, usersPage } from './users.js';

const app = document.getElementById('app');
let config;
let flash = null;
let leaveHandlers = [];

const NAV = [['#/rules', 'Rules'], ['#/settings', 'Rule settings'], ['#/users', 'Users'], ['#/clients', 'Clients'], ['#/logs', 'Logs']];

function navigate(hash, opts = {}) {
  flash = opts.flash ?? null;
  if (window.location.hash === hash) route(); else window.location.hash = hash;
}

function signedOut(message, isError) {
  clear(app).append(h('main.signin',
    h('div.card.signin-card',
      h('h1', 'Gatehouse admin'),
      h('p', 'Manage rules, users, applications and logs of this Gatehouse.'),
      message ? notice(isError ? 'error' : 'info', message) : null,
      h('button.primary.big', { type: 'button', onclick: () => startSignIn(config, window.location.hash).catch((e) => signedOut(e.message, true)) }, 'Sign in'),
      h('p.hint', 'Only administrators can sign in. An operator marks one with `gatehouse admins add <email>`.'))));
  app.querySelector('button')?.focus();
}

function shell(active) {
  const s = session();
  const links = NAV.map(([href, text]) => h('a', { href, 'aria-current': active === href ? 'page' : null }, text));
  const out = h('button.link', { type: 'button' }, 'Sign out');
  out.addEventListener('click', () => {
    signOut();
    // Also end the Gatehouse session, or the next sign-in would be silent.
    const q = new URLSearchParams({ client_id: config.client_id, returnTo: `${window.location.origin}/admin/` });
    window.location.assign(`/v2/logout?${q}`);
  });
  const view = h('main.view', { id: 'main', tabindex: '-1' });
  clear(app).append(
    h('a.skip', { href: '#main', onclick: (e) => { e.preventDefault(); view.focus(); } }, 'Skip to content'),
    h('header.top', h('a.brand', { href: '#/rules' }, 'Gatehouse ', h('span', 'admin')),
      h('nav.main-nav', { 'aria-label': 'Sections' }, links),
      h('div.who', h('span', s?.email || ''), out)),
    view);
  return view;
}

async function route() {
  for (const fn of leaveHandlers) fn();
  leaveHandlers = [];
  if (!session()) { signedOut(); return; }
  const raw = window.location.hash || '#/rules';
  const [path, qs] = raw.slice(1).split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(qs || '');
  const section = `#/${parts[0] || 'rules'}`;
  const view = shell(NAV.some(([href]) => href === section) ? section : '#/rules');
  const ctx = { navigate, query, id: parts[1], flash, onLeave: (fn) => leaveHandlers.push(fn) };
  if (flash) view.append(notice('ok', flash));
  flash = null;
  const pages = {
    rules: parts[1] ? ruleEditorPage : rulesPage,
    settings: settingsPage,
    users: parts[1] ? userPage : usersPage,
    clients: parts[1] ? clientPage : clientsPage,
    logs: parts[1] ? logPage : logsPage,
  };
  const page = pages[parts[0] || 'rules'];
  document.title = `${(NAV.find(([href]) => href === section) || [, 'Rules'])[1]} · Gatehouse admin`;
  if (!page) { view.append(h('h1', 'Not found'), h('p', 'There is no such page. '), h('a', { href: '#/rules' }, 'Go to the rules')); return; }
  try { await page(view, ctx); } catch (e) { view.append(notice('error', e.message)); }
}

async function boot() {
  try {
    config = await (await fetch('/admin/config.json', { credentials: 'omit' })).json();
  } catch {
    clear(app).append(notice('error', 'The dashboard configuration could not be loaded. Reload the page.'));
    return;
  }
  setUnauthorizedHandler(() => { signOut(); });
  const finished = await finishSignIn(config).catch((e) => ({ error: e.message }));
  if (finished?.error) { signedOut(finished.error, true); return; }
  if (finished?.done) {
    // replaceState fires no hashchange: the route() below renders once.
    window.history.replaceState(null, '', `/admin/${finished.returnTo && finished.returnTo.startsWith('#/') ? finished.returnTo : '#/rules'}`);
  }
  window.addEventListener('hashchange', route);
  route();
}

boot();
