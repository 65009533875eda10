/**
 * Values from data, data files and config inside the Markdown ct writes (pull requests,
 * issues, job summaries, the `.md` twins of artifacts): one line, capped, and unable to
 * make a link, a mention, a heading, an HTML element or a table cell of their own.
 *
 * - {@link code}: a value on its own (a column, a category, a file, a version) as an
 *   inline code span, fenced with more backticks than the value holds: GitHub renders
 *   nothing inside it (no links, mentions, HTML, emphasis).
 * - {@link text}: a sentence of ct's that carries values (an anomaly message, a reason,
 *   a gate's detail), or a value whose plain look is kept (a slice `origin=ORD`): Markdown
 *   and HTML metacharacters backslash-escaped, `@`, `#123`, `://` and `www.` broken
 *   with a zero-width joiner; ordinary words, numbers and names look as they did.
 * - {@link plain}: a title (pull request, issue): one line, capped.
 *
 * Pipes are escaped by `text`; in a table, `table()` escapes the others (inside code spans too).
 */

/** Longest code span, in characters of the value. */
export const CODE_MAX = 120;
/** Longest text, in characters of the value (before escaping). */
export const TEXT_MAX = 500;

const ELLIPSIS = '…';
const ZWJ = '\u200d';

/**
 * Line breaks, other control characters and the bidirectional overrides (which reorder
 * what a reader sees) as spaces.
 */
function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ');
}

/** At most `maxLength` characters (code points): longer values end in an ellipsis. */
function capped(value: string, maxLength: number): string {
  const chars = Array.from(value);
  if (chars.length <= maxLength) return value;
  return `${chars.slice(0, Math.max(0, maxLength - 1)).join('')}${ELLIPSIS}`;
}

/** What the functions take: text, or a number or flag shown as text; null and undefined as nothing. */
export type Value = string | number | boolean | null | undefined;

function show(value: Value): string {
  return value === null || value === undefined ? '' : String(value);
}

/** `value` on one line, at most `maxLength` characters: for titles, which GitHub shows as typed. */
export function plain(value: Value, maxLength = 200): string {
  return capped(oneLine(show(value)), maxLength);
}

/**
 * `value` as an inline code span that nothing inside can end: the fence is one backtick
 * longer than the longest run of backticks in it, padded with a space where the value
 * starts or ends with a backtick (or with a space on both ends, which the span would strip).
 */
export function code(value: Value, maxLength = CODE_MAX): string {
  const content = capped(oneLine(show(value)), maxLength);
  if (content === '') return '` `';
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = content.startsWith('`') || content.endsWith('`') || (content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** An underscore opens or closes emphasis only next to a non-alphanumeric character. */
const isWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9]/.test(c);

/**
 * `value` as Markdown text that renders as typed: one line, at most `maxLength`
 * characters, with every character that could start Markdown or HTML escaped.
 */
export function text(value: Value, maxLength = TEXT_MAX): string {
  const content = capped(oneLine(show(value)), maxLength);
  const chars = Array.from(content);
  let out = '';
  chars.forEach((c, i) => {
    const previous = chars[i - 1];
    const next = chars[i + 1];
    if ('\\`*[]<|~&$'.includes(c)) out += `\\${c}`;
    else if (c === '_') out += isWordChar(previous) && isWordChar(next) ? c : `\\${c}`;
    // Block starts count only at the start of a line: a value may be put there.
    else if (i === 0 && '#>-+='.includes(c)) out += `\\${c}`;
    // Mentions (@user, @org/team), issue references (#123, org/repo#123), bare links.
    else if (c === '@' || (c === '#' && next !== undefined && /[0-9A-Za-z]/.test(next))) out += `${c}${ZWJ}`;
    else if (c === ':' && next === '/' && chars[i + 2] === '/') out += `${c}${ZWJ}`;
    else if ((c === 'w' || c === 'W') && content.slice(i, i + 4).toLowerCase() === 'www.' && !isWordChar(previous)) out += `${c}${ZWJ}`;
    else out += c;
  });
  // An ordered-list start ("1. " at the start of a line): escape its dot or parenthesis.
  return out.replace(/^([0-9]{1,9})([.)])/, '$1\\$2');
}
