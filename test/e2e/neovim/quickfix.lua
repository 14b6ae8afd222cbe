-- Neovim 0.7 (Debian) as a second LSP client, headless: start the server over stdio, open the
-- file, wait for our diagnostics, ask for the quick fixes of the RULE_ID diagnostic, apply the
-- preferred one with vim.lsp.util.apply_workspace_edit and write the file; then ask for
-- "fix all" (source.fixAll.backstageAuth, whose edit comes from codeAction/resolve), apply it
-- and write the buffer to FIX_ALL_COPY. The driver (../neovim.ts) compares both files with the
-- engine's results byte for byte.
-- Env: LSP_SERVER (dist/server.js), NODE (node binary), TARGET (edited in place), RULE_ID, FIX_ALL_COPY.
local server = assert(os.getenv('LSP_SERVER'), 'LSP_SERVER not set')
local node = os.getenv('NODE') or 'node'
local target = assert(os.getenv('TARGET'), 'TARGET not set')
local rule_id = assert(os.getenv('RULE_ID'), 'RULE_ID not set')
local fix_all_copy = assert(os.getenv('FIX_ALL_COPY'), 'FIX_ALL_COPY not set')

local function log(message)
  io.stdout:write('[nvim] ' .. message .. '\n')
end

local function fail(message)
  log('FAIL: ' .. message)
  vim.cmd('cquit 1')
end

local published = {} -- uri -> diagnostics as the server sent them (LSP shape)
local client_id = vim.lsp.start_client({
  name = 'backstage-auth',
  cmd = { node, '--max-old-space-size=1024', '--max-semi-space-size=64', server, '--stdio' },
  root_dir = vim.fn.fnamemodify(target, ':h'),
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      published[result.uri] = result.diagnostics
      return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
    end,
  },
})
if not client_id then return fail('vim.lsp.start_client returned nil') end

vim.cmd('edit ' .. vim.fn.fnameescape(target))
local bufnr = vim.api.nvim_get_current_buf()
vim.bo[bufnr].filetype = 'typescript'
vim.lsp.buf_attach_client(bufnr, client_id)
local uri = vim.uri_from_bufnr(bufnr)

local function ours()
  for _, d in ipairs(published[uri] or {}) do
    if d.source == 'backstage-auth' and d.code == rule_id then return d end
  end
end
if not vim.wait(20000, function() return ours() ~= nil end, 20) then
  return fail('no ' .. rule_id .. ' diagnostic within 20 s; got ' .. vim.inspect(published[uri]))
end
local diagnostic = ours()
log(string.format('%d diagnostics; %s at %d:%d', #published[uri], rule_id,
  diagnostic.range.start.line + 1, diagnostic.range.start.character + 1))

local client = vim.lsp.get_client_by_id(client_id)
local response = client.request_sync('textDocument/codeAction', {
  textDocument = { uri = uri },
  range = diagnostic.range,
  context = { diagnostics = { diagnostic }, only = { 'quickfix' } },
}, 10000, bufnr)
if not response or response.err or not response.result then
  return fail('codeAction failed: ' .. vim.inspect(response))
end
local preferred
for _, action in ipairs(response.result) do
  if action.isPreferred then
    if preferred then return fail('two preferred quick fixes: ' .. vim.inspect(response.result)) end
    preferred = action
  end
end
if not preferred or not preferred.edit then
  return fail('no preferred quick fix with an edit: ' .. vim.inspect(response.result))
end
log('applying "' .. preferred.title .. '"')
vim.lsp.util.apply_workspace_edit(preferred.edit, client.offset_encoding)
vim.cmd('silent write')

-- The server analyzes the new text: the finding that was fixed is gone.
if not vim.wait(10000, function()
  return published[uri] ~= nil and ours() == nil
end, 20) then
  return fail('the ' .. rule_id .. ' diagnostic is still there after the fix')
end
log('diagnostic cleared; file written')

local fix_all = client.request_sync('textDocument/codeAction', {
  textDocument = { uri = uri },
  range = { start = { line = 0, character = 0 }, ['end'] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 } },
  context = { diagnostics = published[uri], only = { 'source.fixAll.backstageAuth' } },
}, 10000, bufnr)
if not fix_all or fix_all.err or not fix_all.result or #fix_all.result ~= 1 then
  return fail('expected one fix-all action: ' .. vim.inspect(fix_all))
end
local action = fix_all.result[1]
if not action.edit then
  local resolved = client.request_sync('codeAction/resolve', action, 20000, bufnr)
  if not resolved or resolved.err or not resolved.result or not resolved.result.edit then
    return fail('codeAction/resolve gave no edit: ' .. vim.inspect(resolved))
  end
  action = resolved.result
end
log('applying "' .. action.title .. '"')
vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
vim.cmd('silent write! ' .. vim.fn.fnameescape(fix_all_copy))
log('fix-all result written to a copy')

client.stop()
vim.wait(5000, function() return client.is_stopped() end, 20)
vim.cmd('qall!')
