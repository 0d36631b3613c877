// Rules: the ordered list (move up/down, enable switches), the editor with
// compile errors by line, "Try this rule" (a dry run through
// POST /api/v2/rules/try), and the rule settings (keys only).
import { api, ApiError, enc } from './api.js';
import { clear, emptyState, field, h, notice } from './dom.js';
import { createEditor, errorLineOf } from './editor.js';
import { userPicker } from './user_picker.js';

const TEMPLATE = `function myRule(user, context, callback) {
  // Add a claim to the ID token, for example:
  // context.idToken['https://example.com/plan'] = user.app_metadata.plan;
  return callback(null, user, context);
}
`;

export async function rulesPage(view, { navigate }) {
  const status = h('div.status');
  const list = h('div');
  view.append(
    h('header.page-head', h('h1', 'Rules'),
      h('div.actions',
        h('a.button', { href: '#/rules/try' }, 'Try all rules'),
        h('a.button.primary', { href: '#/rules/new' }, 'New rule'))),
    h('p.lead', 'Rules run in order after every login. Disabled rules are skipped.'),
    status, list);

  let rules = [];
  async function load() {
    rules = await api('GET', '/rules');
    rules.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
    render();
  }
  function render() {
    clear(list);
    if (!rules.length) {
      list.append(emptyState('No rules yet', 'Logins succeed without running any code. Add a rule to add claims, check users or redirect them.',
        h('a.button.primary', { href: '#/rules/new' }, 'Create your first rule')));
      return;
    }
    const ol = h('ol.rule-list', { 'aria-label': 'Rules in run order' });
    rules.forEach((r, i) => {
      const toggle = h('input', { type: 'checkbox', role: 'switch', checked: r.enabled, 'aria-label': `Enable ${r.name}` });
      const state = h('span', r.enabled ? 'Enabled' : 'Disabled');
      toggle.addEventListener('change', () => act(async () => {
        await api('PATCH', `/rules/${enc(r.id)}`, { enabled: toggle.checked });
        r.enabled = toggle.checked;
        state.textContent = r.enabled ? 'Enabled' : 'Disabled';
        say('ok', `${r.name} is now ${r.enabled ? 'enabled' : 'disabled'}.`);
      }, () => { toggle.checked = r.enabled; }));
      ol.append(h('li.rule-row', { 'data-rule': r.name },
        h('span.order', String(i + 1)),
        h('a.rule-name', { href: `#/rules/${enc(r.id)}` }, r.name),
        h('label.switch', toggle, state),
        h('div.move',
          h('button', { type: 'button', disabled: i === 0, 'aria-label': `Move ${r.name} up`, onclick: () => move(i, -1) }, '↑'),
          h('button', { type: 'button', disabled: i === rules.length - 1, 'aria-label': `Move ${r.name} down`, onclick: () => move(i, 1) }, '↓'))));
    });
    list.append(ol);
  }
  function say(kind, text, detail) { clear(status).append(notice(kind, text, detail)); }
  async function act(fn, undo) {
    try { await fn(); } catch (e) { undo?.(); say('error', e.message); }
  }
  async function move(i, delta) {
    const next = rules.slice();
    [next[i], next[i + delta]] = [next[i + delta], next[i]];
    await act(async () => {
      // Renumber 1..n, writing only the rules whose position changed.
      for (let k = 0; k < next.length; k++) {
        if (next[k].order !== k + 1) {
          await api('PATCH', `/rules/${enc(next[k].id)}`, { order: k + 1 });
          next[k].order = k + 1;
        }
      }
      rules = next;
      render();
      say('ok', `Moved ${rules[i + delta].name} ${delta < 0 ? 'up' : 'down'}.`);
      list.querySelector(`[aria-label="Move ${CSS.escape(rules[i + delta].name)} ${delta < 0 ? 'up' : 'down'}"]`)?.focus();
    }, load);
  }
  try { await load(); } catch (e) { say('error', e.message); }
}

