<#
.SYNOPSIS
Packs the built module folder into the PowerShell Gallery package (EnOS.Streaming.<version>.nupkg).

.DESCRIPTION
Publishes the module folder with PSResourceGet (bundled with PowerShell 7.6) to a local file
repository in -OutputFolder, which is how the Gallery package is made without a network. The
temporary repository registration is removed again.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleFolder,
    [Parameter(Mandatory)] [string] $OutputFolder
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

New-Item -ItemType Directory -Path $OutputFolder -Force | Out-Null
$OutputFolder = (Resolve-Path $OutputFolder).Path
$version = (Import-PowerShellDataFile (Join-Path $ModuleFolder 'EnOS.Streaming.psd1')).ModuleVersion
Get-ChildItem $OutputFolder -Filter "EnOS.Streaming.$version.nupkg" | Remove-Item

# Publish-PSResource wants the module folder to be named after the module.
$staging = Join-Path ([IO.Path]::GetTempPath()) "enos-package-$([guid]::NewGuid().ToString('n'))"
$stagedModule = Join-Path $staging 'EnOS.Streaming'
New-Item -ItemType Directory -Path $staging -Force | Out-Null
Copy-Item -Path $ModuleFolder -Destination $stagedModule -Recurse
# The licence travels with the package (and so with every installed copy).
Copy-Item -Path (Join-Path $PSScriptRoot '../LICENSE') -Destination $stagedModule

$repository = "EnosBuild$([guid]::NewGuid().ToString('n').Substring(0, 8))"
Register-PSResourceRepository -Name $repository -Uri $OutputFolder -Trusted
try {
    Publish-PSResource -Path $stagedModule -Repository $repository
}
finally {
    Unregister-PSResourceRepository -Name $repository
    Remove-Item $staging -Recurse -Force -ErrorAction Ignore
}

$package = Join-Path $OutputFolder "EnOS.Streaming.$version.nupkg"
if (-not (Test-Path $package)) { throw "Publish-PSResource did not produce $package." }

# PSResourceGet writes the manifest's LicenseUri as a bare licenseUrl, which NuGet has deprecated;
# state the licence as an SPDX expression instead, as `dotnet pack` would.
Add-Type -AssemblyName System.IO.Compression
$archive = [IO.Compression.ZipFile]::Open($package, [IO.Compression.ZipArchiveMode]::Update)
try {
    $entry = $archive.GetEntry('EnOS.Streaming.nuspec')
    $reader = [IO.StreamReader]::new($entry.Open())
    $nuspec = $reader.ReadToEnd()
    $reader.Dispose()
    $nuspec = $nuspec -replace '<licenseUrl>[^<]*</licenseUrl>',
        '<license type="expression">MIT</license><licenseUrl>https://licenses.nuget.org/MIT</licenseUrl>'
    $entry.Delete()
    $writer = [IO.StreamWriter]::new($archive.CreateEntry('EnOS.Streaming.nuspec').Open(), [Text.UTF8Encoding]::new($false))
    $writer.Write($nuspec)
    $writer.Dispose()
}
finally {
    $archive.Dispose()
}
Get-Item $package
