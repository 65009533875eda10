#!/usr/bin/env node
/**
 * Lists the functions of the given TypeScript files longer than a limit (default 60
 * lines), longest first: `node scripts/function-lengths.mjs [--max N] <files>`.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const args = process.argv.slice(2);
const at = args.indexOf('--max');
const max = at < 0 ? 60 : Number(args.splice(at, 2)[1]);
const long = [];
for (const file of args) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const line = (pos) => source.getLineAndCharacterOfPosition(pos).line;
  const visit = (node) => {
    const named =
      ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isVariableDeclaration(node.parent));
    if (named && node.body !== undefined) {
      const lines = line(node.end) - line(node.getStart()) + 1;
      if (lines > max) long.push({ lines, file, name: (node.name ?? node.parent.name).getText(source) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
long.sort((a, b) => b.lines - a.lines);
for (const f of long) console.log(`${String(f.lines).padStart(4)}  ${f.file}  ${f.name}`);
