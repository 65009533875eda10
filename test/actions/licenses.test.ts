/**
 * actions/dist ships third-party code: THIRD_PARTY_NOTICES.md, written by the bundle script, names
 * every npm package whose code is in the bundle (esbuild's metafile says which) or whose files
 * are copied beside it, with its version, licence and licence texts. Every licence is one ct
 * may ship under MIT: a new dependency under another licence (copyleft, unknown) fails here
 * until someone reviews it and, if it is acceptable, adds its licence to ALLOWED.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { root, runNode } from '../pipeline/repo.js';

/** Permissive licences (SPDX ids) compatible with shipping ct, bundle included, under MIT. */
const ALLOWED = new Set([
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'CC0-1.0',
  'ISC',
  'MIT',
  'MIT-0',
  'Python-2.0',
  'Unlicense',
  'Zlib',
]);

/** The package whose .wasm binaries the bundle script copies beside the bundle. */
const WASM_PACKAGE = 'node_modules/@tensorflow/tfjs-backend-wasm';

/**
 * Whether an SPDX expression allows shipping under MIT: `A OR B` when either does, `A AND B`
 * when both do; `A WITH exception` and anything not in ALLOWED (UNKNOWN, SEE LICENSE IN …) does not.
 */
function allowed(expression: string): boolean {
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let i = 0;
  const or = (): boolean => {
    let ok = and();
    while (tokens[i] === 'OR') {
      i++;
      ok = and() || ok;
    }
    return ok;
  };
  const and = (): boolean => {
    let ok = atom();
    while (tokens[i] === 'AND') {
      i++;
      ok = atom() && ok;
    }
    return ok;
  };
  const atom = (): boolean => {
    const token = tokens[i++];
    if (token === '(') {
      const ok = or();
      if (tokens[i++] !== ')') throw new Error(`unbalanced licence expression: ${expression}`);
      return ok;
    }
    if (tokens[i] === 'WITH') {
      i += 2;
      return false;
    }
    return token !== undefined && ALLOWED.has(token);
  };
  const ok = or();
  return ok && i === tokens.length;
}

/** Licence files as the bundle script looks for them (LICENSE, LICENCE, UNLICENSE, COPYING, NOTICE, any suffix). */
const licenseFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /^(un)?licen[cs]e|^copying|^notice/i.test(e.name))
    .map((e) => e.name);

interface Entry {
  license: string;
  section: string;
}

/** THIRD_PARTY_NOTICES.md's entries: "name@version" -> its licence and its whole section (a licence text may have "## " lines of its own). */
function parseNotices(text: string): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  for (const section of text.split(/^## (?=\S+ \S+\n\n- Licence: )/m).slice(1)) {
    const heading = section.split('\n')[0] ?? '';
    const [, name, version] = /^(\S+) (\S+)$/.exec(heading) ?? [];
    const license = /^- Licence: (.+)$/m.exec(section)?.[1];
    if (name === undefined || license === undefined) throw new Error(`THIRD_PARTY_NOTICES.md: a section without a name, version or licence:\n${section}`);
    entries.set(`${name}@${version}`, { license, section });
  }
  return entries;
}

