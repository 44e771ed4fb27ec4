# Dot-sourced by every test file's BeforeAll: imports the built module from out/ (never from
# source) and the emulator helpers, and defines small assertions shared by the files.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleVersion = (Import-PowerShellDataFile (Join-Path $RepoRoot 'EnOS.Streaming.psd1')).ModuleVersion
$script:ModuleManifest = Join-Path $RepoRoot "out/EnOS.Streaming/$ModuleVersion/EnOS.Streaming.psd1"

Import-Module $ModuleManifest -Force -ErrorAction Stop
Import-Module (Join-Path $RepoRoot 'build/EnosEmulator.psm1') -Force -ErrorAction Stop

function Connect-TestEmulator {
    param([Parameter(Mandatory)] $Emulator)
    # Tests move between emulators on purpose: the "replaced the connection" warning is only noise here.
    Connect-EnosStreaming -GatewayUrl $Emulator.Url -OrgId $Emulator.OrgId -Credential (Get-EnosEmulatorCredential $Emulator) -WarningAction SilentlyContinue
}

function Get-EmulatorStatus {
    # The emulator's own view of one pipeline's status, read through its admin endpoint.
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $PipelineId)
    (Invoke-EnosEmulatorAdmin $Emulator 'pipelines' | Where-Object pipelineId -EQ $PipelineId).status
}

function Get-EmulatorRequests {
    param([Parameter(Mandatory)] $Emulator)
    @(Invoke-EnosEmulatorAdmin $Emulator 'requests')
}

function Clear-EmulatorRequests {
    param([Parameter(Mandatory)] $Emulator)
    Invoke-EnosEmulatorAdmin $Emulator 'requests' -Method DELETE | Out-Null
}

function Get-EmulatorToken {
    # The token service returns the token in force while it is valid, so this is the module's token.
    param([Parameter(Mandatory)] $Emulator)
    Start-Sleep -Milliseconds 2 # a distinct timestamp, so the encryption is not a repeat (1001)
    $timestamp = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
    $bytes = [Text.Encoding]::UTF8.GetBytes("$($Emulator.AppKey)$timestamp$($Emulator.AppSecret)")
    $encryption = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes)).ToLowerInvariant()
    $body = @{ appKey = $Emulator.AppKey; timestamp = $timestamp; encryption = $encryption } | ConvertTo-Json
    (Invoke-RestMethod -Method Post -Uri "$($Emulator.Url)/apim-token-service/v2.0/token/get" -Body $body -ContentType 'application/json').data.accessToken
}

# The ENOS_* variables an unattended runbook connects from. A file that sets them keeps the
# caller's with Save-EnosVariables in BeforeAll and gives them back with Restore-EnosVariables.
function Save-EnosVariables {
    param([switch] $Clear)
    $saved = @{}
    foreach ($name in 'ENOS_GATEWAY_URL', 'ENOS_ORG_ID', 'ENOS_APP_KEY', 'ENOS_APP_SECRET') {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        if ($Clear) { [Environment]::SetEnvironmentVariable($name, $null) }
    }
    $saved
}

