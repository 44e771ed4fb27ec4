# The maintenance-window scenarios of issue 18, each run against an emulator and returning its
# figures: tests/Pester/MaintenanceWindow.Tests.ps1 runs them small and asserts on the figures;
# build/Bench.ps1 (-Scenario Journal) runs them at 300 pipelines and prints them. The caller is
# connected to the emulator; children connect from the ENOS_* variables.

function Start-EnosChildPwsh {
    # A separate `dotnet pwsh` process running $Script with the module imported, connected to $Emulator.
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Script, [Parameter(Mandatory)] [string] $ModuleManifest,
        [Parameter(Mandatory)] [string] $RepoRoot, [Parameter(Mandatory)] [string] $Folder)
    $file = Join-Path $Folder ("child-{0}.ps1" -f [guid]::NewGuid().ToString('N'))
    Set-Content -LiteralPath $file -Value "`$ErrorActionPreference = 'Continue'; Import-Module '$ModuleManifest'; $Script"
    $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
    'pwsh', '-NoProfile', '-NonInteractive', '-File', $file | ForEach-Object { $start.ArgumentList.Add($_) }
    $start.WorkingDirectory = $RepoRoot
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.Environment['ENOS_GATEWAY_URL'] = $Emulator.Url
    $start.Environment['ENOS_ORG_ID'] = $Emulator.OrgId
    $start.Environment['ENOS_APP_KEY'] = $Emulator.AppKey
    $start.Environment['ENOS_APP_SECRET'] = $Emulator.AppSecret
    $process = [Diagnostics.Process]::Start($start)
    # Drained as they come, so a chatty child never blocks on a full pipe.
    $null = $process.StandardOutput.ReadToEndAsync()
    $null = $process.StandardError.ReadToEndAsync()
    $process
}

function Get-EmulatorStatusMap {
    # Pipeline id -> status, ordinary pipelines only, as the emulator holds them.
    param([Parameter(Mandatory)] $Emulator)
    $map = @{}
    Invoke-EnosEmulatorAdmin $Emulator 'pipelines' | Where-Object { $_.pipelineId -like 'pl-*' } | ForEach-Object { $map[$_.pipelineId] = $_.status }
    $map
}

function Get-JournalLineCount([string] $Path) {
    if (-not (Test-Path -LiteralPath $Path)) { return 0 }
    @([IO.File]::ReadAllLines($Path)).Count
}

function Invoke-TwoRunsOneJournal {
    # Two processes pause $PerProcess pipelines each into one journal at the same time; then the way back.
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Journal, [int] $PerProcess = 100,
        [Parameter(Mandatory)] [string] $ModuleManifest, [Parameter(Mandatory)] [string] $RepoRoot, [Parameter(Mandatory)] [string] $Folder)
    Invoke-EnosEmulatorAdmin $Emulator 'pipelines/status/RUNNING' -Method PUT | Out-Null
    $go = Join-Path $Folder 'go'
    $children = foreach ($half in 0, 1) {
        $ids = (($half * $PerProcess) + 1)..(($half + 1) * $PerProcess) | ForEach-Object { "'pl-{0:D4}'" -f $_ }
        $ready = Join-Path $Folder "ready-$half"
        # Both wait for one signal, so that their appends really overlap.
        $script = "Set-Content '$ready' 1; `$w = [Diagnostics.Stopwatch]::StartNew(); while (-not (Test-Path '$go') -and `$w.Elapsed.TotalSeconds -lt 120) { Start-Sleep -Milliseconds 10 }; " +
            "Suspend-EnosPipeline -PipelineId $($ids -join ',') -JournalPath '$Journal' -ThrottleLimit 16 -Confirm:`$false"
        Start-EnosChildPwsh -Emulator $Emulator -Script $script -ModuleManifest $ModuleManifest -RepoRoot $RepoRoot -Folder $Folder
    }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    while (-not ((Test-Path (Join-Path $Folder 'ready-0')) -and (Test-Path (Join-Path $Folder 'ready-1'))) -and $watch.Elapsed.TotalSeconds -lt 120) { Start-Sleep -Milliseconds 20 }
    Set-Content -LiteralPath $go -Value 1
    foreach ($child in $children) {
        if (-not $child.WaitForExit(180000)) { $child.Kill($true) }
    }

    $lines = @(Get-Content -LiteralPath $Journal | ConvertFrom-Json)
    $journaled = @($lines | Where-Object action -EQ 'paused' | ForEach-Object pipelineId | Sort-Object -Unique)
    $pausedNow = @((Get-EmulatorStatusMap $Emulator).GetEnumerator() | Where-Object Value -EQ 'PAUSED')
    Invoke-EnosEmulatorAdmin $Emulator 'requests' -Method DELETE | Out-Null
    $resumed = @(Resume-EnosPipeline -JournalPath $Journal -PassThru -ThrottleLimit 16 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed)
    $starts = @(Invoke-EnosEmulatorAdmin $Emulator 'requests' | Where-Object { $_.method -eq 'POST' -and $_.rawTarget -match 'action=start' })
    [pscustomobject]@{
        Paused         = $pausedNow.Count
        JournalLines   = $lines.Count
        Journaled      = $journaled.Count
        Resumed        = @($resumed.PipelineId | Sort-Object -Unique).Count
        ResumedTwice   = $resumed.Count - @($resumed.PipelineId | Sort-Object -Unique).Count
        Starts         = $starts.Count
        StartedTwice   = $starts.Count - @($starts.pipelineId | Sort-Object -Unique).Count
        Errors         = $failed.Count
        StillPaused    = @((Get-EmulatorStatusMap $Emulator).GetEnumerator() | Where-Object Value -EQ 'PAUSED').Count
    }
}

