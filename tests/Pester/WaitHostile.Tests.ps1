# Waiting on a gateway that misbehaves while the wait polls its listing: the wait keeps to its
# timeout whatever the listing does (slow, lost, refused, gone), and every input ends as exactly
# one object or one error record.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    # Pages of 5, so that a wait's poll is a set of pages; starts show STARTING for 1 s.
    $emulator = Start-EnosEmulator -Pipelines 20 -PageCap 5 -TransitionMs 1000
    Connect-TestEmulator $emulator

    function Set-Paused([string[]] $Ids) {
        foreach ($id in $Ids) { Invoke-EnosEmulatorAdmin $emulator "pipelines/$id/status/PAUSED" -Method PUT | Out-Null }
    }

    function Clear-Misbehaviour {
        foreach ($mode in 'hostile', 'faults', 'limits', 'listing-lies') {
            Invoke-EnosEmulatorAdmin $emulator $mode -Method DELETE | Out-Null
        }
    }
}

AfterAll {
    Disconnect-EnosStreaming
    Stop-EnosEmulator $emulator
}

Describe 'A wait whose listing answers a byte at a time' {
    AfterEach { Clear-Misbehaviour }

    It 'ends at its -TimeoutSec, not at the connection''s much longer budget, naming each pipeline' {
        Set-Paused 'pl-0001', 'pl-0002'
        # One byte every second for two minutes; the connection would wait 100 s for an answer.
        Invoke-EnosEmulatorAdmin $emulator 'hostile' -Method PUT -Body @{ kind = 'slowBody'; trickleMs = 1000 } | Out-Null
        $watch = [Diagnostics.Stopwatch]::StartNew()

        $out = 'pl-0001', 'pl-0002' | Wait-EnosPipeline -Status Running -TimeoutSec 3 -PollSec 1 -ErrorVariable failures -ErrorAction SilentlyContinue

        $watch.Elapsed.TotalSeconds | Should -BeLessThan 60
        $out | Should -BeNullOrEmpty
        $failures.Count | Should -Be 2
        $failures.FullyQualifiedErrorId | Should -BeLike 'EnosWaitTimedOut,*'
        @($failures.TargetObject | Sort-Object) | Should -Be @('pl-0001', 'pl-0002')
    }

    It 'ends Resume -Wait the same way once the resumes were accepted' {
        Set-Paused 'pl-0003'
        # Only the listing calls trickle: the first one is the resume's own status check, so
        # start trickling after it, when the resume has been accepted.
        Resume-EnosPipeline -PipelineId 'pl-0003' -Confirm:$false | Out-Null
        Set-Paused 'pl-0003'
        Invoke-EnosEmulatorAdmin $emulator 'hostile' -Method PUT -Body @{ kind = 'slowBody'; trickleMs = 1000; limit = 1 } | Out-Null

        $out = Wait-EnosPipeline -PipelineId 'pl-0003' -Status Running -TimeoutSec 2 -PollSec 1 -ErrorVariable failures -ErrorAction SilentlyContinue

        $out | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'EnosWaitTimedOut,*'
    }
}

Describe 'A wait on a gateway that fails while it polls' {
    AfterEach { Clear-Misbehaviour }

    It 'accounts for every input of Resume -Wait when a third of the calls are lost or refused' {
        $ids = 1..9 | ForEach-Object { 'pl-{0:D4}' -f $_ }
        Set-Paused $ids
        Invoke-EnosEmulatorAdmin $emulator 'faults' -Method PUT -Body @{ rate = 0.33; kinds = @('drop', '503', '429'); retryAfterSeconds = 0; seed = 7 } | Out-Null

        $out = $ids | Resume-EnosPipeline -Confirm:$false -Wait -ErrorVariable failures -ErrorAction SilentlyContinue

        # Each input once: an object (confirmed RUNNING) or an error record, never both, never neither.
        (@($out).Count + $failures.Count) | Should -Be $ids.Count
        $out | ForEach-Object { $_.Status | Should -Be 'Running' }
        @(@($out | ForEach-Object PipelineId) + @($failures | ForEach-Object TargetObject) | Sort-Object -Unique).Count | Should -Be $ids.Count
    }

    It 'reports each waiting pipeline once, timed out, when the gateway goes down during the wait' {
        $doomed = Start-EnosEmulator -Pipelines 3 -TransitionMs 60000
        try {
            Connect-TestEmulator $doomed
            'pl-0001', 'pl-0002' | ForEach-Object { Invoke-EnosEmulatorAdmin $doomed "pipelines/$_/status/PAUSED" -Method PUT | Out-Null }
            'pl-0001', 'pl-0002' | Resume-EnosPipeline -Confirm:$false | Out-Null
            Invoke-EnosEmulatorAdmin $doomed 'down' -Method POST | Out-Null

            $out = 'pl-0001', 'pl-0002' | Wait-EnosPipeline -Status Running -TimeoutSec 3 -PollSec 1 -ErrorVariable failures -ErrorAction SilentlyContinue

            $out | Should -BeNullOrEmpty
            $failures.Count | Should -Be 2
            $failures.FullyQualifiedErrorId | Should -BeLike 'EnosWaitTimedOut,*'
        }
        finally {
            Stop-EnosEmulator $doomed
            Connect-TestEmulator $emulator
        }
    }

    It 'accounts for every input when the listing repeats a page instead of going on' {
        $ids = 'pl-0001', 'pl-0012', 'pl-0019'
        Set-Paused $ids
        Invoke-EnosEmulatorAdmin $emulator 'listing-lies' -Method PUT -Body @{ repeatFrom = 2 } | Out-Null

        $out = $ids | Resume-EnosPipeline -Confirm:$false -Wait -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

        # pl-0001 is on the one page listed; the others' status could not be known, so they were not sent.
        $out.PipelineId | Should -Be 'pl-0001'
        $out.Status | Should -Be 'Running'
        @($failures.TargetObject | Sort-Object) | Should -Be @('pl-0012', 'pl-0019')
        $failures.FullyQualifiedErrorId | Should -BeLike 'EnosInvalidResponse,*'
        Get-EmulatorStatus $emulator 'pl-0012' | Should -Be 'PAUSED'
    }
}
