// The heap limit the language server runs with. Node's default on a large machine is several
// gigabytes, and V8 grows the heap toward it: a workspace scan (a short-lived syntax tree per
// file) then leaves the process holding far more memory than it uses. With a limit of 1 GB the
// same scan peaks near 160 MB RSS instead of 200-260 MB (bench:scan), at the same speed, with room
// for the largest inputs we read (files up to backstageAuth.maxFileSize, lockfiles up to 64 MB).
export const SERVER_HEAP_LIMIT_MB = 1024;

/** Node options for the server process (the VS Code client passes them; other editors may too). */
export const SERVER_NODE_OPTIONS: readonly string[] = [`--max-old-space-size=${SERVER_HEAP_LIMIT_MB}`];
