# A gateway that throttles, a service that starts one pipeline at a time, and a gateway that is
# down. Bounds are loose (a noisy 2-core machine); the exact figures are build.ps1 Bench -Scenario ….
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $emulator = Start-EnosEmulator -Pipelines 150 -SystemPipelines 0

    function Set-Limits([hashtable] $Settings) { Invoke-EnosEmulatorAdmin $emulator 'limits' -Method PUT -Body $Settings | Out-Null }
    function Clear-Limits { Invoke-EnosEmulatorAdmin $emulator 'limits' -Method DELETE | Out-Null }
    function Connect-Fresh([hashtable] $Options = @{}) {
        # A new connection each time: a new limiter, circuit and start queue.
        Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential (Get-EnosEmulatorCredential $emulator) @Options
    }
    function Get-Starts {
        @(Get-EmulatorRequests $emulator | Where-Object { $_.method -eq 'POST' -and $_.rawTarget -match '[?&]action=start(&|$)' })
    }
}

AfterAll {
    Clear-Limits
    Invoke-EnosEmulatorAdmin $emulator 'faults' -Method DELETE | Out-Null
    Disconnect-EnosStreaming
    Stop-EnosEmulator $emulator
}

Describe 'A gateway that limits calls per second' {
    BeforeEach {
        Clear-Limits
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/status/RUNNING' -Method PUT | Out-Null
    }

    It 'pauses every pipeline without an error or a spent retry, at close to the allowed rate (<Case>)' -ForEach @(
        @{ Case = '429 with Retry-After'; RetryAfter = $true }
        @{ Case = '429 without Retry-After'; RetryAfter = $false }
    ) {
        # -MaxRetries 0: a throttled call waits and goes again; only real failures spend retries.
        Connect-Fresh @{ MaxRetries = 0 }
        Set-Limits @{ ratePerSecond = 50; retryAfter = $RetryAfter }
        Invoke-EnosEmulatorAdmin $emulator 'stats/reset' -Method POST | Out-Null

        $watch = [Diagnostics.Stopwatch]::StartNew()
        $paused = Get-EnosPipeline -Status Running | Suspend-EnosPipeline -PassThru -Confirm:$false -ThrottleLimit 64 -ErrorVariable errors
        $watch.Stop()
        $calls = (Invoke-EnosEmulatorAdmin $emulator 'stats').requests
        $throttled = (Invoke-EnosEmulatorAdmin $emulator 'limits').throttled

        $errors | Should -BeNullOrEmpty
        $paused.Count | Should -Be 150
        @(Invoke-EnosEmulatorAdmin $emulator 'pipelines' | Where-Object status -NE 'PAUSED') | Should -BeNullOrEmpty
        $throttled | Should -BeGreaterThan 0 -Because 'the limit must really bite'
        # Hammering costs several calls per pipeline; adapting costs a few 429s in all.
        $calls / 150 | Should -BeLessOrEqual 1.5
        # The ideal is 150 / 50 = 3 s.
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 12
    }
}

Describe 'A gateway that announces its rate limit' {
    It 'paces the calls to its RateLimit headers from the first answer, before any 429' {
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/status/RUNNING' -Method PUT | Out-Null
        Connect-Fresh
        Set-Limits @{ ratePerSecond = 50; headers = $true }

        $paused = Get-EnosPipeline -Status Running | Suspend-EnosPipeline -PassThru -Confirm:$false -ThrottleLimit 64 -ErrorVariable errors

        $errors | Should -BeNullOrEmpty
        $paused.Count | Should -Be 150
        # Without reading the headers, the first burst alone draws dozens of 429s.
        (Invoke-EnosEmulatorAdmin $emulator 'limits').throttled | Should -BeLessOrEqual 3
    }
}

