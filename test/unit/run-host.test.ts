// runHost (one CLI run): sibling reads once, detection parses shared between analyses, and the
// flattened detection index (engine/preorder.ts) answering exactly what a walk of the tree does.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { analyze } from '../../server/src/engine/engine';
import { flattenForDetection, isDetectionTree, parseForDetection } from '../../server/src/engine/preorder';
import { runHost } from '../../server/src/engine/runHost';
import { parseSource } from '../../server/src/engine/source';
import type { ProjectHost } from '../../server/src/engine/types';
import { allRules } from '../../server/src/rules';
import { callsNamed, findAll, identifiersBelow, nodesOfKinds, walk } from '../../server/src/rules/shared/ast';

const ROUTER = `import { Router } from 'express';
export async function createRouter(options: { tokenManager: { getToken(): Promise<{ token: string }> } }) {
  const router = Router();
  router.get('/a', async (_req, res) => {
    const { token } = await options.tokenManager.getToken();
    res.json({ token: (await options.tokenManager.getToken()).token.length, other: f(g(token)) });
  });
  return router;
}
function f(x: unknown) { return x; }
function g(x: unknown) { return x; }
`;

function countingHost(files: Record<string, string>): { host: ProjectHost; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    host: {
      readFile(path) {
        reads.push(path);
        return files[path];
      },
    },
  };
}

describe('runHost', () => {
  it('reads a file once per run, a missing one too', () => {
    const { host, reads } = countingHost({ '/p/a.ts': 'export const a = 1;\n' });
    const run = runHost(host);
    assert.deepEqual(
      [run.readFile('/p/a.ts'), run.readFile('/p/a.ts'), run.readFile('/p/missing.ts'), run.readFile('/p/missing.ts')],
      ['export const a = 1;\n', 'export const a = 1;\n', undefined, undefined],
    );
    assert.deepEqual(reads, ['/p/a.ts', '/p/missing.ts']);
  });

  it('shares a parse while the text is the same, parses again when it differs, keeps the most recent', () => {
    const run = runHost(countingHost({}).host, 2);
    const first = run.parse!('/p/a.ts', 'export const a = 1;\n');
    assert.equal(run.parse!('/p/a.ts', 'export const a = 1;\n'), first);
    assert.equal(isDetectionTree(first), true);
    const changed = run.parse!('/p/a.ts', 'export const a = 2;\n');
    assert.notEqual(changed, first);
    const b = run.parse!('/p/b.ts', 'export const b = 1;\n');
    run.parse!('/p/c.ts', 'export const c = 1;\n'); // a.ts is now the oldest of three: dropped
    assert.equal(run.parse!('/p/b.ts', 'export const b = 1;\n'), b);
    assert.notEqual(run.parse!('/p/a.ts', 'export const a = 2;\n'), changed);
  });

  it('an analysis through it finds exactly what one without it finds', () => {
    const plain = analyze('/p/router.ts', ROUTER, { rules: allRules });
    const shared = analyze('/p/router.ts', ROUTER, { rules: allRules, host: runHost(countingHost({}).host) });
    const strip = (a: typeof plain) => a.findings.map(({ ruleId, range, message }) => ({ ruleId, range, message }));
    assert.deepEqual(strip(shared), strip(plain));
    assert.equal(strip(plain).length > 0, true);
  });
});

describe('the flattened detection tree answers as a walk does', () => {
  const walked = parseSource('/p/router.ts', ROUTER);
  const flat = parseSource('/p/router.ts', ROUTER);
  flattenForDetection(flat);
  const kinds = (root: ts.Node, visit: (root: ts.Node) => ts.Node[]) => visit(root).map((n) => `${ts.SyntaxKind[n.kind]}@${n.pos}-${n.end}`);
  const fnOf = (file: ts.SourceFile) => file.statements.find(ts.isFunctionDeclaration)!;

  it('walk: the same nodes in the same order, children skipped the same way', () => {
    const collect = (root: ts.Node) => {
      const seen: ts.Node[] = [];
      walk(root, (node) => {
        seen.push(node);
        return !ts.isArrowFunction(node);
      });
      return seen;
    };
    assert.equal(isDetectionTree(walked), false);
    assert.deepEqual(kinds(flat, collect), kinds(walked, collect));
    assert.deepEqual(kinds(fnOf(flat), collect), kinds(fnOf(walked), collect));
  });

  it('calls by name, identifiers by name and nodes of several kinds, below any node', () => {
    for (const [label, pick] of [
      ['file', (file: ts.SourceFile) => file as ts.Node],
      ['function', (file: ts.SourceFile) => fnOf(file) as ts.Node],
    ] as const) {
      const calls = (root: ts.Node) => callsNamed(root, ['getToken', 'f', 'g']);
      assert.deepEqual(kinds(pick(flat), calls), kinds(pick(walked), calls), label);
      const ids = (root: ts.Node) => identifiersBelow(root, 'token');
      assert.deepEqual(kinds(pick(flat), ids), kinds(pick(walked), ids), label);
      const fns = (root: ts.Node) => nodesOfKinds(root, [ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.FunctionDeclaration]);
      assert.deepEqual(kinds(pick(flat), fns), kinds(pick(walked), fns), label);
    }
    // Outer calls before the calls in their arguments, as a walk meets them.
    assert.deepEqual(
      callsNamed(flat, ['f', 'g']).map((c) => c.expression.getText(flat)),
      findAll(walked, ts.isCallExpression).filter((c) => ['f', 'g'].includes(c.expression.getText(walked))).map((c) => c.expression.getText(walked)),
    );
  });
});

describe('a detection parse sets parents itself', () => {
  const JSDOC = `/**
 * Reads a token.
 * @param {{ token: string }} options - where it comes from
 * @template T
 * @returns {Promise<T>}
 */
export function read<T>(options: { token: string }): Promise<T> {
  /** @type {number} */
  const n = options.token.length;
  return Promise.resolve(n as unknown as T);
}
/** @typedef {{ a: string, b?: number }} Shape */
class Holder {
  /** @deprecated use \`next\` */
  old = 1;
}
`;
  // Every node, JSDoc included, with the node its parent is: TypeScript's own pass is the reference.
  const parents = (file: ts.SourceFile) => {
    const lines: string[] = [];
    const label = (n: ts.Node | undefined) => (n ? `${ts.SyntaxKind[n.kind]}@${n.pos}-${n.end}` : 'none');
    const visit = (node: ts.Node) => {
      lines.push(`${label(node)} <- ${label(node.parent)}`);
      for (const doc of (node as ts.Node & { jsDoc?: ts.Node[] }).jsDoc ?? []) visit(doc);
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(file, visit);
    return lines;
  };
  const fixtureFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? fixtureFiles(join(dir, entry.name)) : /\.(ts|tsx|js)$/.test(entry.name) ? [join(dir, entry.name)] : [],
    );

  it('the same parents as TypeScript sets, in JSDoc too', () => {
    const expected = parents(parseSource('/p/read.ts', JSDOC));
    assert.equal(expected.filter((line) => line.startsWith('JSDocComment')).length, 4);
    assert.deepEqual(parents(parseForDetection('/p/read.ts', JSDOC)), expected);
  });

  it('the same parents as TypeScript sets, in every rule fixture', () => {
    const files = fixtureFiles(join(__dirname, '..', 'fixtures'));
    assert.equal(files.length > 200, true);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      assert.deepEqual(parents(parseForDetection(file, text)), parents(parseSource(file, text)), file);
    }
  });
});
