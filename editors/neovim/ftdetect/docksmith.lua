-- Dockerfile detection for Docksmith: Dockerfile, Containerfile, *.dockerfile,
-- *.containerfile, Dockerfile.* and Containerfile.* (but not Dockerfile.dockerignore).
local function dockerfile_unless_ignore(path)
  if path:match('%.dockerignore$') then
    return nil
  end
  return 'dockerfile'
end

vim.filetype.add({
  extension = {
    dockerfile = 'dockerfile',
    Dockerfile = 'dockerfile',
    containerfile = 'dockerfile',
    Containerfile = 'dockerfile',
  },
  filename = {
    Dockerfile = 'dockerfile',
    dockerfile = 'dockerfile',
    Containerfile = 'dockerfile',
    containerfile = 'dockerfile',
  },
  pattern = {
    ['[Dd]ockerfile%.[^/]+'] = dockerfile_unless_ignore,
    ['[Cc]ontainerfile%.[^/]+'] = dockerfile_unless_ignore,
  },
})