# Issue 20, item 2: rate-limit headers with hostile values.
Describe 'A gateway whose rate-limit headers are wrong or hostile' {
    BeforeEach {
        Clear-Limits
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/status/RUNNING' -Method PUT | Out-Null
        # -TimeoutSec 20: the old hour-long holds show as a timeout rather than an hour.
        Connect-Fresh @{ TimeoutSec = 20 }
        Clear-EmulatorRequests $emulator
    }
    AfterAll { Clear-Limits }

    It 'forgets a policy of one call an hour that only the first answer stated' {
        Set-Limits @{ extraHeaders = @{ 'RateLimit-Policy' = '1;w=3600' }; extraHeadersFor = 1 }
        $ids = 'pl-0001', 'pl-0002', 'pl-0003', 'pl-0004', 'pl-0006', 'pl-0007'
        $null = Get-EnosPipeline -PipelineId pl-0001

        $paused = @(Suspend-EnosPipeline -PipelineId $ids -Confirm:$false -PassThru -ErrorVariable failed)

        $failed | Should -BeNullOrEmpty
        $paused.Count | Should -Be 6
        @(Get-EmulatorRequests $emulator | Where-Object { $_.method -eq 'POST' }).Count | Should -Be 6
    }

    It 'fails at once with EnosRateLimited, naming the header and its wait, when a spent quota resets in an hour' {
        Set-Limits @{ extraHeaders = @{ 'RateLimit-Remaining' = '0'; 'RateLimit-Reset' = '3600' }; extraHeadersFor = 1 }
        $null = Get-EnosPipeline -PipelineId pl-0001
        $watch = [Diagnostics.Stopwatch]::StartNew()

        $paused = @(Suspend-EnosPipeline -PipelineId pl-0001, pl-0002, pl-0003 -Confirm:$false -PassThru -ErrorVariable failed -ErrorAction SilentlyContinue)
        $watch.Stop()

        $paused | Should -BeNullOrEmpty
        $failed.Count | Should -Be 3
        $failed | ForEach-Object {
            $_.FullyQualifiedErrorId | Should -BeLike 'EnosRateLimited,*'
            $_.CategoryInfo.Category | Should -Be 'LimitsExceeded'
            "$_" | Should -Match 'RateLimit-Remaining: 0 with RateLimit-Reset: 3600\) ask to wait 3600 s'
            $_.ErrorDetails.RecommendedAction | Should -Match '-TimeoutSec'
        }
        @($failed.TargetObject | Sort-Object) | Should -Be @('pl-0001', 'pl-0002', 'pl-0003')
        @(Get-EmulatorRequests $emulator | Where-Object { $_.method -eq 'POST' }) | Should -BeNullOrEmpty -Because 'nothing was sent'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 15 -Because 'it fails at once, not when -TimeoutSec (20 s) runs out'
    }

    It 'clamps a huge window and reset: no overflow, and every applied pause is reported as paused' {
        Set-Limits @{ extraHeaders = @{ 'RateLimit-Policy' = '1000;w=999999999999999999'; 'RateLimit-Reset' = '999999999999999999'; 'RateLimit-Remaining' = '5' } }
        $ids = 'pl-0001', 'pl-0002', 'pl-0003', 'pl-0004', 'pl-0006', 'pl-0007', 'pl-0008', 'pl-0009', 'pl-0011', 'pl-0012'

        $paused = @(Suspend-EnosPipeline -PipelineId $ids -Confirm:$false -PassThru -ErrorVariable failed -ErrorAction SilentlyContinue)

        "$failed" | Should -Not -Match 'overflow'
        $failed | Should -BeNullOrEmpty
        $paused.Count | Should -Be 10
        $ids | ForEach-Object { Get-EmulatorStatus $emulator $_ | Should -Be 'PAUSED' }
    }
}

