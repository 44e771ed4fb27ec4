# Wait-EnosPipeline and Test-EnosPipelineHealth (issue 22) against the emulator's transitions:
# pipelines that show STARTING before RUNNING, starts that end FAILED, lag that drains or grows.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    # Every start or pause shows STARTING/PAUSING for 1.5 s; every third start ends FAILED.
    $emulator = Start-EnosEmulator -Pipelines 30 -TransitionMs 1500 -FailEvery 3
    Connect-TestEmulator $emulator

    function Set-Status([string[]] $Ids, [string] $Status) {
        foreach ($id in $Ids) { Invoke-EnosEmulatorAdmin $emulator "pipelines/$id/status/$Status" -Method PUT | Out-Null }
    }

    function Reset-Transitions([hashtable] $Settings = @{ transitionMs = 1500; failEvery = 3 }) {
        # Also zeroes the start count that failEvery counts.
        Invoke-EnosEmulatorAdmin $emulator 'transitions' -Method PUT -Body $Settings | Out-Null
    }

    function Get-ListingCalls {
        @(Get-EmulatorRequests $emulator | Where-Object path -Like 'streaming/v2.0/streaming/pipelines')
    }
}

AfterAll {
    Disconnect-EnosStreaming
    Stop-EnosEmulator $emulator
}

Describe 'The emulator learns transitions' {
    BeforeEach { Reset-Transitions }

    It 'shows STARTING after a start is accepted, then RUNNING; every third start ends FAILED' {
        $ids = 'pl-0003', 'pl-0008', 'pl-0013'   # seeded PAUSED
        Set-Status $ids 'PAUSED'
        $ids | Resume-EnosPipeline -Confirm:$false

        foreach ($id in $ids) { Get-EmulatorStatus $emulator $id | Should -Be 'STARTING' }
        Start-Sleep -Milliseconds 1800
        @($ids | ForEach-Object { Get-EmulatorStatus $emulator $_ } | Sort-Object) | Should -Be @('FAILED', 'RUNNING', 'RUNNING')
        (Invoke-EnosEmulatorAdmin $emulator 'transitions').starts | Should -Be 3
    }

    It 'answers lag that falls or rises between calls, per pipeline' {
        Set-Status 'pl-0001', 'pl-0002' 'RUNNING'
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0001/lag' -Method PUT -Body @{ trend = 'draining' } | Out-Null
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0002/lag' -Method PUT -Body @{ trend = 'growing' } | Out-Null
        $sum = { param($id) (Get-EnosPipelineLag -PipelineId $id | Measure-Object Lag -Sum).Sum }

        $drainingBefore = & $sum 'pl-0001'; $drainingAfter = & $sum 'pl-0001'
        $growingBefore = & $sum 'pl-0002'; $growingAfter = & $sum 'pl-0002'

        $drainingAfter | Should -BeLessThan $drainingBefore
        $growingAfter | Should -BeGreaterThan $growingBefore
    }

    It 'fails a user pipeline started while its channel''s system pipelines are not running' {
        Reset-Transitions @{ transitionMs = 0; systemPipelinesFirst = $true }
        Set-Status 'sys-0001' 'PAUSED'
        Set-Status 'pl-0004' 'STOPPED'
        try {
            Start-EnosPipeline -PipelineId 'pl-0004' -Confirm:$false
            Get-EmulatorStatus $emulator 'pl-0004' | Should -Be 'FAILED'

            Set-Status 'sys-0001' 'RUNNING'
            Set-Status 'pl-0004' 'STOPPED'
            Start-EnosPipeline -PipelineId 'pl-0004' -Confirm:$false
            Get-EmulatorStatus $emulator 'pl-0004' | Should -Be 'RUNNING'
        }
        finally { Set-Status 'sys-0001' 'RUNNING' }
    }

    It 'refuses an unknown transition setting and changes nothing' {
        $refusal = try { Invoke-EnosEmulatorAdmin $emulator 'transitions' -Method PUT -Body @{ transitionMS = 10; failEvry = 2 } } catch { $_ }
        $refusal.ErrorDetails.Message | Should -Match 'failEvry'
        (Invoke-EnosEmulatorAdmin $emulator 'transitions').settings.failEvery | Should -Be 3
    }
}

