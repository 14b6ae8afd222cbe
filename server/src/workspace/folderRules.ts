// The gitignore patterns that can match the entries of one folder, when all of them are simple
// enough to answer on the entry's name with string comparisons: a walk asks about every file
// and folder of a tree, and `ignore`'s general matcher costs microseconds per question.
//
// In a folder the walk entered no ancestor is ignored, so (as in git) an entry is ignored when
// the last pattern that matches it is not a negation. A pattern is simple when it is a name
// (`dist/`, `.env`), a name with one `*` at the start or end (`*.log`, `.pnp.*`), either of
// those under a literal folder (`pkg/**/local.ts`, as nested .gitignore files are rebased), or
// a literal path (`/scripts/`, `pkg/build`). Anything else (`[Tt]emp*`, escapes, `docs/**/*.ts`)
// that could match an entry of the folder leaves the folder to `ignore`.

export type Verdict = { ignored: boolean; reincluded: boolean };

export interface NameRule {
  negated: boolean;
  directoriesOnly: boolean;
  matches(name: string): boolean;
}

/** A pattern as written, sorted into what it can match. */
type Parsed =
  | { kind: 'name'; negated: boolean; directoriesOnly: boolean; under: string; matches(name: string): boolean }
  | { kind: 'path'; negated: boolean; directoriesOnly: boolean; folder: string; name: string }
  | { kind: 'other'; prefix: string };

const SPECIAL = /[*?[\\]/;

export function parsePatterns(patterns: readonly string[], ignoreCase: boolean): Parsed[] {
  return patterns.map((pattern) => parse(ignoreCase ? pattern.toLowerCase() : pattern));
}

/**
 * The rules for the entries of the folder at `folder` (relative to the patterns' base, forward
 * slashes, '' for the base itself), in pattern order; undefined when some pattern that could
 * match one of them is not simple.
 */
export function rulesForFolder(parsed: readonly Parsed[], folder: string): NameRule[] | undefined {
  const inside = folder === '' ? '' : `${folder}/`;
  const rules: NameRule[] = [];
  for (const pattern of parsed) {
    if (pattern.kind === 'other') {
      // Its literal start says where it can match: elsewhere it is no concern of this folder.
      if (inside.startsWith(pattern.prefix) || pattern.prefix.startsWith(inside)) return undefined;
    } else if (pattern.kind === 'path') {
      if (pattern.folder === folder) {
        const { name } = pattern;
        rules.push({ negated: pattern.negated, directoriesOnly: pattern.directoriesOnly, matches: (entry) => entry === name });
      }
    } else if (inside.startsWith(pattern.under)) {
      rules.push(pattern);
    }
  }
  return rules;
}

// The three answers there are, shared: a walk asks once per entry.
const IGNORED: Verdict = Object.freeze({ ignored: true, reincluded: false });
const REINCLUDED: Verdict = Object.freeze({ ignored: false, reincluded: true });
const NOT_NAMED: Verdict = Object.freeze({ ignored: false, reincluded: false });

/** The last matching rule decides; `reincluded`: it was a negation. */
export function verdictByRules(rules: readonly NameRule[], name: string, isDirectory: boolean): Verdict {
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i];
    if ((isDirectory || !rule.directoriesOnly) && rule.matches(name)) return rule.negated ? REINCLUDED : IGNORED;
  }
  return NOT_NAMED;
}

function parse(pattern: string): Parsed {
  const negated = pattern.startsWith('!');
  let body = negated ? pattern.slice(1) : pattern;
  // Escapes (`\#`, `\ `) and classes are left to `ignore`; `/` alone names nothing either.
  if (body.includes('\\') || body.includes('[')) return { kind: 'other', prefix: literalPrefix(body.replace(/^\//, '')) };
  body = body.trimEnd();
  const directoriesOnly = body.endsWith('/');
  body = body.replace(/\/+$/, '');
  if (body === '') return { kind: 'other', prefix: '' };
  if (!body.includes('/')) {
    const matches = nameTest(body);
    return matches ? { kind: 'name', negated, directoriesOnly, under: '', matches } : { kind: 'other', prefix: '' };
  }
  const anchored = body.replace(/^\//, '');
  const scoped = /^([^*?]+)\/\*\*\/([^/]+)$/.exec(anchored);
  if (scoped && !SPECIAL.test(scoped[1])) {
    const matches = nameTest(scoped[2]);
    if (matches) return { kind: 'name', negated, directoriesOnly, under: `${scoped[1]}/`, matches };
  }
  if (!SPECIAL.test(anchored)) {
    const slash = anchored.lastIndexOf('/');
    return slash < 0
      ? { kind: 'path', negated, directoriesOnly, folder: '', name: anchored }
      : { kind: 'path', negated, directoriesOnly, folder: anchored.slice(0, slash), name: anchored.slice(slash + 1) };
  }
  return { kind: 'other', prefix: literalPrefix(anchored) };
}

/** `name`, `*suffix` or `prefix*`, as a test on an entry's name; undefined for anything else. */
function nameTest(glob: string): ((name: string) => boolean) | undefined {
  const stars = glob.split('*').length - 1;
  if (glob.includes('?')) return undefined;
  if (stars === 0) return (name) => name === glob;
  if (stars !== 1) return undefined;
  if (glob.startsWith('*')) {
    const suffix = glob.slice(1);
    return (name) => name.endsWith(suffix);
  }
  if (glob.endsWith('*')) {
    const prefix = glob.slice(0, -1);
    return (name) => name.startsWith(prefix);
  }
  return undefined;
}

/** The folders a pattern is anchored under, up to its first special character (`a/b/` of `a/b/c*.ts`). */
function literalPrefix(anchored: string): string {
  const special = anchored.search(SPECIAL);
  const literal = special < 0 ? anchored : anchored.slice(0, special);
  return literal.slice(0, literal.lastIndexOf('/') + 1);
}
