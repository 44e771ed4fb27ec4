BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $emulator = Start-EnosEmulator -Pipelines 4
}

AfterAll { Stop-EnosEmulator $emulator }

Describe 'The Gallery package' {
    It 'installs with Install-PSResource into a clean module path, imports by name and works' {
        # A fresh process with an empty home: its user module path and PSResourceGet repositories
        # are new, and nothing is installed into the real user's. pwsh.dll is started directly, as
        # the dotnet tool shim looks for its cache in the home folder.
        $clean = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory -Path $clean | Out-Null
        $script = Join-Path $TestDrive 'install.ps1'
        Set-Content -Path $script -Value @"
`$ErrorActionPreference = 'Stop'
`$package = & '$RepoRoot/build/Package.ps1' -ModuleFolder '$(Split-Path $ModuleManifest)' -OutputFolder '$TestDrive/repository'
"PACKAGE `$(`$package.Name)"
Register-PSResourceRepository -Name LocalBuild -Uri '$TestDrive/repository' -Trusted
Install-PSResource EnOS.Streaming -Repository LocalBuild -Scope CurrentUser
Import-Module EnOS.Streaming
`$module = Get-Module EnOS.Streaming
"IMPORTED `$(`$module.Version) FROM `$(`$module.ModuleBase)"
`$paused = Suspend-EnosPipeline -PipelineId pl-0002 -PassThru -Confirm:`$false
"PAUSED `$(`$paused.PipelineId) `$(`$paused.Status)"
"@
        $saved = @{ HOME = $env:HOME; PSModulePath = $env:PSModulePath }
        $env:HOME = $clean; $env:PSModulePath = $null
        Set-EnosVariables $emulator
        # Run from the test folder: NuGet inside PSResourceGet writes a NuGet/NuGet.Config into the
        # working directory when the home changes under it.
        Push-Location $TestDrive
        try {
            $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $script 2>&1 | ForEach-Object { "$_" }
        }
        finally {
            Pop-Location
            $env:HOME = $saved.HOME; $env:PSModulePath = $saved.PSModulePath
            Clear-EnosVariables
        }

        $output | Should -Contain "PACKAGE EnOS.Streaming.$ModuleVersion.nupkg"
        $output | Should -Contain "IMPORTED $ModuleVersion FROM $clean/.local/share/powershell/Modules/EnOS.Streaming/$ModuleVersion"
        $output | Should -Contain 'PAUSED pl-0002 Paused'
        Get-EmulatorStatus $emulator 'pl-0002' | Should -Be 'PAUSED'
        Test-Path "$clean/.local/share/powershell/Modules/EnOS.Streaming/$ModuleVersion/LICENSE" | Should -BeTrue

        # The licence is an SPDX expression in the nuspec, and the LICENSE file is in the package.
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $archive = [IO.Compression.ZipFile]::OpenRead("$TestDrive/repository/EnOS.Streaming.$ModuleVersion.nupkg")
        try {
            $archive.Entries.FullName | Should -Contain 'LICENSE'
            $reader = [IO.StreamReader]::new($archive.GetEntry('EnOS.Streaming.nuspec').Open())
            $nuspec = [xml]$reader.ReadToEnd()
            $reader.Dispose()
        }
        finally { $archive.Dispose() }
        $nuspec.package.metadata.license.type | Should -Be 'expression'
        $nuspec.package.metadata.license.'#text' | Should -Be 'MIT'
    }

    It 'has a manifest fit for the Gallery' {
        $manifest = Test-ModuleManifest -Path $ModuleManifest
        $manifest.Description | Should -Not -BeNullOrEmpty
        $manifest.CompatiblePSEditions | Sort-Object | Should -Be @('Core', 'Desktop')
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
        $manifest.DotNetFrameworkVersion | Should -Be ([version]'4.7.2') # MaxConnectionsPerServer on Windows PowerShell
        $manifest.PrivateData.PSData.Tags | Should -Contain 'EnOS'
        $manifest.ProjectUri | Should -Not -BeNullOrEmpty
        $manifest.LicenseUri | Should -Not -BeNullOrEmpty
        $manifest.ReleaseNotes | Should -Not -BeNullOrEmpty
        $data = Import-PowerShellDataFile $ModuleManifest
        foreach ($key in 'CmdletsToExport', 'FunctionsToExport', 'AliasesToExport', 'VariablesToExport') {
            $data.ContainsKey($key) | Should -BeTrue
            $data[$key] | Where-Object { $_ -match '\*' } | Should -BeNullOrEmpty
        }
    }
}
