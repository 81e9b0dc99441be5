# escape=`
FROM mcr.microsoft.com/windows/servercore AS base
run dir `
# comment
c:\
  RUN powershell -Command `
      Write-Host "hi `
   there"
