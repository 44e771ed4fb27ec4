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
  Shell  Build, start the emulator, import the module and connect, then leave you at a prompt
         to explore by hand; `exit` stops the emulator.
  Package
         Build, then make the PowerShell Gallery package out/package/EnOS.Streaming.<version>.nupkg
         with PSResourceGet (build/Package.ps1).
  Bench  Build, then measure bulk pause against a hand-made Invoke-RestMethod loop and the
         latency floor, the memory of listing 20,000 pipelines, and import time
         (build/Bench.ps1; -Pipelines and -LatencyMs pass through), then the rate-limited,
         start-queue, dead-gateway and slow-listing runs; -Scenario
         Bulk|RateLimit|StartQueue|DeadGateway|Listing runs only those.

.EXAMPLE
dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Shell', 'Package', 'Bench')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Bench only: how many pipelines, and the latency the emulator adds to each request.
    [int] $Pipelines = 1000,
    [int] $LatencyMs = 25,
    [ValidateSet('All', 'Bulk', 'RateLimit', 'StartQueue', 'DeadGateway', 'Listing', 'Journal')]
    [string[]] $Scenario = 'All',

    # Test only: run just these Pester files (and no xunit), for a quick loop while developing.
    [string[]] $PesterPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$Version = (Import-PowerShellDataFile (Join-Path $Root 'EnOS.Streaming.psd1')).ModuleVersion
$ModuleFolder = Join-Path $Root "out/EnOS.Streaming/$Version"
$PesterVersion = '5.7.1'

function Invoke-Dotnet {
    # dotnet with its exit code checked, since a failing native command does not throw.
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-BuildTask {
    Write-Host "Building EnOS.Streaming $Version ($Configuration)" -ForegroundColor Cyan
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
    Write-Host "Module laid out in $ModuleFolder"
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
        return [pscustomobject]@{ Passed = 0; Failed = 1 }
    }
    $counters = ([xml](Get-Content -Raw $trx)).TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted }
}

function Invoke-PesterTests {
    Import-Pester
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = if ($PesterPath) { @($PesterPath -split ',') } else { Join-Path $Root 'tests/Pester' }
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $configuration
    if ($null -eq $result) { return [pscustomobject]@{ Passed = 0; Failed = 1 } }
    [pscustomobject]@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount }
}

function Invoke-TestTask {
    Invoke-BuildTask
    $unit = if ($PesterPath) { [pscustomobject]@{ Passed = 0; Failed = 0 } } else { Invoke-UnitTests }
    Write-Host "xunit: $($unit.Passed) passed, $($unit.Failed) failed" -ForegroundColor Cyan
    $pester = Invoke-PesterTests
    Write-Host "Pester: $($pester.Passed) passed, $($pester.Failed) failed" -ForegroundColor Cyan
    $passed = $unit.Passed + $pester.Passed
    $failed = $unit.Failed + $pester.Failed
    if ($passed -eq 0) { $failed = [Math]::Max($failed, 1) }
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
    Invoke-BuildTask
    Import-Module (Join-Path $Root 'build/EnosEmulator.psm1') -Force -Global
    Import-Module (Join-Path $ModuleFolder 'EnOS.Streaming.psd1') -Force -Global
    $emulator = Start-EnosEmulator -Pipelines 12
    try {
        Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential (Get-EnosEmulatorCredential $emulator)
        $global:EnosEmulator = $emulator
        Write-Host @"

Connected to the EnOS emulator at $($emulator.Url) (organisation $($emulator.OrgId), 12 pipelines).
Try:  Get-EnosPipeline
      Get-EnosPipeline -Status Running | Suspend-EnosPipeline -WhatIf
      Get-Help Suspend-EnosPipeline -Examples
`$EnosEmulator holds the emulator (Invoke-EnosEmulatorAdmin `$EnosEmulator 'pipelines' shows its state).
Type 'exit' to stop the emulator and leave.
"@ -ForegroundColor Cyan
        $Host.EnterNestedPrompt()
    }
    finally {
        Disconnect-EnosStreaming
        Stop-EnosEmulator $emulator
    }
}

switch ($Task) {
    'Build' { Invoke-BuildTask }
    'Test' { Invoke-TestTask }
    'Demo' { Invoke-DemoTask }
    'Shell' { Invoke-ShellTask }
    'Package' {
        Invoke-BuildTask
        & (Join-Path $Root 'build/Package.ps1') -ModuleFolder $ModuleFolder -OutputFolder (Join-Path $Root 'out/package')
    }
    'Bench' {
        Invoke-BuildTask
        & (Join-Path $Root 'build/Bench.ps1') -ModuleFolder $ModuleFolder -Pipelines $Pipelines -LatencyMs $LatencyMs -Scenario $Scenario
    }
}
