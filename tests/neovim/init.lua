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