describe('third-party notices of the bundled actions', () => {
  let fresh: string;
  let notices: string;
  /** "name@version" -> the package's directory, for every package with code in the bundle, from esbuild's metafile. */
  const bundled = new Map<string, string>();

  beforeAll(async () => {
    // One bundle for every test here.
    const temp = mkdtempSync(path.join(tmpdir(), 'ct-licenses-'));
    fresh = path.join(temp, 'dist');
    const metafile = path.join(temp, 'meta.json');
    const run = await runNode(path.join(root, 'scripts/bundle-actions.mjs'), ['--out', fresh, '--metafile', metafile], { cwd: root });
    if (run.status !== 0) throw new Error(`bundle failed:\n${run.stdout}${run.stderr}`);
    notices = readFileSync(path.join(fresh, 'THIRD_PARTY_NOTICES.md'), 'utf8');
    const meta = JSON.parse(readFileSync(metafile, 'utf8')) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
    const dirs = new Set([WASM_PACKAGE]);
    for (const output of Object.values(meta.outputs))
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
        const dir = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
        if (dir !== undefined && bytesInOutput > 0) dirs.add(dir);
      }
    for (const dir of dirs) {
      const { name, version } = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as { name: string; version: string };
      bundled.set(`${name}@${version}`, dir);
    }
  });

  it('has one entry, with a licence, for every package with code in the bundle or files beside it, and no other', () => {
    expect(bundled.size).toBeGreaterThan(10);
    expect([...parseNotices(notices).keys()].sort()).toEqual([...bundled.keys()].sort());
    for (const [key, { license }] of parseNotices(notices)) expect([key, license]).not.toEqual([key, 'UNKNOWN']);
  });

  it("includes each package's licence files, whole (or says it has none)", () => {
    const entries = parseNotices(notices);
    for (const [key, dir] of bundled) {
      const { section } = entries.get(key)!;
      const files = licenseFiles(path.join(root, dir));
      if (files.length === 0) expect([key, section]).toEqual([key, expect.stringContaining('The package has no licence file')]);
      for (const file of files) {
        const text = readFileSync(path.join(root, dir, file), 'utf8')
          .replace(/\r\n?/g, '\n')
          .replace(/^\uFEFF/, '')
          .trimEnd();
        expect([key, section]).toEqual([key, expect.stringContaining(`### ${file}\n\n`)]);
        expect([key, file, section.includes(`\n${text}\n`)]).toEqual([key, file, true]);
      }
    }
    expect(notices).toContain('`tfjs-backend-wasm.wasm`');
  });

  it('packages under Apache-2.0 that ship no licence file: the licence text itself is in the notices, whole and once', () => {
    const without = [...bundled].filter(
      ([key, dir]) => licenseFiles(path.join(root, dir)).length === 0 && parseNotices(notices).get(key)!.license.includes('Apache-2.0'),
    );
    expect(without.length).toBeGreaterThan(0);
    const text = readFileSync(path.join(root, 'scripts/licenses/Apache-2.0.txt'), 'utf8').trimEnd();
    expect(text).toMatch(/Apache License\s+Version 2\.0, January 2004[\s\S]*END OF TERMS AND CONDITIONS/);
    expect(notices.split('## Licence text: Apache-2.0\n\n```text\n' + text + '\n```')).toHaveLength(2);
    for (const [key] of without)
      expect([key, parseNotices(notices).get(key)!.section]).toEqual([key, expect.stringContaining('The licence text is at the end of this file.')]);
  });

  it('every licence is one ct can ship under MIT (a dependency under another needs a review, then ALLOWED)', () => {
    const refused = [...parseNotices(notices)].filter(([, { license }]) => !allowed(license)).map(([key, { license }]) => `${key}: ${license}`);
    expect(refused).toEqual([]);
  });

  it('reads SPDX expressions: OR needs one allowed licence, AND needs all', () => {
    expect(['MIT', 'Apache-2.0 AND MIT', '(MIT OR GPL-3.0-only)', '(BSD-2-Clause OR MIT) AND ISC'].map(allowed)).toEqual([true, true, true, true]);
    expect(['GPL-3.0-only', 'MIT AND LGPL-2.1', 'UNKNOWN', 'SEE LICENSE IN LICENSE', 'Apache-2.0 WITH LLVM-exception', 'MIT extra'].map(allowed)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('is the same wherever it is built: no absolute paths', () => {
    expect(notices).not.toContain(root);
    expect(notices).not.toContain(tmpdir());
  });

  // Fails until actions/dist is re-bundled (`npm run bundle`) and committed with the notices.
  it('is committed in actions/dist, as the bundle script writes it', () => {
    const committed = path.join(root, 'actions/dist/THIRD_PARTY_NOTICES.md');
    expect(existsSync(committed)).toBe(true);
    expect(readFileSync(committed, 'utf8') === notices).toBe(true);
  });
});
