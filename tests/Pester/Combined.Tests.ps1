# Everything at once: a rate limit, random faults (some applied, then the answer dropped) and a
# gateway that goes down mid-run, against one command and against two runspaces sharing the
# ENOS_* connection. Whatever happens, every input pipeline ends in exactly one output or one
# error record (or, once an error ends the command, one warning).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedEnvironment = Save-EnosVariables

    function Start-Troubled([int] $Pipelines, [int] $DownAfterCalls) {
        $emulator = Start-EnosEmulator -Pipelines $Pipelines -SystemPipelines 0
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/status/RUNNING' -Method PUT | Out-Null
        Invoke-EnosEmulatorAdmin $emulator 'limits' -Method PUT -Body @{ ratePerSecond = 40; downAfterCalls = $DownAfterCalls } | Out-Null
        Invoke-EnosEmulatorAdmin $emulator 'faults' -Method PUT -Body @{
            rate = 0.2; kinds = @('503', 'drop', 'html502', 'malformed'); applyThenDrop = $true; seed = 7
        } | Out-Null
        $emulator
    }

    function Assert-EachOnce([string[]] $Ids, $Output, $Errors, $Warnings) {
        # Warnings name the pipelines they are about ("Also failed: ..." under -ErrorAction Stop).
        $warned = @($Warnings | ForEach-Object { [regex]::Matches("$_", "pl-\d{4}") | ForEach-Object Value })
        $reported = @($Output | ForEach-Object PipelineId) + @($Errors | ForEach-Object { "$($_.TargetObject)" }) + $warned
        $reported.Count | Should -Be $Ids.Count -Because 'one result per input, no more and no less'
        (Compare-Object ($reported | Sort-Object) ($Ids | Sort-Object)) | Should -BeNullOrEmpty
    }
}

AfterAll {
    Restore-EnosVariables $savedEnvironment
}

Describe 'A throttling, faulty gateway that goes down mid-run' {
    It 'accounts for each of 300 pipelines exactly once (-ThrottleLimit 64), and reports the dead gateway at once' {
        $emulator = Start-Troubled -Pipelines 300 -DownAfterCalls 120
        try {
            Connect-TestEmulator $emulator
            $ids = 1..300 | ForEach-Object { 'pl-{0:D4}' -f $_ }

            $watch = [Diagnostics.Stopwatch]::StartNew()
            $output = $ids | Suspend-EnosPipeline -PassThru -Confirm:$false -ThrottleLimit 64 `
                -ErrorVariable errors -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
            $watch.Stop()

            Assert-EachOnce $ids $output $errors $warnings
            @($output).Count | Should -BeGreaterThan 0
            $emulator.Process.WaitForExit(15000) | Should -BeTrue -Because 'the gateway really went down'
            foreach ($record in $errors) { $record.FullyQualifiedErrorId | Should -BeLike 'EnosTransientFailure,*' }
            # A sanity bound only (the pipelines left when it went down are reported at once; the
            # unit tests hold that exactly): no pipeline waits out the 100 s budget.
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 30
        }
        finally {
            Disconnect-EnosStreaming
            Stop-EnosEmulator $emulator
        }
    }
}

Describe 'A rate limit that outlasts the time budget' {
    It 'accounts for each of 64 pipelines exactly once when the waits for a turn run out -TimeoutSec' {
        $emulator = Start-EnosEmulator -Pipelines 64 -SystemPipelines 0
        try {
            Invoke-EnosEmulatorAdmin $emulator 'pipelines/status/RUNNING' -Method PUT | Out-Null
            Invoke-EnosEmulatorAdmin $emulator 'limits' -Method PUT -Body @{ ratePerSecond = 8; retryAfter = $false } | Out-Null
            Invoke-EnosEmulatorAdmin $emulator 'faults' -Method PUT -Body @{ rate = 0.2; kinds = @('503', 'drop'); applyThenDrop = $true; seed = 3 } | Out-Null
            Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential (Get-EnosEmulatorCredential $emulator) -TimeoutSec 2
            $ids = 1..64 | ForEach-Object { 'pl-{0:D4}' -f $_ }

            $output = $ids | Suspend-EnosPipeline -PassThru -Confirm:$false -ThrottleLimit 64 `
                -ErrorVariable errors -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue

            Assert-EachOnce $ids $output $errors $warnings
            @($errors | Where-Object { $_.CategoryInfo.Category -eq 'OperationTimeout' }).Count | Should -BeGreaterThan 0 -Because 'the budget really ran out'
            # What was reported paused is paused (a pause whose answer was dropped may be paused unreported).
            $paused = @(Invoke-EnosEmulatorAdmin $emulator 'pipelines' | Where-Object status -EQ 'PAUSED' | ForEach-Object pipelineId)
            @($output.PipelineId | Where-Object { $_ -notin $paused }) | Should -BeNullOrEmpty
        }
        finally {
            Disconnect-EnosStreaming
            Stop-EnosEmulator $emulator
        }
    }
}

