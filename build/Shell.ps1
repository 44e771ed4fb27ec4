<#
.SYNOPSIS
The start of the session build.ps1 Shell opens: imports the module, connects to the emulator the
parent started, sets $EnosEmulator, and says what to try. Run by a new pwsh with -NoExit (or, for
the tests, with -Command and no prompt); the parent stops the emulator when this session ends.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $Url,
    [Parameter(Mandatory)] [string] $OrgId,
    [Parameter(Mandatory)] [string] $AppKey,
    [Parameter(Mandatory)] [string] $AppSecret,
    # Run this instead of leaving a prompt (the tests).
    [string] $Command
)

# No strict mode and no preference is set here: the prompt is the user's, with PowerShell's defaults.
# PSReadLine is loaded by the console at the first prompt; loaded here too, so that it is there
# (and its absence would show) whatever starts this session.
Import-Module PSReadLine
Import-Module (Join-Path $PSScriptRoot 'EnosEmulator.psm1') -Global
Import-Module $ModuleManifest -Global
$global:EnosEmulator = [pscustomobject]@{
    PSTypeName = 'EnosEmulator'
    Url        = $Url
    OrgId      = $OrgId
    AppKey     = $AppKey
    AppSecret  = $AppSecret
}
Connect-EnosStreaming -GatewayUrl $Url -OrgId $OrgId -Credential (Get-EnosEmulatorCredential $EnosEmulator)

if ($Command) {
    # Dot-sourced: no scope of its own with other preferences, as if typed at the prompt.
    . ([scriptblock]::Create($Command))
    return
}

Write-Host @"

Connected to the EnOS emulator at $Url (organisation $OrgId, 12 pipelines).
Try:  Get-EnosPipeline
      Get-EnosPipeline -Status Running | Suspend-EnosPipeline -WhatIf
      Suspend-EnosPipeline -PipelineId <Tab>
      Get-Help Suspend-EnosPipeline -Examples
`$EnosEmulator is the emulator (Invoke-EnosEmulatorAdmin `$EnosEmulator 'pipelines' shows its own view).
Type 'exit' to leave; the emulator stops with this session.
"@ -ForegroundColor Cyan
