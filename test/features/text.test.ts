import { checkConfig } from '../../src/config/load.js';
import type { Column, Table } from '../../src/data/table.js';
import { createInputDomainChecker } from '../../src/features/domain.js';
import { encodeTable, fitPreprocessing, type SequenceFeature, type TextFeature } from '../../src/features/preprocessing.js';
import { encodeSequence, parseSequence } from '../../src/features/sequence.js';
import { dictionaryTokens, encodeTokens, fitTextVocabulary, PAD_ID, textIndex, tokenize, UNKNOWN_ID } from '../../src/features/text.js';
import { expectUserError, stringColumn, tableOf } from '../helpers.js';

const table = (columns: Column[]): Table => tableOf(columns, 'mem.csv');
const config = (features: unknown[]) =>
  checkConfig('c.yaml', { name: 'm', task: 'binary', data: { path: 'd' }, label: 'y == "yes"', features, gates: [{ metric: 'auc', lowerBound: 0 }] });

describe('text tokens', () => {
  it('splits words of letters and digits, lower-cased and NFKC-normalised', () => {
    expect(tokenize('The Flight, delayed 2h!', 'words')).toEqual(['the', 'flight', 'delayed', '2h']);
    // The ligature "ﬁ" is two letters after NFKC; accented letters stay letters.
    expect(tokenize('ﬁne Café', 'words')).toEqual(['fine', 'café']);
    expect(tokenize('Ann Lee', 'characters')).toEqual(['a', 'n', 'n', 'l', 'e', 'e']);
    expect(tokenize('  ', 'words')).toEqual([]);
  });

  it('keeps the most frequent tokens, ties by token, and reports the share cut', () => {
    const once = (texts: string[]) => texts.map((text) => [tokenize(text, 'words'), 1] as const);
    const { vocabulary, unknownTokenShare } = fitTextVocabulary(once(['b a', 'a c', 'a b d']), 2, 1);
    expect(vocabulary).toEqual(['a', 'b']);
    expect(unknownTokenShare).toBeCloseTo(2 / 7, 10);
    expect(fitTextVocabulary(once(['b a', 'a c']), 10, 2).vocabulary).toEqual(['a']);
    // A text given with its count weighs as that many copies of it.
    expect(
      fitTextVocabulary(
        [
          [['c', 'd'], 3],
          [['a', 'b'], 1],
        ],
        10,
        1,
      ),
    ).toEqual(fitTextVocabulary(once(['c d', 'c d', 'c d', 'a b']), 10, 1));
  });

  it('pads at the start, keeps the last tokens, and marks unknown ones', () => {
    const index = textIndex(['a', 'b', 'c']);
    const out = new Int32Array(8).fill(-1);
    expect(encodeTokens(tokenize('b c', 'words'), index, out, 2, 4)).toEqual({ known: 2, seen: 2 });
    expect(Array.from(out)).toEqual([-1, -1, PAD_ID, PAD_ID, 3, 4, -1, -1]);
    const long = new Int32Array(3);
    expect(encodeTokens(tokenize('a b z c', 'words'), index, long, 0, 3)).toEqual({ known: 2, seen: 3 });
    expect(Array.from(long)).toEqual([3, UNKNOWN_ID, 4]);
  });

  it("tokenises each text of a column's dictionary once for all who share the accessor", () => {
    const dictionary = ['Late flight', 'on time'];
    const words = dictionaryTokens(dictionary, 'words');
    const first = words(0);
    expect(first).toEqual(['late', 'flight']);
    // The same list again: not tokenised a second time.
    expect(words(0)).toBe(first);
    expect(dictionaryTokens(dictionary, 'characters')(1)).toEqual(['o', 'n', 't', 'i', 'm', 'e']);
  });
});