Describe 'Two runspaces sharing the ENOS_* connection' {
    It 'each accounts for its own pipelines exactly once while the gateway throttles, fails and goes down' {
        $emulator = Start-Troubled -Pipelines 240 -DownAfterCalls 100
        try {
            Disconnect-EnosStreaming
            Set-EnosVariables $emulator
            $halves = @((1..120 | ForEach-Object { 'pl-{0:D4}' -f $_ }), (121..240 | ForEach-Object { 'pl-{0:D4}' -f $_ }))
            $script = {
                param($Manifest, [string[]] $Ids, [int] $ThrottleLimit)
                Import-Module $Manifest
                $output = $Ids | Suspend-EnosPipeline -PassThru -Confirm:$false -ThrottleLimit $ThrottleLimit -ErrorVariable errors `
                    -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
                [pscustomobject]@{ Output = @($output); Errors = @($errors); Warnings = @($warnings) }
            }

            # Both on one limiter and one circuit (the process's ENOS_* connection), at different throttle limits.
            $jobs = @(
                Start-ThreadJob -ScriptBlock $script -ArgumentList $ModuleManifest, $halves[0], 64
                Start-ThreadJob -ScriptBlock $script -ArgumentList $ModuleManifest, $halves[1], 16
            )
            $results = $jobs | Wait-Job -Timeout 60 | Receive-Job
            $jobs | Remove-Job -Force

            $results.Count | Should -Be 2
            for ($i = 0; $i -lt 2; $i++) {
                Assert-EachOnce $halves[$i] $results[$i].Output $results[$i].Errors $results[$i].Warnings
                # Each runspace reports only its own pipelines. (A runspace whose every request met the
                # dead gateway has no output: strict mode forbids .PipelineId on the empty list.)
                @($results[$i].Output | ForEach-Object PipelineId | Where-Object { $_ -notin $halves[$i] }) | Should -BeNullOrEmpty
            }
        }
        finally {
            Clear-EnosVariables
            Stop-EnosEmulator $emulator
        }
    }
}

Describe 'Secrets on the new paths' {
    It 'shows no token, secret, signature or redirect password in any stream or the journal, throttled, faulted, redirected and cut off' {
        $emulator = Start-Troubled -Pipelines 40 -DownAfterCalls 45
        try {
            # Connected first: Connect checks the organisation with a listing call of its own.
            Connect-TestEmulator $emulator
            $token = Get-EmulatorToken $emulator
            Invoke-EnosEmulatorAdmin $emulator 'faults' -Method PUT -Body @{ rate = 0.2; kinds = @('503', '429', 'drop', 'html502'); seed = 5 } | Out-Null
            Invoke-EnosEmulatorAdmin $emulator 'hostile' -Method PUT -Body @{ kind = 'redirect'; location = 'http://someone:hunter2@127.0.0.2:9'; limit = 2 } | Out-Null
            $journal = Join-Path $TestDrive 'window.jsonl'
            $ids = 1..40 | ForEach-Object { 'pl-{0:D4}' -f $_ }

            $captured = $ids | Suspend-EnosPipeline -JournalPath $journal -PassThru -Confirm:$false -ThrottleLimit 16 -Verbose -Debug -ErrorAction Continue *>&1

            $rendered = @(
                $captured | Out-String -Width 500
                $captured | ForEach-Object { $_.ToString() }
                $captured | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { $_.ErrorDetails.RecommendedAction; $_.Exception.ToString() }
                Get-Content -Raw $journal
            ) -join "`n"
            $rendered | Should -Match 'redirect' -Because 'the redirect really happened'
            $rendered | Should -Match 'apim-signature: \[redacted\]' -Because 'the exchange really was traced'
            $rendered | Should -Not -Match ([regex]::Escape($token))
            $rendered | Should -Not -Match ([regex]::Escape($emulator.AppSecret))
            $rendered | Should -Not -Match 'hunter2'
            $rendered | Should -Not -Match '\b[0-9a-fA-F]{64}\b' -Because 'signatures and the token request encryption are SHA-256 in hex'
        }
        finally {
            Disconnect-EnosStreaming
            Stop-EnosEmulator $emulator
        }
    }
}
