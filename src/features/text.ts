/**
 * Text features: a string column split into tokens (lower-cased words of letters and
 * digits, or characters), mapped through a vocabulary fitted on the training rows, and
 * kept as a fixed-length row of ids. Pure functions; preprocessing.ts wires them in.
 *
 * Ids: 0 pads a row shorter than the length, 1 is a token outside the vocabulary, and
 * `vocabulary[k]` is id k + 2. As Keras's pad_sequences does by default, a row keeps its
 * last `length` tokens and is padded at the start, so the ends of texts line up (a name's
 * last letters, a sentence's last words are always in the same positions).
 */
import type { TextTokens } from '../config/types.js';
import { mostFrequentFirst } from './tally.js';

/** The id that pads a row. */
export const PAD_ID = 0;
/** The id of a token outside the vocabulary. */
export const UNKNOWN_ID = 1;
/** Ids below the vocabulary's. */
export const RESERVED_IDS = 2;

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The tokens of `text`: NFKC-normalised and lower-cased, then its words (runs of letters
 * and digits; punctuation and spaces separate them) or its characters (spaces left out).
 */
export function tokenize(text: string, tokens: TextTokens): string[] {
  const normal = text.normalize('NFKC').toLowerCase();
  if (tokens === 'words') return normal.match(WORD) ?? [];
  return Array.from(normal).filter((c) => !/\s/u.test(c));
}

/**
 * The tokens of each text of a string column's dictionary, by code, tokenised the first
 * time a code is asked for and kept by the accessor: readers that share one (fitting and
 * encoding, encoding and the input-domain check) tokenise each text once.
 */
export function dictionaryTokens(dictionary: readonly string[], tokens: TextTokens): (code: number) => readonly string[] {
  const lists = new Array<string[] | undefined>(dictionary.length);
  return (code) => (lists[code] ??= tokenize(dictionary[code]!, tokens));
}

/**
 * The vocabulary of the training texts, each given as its tokens with how often it occurs
 * (a text is tokenised once, whatever its count): tokens seen at least `minCount` times,
 * most frequent first (ties by the token, so it is deterministic), at most `maxSize`; and
 * the share of the training tokens outside it.
 */
export function fitTextVocabulary(
  texts: Iterable<readonly [tokens: readonly string[], occurrences: number]>,
  maxSize: number,
  minCount: number,
): { vocabulary: string[]; unknownTokenShare: number } {
  const counts = new Map<string, number>();
  let total = 0;
  for (const [list, occurrences] of texts) {
    for (const token of list) {
      counts.set(token, (counts.get(token) ?? 0) + occurrences);
      total += occurrences;
    }
  }
  const kept = mostFrequentFirst(counts, maxSize, minCount);
  const known = kept.reduce((sum, [, c]) => sum + c, 0);
  return { vocabulary: kept.map(([token]) => token), unknownTokenShare: total === 0 ? 0 : (total - known) / total };
}

/** Token → id of a fitted vocabulary. */
export function textIndex(vocabulary: readonly string[]): Map<string, number> {
  return new Map(vocabulary.map((token, k) => [token, k + RESERVED_IDS]));
}

/**
 * Writes the ids of a text's tokens into `out` from `at`: `length` ids, padding first, then
 * its last `length` tokens. Returns how many of those tokens the vocabulary knows and how
 * many there are.
 */
export function encodeTokens(
  list: readonly string[],
  index: ReadonlyMap<string, number>,
  out: Int32Array,
  at: number,
  length: number,
): { known: number; seen: number } {
  const n = Math.min(list.length, length);
  const pad = length - n;
  out.fill(PAD_ID, at, at + pad);
  let known = 0;
  for (let j = 0; j < n; j++) {
    const id = index.get(list[list.length - n + j]!);
    if (id !== undefined) known++;
    out[at + pad + j] = id ?? UNKNOWN_ID;
  }
  return { known, seen: n };
}
