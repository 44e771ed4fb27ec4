BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $emulator = Start-EnosEmulator -Pipelines 500 -SystemPipelines 0

    function Set-Faults([hashtable] $Settings) { Invoke-EnosEmulatorAdmin $emulator 'faults' -Method PUT -Body $Settings | Out-Null }
    function Clear-Faults { Invoke-EnosEmulatorAdmin $emulator 'faults' -Method DELETE | Out-Null }
    function Get-PipelinePosts([string] $Id) {
        (Get-EmulatorRequests $emulator) | Where-Object { $_.method -eq 'POST' -and $_.pipelineId -eq $Id }
    }
}

AfterAll {
    Clear-Faults
    Disconnect-EnosStreaming
    Stop-EnosEmulator $emulator
}

Describe 'A gateway that throttles and fails' {
    BeforeEach {
        Clear-Faults
        Connect-TestEmulator $emulator
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/status/RUNNING' -Method PUT | Out-Null
        Clear-EmulatorRequests $emulator
    }

    It 'pauses all 500 pipelines exactly once each at a 10% fault rate, with no error record' {
        Set-Faults @{ rate = 0.1; kinds = @('429', '503', 'html502', 'drop', 'slow', 'malformed'); retryAfterSeconds = 1; slowMs = 300; seed = 7 }

        $paused = Get-EnosPipeline -Status Running | Suspend-EnosPipeline -PassThru -Confirm:$false -ThrottleLimit 16 -ErrorVariable errors
        Clear-Faults

        $errors | Should -BeNullOrEmpty
        $paused.Count | Should -Be 500
        ($paused.PipelineId | Sort-Object -Unique).Count | Should -Be 500
        @(Invoke-EnosEmulatorAdmin $emulator 'pipelines' | Where-Object status -NE 'PAUSED') | Should -BeNullOrEmpty
        # The faults really happened, and were survived.
        @((Get-EmulatorRequests $emulator) | Where-Object code -EQ -1).Count | Should -BeGreaterThan 20
    }

    It 'gives each pipeline one clear error after the retry budget at a 100% fault rate, and returns' {
        Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential (Get-EnosEmulatorCredential $emulator) -MaxRetries 2
        # (A 429 spends time, not retries: Throttling.Tests.ps1.)
        Set-Faults @{ rate = 1; kinds = @('503', 'drop'); retryAfterSeconds = 0 }
        $ids = 1..20 | ForEach-Object { 'pl-{0:D4}' -f $_ }

        $output = $ids | Suspend-EnosPipeline -PassThru -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue

        $output | Should -BeNullOrEmpty
        $errors.Count | Should -Be 20
        ($errors.TargetObject | Sort-Object) | Should -Be $ids
        foreach ($record in $errors) {
            $record.FullyQualifiedErrorId | Should -BeLike 'EnosTransientFailure,*'
            $record.CategoryInfo.Category | Should -BeIn @('ConnectionError', 'ResourceUnavailable')
            "$record" | Should -Match 'after 3 attempts'
        }
        (Get-PipelinePosts 'pl-0001').Count | Should -Be 3
    }

    It 'reports an HTML error page with its HTTP status and the start of the body' {
        Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential (Get-EnosEmulatorCredential $emulator) -MaxRetries 0
        Set-Faults @{ rate = 1; kinds = @('html502') }

        Suspend-EnosPipeline -PipelineId pl-0001 -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors.Count | Should -Be 1
        "$($errors[0])" | Should -Match 'HTTP 502'
        "$($errors[0])" | Should -Match ([regex]::Escape('<h1>502 Bad Gateway</h1>'))
        $errors[0].Exception.GetBaseException().StatusCode | Should -Be 'BadGateway'
    }

    It 'reports an answer that is not JSON as EnosInvalidResponse, not a crash' {
        Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential (Get-EnosEmulatorCredential $emulator) -MaxRetries 1
        Set-Faults @{ rate = 1; kinds = @('malformed') }

        Suspend-EnosPipeline -PipelineId pl-0001 -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosInvalidResponse,*'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        "$($errors[0])" | Should -Match 'HTTP 200 OK with a body that was not JSON'
    }

    It 'retries safely when the first answer is lost after the service applied the pause' {
        Set-Faults @{ rate = 1; kinds = @('drop'); applyThenDrop = $true; limit = 1 }

        $output = Suspend-EnosPipeline -PipelineId pl-0001 -PassThru -Confirm:$false -Verbose -ErrorVariable errors 4>&1

        $errors | Should -BeNullOrEmpty
        ($output | Where-Object { $_ -is [EnOS.Streaming.Pipeline] }).Status | Should -Be 'Paused'
        Get-EmulatorStatus $emulator 'pl-0001' | Should -Be 'PAUSED'
        (Get-PipelinePosts 'pl-0001').code | Should -Be @(-1, 61152)
        ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -match 'Retry 1 of 4' | Should -Not -BeNullOrEmpty
    }

    It 'never retries a real API answer' {
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0002/status/STOPPED' -Method PUT | Out-Null
        Suspend-EnosPipeline -PipelineId pl-0002 -Confirm:$false -ErrorAction SilentlyContinue
        (Get-PipelinePosts 'pl-0002').Count | Should -Be 1
    }

    It 'renews an expired token once for a whole concurrent bulk run, without failing it' {
        Get-EnosPipeline -PipelineId pl-0001 | Out-Null
        Invoke-EnosEmulatorAdmin $emulator 'stats/reset' -Method POST | Out-Null
        Invoke-EnosEmulatorAdmin $emulator 'tokens/expire' -Method POST | Out-Null

        1..40 | ForEach-Object { 'pl-{0:D4}' -f $_ } | Suspend-EnosPipeline -Confirm:$false -ThrottleLimit 16 -ErrorVariable errors

        $errors | Should -BeNullOrEmpty
        (Invoke-EnosEmulatorAdmin $emulator 'stats').tokensIssued | Should -Be 1
        @(Invoke-EnosEmulatorAdmin $emulator 'pipelines' | Where-Object { $_.status -eq 'PAUSED' }).Count | Should -Be 40
    }
}

