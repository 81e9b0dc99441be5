-- End-to-end test of `docksmith lsp` in a real Neovim (0.11+), run by tests/neovim/run.sh:
--   nvim --headless -i NONE -u tests/neovim/init.lua <tmp>/Dockerfile
-- Uses our editor files (editors/neovim) as a user would. Exits 0 on success, `cquit 1`
-- with a message on stderr on failure.

local root = assert(os.getenv('DOCKSMITH_ROOT'), 'DOCKSMITH_ROOT not set')
local bin = assert(os.getenv('DOCKSMITH_BIN'), 'DOCKSMITH_BIN not set')
local capture = os.getenv('DOCKSMITH_CAPTURE')
local timeout = tonumber(os.getenv('DOCKSMITH_WAIT_MS') or '') or 15000

vim.opt.runtimepath:prepend(root .. '/editors/neovim')
vim.opt.swapfile = false
-- Only the binary path (and, when asked, the diagnostics mode) differs from the shipped config.
local mode = os.getenv('DOCKSMITH_DIAGNOSTICS_MODE')
vim.lsp.config('docksmith', {
  cmd = { bin, 'lsp' },
  init_options = mode and { docksmith = { diagnostics = { mode = mode } } } or nil,
})
vim.lsp.enable('docksmith')

local log = {}
local function say(msg)
  table.insert(log, msg)
  io.stderr:write('[nvim] ' .. msg .. '\n')
end

