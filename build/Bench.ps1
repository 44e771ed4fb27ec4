<#
.SYNOPSIS
Measures bulk pause throughput, listing memory and import time against the local emulator.

.DESCRIPTION
Run through build.ps1: dotnet pwsh ./build.ps1 Bench [-Scenario Bulk|RateLimit|StartQueue|DeadGateway|Listing|Journal|Wait] [-Pipelines 1000] [-LatencyMs 25]
(no -Scenario: all of them).

Bulk:

All runs use one emulator with a per-request latency, every pipeline RUNNING at the start of each run:
  (a) Get-EnosPipeline -Status Running | Suspend-EnosPipeline at the default and higher -ThrottleLimit;
  (b) what a user would write without the module: Invoke-RestMethod in a foreach loop with
      hand-made signing, one request after another;
  (c) the floor: pauses x latency / ThrottleLimit (no client can beat it at that concurrency).
Then the peak memory of a process that lists 2,000 and 20,000 pipelines, and the time
Import-Module adds to a bare pwsh start (median of several runs).

RateLimit: 600 pipelines behind a gateway that allows 20 calls a second (429 with and without
Retry-After, and with RateLimit headers), paused at -ThrottleLimit 8, 16 and 64: every pipeline
paused, error records, calls per pipeline, and the time against the ideal (pipelines / allowed rate).
StartQueue: 12 paused pipelines resumed while the service answers 61121 for 1.5 s after each start.
DeadGateway: 1,000 pipelines paused against a gateway that went down before the run, and one that
goes down after 300 calls.
Listing: a slow gateway (200 ms a page, at most 100 pipelines a page): the first Tab completing
-PipelineId on 1,000 pipelines, and Get-EnosPipeline of 10,000, against reading the pages one after
another (pages x latency), with the most pages the emulator saw in flight at once.
Journal: 300 pipelines (build/WindowScenarios.psm1): two processes pausing 100 pipelines each into
one journal at once, then the way back; every pipeline paused with 20% of the answers lost and the
retry refused (HTTP 500, 61100), then the way back; and an unfiltered run killed (SIGKILL) at a random
journal line, 10 times, each followed by the way back. Fails if any pipeline is lost or mixed up.
Wait: 1,000 pipelines paused while the emulator shows PAUSING for 10 s (200 ms a page, 100 a page),
then Wait-EnosPipeline -Status Paused -PollSec 2: polls, listing calls per poll (1 poll = 1 page
set = 10 pages), calls for single pipelines (0), and the time until the last one was written.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleFolder,
    [int] $Pipelines = 1000,
    [int] $LatencyMs = 25,
    [int[]] $ThrottleLimits = @(8, 16, 64),
    [int] $ImportRuns = 7,
    [ValidateSet('All', 'Bulk', 'RateLimit', 'StartQueue', 'DeadGateway', 'Listing', 'Journal', 'Wait')]
    [string[]] $Scenario = 'All'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$manifest = Join-Path $ModuleFolder 'EnOS.Streaming.psd1'
Import-Module $manifest -Force
Import-Module (Join-Path $PSScriptRoot 'EnosEmulator.psm1') -Force

function Set-AllRunning($Emulator) {
    Invoke-EnosEmulatorAdmin $Emulator 'pipelines/status/RUNNING' -Method PUT | Out-Null
}

function Get-PausedCount($Emulator) {
    @(Invoke-EnosEmulatorAdmin $Emulator 'pipelines' | Where-Object { $_.status -eq 'PAUSED' -and -not $_.isSystem }).Count
}

