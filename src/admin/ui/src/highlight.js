// A small JavaScript highlighter for the rule editor: splits source into
// tokens (comments, strings, template literals, numbers, keywords) and
// returns DOM spans. It only colours; correctness is the engine's job.
import { h } from './dom.js';

const KEYWORDS = new Set(('async await break case catch class const continue debugger default delete do else ' +
  'export extends false finally for function if import in instanceof let new null return super switch this ' +
  'throw true try typeof undefined var void while with yield').split(' '));
const GLOBALS = new Set('user context callback configuration auth0 require console global UnauthorizedError Promise JSON Object Array'.split(' '));

const TOKEN = /(\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|("(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\[\s\S])*`?)|(\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?\b|\b0x[\da-f]+\b)|([A-Za-z_$][\w$]*)/gi;

export function highlight(source) {
  const out = [];
  let last = 0;
  for (const m of source.matchAll(TOKEN)) {
    if (m.index > last) out.push(source.slice(last, m.index));
    const [text, comment, string, number, word] = m;
    if (comment) out.push(h('span.tk-comment', text));
    else if (string) out.push(h('span.tk-string', text));
    else if (number) out.push(h('span.tk-number', text));
    else if (word && KEYWORDS.has(word)) out.push(h('span.tk-keyword', text));
    else if (word && GLOBALS.has(word)) out.push(h('span.tk-global', text));
    else out.push(text);
    last = m.index + text.length;
  }
  if (last < source.length) out.push(source.slice(last));
  // A trailing newline needs something after it to take up a line.
  out.push('\n');
  return out;
}
