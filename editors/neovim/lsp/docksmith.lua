-- Docksmith, the Dockerfile language server, for Neovim 0.11+.
--
-- Put this directory (editors/neovim) on 'runtimepath', or copy this file to
-- ~/.config/nvim/lsp/docksmith.lua, then:
--
--   vim.lsp.enable('docksmith')
--
-- Override anything with vim.lsp.config('docksmith', { ... }), for example the path of the
-- binary (cmd) or settings (see docs/configuration.md):
--
--   vim.lsp.config('docksmith', {
--     settings = { docksmith = { diagnostics = { enable = true } } },
--   })

---@type vim.lsp.Config
return {
  cmd = { 'docksmith', 'lsp' },
  -- yaml: Compose files (build targets); other YAML files get nothing from the server.
  filetypes = { 'dockerfile', 'yaml', 'yaml.docker-compose' },
  root_markers = {
    'Dockerfile',
    'Containerfile',
    'docker-bake.hcl',
    'compose.yaml',
    'compose.yml',
    'docker-compose.yaml',
    'docker-compose.yml',
    '.git',
  },
}