function Invoke-HandMadePause($Emulator) {
    # What the module replaces: a token, then signed Invoke-RestMethod calls in a loop.
    $sha = { param($text) [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($text))).ToLowerInvariant() }
    $gateway = $Emulator.Url
    $timestamp = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
    $tokenBody = @{ appKey = $Emulator.AppKey; timestamp = $timestamp; encryption = (& $sha "$($Emulator.AppKey)$timestamp$($Emulator.AppSecret)") } | ConvertTo-Json
    $token = (Invoke-RestMethod -Method Post -Uri "$gateway/apim-token-service/v2.0/token/get" -Body $tokenBody -ContentType 'application/json').data.accessToken

    $invoke = {
        param([string] $Method, [string] $Path, [System.Collections.Specialized.OrderedDictionary] $Query)
        $names = [string[]]$Query.Keys
        [Array]::Sort($names, [StringComparer]::Ordinal)
        $ts = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        $signature = & $sha ($token + (-join ($names | ForEach-Object { $_ + $Query[$_] })) + $ts + $Emulator.AppSecret)
        $queryText = ($Query.Keys | ForEach-Object { "$_=$([Uri]::EscapeDataString($Query[$_]))" }) -join '&'
        Invoke-RestMethod -Method $Method -Uri "$gateway$Path`?$queryText" -ContentType 'application/json;charset=UTF-8' -Headers @{
            'apim-accesstoken' = $token; 'apim-signature' = $signature; 'apim-timestamp' = "$ts" }
    }

    $running = [System.Collections.Generic.List[string]]::new()
    for ($page = 1; ; $page++) {
        $answer = & $invoke GET '/streaming/v2.0/streaming/pipelines' ([ordered]@{ orgId = $Emulator.OrgId; pageSize = '100'; pageNo = "$page" })
        $answer.data.pipelines | Where-Object status -EQ 'RUNNING' | ForEach-Object { $running.Add($_.pipelineId) }
        if (@($answer.data.pipelines).Count -eq 0 -or $page * 100 -ge $answer.data.count) { break }
    }
    foreach ($id in $running) {
        $answer = & $invoke POST "/streaming/v2.0/streaming/pipeline/$([Uri]::EscapeDataString($id))" ([ordered]@{ action = 'pause'; orgId = $Emulator.OrgId })
        if ($answer.code -ne 0) { throw "Hand-made pause of $id answered $($answer.code)" }
    }
}

function Test-Scenario([string] $Name) { $Scenario -contains 'All' -or $Scenario -contains $Name }

function Connect-Emulator($Emulator) {
    # A fresh connection per run: the limiter and circuit of one run do not carry into the next.
    Connect-EnosStreaming -GatewayUrl $Emulator.Url -OrgId $Emulator.OrgId -Credential (Get-EnosEmulatorCredential $Emulator)
}

function Measure-Median([int] $Runs, [scriptblock] $Script) {
    $times = foreach ($i in 1..$Runs) { (Measure-Command $Script).TotalSeconds }
    ($times | Sort-Object)[[int][Math]::Floor($Runs / 2)]
}