export async function ruleEditorPage(view, { id, navigate }) {
  const creating = id === 'new';
  const tryAll = id === 'try';
  let rule = { name: '', script: TEMPLATE, enabled: true };
  const status = h('div.status');
  if (!creating && !tryAll) {
    try { rule = await api('GET', `/rules/${enc(id)}`); } catch (e) {
      view.append(h('h1', 'Rule'), notice('error', e.status === 404 ? 'This rule does not exist (it may have been deleted).' : e.message));
      return;
    }
  }
  const tryPanel = createTryPanel(() => (tryAll ? null : { script: editor.value, name: nameInput.value || 'try-this-rule', rule_id: rule.id }));
  if (tryAll) {
    view.append(h('header.page-head', h('h1', 'Try all rules')),
      h('p.lead', 'Runs every enabled rule, in order, as a dry run: nothing is saved and no login happens.'),
      tryPanel.root);
    return;
  }
  const nameInput = h('input', { type: 'text', value: rule.name, required: true, pattern: '[A-Za-z0-9 -]+', autocomplete: 'off' });
  const enabled = h('input', { type: 'checkbox', role: 'switch', checked: rule.enabled });
  const compile = h('div.compile', { 'aria-live': 'polite' });
  const editor = createEditor(rule.script, { onChange: () => { editor.markError(0); clear(compile); } });
  const save = h('button.primary', { type: 'submit' }, creating ? 'Create rule' : 'Save');
  const form = h('form.rule-form', { novalidate: true },
    field('Name', nameInput, 'Letters, digits, spaces and dashes.').row,
    h('label.switch', enabled, h('span', 'Enabled')),
    h('div.field', h('span.label', 'Script'), editor.root, compile),
    h('div.actions', save,
      creating ? null : h('button.danger', { type: 'button', onclick: remove }, 'Delete rule')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(status);
    clear(compile);
    editor.markError(0);
    const body = { name: nameInput.value.trim(), script: editor.value, enabled: enabled.checked };
    save.disabled = true;
    try {
      if (creating) {
        const all = await api('GET', '/rules');
        body.order = all.reduce((m, r) => Math.max(m, r.order), 0) + 1;
        const created = await api('POST', '/rules', body);
        navigate(`#/rules/${enc(created.id)}`, { flash: `Rule ${created.name} created.` });
        return;
      }
      rule = await api('PATCH', `/rules/${enc(rule.id)}`, body);
      status.append(notice('ok', `Saved ${rule.name}.`));
    } catch (err) {
      showError(err);
    } finally {
      save.disabled = false;
    }
  });
  function showError(err) {
    const line = errorLineOf(err.message);
    if (err instanceof ApiError && /does not compile/.test(err.message)) {
      editor.markError(line);
      compile.append(h('p.compile-error', { role: 'alert' },
        line ? h('strong', `Line ${line}: `) : null,
        err.message.replace(/^Rule script does not compile:\s*/, '')));
      return;
    }
    status.append(notice('error', err.message));
  }
  async function remove() {
    if (!window.confirm(`Delete the rule ${rule.name}? Logins stop running it at once.`)) return;
    try {
      await api('DELETE', `/rules/${enc(rule.id)}`);
      navigate('#/rules', { flash: `Rule ${rule.name} deleted.` });
    } catch (err) { status.append(notice('error', err.message)); }
  }
  view.append(
    h('nav.crumbs', h('a', { href: '#/rules' }, 'Rules'), ' / ', creating ? 'New rule' : rule.name),
    h('header.page-head', h('h1', creating ? 'New rule' : rule.name)),
    status, h('div.split', h('section.card', form), h('section.card', h('h2', 'Try this rule'), tryPanel.root)));
}

function createTryPanel(getRule) {
  const picker = userPicker();
  const context = h('textarea.json', { rows: 6, spellcheck: 'false', 'aria-label': 'Context (JSON)' });
  context.value = JSON.stringify({ clientID: 'try-this-rule', clientName: 'Try this rule', request: { query: {} } }, null, 2);
  const contextError = h('p.field-error', { role: 'alert' });
  const run = h('button.primary', { type: 'button' }, 'Run dry run');
  const out = h('div.try-result', { 'aria-live': 'polite' });
  run.addEventListener('click', async () => {
    clear(out);
    contextError.textContent = '';
    let ctx;
    try {
      ctx = JSON.parse(context.value || '{}');
      if (!ctx || typeof ctx !== 'object' || Array.isArray(ctx)) throw new Error('The context must be a JSON object.');
    } catch (e) {
      contextError.textContent = `Context is not valid JSON: ${e.message}`;
      context.focus();
      return;
    }
    const body = { context: ctx, ...(getRule() ?? {}) };
    const who = picker.value();
    if (who.user_id) body.user_id = who.user_id; else body.user = who.user;
    run.disabled = true;
    try {
      out.append(renderTryResult(await api('POST', '/rules/try', body)));
    } catch (e) {
      out.append(notice('error', e.message));
    } finally { run.disabled = false; }
  });
  const root = h('div.try',
    h('p.hint', 'A dry run: metadata writes are shown, not made, and no login happens.'),
    picker.root,
    h('div.field', h('label', { for: 'try-context' }, 'Context (JSON, merged over a sample login)'), context, contextError),
    h('div.actions', run), out);
  context.id = 'try-context';
  return { root };
}

