// The V8 heap settings the language server runs with (the VS Code client passes them; the
// README's Neovim config too).
// - Old generation limit 1 GB: Node's default on a large machine is several gigabytes, and V8
//   grows the heap toward it, so a workspace scan (a short-lived syntax tree per file) left the
//   process holding far more than it uses (bench:scan: 200-260 MB RSS, now about 150-180 MB), with
//   room for the largest inputs we read (files up to backstageAuth.maxFileSize, 64 MB lockfiles).
// - Young generation semi-spaces of 64 MB: an analysis keeps its file's syntax tree alive while
//   its rules allocate, and every young collection in between copies that tree; with the default
//   16 MB there are several per analysis of a large file (bench:file: didOpen -> diagnostics
//   about 20% faster with 64 MB).
export const SERVER_NODE_OPTIONS: readonly string[] = ['--max-old-space-size=1024', '--max-semi-space-size=64'];
