// TreeFix: files fixed together, as the CLI's fix and Migrate Workspace do it, over a small rule
// made for the purpose whose fix waits until the file it names no longer calls the old API.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { whyNotFixable } from '../../server/src/cli/report';
import { fixAll, type EngineOptions } from '../../server/src/engine/engine';
import { whyLeftForPerson } from '../../server/src/engine/leftForPerson';
import { TreeFix, type TreeFile } from '../../server/src/engine/treeFix';
import { FixRefusal, type ProjectHost, type Rule } from '../../server/src/engine/types';
import { calleeName, findAll, stringValue } from '../../server/src/rules/shared/ast';

/** Flags `legacyCall('<file>')`; the fix renames it, once `<file>` (if any) calls it no more. */
const waitingRule: Rule = {
  id: 'legacy-call',
  title: 'Legacy call',
  severity: 'warning',
  docsUrl: 'https://backstage.io/docs/tutorials/auth-service-migration',
  explanation: 'legacyCall is gone.',
  example: { before: "legacyCall('');\n", after: "modernCall('');\n" },
  triggers: ['legacyCall'],
  detect(ctx) {
    return findAll(ctx.sourceFile, ts.isCallExpression)
      .filter((call) => calleeName(call) === 'legacyCall')
      .map((call) => ({
        range: { start: call.getStart(ctx.sourceFile), end: call.getEnd() },
        message: 'legacyCall',
        fixes: [{ id: 'rename', title: 'Use modernCall', preferred: true }],
        data: { waitsOn: stringValue(call.arguments[0]) ?? '' },
      }));
  },
  fix(ctx, finding) {
    const waitsOn = String(finding.data?.waitsOn ?? '');
    if (waitsOn && ctx.host.readFile(path(waitsOn))?.includes('legacyCall(')) {
      throw new FixRefusal(`${waitsOn} still calls legacyCall; fix it first`);
    }
    ctx.sourceFile.getDescendantAtPos(finding.range.start)!.replaceWithText('modernCall');
  },
};

const path = (name: string) => `/repo/src/${name}`;
const legacy = (waitsOn: string) => `// Waits on ${waitsOn || 'nothing'}.\nlegacyCall('${waitsOn}');\n`;
const modern = (waitsOn: string) => `// Waits on ${waitsOn || 'nothing'}.\nmodernCall('${waitsOn}');\n`;
const WORDING = { notFixable: whyNotFixable, runAgain: 'run it again' };

/** The files on disk (what the host reads when the tree has no fixed text for a path). */
function diskOf(files: Record<string, string>): ProjectHost {
  return { readFile: (absolutePath) => files[absolutePath] };
}

/** `chain(n)`: f1.ts waits on f2.ts, ..., f<n>.ts waits on nothing. */
function chain(length: number): [string, string][] {
  return Array.from({ length }, (_, index) => {
    const waitsOn = index + 1 < length ? `f${index + 2}.ts` : '';
    return [`f${index + 1}.ts`, waitsOn];
  });
}

/** A tree over `files` ([name, waits on]), first fixes made with `first` (the tree's own options by default). */
function treeOf(files: [string, string][], first?: EngineOptions): TreeFix {
  const disk = diskOf(Object.fromEntries(files.map(([name, waitsOn]) => [path(name), legacy(waitsOn)])));
  const tree = new TreeFix({ rules: [waitingRule], host: disk });
  for (const [name, waitsOn] of files) {
    tree.add(path(name), legacy(waitsOn), fixAll(path(name), legacy(waitsOn), first ?? tree.options));
  }
  return tree;
}

/** Every step of `settle`, by file name. */
function settleSteps(tree: TreeFix): string[] {
  return [...tree.settle()].map((file) => file.fileName);
}

function textsOf(tree: TreeFix): Record<string, string> {
  return Object.fromEntries(tree.files.map((file) => [file.fileName, file.text]));
}