function Restore-EnosVariables {
    param([Parameter(Mandatory)] [hashtable] $Saved)
    foreach ($name in $Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
}

function Set-EnosVariables {
    # Points the ENOS_* variables at an emulator; -AppSecret replaces its secret (a damaged copy).
    param([Parameter(Mandatory)] $Emulator, [string] $AppSecret = $Emulator.AppSecret)
    $env:ENOS_GATEWAY_URL = $Emulator.Url
    $env:ENOS_ORG_ID = $Emulator.OrgId
    $env:ENOS_APP_KEY = $Emulator.AppKey
    $env:ENOS_APP_SECRET = $AppSecret
}

function Clear-EnosVariables {
    foreach ($name in 'ENOS_GATEWAY_URL', 'ENOS_ORG_ID', 'ENOS_APP_KEY', 'ENOS_APP_SECRET') { [Environment]::SetEnvironmentVariable($name, $null) }
}

function Get-Completion([string] $InputScript) {
    # What Tab offers at the end of $InputScript.
    (TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length).CompletionMatches
}

function Reset-EmulatorPipelines {
    # Puts pipelines pl-0001..pl-$Count back to their seeded statuses (1,2 running; 3 paused; 4 stopped; 0 published).
    param([Parameter(Mandatory)] $Emulator, [int] $Count = 12)
    $seeded = @{ 0 = 'PUBLISHED'; 1 = 'RUNNING'; 2 = 'RUNNING'; 3 = 'PAUSED'; 4 = 'STOPPED' }
    foreach ($i in 1..$Count) {
        Invoke-EnosEmulatorAdmin $Emulator ('pipelines/pl-{0:D4}/status/{1}' -f $i, $seeded[$i % 5]) -Method PUT | Out-Null
    }
}

# A host that keeps what is written to it. ShouldProcess writes "What if:" lines to the host, where
# no redirection reaches them: a runspace opened on this host lets a test read them, and keeps them
# off the test run's console. [NoRunspaceAffinity()]: the other runspace's thread calls these methods.
[NoRunspaceAffinity()]
class CapturingHostUI : System.Management.Automation.Host.PSHostUserInterface {
    [System.Collections.Concurrent.ConcurrentQueue[string]] $Lines = [System.Collections.Concurrent.ConcurrentQueue[string]]::new()
    # Warnings written to the host directly (a command that warns after its pipeline stopped).
    [System.Collections.Concurrent.ConcurrentQueue[string]] $Warnings = [System.Collections.Concurrent.ConcurrentQueue[string]]::new()
    [System.Management.Automation.Host.PSHostRawUserInterface] get_RawUI() { return $null }
    [void] Write([string] $value) { $this.Lines.Enqueue($value) }
    [void] Write([ConsoleColor] $foreground, [ConsoleColor] $background, [string] $value) { $this.Lines.Enqueue($value) }
    [void] WriteLine([string] $value) { $this.Lines.Enqueue($value) }
    [void] WriteErrorLine([string] $value) { }
    [void] WriteDebugLine([string] $value) { }
    [void] WriteProgress([long] $sourceId, [System.Management.Automation.ProgressRecord] $record) { }
    [void] WriteVerboseLine([string] $value) { }
    [void] WriteWarningLine([string] $value) { $this.Warnings.Enqueue($value) }
    # Nobody is there to answer.
    [string] ReadLine() { throw [System.Management.Automation.Host.HostException]::new('This test host cannot prompt.') }
    [securestring] ReadLineAsSecureString() { throw [System.Management.Automation.Host.HostException]::new('This test host cannot prompt.') }
    [System.Collections.Generic.Dictionary[string, psobject]] Prompt([string] $caption, [string] $message, [System.Collections.ObjectModel.Collection[System.Management.Automation.Host.FieldDescription]] $descriptions) {
        throw [System.Management.Automation.Host.HostException]::new('This test host cannot prompt.')
    }
    [pscredential] PromptForCredential([string] $caption, [string] $message, [string] $userName, [string] $targetName) {
        throw [System.Management.Automation.Host.HostException]::new('This test host cannot prompt.')
    }
    [pscredential] PromptForCredential([string] $caption, [string] $message, [string] $userName, [string] $targetName, [System.Management.Automation.PSCredentialTypes] $allowed, [System.Management.Automation.PSCredentialUIOptions] $options) {
        throw [System.Management.Automation.Host.HostException]::new('This test host cannot prompt.')
    }
    [int] PromptForChoice([string] $caption, [string] $message, [System.Collections.ObjectModel.Collection[System.Management.Automation.Host.ChoiceDescription]] $choices, [int] $default) {
        throw [System.Management.Automation.Host.HostException]::new('This test host cannot prompt.')
    }
}

[NoRunspaceAffinity()]
class CapturingHost : System.Management.Automation.Host.PSHost {
    hidden [guid] $Id = [guid]::NewGuid()
    [CapturingHostUI] $Capture = [CapturingHostUI]::new()
    [string] get_Name() { return 'EnosTestHost' }
    [version] get_Version() { return [version]'1.0' }
    [guid] get_InstanceId() { return $this.Id }
    [System.Management.Automation.Host.PSHostUserInterface] get_UI() { return $this.Capture }
    [cultureinfo] get_CurrentCulture() { return [cultureinfo]::InvariantCulture }
    [cultureinfo] get_CurrentUICulture() { return [cultureinfo]::InvariantCulture }
    [void] SetShouldExit([int] $exitCode) { }
    [void] EnterNestedPrompt() { throw [System.NotSupportedException]::new() }
    [void] ExitNestedPrompt() { throw [System.NotSupportedException]::new() }
    [void] NotifyBeginApplication() { }
    [void] NotifyEndApplication() { }
}

function Invoke-WithCapturedHost {
    # Runs $Script in a runspace of its own, connected to $Emulator, on a host that keeps what is
    # written to it: Host holds those lines ("What if: ..."), and Output, Errors, Verbose and Information the streams.
    # -Variables hands objects of the caller's to the script, by name.
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Script, [hashtable] $Variables = @{})
    $capturing = [CapturingHost]::new()
    $runspace = [runspacefactory]::CreateRunspace($capturing)
    $runspace.Open()
    foreach ($name in $Variables.Keys) { $runspace.SessionStateProxy.SetVariable($name, $Variables[$name]) }
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    try {
        $connect = "Connect-EnosStreaming -GatewayUrl '$($Emulator.Url)' -OrgId '$($Emulator.OrgId)' -WarningAction SilentlyContinue " +
            "-Credential ([pscredential]::new('$($Emulator.AppKey)', (ConvertTo-SecureString '$($Emulator.AppSecret)' -AsPlainText -Force)))"
        $null = $ps.AddScript("Import-Module '$ModuleManifest'; $connect; $Script")
        $output = $ps.Invoke()
        [pscustomobject]@{
            Output  = @($output)
            Host    = @($capturing.Capture.Lines.ToArray())
            Errors  = @($ps.Streams.Error)
            Verbose = @($ps.Streams.Verbose | ForEach-Object Message)
            Information = @($ps.Streams.Information)
        }
    }
    finally {
        $ps.Dispose()
        $runspace.Dispose()
    }
}