if (Test-Scenario 'Bulk') {
    Write-Host "Bench: $Pipelines pipelines, $LatencyMs ms per request, $([Environment]::ProcessorCount) cores" -ForegroundColor Cyan
    $emulator = Start-EnosEmulator -Pipelines $Pipelines -LatencyMs $LatencyMs -SystemPipelines 0
    $rows = [System.Collections.Generic.List[object]]::new()
    try {
        Connect-Emulator $emulator

        # A warm-up run, so that JIT and connection set-up are not in the first figure.
        Set-AllRunning $emulator
        Get-EnosPipeline -Status Running | Select-Object -First 50 | Suspend-EnosPipeline -Confirm:$false -ThrottleLimit 16

        Set-AllRunning $emulator
        $baseline = (Measure-Command { Invoke-HandMadePause $emulator }).TotalSeconds
        if ((Get-PausedCount $emulator) -ne $Pipelines) { throw 'The hand-made loop did not pause every pipeline.' }
        $rows.Add([pscustomobject]@{ Run = '(b) Invoke-RestMethod loop, sequential'; ThrottleLimit = 1; Seconds = $baseline; Floor = $Pipelines * $LatencyMs / 1000 })

        foreach ($limit in $ThrottleLimits) {
            Set-AllRunning $emulator
            $seconds = (Measure-Command { Get-EnosPipeline -Status Running | Suspend-EnosPipeline -Confirm:$false -ThrottleLimit $limit }).TotalSeconds
            if ((Get-PausedCount $emulator) -ne $Pipelines) { throw "ThrottleLimit $limit did not pause every pipeline." }
            $label = if ($limit -eq 8) { '(a) Get | Suspend (default -ThrottleLimit)' } else { '(a) Get | Suspend' }
            $rows.Add([pscustomobject]@{ Run = $label; ThrottleLimit = $limit; Seconds = $seconds; Floor = $Pipelines * $LatencyMs / 1000 / $limit })
        }
        Disconnect-EnosStreaming
    }
    finally { Stop-EnosEmulator $emulator }

    $table = $rows | ForEach-Object {
        [pscustomobject]@{
            Run             = $_.Run
            ThrottleLimit   = $_.ThrottleLimit
            Seconds         = [Math]::Round($_.Seconds, 2)
            'Requests/s'    = [Math]::Round($Pipelines / $_.Seconds)
            'vs (b)'        = if ($_.ThrottleLimit -eq 1) { '1x (baseline)' } else { '{0:0.0}x faster' -f ($baseline / $_.Seconds) }
            'Floor (c) s'   = [Math]::Round($_.Floor, 2)
            'vs floor'      = '{0:0.00}x' -f ($_.Seconds / $_.Floor)
        }
    }
    $table | Format-Table -AutoSize | Out-String -Width 200 | Out-Host

    # Memory: a fresh process per size, so each peak is its own.
    Write-Host 'Peak memory of a pwsh process listing every pipeline (Get-EnosPipeline | ForEach-Object { $n++ })' -ForegroundColor Cyan
    $memory = foreach ($size in 2000, 20000) {
        $big = Start-EnosEmulator -Pipelines $size -SystemPipelines 0
        try {
            $env:ENOS_GATEWAY_URL = $big.Url; $env:ENOS_ORG_ID = $big.OrgId; $env:ENOS_APP_KEY = $big.AppKey; $env:ENOS_APP_SECRET = $big.AppSecret
            $script = "Import-Module '$manifest'; `$n = 0; `$w = [Diagnostics.Stopwatch]::StartNew(); Get-EnosPipeline | ForEach-Object { `$n++ }; " +
                "'{0} {1} {2}' -f `$n, [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64, `$w.Elapsed.TotalSeconds"
            $line = & dotnet pwsh -NoProfile -NonInteractive -Command $script
            if ($LASTEXITCODE -ne 0) { throw "The listing process failed: $line" }
            $count, $peak, $seconds = "$line".Trim() -split ' '
            if ([int]$count -ne $size) { throw "Listed $count of $size pipelines." }
            [pscustomobject]@{ Pipelines = $size; 'Peak working set MB' = [Math]::Round([double]$peak / 1MB); 'Listing s' = [Math]::Round([double]$seconds, 2) }
        }
        finally {
            Stop-EnosEmulator $big
            foreach ($name in 'ENOS_GATEWAY_URL', 'ENOS_ORG_ID', 'ENOS_APP_KEY', 'ENOS_APP_SECRET') { [Environment]::SetEnvironmentVariable($name, $null) }
        }
    }
    $memory | Format-Table -AutoSize | Out-String -Width 200 | Out-Host

    Write-Host "Import time: median of $ImportRuns runs" -ForegroundColor Cyan
    $bare = Measure-Median $ImportRuns { & dotnet pwsh -NoProfile -NonInteractive -Command 'exit 0' }
    $withImport = Measure-Median $ImportRuns { & dotnet pwsh -NoProfile -NonInteractive -Command "Import-Module '$manifest'; exit 0" }
    [pscustomobject]@{ 'pwsh start s' = [Math]::Round($bare, 3); 'start + Import-Module s' = [Math]::Round($withImport, 3); 'Import adds s' = [Math]::Round($withImport - $bare, 3) } |
        Format-Table -AutoSize | Out-String -Width 200 | Out-Host
}