describe('TreeFix', () => {
  it('first fixes made against the tree as it was: fixed again until the chain settles', () => {
    const files = chain(3);
    const disk = diskOf(Object.fromEntries(files.map(([name, waitsOn]) => [path(name), legacy(waitsOn)])));
    const tree = treeOf(files, { rules: [waitingRule], host: disk });
    assert.deepEqual(
      tree.files.map((file) => file.text),
      [legacy('f2.ts'), legacy('f3.ts'), modern('')],
    );
    assert.deepEqual(settleSteps(tree), [path('f1.ts'), path('f2.ts'), path('f1.ts')]);
    assert.deepEqual(textsOf(tree), {
      [path('f1.ts')]: modern('f2.ts'),
      [path('f2.ts')]: modern('f3.ts'),
      [path('f3.ts')]: modern(''),
    });
    assert.deepEqual(
      tree.files.map((file) => file.original),
      [legacy('f2.ts'), legacy('f3.ts'), legacy('')],
    );
    for (const file of tree.files) {
      assert.deepEqual(
        file.applied.map((fix) => [fix.ruleId, fix.message]),
        [['legacy-call', 'legacyCall']],
      );
      assert.deepEqual(file.remaining, []);
    }
  });

  it("first fixes made with the tree's options see the fixed texts of the files added before", () => {
    const tree = treeOf([...chain(3)].reverse());
    assert.deepEqual(settleSteps(tree), []);
    assert.deepEqual(textsOf(tree), {
      [path('f3.ts')]: modern(''),
      [path('f2.ts')]: modern('f3.ts'),
      [path('f1.ts')]: modern('f2.ts'),
    });
  });

  it("the tree's host serves fixed texts first, then the files themselves", () => {
    const files = chain(2);
    const disk = diskOf({ [path('f1.ts')]: legacy('f2.ts'), [path('f2.ts')]: legacy(''), [path('other.ts')]: 'other();\n' });
    const tree = new TreeFix({ rules: [waitingRule], host: disk });
    for (const [name, waitsOn] of files) tree.add(path(name), legacy(waitsOn), fixAll(path(name), legacy(waitsOn), { rules: [waitingRule], host: disk }));
    const host = tree.options.host!;
    assert.equal(host.readFile(path('f1.ts')), legacy('f2.ts'), 'not fixed: the file itself');
    assert.equal(host.readFile(path('f2.ts')), modern(''), 'fixed: the fixed text');
    assert.equal(host.readFile(path('other.ts')), 'other();\n');
    assert.equal(host.readFile(path('missing.ts')), undefined);
    tree.settleAll();
    assert.equal(host.readFile(path('f1.ts')), modern('f2.ts'));
  });

  it('at most five fixes per file: a longer chain is left part-way, the rest fixable on the next run', () => {
    const tree = treeOf(chain(7));
    assert.deepEqual(settleSteps(tree), [
      ...['f1.ts', 'f2.ts', 'f3.ts', 'f4.ts', 'f5.ts', 'f6.ts'],
      ...['f1.ts', 'f2.ts', 'f3.ts', 'f4.ts', 'f5.ts'],
      ...['f1.ts', 'f2.ts', 'f3.ts', 'f4.ts'],
      ...['f1.ts', 'f2.ts', 'f3.ts'],
    ].map(path));
    assert.deepEqual(
      tree.files.map((file) => file.text),
      [legacy('f2.ts'), legacy('f3.ts'), modern('f4.ts'), modern('f5.ts'), modern('f6.ts'), modern('f7.ts'), modern('')],
    );
    const [f1, f2] = tree.files;
    const reasonOf = (file: TreeFile) => whyLeftForPerson(file.remaining[0], file.fileName, file.text, tree.options, WORDING);
    assert.equal(reasonOf(f1), 'the fix was refused: f2.ts still calls legacyCall; fix it first');
    assert.equal(reasonOf(f2), 'run it again');
  });

  it('yields each file before fixing it again: a caller that stops there leaves it as it was', () => {
    const files = chain(2);
    const disk = diskOf(Object.fromEntries(files.map(([name, waitsOn]) => [path(name), legacy(waitsOn)])));
    const tree = treeOf(files, { rules: [waitingRule], host: disk });
    const steps = tree.settle();
    const step = steps.next();
    assert.equal(step.done, false);
    assert.equal((step.value as TreeFile).fileName, path('f1.ts'));
    steps.return(undefined);
    assert.deepEqual(textsOf(tree), { [path('f1.ts')]: legacy('f2.ts'), [path('f2.ts')]: modern('') });
    assert.equal(tree.files[0].remaining.length, 1);
  });

  it('nothing changed by the first fixes: nothing is fixed again', () => {
    // f1.ts waits on a file outside the tree that nobody fixes.
    const disk = diskOf({ [path('outside.ts')]: legacy('') });
    const tree = new TreeFix({ rules: [waitingRule], host: disk });
    tree.add(path('f1.ts'), legacy('outside.ts'), fixAll(path('f1.ts'), legacy('outside.ts'), tree.options));
    assert.deepEqual(settleSteps(tree), []);
    assert.equal(tree.files[0].text, legacy('outside.ts'));
    assert.deepEqual(
      tree.files[0].remaining.map((finding) => finding.message),
      ['legacyCall'],
    );
  });
});
