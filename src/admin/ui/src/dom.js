// A tiny DOM builder: text is always set as text (never parsed as HTML), so
// nothing from the API can inject markup. h('button.primary', {onclick}, 'Save')
export function h(tag, attrs = {}, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  if (attrs === null || typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs)) {
    children.unshift(attrs);
    attrs = {};
  }
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className += (el.className ? ' ' : '') + v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// A message written for people, with an optional detail line.
export function notice(kind, text, detail) {
  return h(`div.notice.${kind}`, { role: kind === 'error' ? 'alert' : 'status' },
    h('p', text), detail ? h('p.detail', detail) : null);
}

export function emptyState(title, text, action) {
  return h('div.empty', h('h3', title), h('p', text), action ?? null);
}

let uid = 0;
// A labelled field: returns { row, input }.
export function field(label, input, hint) {
  const id = input.id || `f${++uid}`;
  input.id = id;
  const row = h('div.field', h('label', { for: id }, label), input, hint ? h('p.hint', hint) : null);
  return { row, input };
}

export function fmtDate(v) {
  if (!v) return '—';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return d.toLocaleString();
}