if (Test-Scenario 'RateLimit') {
    $count = 600; $allowed = 20
    $ideal = $count / $allowed
    Write-Host "Rate limit: $count pipelines, $allowed calls/s allowed, $LatencyMs ms per request; ideal $ideal s" -ForegroundColor Cyan
    $emulator = Start-EnosEmulator -Pipelines $count -LatencyMs $LatencyMs -SystemPipelines 0
    $rows = [System.Collections.Generic.List[object]]::new()
    try {
        $runs = @(
            @{ Gateway = '429 + Retry-After: 1'; ThrottleLimit = 8; Limits = @{ ratePerSecond = $allowed; retryAfter = $true } }
            @{ Gateway = '429 + Retry-After: 1'; ThrottleLimit = 16; Limits = @{ ratePerSecond = $allowed; retryAfter = $true } }
            @{ Gateway = '429 + Retry-After: 1'; ThrottleLimit = 64; Limits = @{ ratePerSecond = $allowed; retryAfter = $true } }
            @{ Gateway = '429, no Retry-After'; ThrottleLimit = 64; Limits = @{ ratePerSecond = $allowed; retryAfter = $false } }
            @{ Gateway = '429 + RateLimit-* headers'; ThrottleLimit = 64; Limits = @{ ratePerSecond = $allowed; retryAfter = $true; headers = $true } }
        )
        foreach ($run in $runs) {
            Set-AllRunning $emulator
            Connect-Emulator $emulator
            Invoke-EnosEmulatorAdmin $emulator 'limits' -Method PUT -Body $run.Limits | Out-Null
            Invoke-EnosEmulatorAdmin $emulator 'stats/reset' -Method POST | Out-Null
            $errors = $null
            $seconds = (Measure-Command {
                Get-EnosPipeline -Status Running | Suspend-EnosPipeline -Confirm:$false -ThrottleLimit $run.ThrottleLimit -ErrorAction SilentlyContinue -ErrorVariable errors
            }).TotalSeconds
            $calls = (Invoke-EnosEmulatorAdmin $emulator 'stats').requests
            $throttled = (Invoke-EnosEmulatorAdmin $emulator 'limits').throttled
            Invoke-EnosEmulatorAdmin $emulator 'limits' -Method DELETE | Out-Null
            $rows.Add([pscustomobject]@{
                Gateway             = $run.Gateway
                ThrottleLimit       = $run.ThrottleLimit
                Paused              = "$(Get-PausedCount $emulator) of $count"
                Errors              = @($errors).Count
                Calls               = $calls
                '429s'              = $throttled
                'Calls/pipeline'    = [Math]::Round($calls / $count, 2)
                Seconds             = [Math]::Round($seconds, 1)
                'vs ideal'          = '{0:0.00}x' -f ($seconds / $ideal)
            })
            Disconnect-EnosStreaming
        }
    }
    finally { Stop-EnosEmulator $emulator }
    $rows | Format-Table -AutoSize | Out-String -Width 200 | Out-Host
}

if (Test-Scenario 'StartQueue') {
    $count = 12; $lockMs = 1500
    Write-Host "Start queue: $count paused pipelines, the service answers 61121 for $($lockMs / 1000) s after each start" -ForegroundColor Cyan
    $emulator = Start-EnosEmulator -Pipelines $count -LatencyMs $LatencyMs -SystemPipelines 0
    try {
        Connect-Emulator $emulator
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/status/PAUSED' -Method PUT | Out-Null
        Invoke-EnosEmulatorAdmin $emulator 'limits' -Method PUT -Body @{ startLockMs = $lockMs } | Out-Null
        Invoke-EnosEmulatorAdmin $emulator 'requests' -Method DELETE | Out-Null
        $errors = $null
        $seconds = (Measure-Command {
            Get-EnosPipeline -Status Paused | Resume-EnosPipeline -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable errors
        }).TotalSeconds
        $starts = @(Invoke-EnosEmulatorAdmin $emulator 'requests' | Where-Object { $_.method -eq 'POST' -and $_.rawTarget -match 'action=start' })
        $accepted = @($starts | Where-Object code -EQ 0)
        $running = @(Invoke-EnosEmulatorAdmin $emulator 'pipelines' | Where-Object status -EQ 'RUNNING').Count
        [pscustomobject]@{
            Running            = "$running of $count"
            Errors             = @($errors).Count
            'Accepted starts'  = $accepted.Count
            'Started twice'    = @($accepted | Group-Object pipelineId | Where-Object Count -GT 1).Count
            'Start calls'      = $starts.Count
            Seconds            = [Math]::Round($seconds, 1)
            "vs $count x $($lockMs / 1000) s" = '{0:0.00}x' -f ($seconds / ($count * $lockMs / 1000))
        } | Format-Table -AutoSize | Out-String -Width 200 | Out-Host
        Disconnect-EnosStreaming
    }
    finally { Stop-EnosEmulator $emulator }
}