local function diagnostics()
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(out, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      message = d.message,
      source = d.source,
    })
  end
  table.sort(out, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  return out
end

local function describe()
  local lines = { 'buffer:' }
  for i, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    table.insert(lines, string.format('%3d | %s', i, l))
  end
  table.insert(lines, 'diagnostics:')
  for _, d in ipairs(diagnostics()) do
    table.insert(
      lines,
      string.format('  %d:%d-%d:%d [%s] %s', d.lnum + 1, d.col, d.end_lnum + 1, d.end_col, d.source, d.message)
    )
  end
  return table.concat(lines, '\n')
end

local function write_capture(status)
  if not capture then
    return
  end
  local f = io.open(capture, 'w')
  if f then
    f:write('status: ' .. status .. '\n' .. table.concat(log, '\n') .. '\n' .. describe() .. '\n')
    f:close()
  end
end

local function check(cond, msg)
  if not cond then
    error(msg .. '\n' .. describe(), 0)
  end
end

-- Waits until diagnostics satisfy `pred`; fails with `what`.
local function wait_diagnostics(what, pred)
  local ok = vim.wait(timeout, function()
    return pred(diagnostics())
  end, 10)
  check(ok, 'timed out after ' .. timeout .. ' ms waiting for ' .. what)
  say('ok: ' .. what)
end

local function has(ds, lnum, needle)
  for _, d in ipairs(ds) do
    if d.lnum == lnum and d.message:find(needle, 1, true) and d.source == 'docksmith' then
      return d
    end
  end
end

local function run()
  -- Filetype detection (ours plus Neovim's).
  check(vim.bo.filetype == 'dockerfile', 'filetype is ' .. vim.bo.filetype)
  for _, name in ipairs({ 'Containerfile', 'app.dockerfile', 'Dockerfile.dev', 'x.containerfile', 'Containerfile.prod' }) do
    local ft = vim.filetype.match({ filename = '/tmp/p/' .. name })
    check(ft == 'dockerfile', name .. ' detected as ' .. tostring(ft))
  end
  say('ok: filetypes')

  local attached = vim.wait(timeout, function()
    return #vim.lsp.get_clients({ bufnr = 0, name = 'docksmith' }) > 0
  end, 10)
  check(attached, 'docksmith did not attach')
  local client = vim.lsp.get_clients({ bufnr = 0, name = 'docksmith' })[1]
  local pulled = client.server_capabilities.diagnosticProvider ~= nil
  say('ok: attached; position encoding ' .. tostring(client.offset_encoding)
    .. ', diagnostics ' .. (pulled and 'pulled' or 'pushed'))
  check(client.offset_encoding == 'utf-8', 'Neovim offers UTF-8; the server should pick it')
  check(pulled == (mode ~= 'push'), 'diagnostics mode ' .. tostring(mode) .. ' not honoured')

  -- The file opened broken: ENV without value (line 2), non-string in a JSON array (line 3).
  wait_diagnostics('the two syntax errors of the opened file', function(ds)
    return #ds == 2 and has(ds, 1, 'ENV must have two arguments')
      and has(ds, 2, 'arrays must be comprised of strings only')
  end)
  local d = has(diagnostics(), 2, 'arrays')
  -- `CMD ["😀", 1]`: the error covers the JSON text; Neovim columns are bytes.
  check(d.col == 4 and d.end_col == 15, string.format('CMD error at columns %d-%d, want 4-15', d.col, d.end_col))

  -- Fix line 2 through the API: its error goes, the other stays.
  vim.api.nvim_buf_set_lines(0, 1, 2, false, { 'ENV PATH=/usr/local/bin:$PATH' })
  wait_diagnostics('the ENV error to clear', function(ds)
    return #ds == 1 and has(ds, 2, 'arrays')
  end)

  -- Type like a user: a new broken line at the end, through Normal and Insert mode keys.
  local keys = vim.api.nvim_replace_termcodes('GoENV 🐳<Esc>', true, false, true)
  vim.api.nvim_feedkeys(keys, 'xt', false)
  local last = vim.api.nvim_buf_line_count(0) - 1
  wait_diagnostics('an error on the typed line', function(ds)
    return #ds == 2 and has(ds, last, 'ENV must have two arguments') ~= nil
  end)

  -- Fix everything: no diagnostics left.
  vim.api.nvim_buf_set_lines(0, 2, 3, false, { 'CMD ["😀", "1"]' })
  vim.api.nvim_buf_set_lines(0, last, last + 1, false, { 'ENV WHALE=🐳' })
  wait_diagnostics('no diagnostics', function(ds)
    return #ds == 0
  end)

  -- A BuildKit check with its quick fix, through Neovim's own code-action request and
  -- workspace-edit application.
  vim.api.nvim_buf_set_lines(0, 0, 1, false, { 'FROM alpine:3.20 as build' })
  wait_diagnostics('FromAsCasing', function(ds)
    return #ds == 1 and has(ds, 0, "'as' and 'FROM' keywords' casing do not match") ~= nil
  end)
  local diag = vim.diagnostic.get(0)[1]
  check(diag.code == 'FromAsCasing', 'diagnostic code is ' .. tostring(diag.code))
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(0) },
    range = { start = { line = 0, character = diag.col }, ['end'] = { line = 0, character = diag.end_col } },
    context = { diagnostics = { diag.user_data.lsp } },
  }
  local resp = vim.lsp.buf_request_sync(0, 'textDocument/codeAction', params, timeout)
  local action
  for _, r in pairs(resp or {}) do
    for _, a in ipairs(r.result or {}) do
      if a.title == "Change to 'AS'" then
        action = a
      end
    end
  end
  check(action ~= nil, 'no "Change to \'AS\'" code action')
  vim.lsp.util.apply_workspace_edit(action.edit, 'utf-8')
  check(vim.api.nvim_buf_get_lines(0, 0, 1, false)[1] == 'FROM alpine:3.20 AS build', 'quick fix not applied')
  wait_diagnostics('no diagnostics after the quick fix', function(ds)
    return #ds == 0
  end)

  -- Hover and completion (docs/features.md).
  vim.api.nvim_buf_set_lines(0, 0, -1, false, {
    'FROM nginx:1.27 AS web',
    'ENTRYPOINT ["/docker-entrypoint.sh"]',
    'CMD ["nginx", "-g", "daemon off;"]',
    'FROM alpine',
    'COPY --from=',
  })
  vim.wait(300)
  local uri = vim.uri_from_bufnr(0)
  local function at(line, character)
    return { textDocument = { uri = uri }, position = { line = line, character = character } }
  end
  local resp = client:request_sync('textDocument/hover', at(1, 3), timeout, 0)
  check(resp and resp.result, 'no hover on ENTRYPOINT: ' .. vim.inspect(resp))
  local md = resp.result.contents.value
  check(md:find('/docker-entrypoint.sh nginx -g "daemon off;"', 1, true), 'hover lacks the command line:\n' .. md)
  say('ok: hover on ENTRYPOINT shows the command line')
  resp = client:request_sync('textDocument/completion', at(4, 12), timeout, 0)
  local items = resp and resp.result and (resp.result.items or resp.result) or {}
  local labels = {}
  for _, it in ipairs(items) do
    table.insert(labels, it.label)
  end
  check(#labels == 1 and labels[1] == 'web', 'completion after COPY --from=: ' .. vim.inspect(labels))
  say('ok: completion after COPY --from= offers the earlier stage')

  -- Navigation: jump from `COPY --from=builder` to its stage, then rename the stage.
  vim.api.nvim_buf_set_lines(0, 0, -1, false, {
    'FROM golang:1.22 AS builder',
    'RUN echo build > /out',
    'FROM alpine',
    'COPY --from=builder /out /out',
  })
  vim.api.nvim_win_set_cursor(0, { 4, 14 })
  vim.lsp.buf.definition()
  local jumped = vim.wait(timeout, function()
    local c = vim.api.nvim_win_get_cursor(0)
    return c[1] == 1 and c[2] == 20
  end, 10)
  check(jumped, 'definition did not jump to `AS builder`; cursor at '
    .. vim.inspect(vim.api.nvim_win_get_cursor(0)))
  say('ok: definition from COPY --from=builder to its FROM')

  vim.lsp.buf.rename('compiler')
  local renamed = vim.wait(timeout, function()
    local l = vim.api.nvim_buf_get_lines(0, 0, -1, false)
    return l[1] == 'FROM golang:1.22 AS compiler' and l[4] == 'COPY --from=compiler /out /out'
  end, 10)
  check(renamed, 'rename of the stage was not applied')
  say('ok: stage renamed in its FROM and its COPY --from')
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    local ok, err = xpcall(run, debug.traceback)
    if ok then
      say('PASS')
      write_capture('pass')
      vim.cmd('qa!')
    else
      say('FAIL: ' .. tostring(err))
      write_capture('fail')
      vim.cmd('cquit 1')
    end
  end,
})