Describe 'Wait-EnosPipeline' {
    BeforeEach {
        Reset-Transitions
        Clear-EmulatorRequests $emulator
    }

    It 'writes each resumed pipeline once it is RUNNING, one error per FAILED one; inputs = outputs + errors' {
        $ids = 1..30 | Where-Object { $_ % 5 -eq 3 } | ForEach-Object { 'pl-{0:D4}' -f $_ }   # 6 pipelines
        Set-Status $ids 'PAUSED'
        $resumed = @($ids | Resume-EnosPipeline -PassThru -Confirm:$false)
        $resumed.Count | Should -Be 6

        $reached = @($resumed | Wait-EnosPipeline -Status Running -PollSec 1 -TimeoutSec 30 -ErrorVariable failed -ErrorAction SilentlyContinue)

        $reached.Count + $failed.Count | Should -Be $ids.Count
        $failed.Count | Should -Be 2   # the 3rd and the 6th start
        $reached | ForEach-Object { $_.Status | Should -Be 'Running' }
        $reached | ForEach-Object { $_ | Should -BeOfType ([EnOS.Streaming.Pipeline]) }
        foreach ($record in $failed) {
            $record.FullyQualifiedErrorId | Should -BeLike 'EnosPipelineFailed,*'
            "$record" | Should -Match 'is FAILED, not RUNNING'
            $record.CategoryInfo.Category | Should -Be 'InvalidResult'
            $record.TargetObject | Should -BeIn $ids
        }
        (@($reached.PipelineId) + @($failed.TargetObject) | Sort-Object) | Should -Be ($ids | Sort-Object)
    }

    It 'polls the listing, one page set a poll for the whole set, never one call per pipeline' {
        $ids = 'pl-0003', 'pl-0008', 'pl-0013', 'pl-0018'
        Reset-Transitions @{ transitionMs = 2500 }
        Set-Status $ids 'PAUSED'
        $ids | Resume-EnosPipeline -Confirm:$false
        Clear-EmulatorRequests $emulator

        $verbose = @(Wait-EnosPipeline -PipelineId $ids -Status Running -PollSec 1 -TimeoutSec 30 -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Where-Object Message -Match '^Poll \d+')

        $requests = Get-EmulatorRequests $emulator
        $polls = $verbose.Count
        $polls | Should -BeGreaterThan 1   # 2.5 s of STARTING at one poll a second
        @($requests | Where-Object path -Like 'streaming/v2.0/streaming/pipeline/*').Count | Should -Be 0
        @(Get-ListingCalls).Count | Should -Be $polls   # 32 pipelines fit one page of 100
    }

    It 'times out naming the status last seen, as the service sent it; an unknown status is still moving' {
        Set-Status 'pl-0005' 'WARMING_UP'
        Set-Status 'pl-0010' 'STARTING'

        $out = @(Wait-EnosPipeline -PipelineId 'pl-0005', 'pl-0010' -Status Running -PollSec 1 -TimeoutSec 2 -ErrorVariable late -ErrorAction SilentlyContinue)

        $out.Count | Should -Be 0
        $late.Count | Should -Be 2
        $late | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'EnosWaitTimedOut,*'; $_.CategoryInfo.Category | Should -Be 'OperationTimeout' }
        "$($late | Where-Object TargetObject -EQ 'pl-0005')" | Should -Match 'still WARMING_UP after 2 s, not RUNNING'
        @(Get-ListingCalls).Count | Should -BeGreaterOrEqual 2
        Set-Status 'pl-0005', 'pl-0010' 'RUNNING'
    }

    It 'waits for what a journal holds: suspend, resume, wait, all by -JournalPath' {
        $journal = Join-Path $TestDrive 'window.jsonl'
        Reset-Transitions @{ transitionMs = 500 }
        $ids = 'pl-0001', 'pl-0002', 'pl-0006'
        Set-Status $ids 'RUNNING'
        $ids | Suspend-EnosPipeline -JournalPath $journal -Confirm:$false
        Wait-EnosPipeline -JournalPath $journal -Status Paused -PollSec 1 -TimeoutSec 20 | Should -HaveCount 3

        Resume-EnosPipeline -JournalPath $journal -Confirm:$false
        $back = @(Wait-EnosPipeline -JournalPath $journal -Status Running -PollSec 1 -TimeoutSec 20)

        ($back.PipelineId | Sort-Object) | Should -Be $ids
    }

    It 'reports a pipeline the listing does not have as not found, and goes on with the others' {
        Set-Status 'pl-0007' 'RUNNING'
        $out = @(Wait-EnosPipeline -PipelineId 'pl-0007', 'pl-9999' -Status Running -PollSec 1 -TimeoutSec 10 -ErrorVariable missing -ErrorAction SilentlyContinue)

        $out.PipelineId | Should -Be 'pl-0007'
        $missing.Count | Should -Be 1
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineNotFound,*'
    }

    It 'ends at once on Ctrl+C and names what was still waiting, with its status' {
        Reset-Transitions @{ transitionMs = 600000 }
        Set-Status 'pl-0003' 'PAUSED'
        Resume-EnosPipeline -PipelineId 'pl-0003' -Confirm:$false
        $ps = [powershell]::Create()
        $connect = "Connect-EnosStreaming -GatewayUrl '$($emulator.Url)' -OrgId '$($emulator.OrgId)' " +
            "-Credential ([pscredential]::new('$($emulator.AppKey)', (ConvertTo-SecureString '$($emulator.AppSecret)' -AsPlainText -Force)))"
        $null = $ps.AddScript("Import-Module '$ModuleManifest'; $connect; Wait-EnosPipeline -PipelineId 'pl-0003' -Status Running -PollSec 1 -TimeoutSec 300")
        $handle = $ps.BeginInvoke()
        $watch = [Diagnostics.Stopwatch]::StartNew()
        while (@(Get-ListingCalls).Count -lt 2 -and $watch.ElapsedMilliseconds -lt 20000) { Start-Sleep -Milliseconds 50 }

        $stopping = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $stopping.Elapsed.TotalSeconds | Should -BeLessThan 5

        "$($ps.Streams.Warning)" | Should -Match 'stopped.*pl-0003 \(STARTING\)'
        $ps.Dispose()
        Set-Status 'pl-0003' 'PAUSED'
    }

    It 'refuses a status that is not one to wait for, before sending anything' {
        { Wait-EnosPipeline -PipelineId 'pl-0001' -Status Failed } | Should -Throw
        { Wait-EnosPipeline -PipelineId 'pl-0001' -Status Running -PollSec 0 } | Should -Throw
        @(Get-ListingCalls).Count | Should -Be 0
    }
}