if (Test-Scenario 'DeadGateway') {
    $count = 1000
    Write-Host "Dead gateway: $count pipelines" -ForegroundColor Cyan
    $ids = 1..$count | ForEach-Object { 'pl-{0:D4}' -f $_ }
    $rows = foreach ($case in @(@{ Name = 'down before the run'; DownAfter = 0 }, @{ Name = 'goes down after 300 calls'; DownAfter = 300 })) {
        $emulator = Start-EnosEmulator -Pipelines $count -LatencyMs $LatencyMs -SystemPipelines 0
        try {
            Connect-Emulator $emulator
            Set-AllRunning $emulator
            Invoke-EnosEmulatorAdmin $emulator 'limits' -Method PUT -Body @{ downAfterCalls = $case.DownAfter } | Out-Null
            $errors = $null
            $output = $null
            $seconds = (Measure-Command {
                $output = $ids | Suspend-EnosPipeline -Confirm:$false -PassThru -ThrottleLimit 16 -ErrorAction SilentlyContinue -ErrorVariable errors
            }).TotalSeconds
            [pscustomobject]@{
                Gateway          = $case.Name
                Pipelines        = $count
                Paused           = @($output).Count
                'Error records'  = @($errors).Count
                'Not attempted'  = @($errors | Where-Object { $_.Exception.NotAttempted }).Count
                Seconds          = [Math]::Round($seconds, 2)
            }
            Disconnect-EnosStreaming
        }
        finally { Stop-EnosEmulator $emulator }
    }
    $rows | Format-Table -AutoSize | Out-String -Width 200 | Out-Host
}

if (Test-Scenario 'Listing') {
    $pageMs = 200; $pageCap = 100
    Write-Host "Listing: $pageMs ms per page, at most $pageCap pipelines a page" -ForegroundColor Cyan
    $rows = foreach ($case in @(@{ Run = 'first Tab on -PipelineId'; Pipelines = 1000 }, @{ Run = 'Get-EnosPipeline'; Pipelines = 10000 })) {
        $emulator = Start-EnosEmulator -Pipelines $case.Pipelines -LatencyMs $pageMs -PageCap $pageCap -SystemPipelines 0
        try {
            # A fresh connection: its token is fetched here, and its completion list is empty.
            Connect-Emulator $emulator
            Invoke-EnosEmulatorAdmin $emulator 'stats/reset' -Method POST | Out-Null
            $listed = $null
            $tab = 'Suspend-EnosPipeline -PipelineId '
            $seconds = if ($case.Pipelines -eq 1000) {
                (Measure-Command { $listed = (TabExpansion2 -inputScript $tab -cursorColumn $tab.Length).CompletionMatches.CompletionText }).TotalSeconds
            }
            else {
                (Measure-Command { $listed = (Get-EnosPipeline).PipelineId }).TotalSeconds
            }
            $expected = 1..$case.Pipelines | ForEach-Object { 'pl-{0:D4}' -f $_ }
            if (@($listed).Count -ne $case.Pipelines -or (Compare-Object $expected @($listed) -SyncWindow 0)) {
                throw "$($case.Run) gave $(@($listed).Count) of $($case.Pipelines) pipelines, or not in the listing's order."
            }
            $stats = Invoke-EnosEmulatorAdmin $emulator 'stats'
            $sequential = [Math]::Ceiling($case.Pipelines / $pageCap) * $pageMs / 1000
            [pscustomobject]@{
                Run                    = $case.Run
                Pipelines              = $case.Pipelines
                Pages                  = $stats.requests
                'Peak pages in flight' = $stats.peakInFlight
                Seconds                = [Math]::Round($seconds, 2)
                'One page at a time s' = $sequential
                'Speed-up'             = '{0:0.0}x' -f ($sequential / $seconds)
            }
            Disconnect-EnosStreaming
        }
        finally { Stop-EnosEmulator $emulator }
    }
    $rows | Format-Table -AutoSize | Out-String -Width 200 | Out-Host
}

