/**
 * Dictionary encoding for string columns: every distinct string gets the next
 * code, so a column of millions of repeated values costs one Int32 per row
 * plus one string per distinct value.
 */
import { isUtf8 } from 'node:buffer';

/** Assigns codes to strings as rows stream in. */
export class DictionaryBuilder {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  /** The code of `value`, adding it when it is new. */
  codeOf(value: string): number {
    let code = this.index.get(value);
    if (code === undefined) {
      code = this.strings.length;
      this.strings.push(value);
      this.index.set(value, code);
    }
    return code;
  }

  get size(): number {
    return this.strings.length;
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * A `DictionaryBuilder` that looks values up by their UTF-8 bytes, so a value
 * already seen costs a hash and a byte comparison instead of decoding a new
 * JS string for every row. Each distinct byte sequence is copied once into a
 * pool (the caller's buffer may be reused) and decoded once; strings that
 * reach the dictionary by another path (quoted fields with escapes) share
 * the same codes.
 */
export class ByteDictionary {
  private readonly dictionary = new DictionaryBuilder();
  /** Open-addressing table of entry number + 1 (0 = empty slot). */
  private slots = new Int32Array(1024);
  private pool = new Uint8Array(4096);
  private poolUsed = 0;
  private entryStart = new Int32Array(256);
  private entryLength = new Int32Array(256);
  private entryHash = new Int32Array(256);
  private entryCode = new Int32Array(256);
  private entries = 0;

  get strings(): string[] {
    return this.dictionary.strings;
  }

  /**
   * The code of the string spelled by the UTF-8 bytes `source[start, end)`,
   * or -2 when those bytes are not valid UTF-8 (checked once per distinct value).
   */
  codeOfBytes(source: Buffer, start: number, end: number): number {
    let hash = FNV_OFFSET;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ source[i]!, FNV_PRIME);
    const length = end - start;
    const pool = this.pool;
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = this.slots[slot]! - 1;
      if (entry < 0) break;
      if (this.entryHash[entry] === hash && this.entryLength[entry] === length) {
        const at = this.entryStart[entry]!;
        let same = true;
        for (let i = 0; i < length; i++) {
          if (pool[at + i] !== source[start + i]) {
            same = false;
            break;
          }
        }
        if (same) return this.entryCode[entry]!;
      }
      slot = (slot + 1) & mask;
    }
    if (!isUtf8(source.subarray(start, end))) return -2;
    const code = this.dictionary.codeOf(source.toString('utf8', start, end));
    this.addEntry(slot, source, start, length, hash, code);
    return code;
  }

  /** The code of a string that was not read straight from bytes. */
  codeOf(value: string): number {
    return this.dictionary.codeOf(value);
  }

  private addEntry(slot: number, source: Uint8Array, start: number, length: number, hash: number, code: number): void {
    const e = this.entries++;
    if (e >= this.entryCode.length) this.growEntries();
    if (this.poolUsed + length > this.pool.length) {
      const pool = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + length));
      pool.set(this.pool.subarray(0, this.poolUsed));
      this.pool = pool;
    }
    this.pool.set(source.subarray(start, start + length), this.poolUsed);
    this.entryStart[e] = this.poolUsed;
    this.poolUsed += length;
    this.entryLength[e] = length;
    this.entryHash[e] = hash;
    this.entryCode[e] = code;
    this.slots[slot] = e + 1;
    if (this.entries * 2 > this.slots.length) this.rehash();
  }

  private growEntries(): void {
    const n = this.entryCode.length * 2;
    this.entryStart = grow(this.entryStart, n);
    this.entryLength = grow(this.entryLength, n);
    this.entryHash = grow(this.entryHash, n);
    this.entryCode = grow(this.entryCode, n);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let e = 0; e < this.entries; e++) {
      let slot = this.entryHash[e]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = e + 1;
    }
    this.slots = slots;
  }
}

function grow(from: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const to = new Int32Array(length);
  to.set(from);
  return to;
}
