// The rule editor: a real <textarea> (so typing, undo, selection and screen
// readers work as usual) over a highlighted copy of its text, with a line
// number gutter that can mark the line of a compile error.
// Tab indents; press Escape first to move focus on with Tab.
import { clear, h } from './dom.js';
import { highlight } from './highlight.js';

export function createEditor(initial, { label = 'Rule script', onChange } = {}) {
  const gutter = h('div.gutter', { 'aria-hidden': 'true' });
  const code = h('pre.code', { 'aria-hidden': 'true' });
  const area = h('textarea.input', {
    spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off', wrap: 'off',
    'aria-label': label, 'data-testid': 'rule-script',
  });
  area.value = initial;
  const root = h('div.editor', gutter, h('div.editor-stack', code, area));
  let errorLine = 0;
  let escaped = false;

  function render() {
    clear(code);
    for (const n of highlight(area.value)) code.appendChild(n instanceof Node ? n : document.createTextNode(n));
    const lines = area.value.split('\n').length;
    clear(gutter);
    for (let i = 1; i <= lines; i++) {
      gutter.appendChild(h(i === errorLine ? 'div.ln.error-line' : 'div.ln', String(i)));
    }
    syncScroll();
  }
  function syncScroll() {
    code.scrollTop = area.scrollTop;
    code.scrollLeft = area.scrollLeft;
    gutter.scrollTop = area.scrollTop;
  }
  area.addEventListener('input', () => { render(); onChange?.(area.value); });
  area.addEventListener('scroll', syncScroll);
  area.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { escaped = true; return; }
    if (e.key === 'Tab' && !escaped && !e.shiftKey) {
      e.preventDefault();
      const { selectionStart: s, selectionEnd: t } = area;
      area.setRangeText('  ', s, t, 'end');
      render();
      onChange?.(area.value);
    }
    escaped = false;
  });
  render();
  return {
    root,
    textarea: area,
    get value() { return area.value; },
    set value(v) { area.value = v; render(); },
    markError(line) { errorLine = line || 0; render(); },
  };
}

// "… (line 3)" -> 3; 0 when the message names no line.
export function errorLineOf(message) {
  const m = /\(line (\d+)\)|line (\d+)/.exec(message || '');
  return m ? Number(m[1] || m[2]) : 0;
}