if (Test-Scenario 'Journal') {
    # Issue 18's "must show": the journal under two writers, lost answers and kills, at 300 pipelines.
    $count = 300
    Write-Host "Journal: $count pipelines, $LatencyMs ms per request" -ForegroundColor Cyan
    Import-Module (Join-Path $PSScriptRoot 'WindowScenarios.psm1') -Force
    $repoRoot = Split-Path $PSScriptRoot -Parent
    $folder = Join-Path ([IO.Path]::GetTempPath()) "enos-bench-journal-$([guid]::NewGuid().ToString('N'))"
    $null = New-Item -ItemType Directory $folder
    $common = @{ ModuleManifest = $manifest; RepoRoot = $repoRoot }
    $emulator = Start-EnosEmulator -Pipelines $count -LatencyMs $LatencyMs -SystemPipelines 0
    try {
        Connect-Emulator $emulator
        $two = Invoke-TwoRunsOneJournal -Emulator $emulator -Journal (Join-Path $folder 'two.jsonl') -PerProcess 100 -Folder $folder @common
        $two | Format-List | Out-String | Out-Host
        $lost = Invoke-LostAnswerWindow -Emulator $emulator -Journal (Join-Path $folder 'lost.jsonl') -Rate 0.2
        $lost | Format-List | Out-String | Out-Host
        $kills = foreach ($round in 1..10) {
            $run = Join-Path $folder "kill-$round"
            $null = New-Item -ItemType Directory $run
            Invoke-KilledWindow -Emulator $emulator -Journal (Join-Path $run 'w.jsonl') -Pipelines $count -Folder $run @common
        }
        $kills | Format-Table -AutoSize | Out-String -Width 200 | Out-Host
        $wrong = @($kills | Where-Object { $_.PausedBeforeResumed -or $_.Resumed -ne $_.PausedByRun -or $_.OthersChanged -or $_.WayBackErrors })
        $failures = @(
            if ($two.Journaled -ne 200 -or $two.Resumed -ne 200 -or $two.ResumedTwice -or $two.StartedTwice) { 'two runs, one journal' }
            if ($lost.Output + $lost.Errors -ne $lost.Input -or $lost.LeftPaused) { 'lost answers' }
            if ($wrong) { "$($wrong.Count) of 10 kills" }
        )
        if ($failures) { throw "Journal: the window lost or mixed up pipelines in: $($failures -join '; ')." }
        Disconnect-EnosStreaming
    }
    finally {
        Stop-EnosEmulator $emulator
        Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
    }
}

if (Test-Scenario 'Wait') {
    $pageMs = 200; $count = 1000; $transitionMs = 10000
    Write-Host "Wait: $count pipelines, $pageMs ms a page, 100 a page, PAUSING for $($transitionMs / 1000) s after each pause" -ForegroundColor Cyan
    $emulator = Start-EnosEmulator -Pipelines $count -LatencyMs $pageMs -PageCap 100 -SystemPipelines 0 -TransitionMs $transitionMs
    try {
        Connect-Emulator $emulator
        Set-AllRunning $emulator
        Get-EnosPipeline -Status Running | Suspend-EnosPipeline -ThrottleLimit 64 -Confirm:$false -InformationAction SilentlyContinue
        Invoke-EnosEmulatorAdmin $emulator 'requests' -Method DELETE | Out-Null
        $polls = 0; $reached = 0
        $seconds = (Measure-Command {
                Wait-EnosPipeline -PipelineId (1..$count | ForEach-Object { 'pl-{0:D4}' -f $_ }) -Status Paused -PollSec 2 -TimeoutSec 120 -Verbose -InformationAction SilentlyContinue 4>&1 |
                    ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { if ($_.Message -match '^Poll \d+') { $polls++ } } else { $reached++ } }
            }).TotalSeconds
        $requests = @(Invoke-EnosEmulatorAdmin $emulator 'requests')
        $listing = @($requests | Where-Object path -Like 'streaming/v2.0/streaming/pipelines').Count
        $single = @($requests | Where-Object path -Like 'streaming/v2.0/streaming/pipeline/*').Count
        if ($reached -ne $count) { throw "Wait-EnosPipeline wrote $reached of $count pipelines." }
        [pscustomobject]@{
            Pipelines          = $count
            Reached            = $reached
            Polls              = $polls
            'Listing calls'    = $listing
            'Calls per poll'   = [Math]::Round($listing / [Math]::Max(1, $polls), 1)
            'Single calls'     = $single
            Seconds            = [Math]::Round($seconds, 1)
        } | Format-Table -AutoSize | Out-String -Width 200 | Out-Host
        Disconnect-EnosStreaming
    }
    finally { Stop-EnosEmulator $emulator }
}
