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

function Reset-EmulatorPipelines {
    # Puts pipelines pl-0001..pl-$Count back to their seeded statuses (1,2 running; 3 paused; 4 stopped; 0 published).
    param([Parameter(Mandatory)] $Emulator, [int] $Count = 12)
    $seeded = @{ 0 = 'PUBLISHED'; 1 = 'RUNNING'; 2 = 'RUNNING'; 3 = 'PAUSED'; 4 = 'STOPPED' }
    foreach ($i in 1..$Count) {
        Invoke-EnosEmulatorAdmin $Emulator ('pipelines/pl-{0:D4}/status/{1}' -f $i, $seeded[$i % 5]) -Method PUT | Out-Null
    }
}