Describe 'A service that starts one pipeline per organisation at a time' {
    It 'resumes every paused pipeline, none twice, queueing the starts while it answers 61121' {
        $ids = 1..6 | ForEach-Object { 'pl-{0:D4}' -f $_ }
        foreach ($id in $ids) { Invoke-EnosEmulatorAdmin $emulator "pipelines/$id/status/PAUSED" -Method PUT | Out-Null }
        Connect-Fresh @{ MaxRetries = 0 }
        Set-Limits @{ startLockMs = 500 }
        Clear-EmulatorRequests $emulator

        $watch = [Diagnostics.Stopwatch]::StartNew()
        $all = $ids | Resume-EnosPipeline -PassThru -Confirm:$false -ErrorVariable errors -Verbose 4>&1
        $watch.Stop()
        $resumed = @($all | Where-Object { $_ -is [EnOS.Streaming.Pipeline] })
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

        $errors | Should -BeNullOrEmpty
        ($resumed.PipelineId | Sort-Object) | Should -Be $ids
        foreach ($id in $ids) { Get-EmulatorStatus $emulator $id | Should -Be 'RUNNING' }
        $accepted = @(Get-Starts | Where-Object code -EQ 0)
        $accepted.Count | Should -Be 6
        @($accepted | Group-Object pipelineId | Where-Object Count -GT 1) | Should -BeNullOrEmpty
        @(Get-Starts | Where-Object code -EQ 61121).Count | Should -BeGreaterThan 0 -Because 'the service really was busy'
        # The service alone takes 5 x 0.5 s; waiting for it must not add much.
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 12
        $verbose -match 'one at a time' | Should -Not -BeNullOrEmpty -Because 'the wait is reported'
    }
}

# Issue 20, item 6: 61121 for ever. Before, each start waited its own -TimeoutSec in turn (200
# resumes at the defaults: about 42 minutes) and none was told it never had a turn.
Describe 'A service that answers "start in progress" for ever' {
    AfterAll { Clear-Limits }

    It "spends one -TimeoutSec on the organisation's queued starts: the rest fail at once, each with its own error, and a warning counts them" {
        Connect-Fresh @{ TimeoutSec = 2 }
        Set-Limits @{ startLockMs = 3600000 }
        # Someone else's start holds the organisation for an hour.
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0150/status/STOPPED' -Method PUT | Out-Null
        $null = Start-EnosPipeline -PipelineId pl-0150 -Confirm:$false
        $ids = 1..20 | ForEach-Object { 'pl-{0:D4}' -f $_ }
        foreach ($id in $ids) { Invoke-EnosEmulatorAdmin $emulator "pipelines/$id/status/PAUSED" -Method PUT | Out-Null }
        Clear-EmulatorRequests $emulator

        $watch = [Diagnostics.Stopwatch]::StartNew()
        $resumed = @($ids | Resume-EnosPipeline -ThrottleLimit 2 -PassThru -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue -WarningVariable warned -WarningAction SilentlyContinue)
        $watch.Stop()

        $resumed | Should -BeNullOrEmpty
        $failed.Count | Should -Be 20
        @($failed.TargetObject | Sort-Object -Unique) | Should -Be $ids
        $failed | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'EnosTransientFailure,*' }
        # Each says why: it waited behind the others, or had its turn, until the time was spent.
        $failed | ForEach-Object { "$_" | Should -Match 'never got a turn|still busy starting another pipeline \(EnOS 61121\)' }
        "$warned" | Should -Match '^20 starts never got a turn'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 12 -Because 'one -TimeoutSec (2 s) for the queue, not 2 s per start in turn (20 s)'
        foreach ($id in $ids) { Get-EmulatorStatus $emulator $id | Should -Be 'PAUSED' }
    }
}