function Invoke-LostAnswerWindow {
    # Every pipeline running; a share of the pauses applied with the answer lost, and the retry refused
    # with an API error (HTTP 500, 61100). Then the way back.
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Journal, [double] $Rate = 0.2, [int] $Seed = 18)
    Invoke-EnosEmulatorAdmin $Emulator 'pipelines/status/RUNNING' -Method PUT | Out-Null
    $listed = @(Get-EnosPipeline -Status Running)
    Invoke-EnosEmulatorAdmin $Emulator 'faults' -Method PUT -Body @{ rate = $Rate; kinds = @('drop'); applyThenDrop = $true; retryCode = 61100; retryHttpStatus = 500; seed = $Seed } | Out-Null
    try {
        $paused = @($listed | Suspend-EnosPipeline -JournalPath $Journal -PassThru -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed)
    }
    finally { Invoke-EnosEmulatorAdmin $Emulator 'faults' -Method DELETE | Out-Null }
    $afterPause = Get-EmulatorStatusMap $Emulator
    $resumed = @(Resume-EnosPipeline -JournalPath $Journal -PassThru -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable wayBackFailed)
    $after = Get-EmulatorStatusMap $Emulator
    [pscustomobject]@{
        Input             = $listed.Count
        Output            = $paused.Count
        Errors            = $failed.Count
        SaidMayHavePaused = @($failed | Where-Object { "$_" -match 'may have been paused' }).Count
        EndedPaused       = @($afterPause.GetEnumerator() | Where-Object Value -EQ 'PAUSED').Count
        Resumed           = $resumed.Count
        WayBackErrors     = $wayBackFailed.Count
        LeftPaused        = @($after.GetEnumerator() | Where-Object Value -EQ 'PAUSED').Count
    }
}

function Invoke-KilledWindow {
    # An unfiltered `Get-EnosPipeline | Suspend-EnosPipeline -JournalPath` in a child process, killed
    # (SIGKILL) after a random number of journal lines; then the way back. Every 4th pipeline is
    # PAUSED before the window and every 7th STOPPED; the rest run.
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Journal, [Parameter(Mandatory)] [int] $Pipelines,
        [Parameter(Mandatory)] [string] $ModuleManifest, [Parameter(Mandatory)] [string] $RepoRoot, [Parameter(Mandatory)] [string] $Folder,
        [int] $SlowMs = 60)
    Invoke-EnosEmulatorAdmin $Emulator 'pipelines/status/RUNNING' -Method PUT | Out-Null
    foreach ($i in 1..$Pipelines) {
        $status = if ($i % 4 -eq 0) { 'PAUSED' } elseif ($i % 7 -eq 0) { 'STOPPED' } else { $null }
        if ($status) { Invoke-EnosEmulatorAdmin $Emulator ('pipelines/pl-{0:D4}/status/{1}' -f $i, $status) -Method PUT | Out-Null }
    }
    $before = Get-EmulatorStatusMap $Emulator
    $killAt = Get-Random -Minimum 1 -Maximum (2 * $Pipelines)
    Invoke-EnosEmulatorAdmin $Emulator 'faults' -Method PUT -Body @{ rate = 1; kinds = @('slow'); slowMs = $SlowMs } | Out-Null
    try {
        $child = Start-EnosChildPwsh -Emulator $Emulator -ModuleManifest $ModuleManifest -RepoRoot $RepoRoot -Folder $Folder `
            -Script "Get-EnosPipeline | Suspend-EnosPipeline -JournalPath '$Journal' -Confirm:`$false -ErrorAction SilentlyContinue"
        $watch = [Diagnostics.Stopwatch]::StartNew()
        while (-not $child.HasExited -and (Get-JournalLineCount $Journal) -lt $killAt -and $watch.Elapsed.TotalSeconds -lt 180) { Start-Sleep -Milliseconds 5 }
        $finished = $child.HasExited
        if (-not $finished) { $child.Kill($true) }
        $child.WaitForExit()
    }
    finally { Invoke-EnosEmulatorAdmin $Emulator 'faults' -Method DELETE | Out-Null }
    $afterKill = Get-EmulatorStatusMap $Emulator
    $pausedByRun = @($afterKill.Keys | Where-Object { $before[$_] -eq 'RUNNING' -and $afterKill[$_] -eq 'PAUSED' })
    $null = Resume-EnosPipeline -JournalPath $Journal -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed -WarningAction SilentlyContinue
    $after = Get-EmulatorStatusMap $Emulator
    [pscustomobject]@{
        KilledAtLine          = if ($finished) { $null } else { $killAt }
        PausedBefore          = @($before.Values | Where-Object { $_ -eq 'PAUSED' }).Count
        PausedByRun           = $pausedByRun.Count
        Resumed               = @($pausedByRun | Where-Object { $after[$_] -eq 'RUNNING' }).Count
        PausedBeforeResumed   = @($before.Keys | Where-Object { $before[$_] -eq 'PAUSED' -and $after[$_] -ne 'PAUSED' }).Count
        OthersChanged         = @($before.Keys | Where-Object { $before[$_] -ne 'PAUSED' -and $before[$_] -ne 'RUNNING' -and $after[$_] -ne $before[$_] }).Count
        WayBackErrors         = $failed.Count
    }
}

Export-ModuleMember -Function Start-EnosChildPwsh, Get-EmulatorStatusMap, Invoke-TwoRunsOneJournal, Invoke-LostAnswerWindow, Invoke-KilledWindow