function renderTryResult(r) {
  const kinds = { continue: 'ok', redirect: 'info', deny: 'warn', error: 'error' };
  const words = {
    continue: 'The login would continue.',
    redirect: 'The login would redirect the browser.',
    deny: 'The login would be denied.',
    error: 'The rule failed: the login would end with an error.',
  };
  const section = (title, value) => (value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value) && !Object.keys(value).length) || (Array.isArray(value) && !value.length))
    ? null : h('div.result-part', h('h3', title), h('pre.json-view', JSON.stringify(value, null, 2)));
  return h('div.result',
    h(`p.outcome.${kinds[r.outcome] ?? 'info'}`, { 'data-testid': 'try-outcome' }, h('strong', r.outcome), ' — ', words[r.outcome] ?? ''),
    r.redirect ? h('p.redirect', 'Redirect URL: ', h('code', { 'data-testid': 'try-redirect' }, r.redirect)) : null,
    r.error ? h('p.error-text', `${r.error}: ${r.error_description || ''}`, r.failed_rule ? ` (rule ${r.failed_rule})` : '', r.debug ? h('br') : null, r.debug || '') : null,
    section('ID token claims', r.idTokenClaims),
    section('Access token claims', r.accessTokenClaims),
    section('Metadata writes (not made)', r.metadata_updates),
    section('Outbound HTTP calls (not made)', r.outbound_calls),
    r.console?.length ? h('div.result-part', h('h3', 'Console'),
      h('pre.console', r.console.map((c) => `[${c.rule || 'engine'}] ${c.level}: ${c.text}\n`).join(''))) : null,
    r.timings?.length ? h('div.result-part', h('h3', 'Run time'),
      h('ul.timings', r.timings.map((t) => h('li', `${t.rule}: ${(t.us / 1000).toFixed(2)} ms`)))) : null,
    section('User after the rules', r.user));
}

export async function settingsPage(view) {
  const status = h('div.status');
  const list = h('div');
  const key = h('input', { type: 'text', required: true, autocomplete: 'off', pattern: '[A-Za-z0-9_-]+' });
  const value = h('input', { type: 'password', required: true, autocomplete: 'off' });
  const form = h('form.inline-form',
    field('Key', key).row, field('Value', value, 'Values are write-only: they are never shown again.').row,
    h('div.actions', h('button.primary', { type: 'submit' }, 'Save setting')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(status);
    try {
      await api('PUT', `/rules-configs/${enc(key.value.trim())}`, { value: value.value });
      status.append(notice('ok', `Saved ${key.value.trim()}. Rules read it as configuration.${key.value.trim()}.`));
      key.value = ''; value.value = '';
      await load();
    } catch (err) { status.append(notice('error', err.message)); }
  });
  async function load() {
    const keys = await api('GET', '/rules-configs');
    clear(list);
    if (!keys.length) { list.append(emptyState('No settings', 'Settings hold secrets such as API keys for your rules, out of the rule code.')); return; }
    list.append(h('ul.keys', keys.map((k) => h('li', h('code', k.key),
      h('button.danger.small', { type: 'button', 'aria-label': `Delete setting ${k.key}`, onclick: async () => {
        if (!window.confirm(`Delete the setting ${k.key}?`)) return;
        try { await api('DELETE', `/rules-configs/${enc(k.key)}`); await load(); } catch (err) { status.append(notice('error', err.message)); }
      } }, 'Delete')))));
  }
  view.append(h('header.page-head', h('h1', 'Rule settings')),
    h('p.lead', 'Key–value settings every rule sees as configuration.KEY.'),
    status, h('section.card', h('h2', 'Set a value'), form), h('section.card', h('h2', 'Keys'), list));
  try { await load(); } catch (e) { status.append(notice('error', e.message)); }
}
