// Picks the user a dry run runs against: a stored user found by email, or the
// built-in sample user.
import { api, enc } from './api.js';
import { clear, h } from './dom.js';

export function userPicker() {
  const search = h('input', { type: 'search', placeholder: 'Search users by email', 'aria-label': 'Search a user to try with', autocomplete: 'off' });
  const select = h('select', { id: 'try-user', 'aria-label': 'User to try with' }, h('option', { value: '' }, 'Sample user (jane.doe@example.com)'));
  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = search.value.trim();
      const users = q ? await api('GET', `/users?per_page=20&q=${enc(q)}`).catch(() => []) : [];
      const keep = select.value;
      clear(select).append(h('option', { value: '' }, 'Sample user (jane.doe@example.com)'),
        ...users.map((u) => h('option', { value: u.user_id }, `${u.email} (${u.user_id})`)));
      if (users.length) select.value = users[0].user_id; else select.value = keep && [...select.options].some((o) => o.value === keep) ? keep : '';
    }, 250);
  });
  return {
    root: h('div.field', h('label', { for: 'try-user' }, 'User'), h('div.picker', search, select)),
    value: () => (select.value ? { user_id: select.value } : {
      user: { user_id: 'auth0|sample', email: 'jane.doe@example.com', email_verified: true, name: 'Jane Doe', user_metadata: {}, app_metadata: {} },
    }),
  };
}
