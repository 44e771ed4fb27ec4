#!/usr/bin/env pwsh
<#
.SYNOPSIS
Builds, tests and demonstrates the EnOS.Streaming module.

.DESCRIPTION
Run it with the repository's own PowerShell: dotnet tool restore && dotnet pwsh ./build.ps1 <Task>

  Build  compiles the module and lays out the importable folder out/EnOS.Streaming/<version>/,
         and builds the emulator into out/emulator/.
  Test   Build, then the xunit tests and the Pester tests; prints "N passed, N failed" for both
         together and exits non-zero if any failed. -PesterPath runs only the Pester files given.
  Demo   Build, start the emulator, connect, pause the running pipelines, show before and after.
  Shell  Build (unless nothing changed since the last build, or -NoBuild), start the emulator,
         and open a new pwsh with the module imported and connected, $EnosEmulator set and the
         default preferences; `exit` leaves it and stops the emulator (build/Shell.ps1).
  Install
         Build (unless nothing changed, or -NoBuild), then copy the module into your PowerShell 7
         module folder, so that `Import-Module EnOS.Streaming` works in any pwsh of yours.
  Package
         Build, then make the PowerShell Gallery package out/package/EnOS.Streaming.<version>.nupkg
         with PSResourceGet (build/Package.ps1).
  Bench  Build, then measure bulk pause against a hand-made Invoke-RestMethod loop and the
         latency floor, the memory of listing 20,000 pipelines, and import time
         (build/Bench.ps1; -Pipelines and -LatencyMs pass through), then the rate-limited,
         start-queue, dead-gateway, slow-listing, journal and wait runs; -Scenario
         Bulk|RateLimit|StartQueue|DeadGateway|Listing|Journal|Wait runs only those.

.EXAMPLE
dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Shell', 'Install', 'Package', 'Bench')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Bench only: how many pipelines, and the latency the emulator adds to each request.
    [int] $Pipelines = 1000,
    [int] $LatencyMs = 25,
    [ValidateSet('All', 'Bulk', 'RateLimit', 'StartQueue', 'DeadGateway', 'Listing', 'Journal', 'Wait')]
    [string[]] $Scenario = 'All',

    # Test only: run just these Pester files (and no xunit), for a quick loop while developing.
    [string[]] $PesterPath,

    # Shell and Install: use the module as last built, without looking for changes.
    [switch] $NoBuild,

    # Shell only: run this in the new session instead of leaving a prompt, then exit (how the
    # tests drive the Shell without a console).
    [string] $ShellCommand
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$Version = (Import-PowerShellDataFile (Join-Path $Root 'EnOS.Streaming.psd1')).ModuleVersion
$ModuleFolder = Join-Path $Root "out/EnOS.Streaming/$Version"
$PesterVersion = '5.7.1'
# Written by each build: its configuration, and by its time (when the build began), whether anything changed since.
$BuildStamp = Join-Path $Root 'out/build-stamp.txt'