Describe 'Input that must not change the request' {
    BeforeAll { Connect-TestEmulator $emulator }
    BeforeEach { Clear-EmulatorRequests $emulator }

    It 'escapes an org id with query characters as one value' {
        Suspend-EnosPipeline -PipelineId pl-0001 -OrgId 'o1&action=stop#x' -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors[0].Exception.Code | Should -Be 61106
        $post = (Get-EmulatorRequests $emulator) | Where-Object method -EQ 'POST' | Select-Object -Last 1
        $post.query.orgId | Should -Be 'o1&action=stop#x'
        $post.query.action | Should -Be 'pause'
        $post.rawTarget | Should -BeLike '*orgId=o1%26action%3Dstop%23x'
    }

    It 'refuses an org id with control characters, sending nothing' {
        Suspend-EnosPipeline -PipelineId pl-0001 -OrgId "o1`r`nX-Injected: 1" -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosInvalidArgument,*'
        $errors[0].TargetObject | Should -Be 'pl-0001'
        "$($errors[0])" | Should -Match 'organisation id contains the control character'
        $errors[0].ErrorDetails.RecommendedAction | Should -Match '-OrgId'
        Get-EmulatorRequests $emulator | Should -BeNullOrEmpty
    }
}

Describe 'Get-EnosPipeline with a bad organisation id' {
    BeforeAll { Connect-TestEmulator $emulator }

    It 'fails with EnosInvalidArgument, sending nothing' {
        Clear-EmulatorRequests $emulator
        { Get-EnosPipeline -OrgId "o1`t" } | Should -Throw -ErrorId 'EnosInvalidArgument,*'
        Get-EmulatorRequests $emulator | Should -BeNullOrEmpty
    }
}

Describe 'Connecting through a proxy' {
    It 'sends every call through -Proxy' {
        # The emulator answers absolute-form (proxy) requests itself, so it can stand in for the proxy.
        Connect-EnosStreaming -GatewayUrl 'http://enos-gateway.example.test' -AllowInsecureHttp -WarningAction SilentlyContinue -Proxy $emulator.Url `
            -OrgId $emulator.OrgId -Credential (Get-EnosEmulatorCredential $emulator)
        Clear-EmulatorRequests $emulator

        (Get-EnosPipeline -PipelineId pl-0001).PipelineId | Should -Be 'pl-0001'

        $requests = Get-EmulatorRequests $emulator
        $requests | Should -Not -BeNullOrEmpty
        $requests | ForEach-Object { $_.rawTarget | Should -BeLike 'http://enos-gateway.example.test/*' }
        Disconnect-EnosStreaming
    }
}

Describe 'Credentials that stop working in the middle of a bulk run' {
    BeforeAll {
        $revoked = Start-EnosEmulator -Pipelines 30
        Connect-TestEmulator $revoked
    }

    AfterAll {
        Disconnect-EnosStreaming
        Stop-EnosEmulator $revoked
    }

    It 'ends the command with one EnosAuthenticationFailed instead of an error per pipeline' {
        $ids = Get-EnosPipeline -Status Running | ForEach-Object PipelineId
        Invoke-EnosEmulatorAdmin $revoked 'app/revoke' -Method POST | Out-Null

        $thrown = $null
        try { $ids | Suspend-EnosPipeline -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue }
        catch { $thrown = $_ }

        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -Be 'EnosAuthenticationFailed,EnOS.Streaming.Commands.SuspendEnosPipelineCommand'
        $thrown.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $thrown.Exception.Code | Should -Be 1002
        # -ErrorVariable also holds the terminating error's exception, hence the type check.
        @($errors | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and $_.FullyQualifiedErrorId -like 'EnosPipeline*' }) |
            Should -BeNullOrEmpty
    }
}
