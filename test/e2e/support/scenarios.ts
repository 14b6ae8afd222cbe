// The folders the command and crash tests work on, each its own copy so no test starts from
// another's leftovers, and the exact results they must produce: computed with the engine on those
// very files (same absolute paths) the way the language server computes them, or, for Migrate
// Workspace, the reviewed goldens of the example. The suite reads this as JSON (see suite/env.ts).
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { generateLegacyRouter } from '../../../bench/file/generate';
import { addAuthPolicyEdit } from '../../../server/src/engine/authPolicy';
import type { EngineOptions } from '../../../server/src/engine/engine';
import { diskHost } from '../../../server/src/engine/host';
import { disableDefaultAuthPolicyEdit } from '../../../server/src/engine/setup/configEdits';
import { allRules } from '../../../server/src/rules';
import { GUEST_REPO } from '../suite/guestRepo';
import { diagnose, type ExpectedDiagnostic } from './expectations';
import { EXAMPLES, ROOT } from './paths';
import type { LocalRegistry } from './registry';
import type { Sandbox } from './sandbox';

/** Relative path (forward slashes) -> text. */
export type FileTexts = Record<string, string>;

export interface PolicyCase {
  file: string;
  path: string;
  allow: 'unauthenticated' | 'user-cookie';
  before: string;
  after: string;
}

export interface Scenarios {
  addAuthPolicy: PolicyCase[];
  disableDefaultAuthPolicy: { file: string; before: string; after: string };
  guestSetup: {
    /** A Backstage repo of its own (suite/guestRepo.ts), outside the workspace. */
    folder: string;
    /** What the local registry serves, as the lockfile records it. */
    tarballUrl: string;
    integrity: string;
  };
  migrate: {
    /** Absolute folders, copies of examples/. */
    previewFolder: string;
    applyFolder: string;
    /** Every file of a copy before the command. */
    original: FileTexts;
    /** Every file after Migrate Workspace: the reviewed goldens (test/golden/examples) over the originals. */
    migrated: FileTexts;
  };
  crash: {
    /** Absolute path of a generated legacy router of about 2,000 lines. */
    file: string;
    original: string;
    diagnostics: ExpectedDiagnostic[];
    /** Inserted at the start while the server is down. */
    edit: string;
    editedDiagnostics: ExpectedDiagnostic[];
  };
}

const PLUGIN = 'plugins/bookmarks-backend/src/plugin.ts';
const MODULE = 'plugins/bookmarks-backend-module-digest/src/module.ts';
const DEV_CONFIG = 'app-config.yaml';
const GOLDEN = join(ROOT, 'test', 'golden', 'examples');
const CRASH_LINES = 2_000;
const CRASH_EDIT = '// edited while the language server was down\n';

/** What the language server uses with default settings (see DocumentAnalyses.engineOptions). */
const SERVER_DEFAULTS: EngineOptions = { rules: allRules, host: diskHost(), target: 'auto', maxFileSize: 1_000_000, severities: {} };

export function prepareScenarios(sandbox: Sandbox, registry: Pick<LocalRegistry, 'tarballUrl' | 'integrity'>): Scenarios {
  const workspaceText = (file: string) => readFileSync(join(sandbox.workspace, file), 'utf8');
  const policy = (file: string, path: string, allow: PolicyCase['allow']): PolicyCase => {
    const before = workspaceText(file);
    const edited = addAuthPolicyEdit(before, join(sandbox.workspace, file), { path, allow });
    if (!edited.ok) throw new Error(`the engine refuses the policy for ${file}: ${edited.reason}`);
    return { file, path, allow, before, after: edited.text };
  };
  const config = workspaceText(DEV_CONFIG);
  const disabled = disableDefaultAuthPolicyEdit(config);
  if (!disabled.ok) throw new Error(`the engine refuses to disable the default policy: ${disabled.reason}`);

  const guestFolder = join(sandbox.root, 'guest-repo');
  writeTree(guestFolder, GUEST_REPO);

  const previewFolder = join(sandbox.root, 'migrate-preview');
  const applyFolder = join(sandbox.root, 'migrate-apply');
  for (const folder of [previewFolder, applyFolder]) cpSync(EXAMPLES, folder, { recursive: true });
  const original = readTree(applyFolder);

  const crashFile = join(sandbox.root, 'crash', 'src', 'service', 'router.ts');
  const crashText = generateLegacyRouter(CRASH_LINES);
  writeTree(dirname(crashFile), { 'router.ts': crashText });

  return {
    addAuthPolicy: [
      // The plugin's init has the httpRouter dependency: the policy goes into init.
      policy(PLUGIN, '/health', 'unauthenticated'),
      // The module's init has none: the dependency and the parameter are added too.
      policy(MODULE, '/digest/preview.png', 'user-cookie'),
    ],
    disableDefaultAuthPolicy: { file: DEV_CONFIG, before: config, after: disabled.text },
    guestSetup: { folder: guestFolder, tarballUrl: registry.tarballUrl, integrity: registry.integrity },
    migrate: {
      previewFolder,
      applyFolder,
      original,
      migrated: { ...original, ...readTree(GOLDEN) },
    },
    crash: {
      file: crashFile,
      original: crashText,
      diagnostics: diagnose(crashFile, crashText, SERVER_DEFAULTS).diagnostics,
      edit: CRASH_EDIT,
      editedDiagnostics: diagnose(crashFile, CRASH_EDIT + crashText, SERVER_DEFAULTS).diagnostics,
    },
  };
}

export function readTree(root: string): FileTexts {
  const texts: FileTexts = {};
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile()) texts[relativePath(root, path)] = readFileSync(path, 'utf8');
    }
  };
  visit(root);
  return texts;
}

function writeTree(root: string, files: FileTexts): void {
  for (const [path, text] of Object.entries(files)) {
    const target = join(root, ...path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

function relativePath(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}