function Invoke-Dotnet {
    # dotnet with its exit code checked, since a failing native command does not throw.
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-BuildTask {
    Write-Host "Building EnOS.Streaming $Version ($Configuration)" -ForegroundColor Cyan
    # The stamp takes the time the build began: a file saved while it ran may not be in it, so it must look changed.
    $startedAt = [DateTime]::UtcNow
    # The layout rules no compiler checks (PowerShell files above all): a finding fails the build,
    # as a C# style warning does.
    & (Join-Path $Root 'build/Test-SourceStyle.ps1') -Root $Root
    $publish = Join-Path $Root 'out/publish/module'
    Remove-Item $publish, $ModuleFolder -Recurse -Force -ErrorAction Ignore
    Invoke-Dotnet publish (Join-Path $Root 'src/EnOS.Streaming.PowerShell/EnOS.Streaming.PowerShell.csproj') `
        -c $Configuration -o $publish "-p:Version=$Version" --nologo -v quiet
    Invoke-Dotnet publish (Join-Path $Root 'src/EnOS.Streaming.Loader/EnOS.Streaming.Loader.csproj') `
        -c $Configuration -o (Join-Path $publish 'loader') "-p:Version=$Version" --nologo -v quiet
    Invoke-Dotnet publish (Join-Path $Root 'src/EnOS.Streaming.Emulator/EnOS.Streaming.Emulator.csproj') `
        -c $Configuration -o (Join-Path $Root 'out/emulator') --nologo -v quiet

    # The importable module: the manifest, the format file, the loader and the cmdlets at the top;
    # everything they depend on in Dependencies/, which the loader resolves (in a load context of
    # its own on PowerShell 7).
    $dependencies = Join-Path $ModuleFolder 'Dependencies'
    New-Item -ItemType Directory -Path $dependencies -Force | Out-Null
    Copy-Item (Join-Path $Root 'EnOS.Streaming.psd1') $ModuleFolder
    Copy-Item (Join-Path $publish 'EnOS.Streaming.Format.ps1xml') $ModuleFolder
    Copy-Item (Join-Path $publish 'EnOS.Streaming.Types.ps1xml') $ModuleFolder
    Copy-Item (Join-Path $publish 'loader/EnOS.Streaming.Loader.dll') $ModuleFolder
    Copy-Item (Join-Path $publish 'EnOS.Streaming.PowerShell.dll') $ModuleFolder
    Get-ChildItem $publish -Filter *.dll | Where-Object Name -NE 'EnOS.Streaming.PowerShell.dll' | Copy-Item -Destination $dependencies

    # Help: docs/help/*.md compiled to en-US/ and checked against the built cmdlets' real parameters
    # (read in a child PowerShell, so this process never loads the module).
    Import-Module (Join-Path $Root 'build/HelpCompiler.psm1') -Force
    Build-EnosHelp -SourceFolder (Join-Path $Root 'docs/help') -ModuleFolder $ModuleFolder -AssemblyName 'EnOS.Streaming.PowerShell.dll'
    Set-Content -LiteralPath $BuildStamp -Value $Configuration
    (Get-Item -LiteralPath $BuildStamp).LastWriteTimeUtc = $startedAt
    Write-Host "Module laid out in $ModuleFolder"
}

function Test-BuildCurrent {
    # True when the last build was of this configuration and no file it is made from changed since.
    if (-not (Test-Path -LiteralPath $BuildStamp) -or -not (Test-Path -LiteralPath $ModuleFolder)) { return $false }
    if ((Get-Content -LiteralPath $BuildStamp -Raw).Trim() -ne $Configuration) { return $false }
    $builtAt = (Get-Item -LiteralPath $BuildStamp).LastWriteTimeUtc
    $sources = @(Get-ChildItem (Join-Path $Root 'src'), (Join-Path $Root 'docs/help') -File -Recurse |
            Where-Object FullName -NotMatch '[\\/](bin|obj)[\\/]') +
        @(Get-Item (Join-Path $Root 'EnOS.Streaming.psd1'), (Join-Path $Root 'Directory.Build.props'),
            (Join-Path $Root 'build/HelpCompiler.psm1'), (Join-Path $Root 'build/Read-CommandMetadata.ps1'))
    -not ($sources | Where-Object LastWriteTimeUtc -GT $builtAt | Select-Object -First 1)
}

function Invoke-BuildIfChanged {
    if ($NoBuild) {
        if (-not (Test-Path -LiteralPath $ModuleFolder)) { throw "There is no built module in $ModuleFolder yet: run without -NoBuild." }
        return
    }
    if (Test-BuildCurrent) {
        Write-Host "Nothing changed since the last build: using $ModuleFolder." -ForegroundColor Cyan
        return
    }
    Invoke-BuildTask
}

function Import-Pester {
    # Pester comes from NuGet (build/tools.proj), never from the PowerShell Gallery.
    Invoke-Dotnet restore (Join-Path $Root 'build/tools.proj') --nologo -v quiet
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $pester = Join-Path $packages.Trim() "pester/$PesterVersion/tools/Pester.psd1"
    Import-Module $pester -RequiredVersion $PesterVersion -Force
}

function Invoke-UnitTests {
    $results = Join-Path $Root 'out/TestResults'
    Remove-Item $results -Recurse -Force -ErrorAction Ignore
    & dotnet test (Join-Path $Root 'tests/Unit/EnOS.Streaming.Tests.csproj') -c $Configuration --nologo `
        --logger 'trx;LogFileName=unit.trx' --logger 'console;verbosity=minimal' --results-directory $results | Out-Host
    $trx = Join-Path $results 'unit.trx'
    if (-not (Test-Path $trx)) {
        # The build itself failed: count it as one failure rather than as nothing run.
        return [pscustomobject]@{ Passed = 0; Failed = 1; Names = @() }
    }
    $run = ([xml](Get-Content -Raw $trx)).TestRun
    $counters = $run.ResultSummary.Counters
    [pscustomobject]@{
        Passed = [int]$counters.passed
        Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        Names  = @($run.Results.UnitTestResult | Where-Object outcome -NE 'Passed' | ForEach-Object testName)
    }
}

function Invoke-PesterTests {
    Import-Pester
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = if ($PesterPath) { @($PesterPath -split ',') } else { Join-Path $Root 'tests/Pester' }
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $configuration
    if ($null -eq $result) { return [pscustomobject]@{ Passed = 0; Failed = 1; Names = @() } }
    $failures = @($result.Failed) + @($result.FailedBlocks) + @($result.FailedContainers) | Where-Object { $_ }
    [pscustomobject]@{
        Passed = $result.PassedCount
        Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
        Names  = @($failures | ForEach-Object {
                $name = if ($_.ExpandedPath) { $_.ExpandedPath } else { "$($_.Item)" }
                $reason = if ($_.ErrorRecord) { ("$($_.ErrorRecord[0])" -split "`n")[0] } else { '' }
                "$name`n    $reason"
            })
    }
}

function Invoke-TestTask {
    Invoke-BuildTask
    $unit = if ($PesterPath) { [pscustomobject]@{ Passed = 0; Failed = 0; Names = @() } } else { Invoke-UnitTests }
    Write-Host "xunit: $($unit.Passed) passed, $($unit.Failed) failed" -ForegroundColor Cyan
    $pester = Invoke-PesterTests
    Write-Host "Pester: $($pester.Passed) passed, $($pester.Failed) failed" -ForegroundColor Cyan
    $passed = $unit.Passed + $pester.Passed
    $failed = $unit.Failed + $pester.Failed
    if ($passed -eq 0) { $failed = [Math]::Max($failed, 1) }
    # Each failure again next to the closing line: a CI log is often read from its end only.
    @($unit.Names) + @($pester.Names) | Where-Object { $_ } | ForEach-Object { Write-Host "FAILED: $_" -ForegroundColor Red }
    # The closing line CI reads: both suites summed.
    Write-Host "$passed passed, $failed failed"
    exit ([int]($failed -gt 0))
}

function Invoke-DemoTask {
    Invoke-BuildTask
    Import-Module (Join-Path $Root 'build/EnosEmulator.psm1') -Force
    Import-Module (Join-Path $ModuleFolder 'EnOS.Streaming.psd1') -Force
    $emulator = Start-EnosEmulator -Pipelines 12
    try {
        Write-Host "`nThe EnOS emulator listens at $($emulator.Url)." -ForegroundColor Cyan
        $credential = Get-EnosEmulatorCredential $emulator
        Write-Host "> Connect-EnosStreaming -GatewayUrl $($emulator.Url) -OrgId $($emulator.OrgId) -Credential `$credential -PassThru" -ForegroundColor Yellow
        Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential $credential -PassThru | Format-List | Out-Host

        Write-Host '> Get-EnosPipeline' -ForegroundColor Yellow
        Get-EnosPipeline | Format-Table | Out-Host

        Write-Host '> Get-EnosPipeline -Status Running | Suspend-EnosPipeline -PassThru' -ForegroundColor Yellow
        Get-EnosPipeline -Status Running | Suspend-EnosPipeline -PassThru -Confirm:$false | Format-Table | Out-Host

        Write-Host '> Get-EnosPipeline' -ForegroundColor Yellow
        Get-EnosPipeline | Format-Table | Out-Host

        Write-Host '> Suspend-EnosPipeline -PipelineId pl-0004   # a stopped pipeline cannot be paused' -ForegroundColor Yellow
        Suspend-EnosPipeline -PipelineId pl-0004 -Confirm:$false -ErrorAction Continue -ErrorVariable demoErrors 2>$null
        $demoErrors | ForEach-Object { Write-Host "$($_.FullyQualifiedErrorId): $_" -ForegroundColor DarkYellow }
        Disconnect-EnosStreaming
    }
    finally {
        Stop-EnosEmulator $emulator
    }
    Write-Host "`nDemo finished." -ForegroundColor Cyan
}

function Invoke-ShellTask {
    Invoke-BuildIfChanged
    Import-Module (Join-Path $Root 'build/EnosEmulator.psm1') -Force
    $emulator = Start-EnosEmulator -Pipelines 12
    try {
        # A new pwsh, not a nested prompt in this script: its own console loop (PSReadLine, Tab),
        # and none of this script's $ErrorActionPreference = 'Stop' or strict mode. The same
        # PowerShell as this one: a dotnet tool runs as dotnet + pwsh.dll.
        $start = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') {
            $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll'))
        }
        $arguments = if ($ShellCommand) { '-NoLogo', '-NoProfile', '-NonInteractive' } else { '-NoLogo', '-NoExit' }
        $arguments += '-File', (Join-Path $Root 'build/Shell.ps1'), '-ModuleManifest', (Join-Path $ModuleFolder 'EnOS.Streaming.psd1'),
            '-Url', $emulator.Url, '-OrgId', $emulator.OrgId, '-AppKey', $emulator.AppKey, '-AppSecret', $emulator.AppSecret
        if ($ShellCommand) { $arguments += '-Command', $ShellCommand }
        foreach ($argument in $arguments) { $start.ArgumentList.Add($argument) }
        $start.UseShellExecute = $false
        $shell = [System.Diagnostics.Process]::Start($start)
        # A plain wait: Ctrl+C at the child's prompt is the child's, and never ends this wait early.
        $shell.WaitForExit()
        $shellExitCode = $shell.ExitCode
    }
    finally {
        Stop-EnosEmulator $emulator
    }
    exit $shellExitCode
}