describe('text features', () => {
  const data = table([stringColumn('title', ['late flight', 'Flight on time', 'very late', null]), stringColumn('y', ['yes', 'no', 'yes', 'no'])]);
  const cfg = config([{ name: 'title', column: 'title', kind: 'text', length: 3 }]);

  it('fits a vocabulary with the reserved ids and encodes length ids per row', () => {
    const prep = fitPreprocessing(data, cfg);
    const f = prep.features[0] as TextFeature;
    expect(f).toMatchObject({ kind: 'text', tokens: 'words', length: 3, vocabulary: ['flight', 'late', 'on', 'time', 'very'], cardinality: 7 });
    expect(f.embedding).toBeGreaterThanOrEqual(8);
    const enc = encodeTable(data, prep);
    expect(enc.widths).toEqual([3]);
    // Ids: flight 2, late 3, on 4, time 5, very 6; short rows are padded first; the null row is all padding.
    expect(Array.from(enc.inputs[0]!)).toEqual([0, 3, 2, 2, 4, 5, 0, 6, 3, 0, 0, 0]);
    const long = table([stringColumn('title', ['very late flight on time']), stringColumn('y', ['yes'])]);
    expect(Array.from(encodeTable(long, prep).inputs[0]!)).toEqual([2, 4, 5]);
    expect(enc.imputed[0]).toMatchObject({ missing: 1, outOfVocabulary: 0 });
  });

  it('counts rows of which no token is known, and the input domain reports them by row', () => {
    const prep = fitPreprocessing(data, cfg);
    const batch = table([stringColumn('title', ['late again', 'annulé', 'retard énorme', 'on time']), stringColumn('y', ['yes', 'no', 'yes', 'no'])]);
    expect(encodeTable(batch, prep).imputed[0]).toMatchObject({ missing: 0, outOfVocabulary: 2 });
    const checker = createInputDomainChecker(prep, { model: 'the production model' });
    checker.add(batch);
    const [anomaly] = checker.result();
    expect(anomaly).toMatchObject({ kind: 'input_out_of_vocabulary', column: 'title', count: 2, severity: 'error' });
    expect(anomaly!.message).toContain('hold no token the vocabulary knows');
    expect(anomaly!.examples.map((e) => [e.row, e.value])).toEqual([
      [2, 'annulé'],
      [3, 'retard énorme'],
    ]);
  });

  it('reports text of which most tokens are new even when every row keeps a known one', () => {
    const prep = fitPreprocessing(data, cfg);
    // Each row keeps "late" or "flight", so no row is out of vocabulary; two of every three words are new.
    const batch = table([stringColumn('title', ['vuelo muy late', 'retraso flight grande', 'late otra vez']), stringColumn('y', ['yes', 'no', 'yes'])]);
    expect(encodeTable(batch, prep).imputed[0]).toMatchObject({ outOfVocabulary: 0 });
    const checker = createInputDomainChecker(prep, { model: 'the production model' });
    checker.add(batch);
    const [anomaly, ...rest] = checker.result();
    expect(rest).toEqual([]);
    expect(anomaly).toMatchObject({ kind: 'input_out_of_vocabulary', column: 'title', count: 6, severity: 'error' });
    expect(anomaly!.share).toBeCloseTo(6 / 9, 10);
    expect(anomaly!.message).toMatch(
      /^feature "title" \(words of column "title", a vocabulary of 5\): 6 of 9 words the model reads \(66\.7%\) are not in the vocabulary, training had 0\.0%/,
    );
    expect(anomaly!.message).toMatch(/Most frequent: grande \(1\), muy \(1\), otra \(1\)/);
    // Text like training's passes.
    const same = createInputDomainChecker(prep, { model: 'the production model' });
    same.add(table([stringColumn('title', ['flight late', 'very late flight', 'on time']), stringColumn('y', ['yes', 'no', 'yes'])]));
    expect(same.result()).toEqual([]);
  });

  it('needs a string column, and the config says what it takes', () => {
    const numbers = table([{ name: 'title', type: 'number', values: Float64Array.of(1, 2), nulls: null }, stringColumn('y', ['yes', 'no'])]);
    expectUserError(() => fitPreprocessing(numbers, cfg), 'feature "title": a text feature needs a string column, "title" is number');
    expectUserError(() => config([{ column: 'title', kind: 'text', transform: 'log1p' }]), 'features[0].transform: a text feature takes no transform');
    expectUserError(() => config([{ column: 'title', tokens: 'words' }]), 'features[0].tokens: only used with kind: text');
    expect(config([{ column: 'title', kind: 'text', tokens: 'characters' }]).features[0]).toMatchObject({ tokens: 'characters', length: 16 });
  });
});

