// `npm run golden:examples`: writes the goldens of the bundled example from what the CLI makes of
// it today. Review every changed line by hand before committing: the goldens are the showcase.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fixExamples, GOLDEN_SUMMARY, GOLDEN_TREE } from './fixExamples';

async function update(): Promise<void> {
  const { files, summary } = await fixExamples();
  rmSync(GOLDEN_TREE, { recursive: true, force: true });
  for (const [path, text] of files) {
    const target = join(GOLDEN_TREE, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  writeFileSync(GOLDEN_SUMMARY, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`wrote ${files.size} files to ${GOLDEN_TREE} and ${GOLDEN_SUMMARY}`);
}

update().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
