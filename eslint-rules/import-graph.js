/**
 * The import graph of the TypeScript sources under a folder, read with the TypeScript
 * compiler's own pre-processor (static imports, `import type` and re-exports; dynamic
 * `import()` of a literal too), so the lint rules see what tsc sees.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Every .ts file under `root`, as absolute paths. */
function sourceFiles(root) {
  const out = [];
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path.join(entry.parentPath, entry.name));
  }
  return out.sort();
}

/** The relative imports of one file, resolved to .ts paths (ESM `./x.js` means `./x.ts`). */
export function importsOf(file, text = readFileSync(file, 'utf8')) {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  const out = [];
  for (const { fileName } of importedFiles) {
    if (!fileName.startsWith('.')) continue;
    out.push(path.resolve(path.dirname(file), fileName.replace(/\.js$/, '.ts')));
  }
  return out;
}

/** file -> files it imports, for every source file under `root`. */
export function importGraph(root) {
  const files = sourceFiles(root);
  const known = new Set(files);
  return new Map(files.map((f) => [f, importsOf(f).filter((g) => known.has(g))]));
}

/**
 * The cycles of the graph as lists of files, one per strongly connected component with
 * more than one file (or a file importing itself): Tarjan's algorithm, iterative.
 */
export function cyclesOf(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const out = [];
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work = [[start, 0]];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [node, i] = frame;
      const edges = graph.get(node) ?? [];
      if (i < edges.length) {
        frame[1]++;
        const to = edges[i];
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push([to, 0]);
        } else if (onStack.has(to)) low.set(node, Math.min(low.get(node), index.get(to)));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === index.get(node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        if (component.length > 1 || edges.includes(node)) out.push(component.sort());
      }
    }
  }
  return out;
}
