// What `--help` prints. Kept next to the argument parser's vocabulary; the README's CLI
// section says the same in more words.
import { DEFAULT_MAX_FILE_BYTES, SOURCE_EXTENSIONS } from '../engine/source';

const MAIN = `Usage: backstage-auth-migrate <command> [options]

Finds pre-1.24 Backstage backend auth code (identity, tokenManager, bearer-token
forwarding, PermissionEvaluator) and rewrites it to the auth, httpAuth and
addAuthPolicy services.

Commands:
  check [paths...]   report findings (exit 1 when there are any)
  fix [paths...]     apply every safe fix in place (--dry-run: print a diff)
  rules              list the rules

Options:
  -h, --help         help (also: backstage-auth-migrate <command> --help)
  -v, --version      version

Paths default to the current folder. Folders are walked recursively, skipping
node_modules, .git, build output (dist, dist-types, build, coverage) and whatever
.gitignore files ignore; files named on the command line are always read. Files read: ${SOURCE_EXTENSIONS.join(' ')}
(not .d.ts) and Backstage config files (app-config*.yaml).

Exit codes: 0 nothing found (check) / everything fixed (fix), 1 findings remain,
2 usage error, unreadable file or folder, a rule that crashed, or a write refused.
`;

const CHECK = `Usage: backstage-auth-migrate check [paths...] [options]

Options:
  -f, --format <text|json|sarif>  output format (default: text)
  --rule <id>                     only this rule (repeatable; see 'rules')
  --max-file-size <bytes>         skip larger files (default: ${DEFAULT_MAX_FILE_BYTES})
  --target <target>               auto (default: from each package's Backstage versions),
                                  legacy-compatible or new-backend-only
  -j, --jobs <n>                  worker threads (default: the number of cores; 1: none)
  --cache-location <folder>       keep the results cache there (default:
                                  node_modules/.cache/backstage-auth-migrate in the
                                  nearest folder up from here that has node_modules)
  --no-cache                      neither read nor write the results cache

The cache keeps each analyzed file's findings with what they came from (the file, the
files its rules read, its target and versions); a later run reuses them only while all
of that is unchanged, and any other build or option set uses a cache of its own.

text   path:line:col  severity  message  [rule]   (1-based; "(fixable)" when fix will
       fix it, otherwise an indented line says why not), the migration target of each
       package with findings (which versions, and why), then a summary line.
json   { "files": [{ "path", "findings": [{ "rule", "severity", "message",
       "range": { "start": { "line", "character" }, "end": {...} }, "fixable" }] }],
         "skipped": [{ "path", "reason" }],        (only when files were skipped)
         "summary": { "files", "findings", "fixable" },
         "targets": [{ "packageJson", "target", "setting", "versions", "explanation",
                       "files" }] }               (one per package with findings)
       Positions are 0-based (UTF-16 characters, as in LSP). "files" lists only files
       with findings, sorted by path; summary.files counts every file checked
       (skipped files not included).
sarif  SARIF 2.1.0 for code scanning; regions are 1-based; the targets are in
       runs[0].properties.migrationTargets.

Exit codes: 0 no findings, 1 findings, 2 errors.
`;

const FIX = `Usage: backstage-auth-migrate fix [paths...] [options]

Applies the preferred fix of every fixable finding, file by file, and prints what it
changed, what still needs a person (and why), and the migration target each package's
fixes aimed for. Rules see the other files as they were
when the run started; files are written at the end, atomically, and a file that changed on
disk in the meantime is not overwritten.

Options:
  --dry-run                 write nothing; print the changes as a unified diff (git
                            style, a/ and b/ prefixes: pipe it to 'git apply') on stdout
                            and the report on stderr
  --rule <id>               only this rule (repeatable; see 'rules')
  --max-file-size <bytes>   skip larger files (default: ${DEFAULT_MAX_FILE_BYTES})
  --target <target>         auto (default: from each package's Backstage versions),
                            legacy-compatible or new-backend-only
  -j, --jobs <n>            worker threads (default: the number of cores; 1: none)
  --force                   write even when the git repository has uncommitted changes
                            (without it, fix refuses to mix its edits with yours)

Exit codes: 0 everything found was fixed, 1 findings remain (they need a person),
2 errors (unreadable files, a crashed rule, a refused write).
`;

const RULES = `Usage: backstage-auth-migrate rules [--format text|json]

Lists every rule: id, severity, title, documentation link, and whether it has a fix.
`;

export function helpText(topic?: 'check' | 'fix' | 'rules'): string {
  return topic === 'check' ? CHECK : topic === 'fix' ? FIX : topic === 'rules' ? RULES : MAIN;
}
