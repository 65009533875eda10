/**
 * Hostile values, and what a Markdown text ct writes must not let them do: checks on the
 * raw Markdown as GitHub reads it (code spans first, then backslash escapes).
 */

/** A 10 kB value. */
export const HUGE = 'x'.repeat(10_000);

/** Values a contributor could put in data, a file name or a config. */
export const HOSTILE = {
  cells: '| ok | passed |',
  link: '[click](https://evil.example)',
  mention: '@org/team',
  html: '<img src=x onerror=alert(1)>',
  heading: '\n# Gates passed\n',
  backticks: '``` x',
  huge: HUGE,
} as const;

/** Every hostile value in one. */
export const ALL_HOSTILE = Object.values(HOSTILE).filter((v) => v !== HUGE);

/** `markdown` with each inline code span (CommonMark rules) replaced by `CODE`, backslash escapes kept. */
export function outsideCodeSpans(markdown: string): string {
  let out = '';
  let i = 0;
  while (i < markdown.length) {
    const c = markdown[i]!;
    if (c === '\\' && i + 1 < markdown.length) {
      out += markdown.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== '`') {
      out += c;
      i++;
      continue;
    }
    const run = /^`+/.exec(markdown.slice(i))![0];
    // The span ends at the next run of exactly as many backticks.
    const closing = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
    closing.lastIndex = i + run.length;
    const end = closing.exec(markdown);
    if (end === null) {
      out += run;
      i += run.length;
    } else {
      out += 'CODE';
      i = end.index + run.length;
    }
  }
  return out;
}

/** The contents of the inline code spans of `markdown`, as GitHub shows them. */
export function codeSpans(markdown: string): string[] {
  const spans: string[] = [];
  const re = /(?<![`\\])(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g;
  for (const m of markdown.matchAll(re)) {
    const inner = m[2]!;
    spans.push(/^ .* $/.test(inner) && inner.trim() !== '' ? inner.slice(1, -1) : inner);
  }
  return spans;
}

/** Unescaped pipes of a line. */
const pipes = (line: string): number => (line.match(/(?<!\\)\|/g) ?? []).length;

/** The ways `markdown` could have let a hostile value through: each a sentence (none: safe). */
export function breaches(markdown: string): string[] {
  const found: string[] = [];
  const text = outsideCodeSpans(markdown);
  if (/(?<!\\)\]\(https:\/\/evil/.test(text)) found.push('a link to evil.example');
  if (/https:\/\/evil/.test(text)) found.push('a bare URL that GitHub autolinks');
  if (/@org/.test(text)) found.push('an @mention');
  if (/(?<!\\)<img/i.test(text)) found.push('an HTML element');
  if (/^\s*(#+\s*)?Gates passed/m.test(markdown)) found.push('a heading, or a line of its own');
  if (markdown.includes('x'.repeat(1000))) found.push('an uncapped value');
  // Tables: every row has as many unescaped pipes as its header.
  const lines = markdown.split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (!/^\| ?-{3}/.test(lines[i]!)) continue;
    const width = pipes(lines[i - 1]!);
    for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++) {
      if (pipes(lines[j]!) !== width) found.push(`a table row with ${pipes(lines[j]!)} cell borders, not ${width}: ${lines[j]!.slice(0, 120)}`);
    }
  }
  // A code span must not end early: what is left of ``` x outside code spans is escaped.
  if (/(?<!\\)`/.test(text)) found.push(`an unmatched backtick: ${text.slice(Math.max(0, text.search(/(?<!\\)`/) - 40), text.search(/(?<!\\)`/) + 40)}`);
  return found;
}