describe('sequence features', () => {
  it('parses JSON arrays and lists of numbers; a non-number is NaN', () => {
    expect(parseSequence('[0.5, 2, -1e3]')).toEqual([0.5, 2, -1000]);
    expect(parseSequence('1 2;3, 4')).toEqual([1, 2, 3, 4]);
    expect(parseSequence('[1, null, 3]')).toEqual([1, Number.NaN, 3]);
    expect(parseSequence('1 x')).toEqual([1, Number.NaN]);
    expect(parseSequence('[]')).toEqual([]);
  });

  it('standardises into place and says whether the cell is whole', () => {
    const out = new Float32Array(6);
    expect(encodeSequence([3, 5], 2, 1, 2, out, 1)).toBe(true);
    expect(Array.from(out)).toEqual([0, 1, 2, 0, 0, 0]);
    expect(encodeSequence([3], 2, 1, 2, out, 4)).toBe(false);
    expect(Array.from(out.subarray(4))).toEqual([1, 0]);
  });

  const data = table([stringColumn('window', ['[1, 2, 3]', '2 3 4', '[3,4,5]', null]), stringColumn('y', ['yes', 'no', 'yes', 'no'])]);
  const cfg = config([{ name: 'window', column: 'window', kind: 'sequence', length: 3 }]);

  it('fits one scale over every number and encodes length numbers per row', () => {
    const prep = fitPreprocessing(data, cfg);
    const f = prep.features[0] as SequenceFeature;
    expect(f).toMatchObject({ kind: 'sequence', length: 3, min: 1, max: 5 });
    expect(f.mean).toBeCloseTo(3, 10);
    expect(f.std).toBeCloseTo(Math.sqrt(12 / 8), 10);
    const enc = encodeTable(data, prep);
    expect(enc.widths).toEqual([3]);
    const z = (x: number): number => Math.fround((x - 3) / f.std);
    expect(Array.from(enc.inputs[0]!)).toEqual([z(1), z(2), z(3), z(2), z(3), z(4), z(3), z(4), z(5), 0, 0, 0]);
  });

  it('reports cells of another length or with a non-number, and numbers far from training', () => {
    const prep = fitPreprocessing(data, cfg);
    const batch = table([stringColumn('window', ['1 2', '[1, 2, "x"]', '2 3 4', '[2, 3, 400]']), stringColumn('y', ['yes', 'no', 'yes', 'no'])]);
    expect(encodeTable(batch, prep).imputed[0]).toMatchObject({ missing: 0, nonFinite: 2, far: 1 });
    const checker = createInputDomainChecker(prep, { model: 'the candidate' });
    checker.add(batch);
    const kinds = checker.result().map((a) => [a.kind, a.count, a.message.includes('not exactly 3 numbers') || a.message.includes('400')]);
    expect(kinds).toEqual([
      ['input_non_finite', 2, true],
      ['input_far_from_training', 1, true],
    ]);
  });

  it('needs a length and a string column; it has no vocabulary', () => {
    expectUserError(() => config([{ column: 'window', kind: 'sequence' }]), 'features[0].length: a sequence feature needs its length');
    expectUserError(() => config([{ column: 'window', kind: 'sequence', length: 3, embedding: 4 }]), 'features[0].embedding: a sequence feature holds numbers');
    const numbers = table([{ name: 'window', type: 'number', values: Float64Array.of(1, 2), nulls: null }, stringColumn('y', ['yes', 'no'])]);
    expectUserError(() => fitPreprocessing(numbers, cfg), 'feature "window": column "window" is number, a sequence feature reads arrays or lists of numbers');
  });
});