function Get-UserModulePath {
    # Where PowerShell 7 looks for the current user's modules (the first entry of its default PSModulePath).
    if ($IsWindows) { return Join-Path ([Environment]::GetFolderPath('MyDocuments')) 'PowerShell/Modules' }
    $data = if ($env:XDG_DATA_HOME) { $env:XDG_DATA_HOME } else { Join-Path $HOME '.local/share' }
    Join-Path $data 'powershell/Modules'
}

function Invoke-InstallTask {
    Invoke-BuildIfChanged
    $target = Join-Path (Get-UserModulePath) "EnOS.Streaming/$Version"
    # The same version again replaces its folder whole, so no file of an older build stays behind.
    Remove-Item -LiteralPath $target -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Path $target -Force | Out-Null
    Copy-Item -Path (Join-Path $ModuleFolder '*') -Destination $target -Recurse
    Write-Host "Installed EnOS.Streaming $Version in $target."
    Write-Host "In any pwsh (7.4 or later) of this user: Import-Module EnOS.Streaming" -ForegroundColor Cyan
}

switch ($Task) {
    'Build' { Invoke-BuildTask }
    'Test' { Invoke-TestTask }
    'Demo' { Invoke-DemoTask }
    'Shell' { Invoke-ShellTask }
    'Install' { Invoke-InstallTask }
    'Package' {
        Invoke-BuildTask
        & (Join-Path $Root 'build/Package.ps1') -ModuleFolder $ModuleFolder -OutputFolder (Join-Path $Root 'out/package')
    }
    'Bench' {
        Invoke-BuildTask
        & (Join-Path $Root 'build/Bench.ps1') -ModuleFolder $ModuleFolder -Pipelines $Pipelines -LatencyMs $LatencyMs -Scenario $Scenario
    }
}