Describe 'A time budget spent in back-off waits' {
    It 'ends every one of 320 pipelines in an output or one timeout error when the gateway always answers 503 (-TimeoutSec 1)' {
        Connect-Fresh @{ TimeoutSec = 1 }
        Invoke-EnosEmulatorAdmin $emulator 'faults' -Method PUT -Body @{ rate = 1; kinds = @('503') } | Out-Null
        $ids = 1..320 | ForEach-Object { 'pl-{0:D4}' -f $_ }
        try {
            $output = $ids | Suspend-EnosPipeline -PassThru -Confirm:$false -ThrottleLimit 64 -ErrorVariable errors -ErrorAction SilentlyContinue
        }
        finally { Invoke-EnosEmulatorAdmin $emulator 'faults' -Method DELETE | Out-Null }

        @($output).Count + @($errors).Count | Should -Be 320
        (@($errors).TargetObject | Sort-Object -Unique).Count | Should -Be @($errors).Count
        foreach ($record in $errors) {
            $record.FullyQualifiedErrorId | Should -BeLike 'EnosTransientFailure,*'
            $record.CategoryInfo.Category | Should -Be 'OperationTimeout'
        }
    }
}

Describe 'A gateway that is down' {
    BeforeAll {
        $dead = Start-EnosEmulator -Pipelines 300 -SystemPipelines 0
        Connect-TestEmulator $dead
        Invoke-EnosEmulatorAdmin $dead 'pipelines/status/RUNNING' -Method PUT | Out-Null
    }
    AfterAll { Stop-EnosEmulator $dead }

    It 'accounts for every pipeline when it goes down mid-run' {
        Invoke-EnosEmulatorAdmin $dead 'limits' -Method PUT -Body @{ downAfterCalls = 100 } | Out-Null
        $ids = 1..300 | ForEach-Object { 'pl-{0:D4}' -f $_ }

        $output = $ids | Suspend-EnosPipeline -PassThru -Confirm:$false -ThrottleLimit 16 -ErrorVariable errors -ErrorAction SilentlyContinue

        @($output).Count + @($errors).Count | Should -Be 300
        @($output).Count | Should -BeGreaterThan 0
        @($errors).Count | Should -BeGreaterThan 100
        $dead.Process.WaitForExit(15000) | Should -BeTrue -Because 'the emulator went down'
    }

    It 'notices it once: 1,000 pipelines get one clear error each, at once' {
        $ids = 1..1000 | ForEach-Object { 'pl-{0:D4}' -f $_ }

        $watch = [Diagnostics.Stopwatch]::StartNew()
        $output = $ids | Suspend-EnosPipeline -PassThru -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        $watch.Stop()

        $output | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1000
        ($errors.TargetObject | Sort-Object -Unique).Count | Should -Be 1000
        foreach ($record in $errors) {
            $record.FullyQualifiedErrorId | Should -BeLike 'EnosTransientFailure,*'
            $record.CategoryInfo.Category | Should -Be 'ConnectionError'
        }
        @($errors | Where-Object { "$_" -match 'not sent, because moments ago the gateway at .* refused the connection' }).Count | Should -BeGreaterThan 990
        $errors[-1].ErrorDetails.RecommendedAction | Should -Match 'scheme'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
    }

    It 'tells Connect to check the URL, port and scheme when nothing listens there' {
        $record = $null
        try {
            Connect-EnosStreaming -GatewayUrl $dead.Url -OrgId $dead.OrgId -Credential (Get-EnosEmulatorCredential $dead) -MaxRetries 0 -ErrorAction Stop
        }
        catch { $record = $_ }

        $record | Should -Not -BeNullOrEmpty
        "$record" | Should -Match 'refused'
        $record.ErrorDetails.RecommendedAction | Should -Match 'scheme'
        $record.ErrorDetails.RecommendedAction | Should -Not -Match 'pipelines that failed'
    }

    It 'does not retry a TLS handshake with a port that speaks plain http' {
        $https = $emulator.Url -replace '^http:', 'https:'
        $record = $null
        $verbose = try {
            Connect-EnosStreaming -GatewayUrl $https -OrgId $emulator.OrgId -Credential (Get-EnosEmulatorCredential $emulator) -ErrorAction Stop -Verbose 4>&1
        }
        catch { $record = $_ }

        "$record" | Should -Match 'TLS handshake'
        $record.ErrorDetails.RecommendedAction | Should -Match 'scheme'
        @($verbose | Where-Object { "$_" -match 'Retry \d' }) | Should -BeNullOrEmpty
    }
}
