// Diagnostics latency while someone types in a 2,000-line legacy router: bursts of edits
// 30 ms apart (a fast typist), with short pauses longer than the debounce inside some bursts
// (an analysis starts, then the next keystroke arrives while it runs). Measures, per settle
// point (the last edit before a pause or at the end of a burst), the time from that edit to
// the diagnostics of its version; and counts stale publishes: diagnostics for a version the
// client had already replaced before the server could have known better.
//   node esbuild.mjs && node --import tsx bench/lsp/bench.ts [--bursts 20] [--edits 100]
import { performance } from 'node:perf_hooks';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { SERVER_NODE_OPTIONS } from '../../server/src/lsp/heap';
import { LspClient } from '../../test/support/lsp';
import { generateLegacyRouter } from '../file/generate';

const TYPING_MS = 30;
/** Longer than the default debounce (150 ms): the server starts an analysis during it. */
const PAUSE_MS = 200;
const PAUSE_EVERY = 25;
/**
 * A newer edit sent this long before a publish arrived was already in the server's input
 * while it analyzed; publishing the older version then is stale. (An edit sent while the
 * publish is in flight is a race no server can win.)
 */
const IN_FLIGHT_MS = 20;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const bursts = option('bursts', 20);
  const editsPerBurst = option('edits', 100);
  const text = `// notes: \n${generateLegacyRouter(2000)}`;
  const uri = 'file:///bench/plugins/library-backend/src/service/router.ts';
  // The server as the VS Code client starts it (its heap settings included).
  const client = await LspClient.start({ settings: {}, nodeArgs: [...SERVER_NODE_OPTIONS] });

  const sentAt = new Map<number, number>();
  let latestSent = 0;
  const publishes: { version: number; at: number; newestSent: number; newestSentBefore: number }[] = [];
  const stop = client.onPublish((params: PublishDiagnosticsParams) => {
    if (params.uri !== uri || params.version === undefined) return;
    const at = performance.now();
    let newestSentBefore = 0;
    for (const [version, sent] of sentAt) if (sent <= at - IN_FLIGHT_MS && version > newestSentBefore) newestSentBefore = version;
    publishes.push({ version: params.version, at, newestSent: latestSent, newestSentBefore });
  });

  let version = 1;
  sentAt.set(version, performance.now());
  latestSent = version;
  await client.open(uri, text, version);
  await client.diagnostics(uri, version);
  let column = '// notes: '.length;
  const type = async () => {
    version++;
    sentAt.set(version, performance.now());
    latestSent = version;
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line: 0, character: column }, end: { line: 0, character: column } }, text: 'x' }],
    });
    column++;
  };

  // Warm-up: the server's JIT needs a dozen analyses of a file this size to settle.
  for (let i = 0; i < 15; i++) {
    await type();
    await client.diagnostics(uri, version);
  }
  publishes.length = 0;

  const settles: number[] = [];
  const burstEnds: number[] = [];
  for (let burst = 0; burst < bursts; burst++) {
    for (let edit = 1; edit <= editsPerBurst; edit++) {
      await type();
      if (edit === editsPerBurst) break;
      if (edit % PAUSE_EVERY === 0) {
        settles.push(version);
        await sleep(PAUSE_MS);
      } else {
        await sleep(TYPING_MS);
      }
    }
    settles.push(version);
    burstEnds.push(version);
    await client.diagnostics(uri, version, 60_000);
    await sleep(100);
  }
  stop();
  await client.stop();

  const latencies = settles.flatMap((v) => {
    const published = publishes.find((p) => p.version === v);
    return published ? [published.at - sentAt.get(v)!] : [];
  });
  const superseded = publishes.filter((p) => p.version < p.newestSent).length;
  const stale = publishes.filter((p) => p.version < p.newestSentBefore).length;
  const edits = bursts * editsPerBurst;

  console.log(`bench:lsp  ${text.split('\n').length}-line router, ${bursts} bursts of ${editsPerBurst} edits ${TYPING_MS} ms apart, a ${PAUSE_MS} ms pause every ${PAUSE_EVERY} edits, default debounce (150 ms)`);
  console.log(`node ${process.version}\n`);
  console.log(`edits sent:                        ${edits}`);
  console.log(`publishes:                         ${publishes.length}`);
  console.log(`settle points with diagnostics:    ${latencies.length} of ${settles.length} (a pause whose analysis a later edit superseded has none)`);
  console.log(`latency, last edit -> diagnostics: p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`);
  console.log(`stale publishes:                   ${stale}  (a newer edit had been sent ${IN_FLIGHT_MS} ms or more before)`);
  console.log(`publishes racing a newer edit:     ${superseded - stale}  (the newer edit was sent while the publish was in flight)`);
  const settled = burstEnds.every((v) => publishes.some((p) => p.version === v));
  console.log(`every burst settled on its last version: ${settled ? 'yes' : 'NO'}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