Describe 'Test-EnosPipelineHealth' {
    BeforeEach { Reset-Transitions @{ transitionMs = 0 } }

    It 'judges each pipeline from its status and two lag samples; inputs = outputs + errors' {
        Set-Status 'pl-0011', 'pl-0012', 'pl-0016' 'RUNNING'
        Set-Status 'pl-0017' 'PAUSED'
        Set-Status 'pl-0021' 'FAILED'
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0011/lag' -Method PUT -Body @{ trend = 'draining' } | Out-Null
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0012/lag' -Method PUT -Body @{ trend = 'growing' } | Out-Null
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0016/lag' -Method PUT -Body @{ trend = 'steady' } | Out-Null
        $ids = 'pl-0011', 'pl-0012', 'pl-0016', 'pl-0017', 'pl-0021', 'pl-9999'

        $health = @($ids | Test-EnosPipelineHealth -IntervalSec 1 -ErrorVariable failed -ErrorAction SilentlyContinue -InformationVariable summary)

        $health.Count + $failed.Count | Should -Be $ids.Count
        $verdicts = @{}; foreach ($h in $health) { $verdicts[$h.PipelineId] = "$($h.Verdict)" }
        $verdicts['pl-0011'] | Should -Be 'Draining'
        $verdicts['pl-0012'] | Should -Be 'Growing'
        $verdicts['pl-0016'] | Should -Be 'Healthy'
        $verdicts['pl-0017'] | Should -Be 'NotRunning'
        $verdicts['pl-0021'] | Should -Be 'Failed'
        ($health | Where-Object PipelineId -EQ 'pl-0017').Status | Should -Be 'PAUSED'
        ($health | Where-Object PipelineId -EQ 'pl-0012').LagChange | Should -BeGreaterThan 0
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineNotFound,*'
        "$summary" | Should -Match '1 Healthy, 1 Draining, 1 Growing, 1 Failed, 1 NotRunning, 1 not checked'
        Set-Status 'pl-0021' 'RUNNING'
    }

    It 'shows a table of id, name, status, verdict and lag' {
        Set-Status 'pl-0001' 'RUNNING'
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0001/lag' -Method PUT -Body @{ trend = 'steady' } | Out-Null
        $text = Test-EnosPipelineHealth -PipelineId 'pl-0001' -IntervalSec 1 | Out-String

        $text | Should -Match 'PipelineId\s+Name\s+Status\s+Verdict\s+LagBefore\s+LagAfter'
        $text | Should -Match 'pl-0001\s+wind-line-1\s+RUNNING\s+Healthy'
    }

    It 'reads the pipelines from Wait-EnosPipeline, as the end of a window does' {
        Reset-Transitions @{ transitionMs = 500 }
        Set-Status 'pl-0003', 'pl-0008' 'PAUSED'
        $health = @('pl-0003', 'pl-0008' | Resume-EnosPipeline -PassThru -Confirm:$false |
                Wait-EnosPipeline -Status Running -PollSec 1 -TimeoutSec 20 | Test-EnosPipelineHealth -IntervalSec 1)

        $health.Count | Should -Be 2
        $health | ForEach-Object { $_.Status | Should -Be 'RUNNING' }
    }
}

