import { code, CODE_MAX, plain, text, TEXT_MAX } from '../../src/report/escape.js';
import { table } from '../../src/report/markdown.js';
import { ALL_HOSTILE, breaches, codeSpans, HOSTILE, HUGE } from './markdown-safety.js';

describe('code: a value as an inline code span nothing inside can end', () => {
  it('leaves ordinary values as they were', () => {
    expect(code('dep_delay')).toBe('`dep_delay`');
    expect(code('data/flights/2001-03-01.csv')).toBe('`data/flights/2001-03-01.csv`');
    expect(code(42)).toBe('`42`');
  });

  it('fences with more backticks than the value holds, padded where it starts or ends with one', () => {
    expect(code('``` x')).toBe('```` ``` x ````');
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`')).toBe('`` ` ``');
    expect(codeSpans(`before ${code('``` x')} after`)).toEqual(['``` x']);
    expect(codeSpans(code('a``b`c'))).toEqual(['a``b`c']);
    expect(code(' padded ')).toBe('`  padded  `');
    expect(code('')).toBe('` `');
    expect(code(null)).toBe('` `');
  });

  it('puts line breaks on one line and caps the length with an ellipsis', () => {
    expect(code('\n# Gates passed\n')).toBe('`  # Gates passed  `');
    expect(code('a\r\nb\u2028c\u202ed')).toBe('`a b c d`');
    const huge = code(HUGE);
    expect(huge).toBe(`\`${'x'.repeat(CODE_MAX - 1)}…\``);
    expect(code('abcdef', 4)).toBe('`abc…`');
    // Characters, not UTF-16 units: an emoji is not cut in half.
    expect(code('😀😀😀', 2)).toBe('`😀…`');
  });
});

describe('text: Markdown text that renders as typed', () => {
  it('leaves ordinary sentences and names as they were', () => {
    for (const ordinary of [
      'column "distance": 100 of 2000 values (5.0%) are negative',
      "auc: lower bound of the delta's interval > -0.005 (nonInferiority)",
      'auc delta >= -0.05 (higherIsBetter)',
      'origin=ORD',
      'log_distance',
      'input_non_finite',
      'data/flights/2001-03-01.csv: row count is 2,000, expected about 16,800',
      'training.learningRate=0.003',
    ])
      expect(text(ordinary)).toBe(ordinary);
  });

  it('escapes what could make a link, emphasis, HTML, a table cell or a code span', () => {
    expect(text(HOSTILE.link)).toBe('\\[click\\](https:\u200d//evil.example)');
    expect(text(HOSTILE.html)).toBe('\\<img src=x onerror=alert(1)>');
    expect(text(HOSTILE.cells)).toBe('\\| ok \\| passed \\|');
    expect(text('*bold* _em_ ~strike~ $x$ &lt;')).toBe('\\*bold\\* \\_em\\_ \\~strike\\~ \\$x\\$ \\&lt;');
    expect(text('a\\b')).toBe('a\\\\b');
    expect(text('``` x')).toBe('\\`\\`\\` x');
  });

  it('breaks mentions, issue references and bare links with a zero-width joiner', () => {
    expect(text(HOSTILE.mention)).toBe('@\u200dorg/team');
    expect(text('see #12 and org/repo#3')).toBe('see #\u200d12 and org/repo#\u200d3');
    expect(text('go to www.evil.example or http://evil.example')).toBe('go to w\u200dww.evil.example or http:\u200d//evil.example');
  });

  it('escapes what starts a block at the start of the text, and keeps it on one line', () => {
    expect(text('# Gates passed')).toBe('\\# Gates passed');
    expect(text('> quoted')).toBe('\\> quoted');
    expect(text('- item')).toBe('\\- item');
    expect(text('1. item')).toBe('1\\. item');
    expect(text(HOSTILE.heading)).toBe(' # Gates passed ');
  });

  it('caps the length with an ellipsis', () => {
    expect(text(HUGE)).toBe(`${'x'.repeat(TEXT_MAX - 1)}…`);
    expect(text('abcdef', 3)).toBe('ab…');
  });
});

describe('the safety check itself', () => {
  it('finds each breach in unescaped Markdown', () => {
    const raw = `- ${HOSTILE.link} ${HOSTILE.mention} ${HOSTILE.html} \`${HOSTILE.backticks}\`${HOSTILE.heading}| a |\n| --- |\n| ${HOSTILE.cells} |\n${HUGE}`;
    expect(breaches(raw)).toHaveLength(8);
  });
});

describe('plain and table', () => {
  it('plain: a title on one line, capped', () => {
    expect(plain('Promote a\nb')).toBe('Promote a b');
    expect(plain(HUGE, 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('a table row keeps its cells whatever the escaped values hold, in code spans too', () => {
    const rows = ALL_HOSTILE.map((v) => [code(v), text(v), v]);
    const md = table(['code', 'text', 'raw'], rows);
    const lines = md.split('\n');
    // The raw column is there to show table() itself escapes pipes; the two escaped ones are safe.
    for (const line of lines) expect((line.match(/(?<!\\)\|/g) ?? []).length).toBe(4);
    const safe = table(
      ['code', 'text'],
      ALL_HOSTILE.map((v) => [code(v), text(v)]),
    );
    expect(breaches(safe)).toEqual([]);
  });
});
