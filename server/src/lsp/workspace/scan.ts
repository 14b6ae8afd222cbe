// One file of the workspace scan, from the disk: read, prefilter, analyze, diagnostics. Nothing
// of the file is kept: the syntax tree and the text are dropped once the diagnostics exist.
import { readFileSync, statSync } from 'node:fs';
import type { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type EngineOptions, type RuleFailure } from '../../engine/engine';
import { needsParse } from '../../engine/prefilter';
import { looksGenerated } from '../../engine/source';
import { toDiagnostic } from '../diagnostics';

export interface FileResult {
  diagnostics: Diagnostic[];
  /** Rules that threw on this file. */
  failures: RuleFailure[];
  /** The file was parsed (it passed the trigger prefilter). */
  parsed: boolean;
}

const NOTHING: FileResult = { diagnostics: [], failures: [], parsed: false };

export function analyzeFromDisk(uri: string, fileName: string, options: EngineOptions): FileResult {
  let text: string;
  try {
    // Too big to analyze (UTF-8 never takes fewer bytes than UTF-16 code units), or gone.
    if (statSync(fileName).size > (options.maxFileSize ?? Number.MAX_SAFE_INTEGER)) return NOTHING;
    text = readFileSync(fileName, 'utf8');
  } catch {
    return NOTHING;
  }
  if (!needsParse(fileName, text, options) || looksGenerated(text)) return NOTHING;
  const analysis = analyze(fileName, text, options);
  if (analysis.findings.length === 0) return { diagnostics: [], failures: analysis.failures, parsed: true };
  // Positions need the text's line starts; the document lives only as long as this call.
  const document = TextDocument.create(uri, 'plaintext', 0, text);
  return {
    diagnostics: analysis.findings.map((finding) => toDiagnostic(document, finding)),
    failures: analysis.failures,
    parsed: true,
  };
}