Describe 'The -Wait of the state changes' {
    BeforeEach { Reset-Transitions }

    It 'Resume -Wait writes each pipeline only once it is listed RUNNING, and a failed start as EnosPipelineFailed' {
        $ids = 'pl-0003', 'pl-0008', 'pl-0013', 'pl-0018', 'pl-0023', 'pl-0028'
        Set-Status $ids 'PAUSED'
        Clear-EmulatorRequests $emulator

        $output = @($ids | Resume-EnosPipeline -Confirm:$false -Wait -ErrorVariable failed -ErrorAction SilentlyContinue -InformationVariable summary)

        # Inputs = outputs + errors: every third start ends FAILED.
        $output.Count | Should -Be 4
        $failed.Count | Should -Be 2
        ($output.Count + $failed.Count) | Should -Be $ids.Count
        @($output.Status | Sort-Object -Unique) | Should -Be @('Running')
        @($failed.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] } | Sort-Object -Unique) | Should -Be @('EnosPipelineFailed')
        @($failed | ForEach-Object { "$_" }) | ForEach-Object { $_ | Should -Match 'FAILED' }
        "$summary" | Should -Match '6 resumed, 0 failed'
        "$summary" | Should -Match '4 reached RUNNING, 2 failed, 0 timed out'
        # The wait read the listing, never one call per pipeline.
        @(Get-EmulatorRequests $emulator | Where-Object { $_.path -like 'streaming/v2.0/streaming/pipeline/*' -and $_.method -eq 'GET' }) | Should -BeNullOrEmpty
        (Get-ListingCalls).Count | Should -BeGreaterThan 1
    }

    It 'Suspend -Wait -PassThru writes each pipeline once, with its confirmed status, already paused ones too' {
        Set-Status 'pl-0001', 'pl-0002' 'RUNNING'
        Set-Status 'pl-0004' 'PAUSED'

        $output = @('pl-0001', 'pl-0002', 'pl-0004' | Suspend-EnosPipeline -Confirm:$false -Wait -PassThru)

        @($output.PipelineId | Sort-Object) | Should -Be @('pl-0001', 'pl-0002', 'pl-0004')
        @($output.Status | Sort-Object -Unique) | Should -Be @('Paused')
    }

    It 'waits for nothing under -WhatIf, and sends nothing' {
        Set-Status 'pl-0001' 'RUNNING'
        $before = @(Get-EmulatorRequests $emulator).Count
        $output = @(Suspend-EnosPipeline -PipelineId 'pl-0001' -Wait -WhatIf)
        $output | Should -BeNullOrEmpty
        Get-EmulatorStatus $emulator 'pl-0001' | Should -Be 'RUNNING'
        @(Get-EmulatorRequests $emulator | Select-Object -Skip $before | Where-Object method -EQ 'POST') | Should -BeNullOrEmpty
    }

    It 'Resume -JournalPath -Wait | Test-EnosPipelineHealth ends the window with a verdict per pipeline' {
        Reset-Transitions @{ transitionMs = 500 }
        $journal = Join-Path $TestDrive 'window.jsonl'
        Set-Status 'pl-0001', 'pl-0002' 'RUNNING'
        'pl-0001', 'pl-0002' | Suspend-EnosPipeline -JournalPath $journal -Confirm:$false -Wait | Out-Null

        $health = @(Resume-EnosPipeline -JournalPath $journal -Confirm:$false -Wait | Test-EnosPipelineHealth -IntervalSec 1)

        @($health.PipelineId | Sort-Object) | Should -Be @('pl-0001', 'pl-0002')
        @($health.Status | Sort-Object -Unique) | Should -Be @('Running')
        $health.Verdict | ForEach-Object { $_ | Should -BeIn 'Healthy', 'Draining', 'Growing' }
    }
}
