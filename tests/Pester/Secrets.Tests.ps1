BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $emulator = Start-EnosEmulator -Pipelines 8
}

AfterAll {
    Disconnect-EnosStreaming
    Stop-EnosEmulator $emulator
}

Describe 'The app secret, the access token and the signatures' {
    BeforeAll {
        $transcript = Join-Path $TestDrive 'everything.txt'
        Start-Transcript -Path $transcript | Out-Null
        try {
            # Every cmdlet, every stream, the failures included.
            $captured = & {
                Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential (Get-EnosEmulatorCredential $emulator) -PassThru -Verbose -Debug
                Get-EnosPipeline -Verbose -Debug
                Get-EnosPipeline -Status Running -Verbose -Debug | Suspend-EnosPipeline -PassThru -Confirm:$false -Verbose -Debug
                Suspend-EnosPipeline -PipelineId pl-0004, nope, '' -PassThru -Confirm:$false -Verbose -Debug -ErrorAction Continue
                Get-EnosPipeline -PipelineId nope -Verbose -Debug -ErrorAction Continue
                Get-EnosPipelineLag -PipelineId pl-0006, pl-0004 -Verbose -Debug -ErrorAction Continue
                Resume-EnosPipeline -PipelineId pl-0001, pl-0004 -PassThru -Confirm:$false -Verbose -Debug -ErrorAction Continue
                Start-EnosPipeline -PipelineId pl-0005 -PassThru -Confirm:$false -Verbose -Debug
                Stop-EnosPipeline -PipelineId pl-0005, pl-0010 -PassThru -Force -Verbose -Debug -ErrorAction Continue
                $definitions = Get-EnosPipelineDefinition -PipelineId pl-0001, pl-0002, nope -Verbose -Debug -ErrorAction Continue
                $definitions | Export-EnosPipelineDefinition -Path (Join-Path $TestDrive 'definitions') -PassThru -Verbose
                Get-Content -Raw (Join-Path $TestDrive 'definitions/wind-line-1.json')
                $imported = Import-EnosPipelineDefinition -Path (Join-Path $TestDrive 'definitions') -Verbose
                $imported | Set-EnosPipelineDefinition -PassThru -Confirm:$false -Verbose -Debug
                $imported[0].PipelineJson = '{"changed":true}'
                $imported | Set-EnosPipelineDefinition -PassThru -Confirm:$false -Verbose -Debug
                $imported | ForEach-Object { $_.Name = "$($_.Name)-copy"; $_ } | New-EnosPipeline -Confirm:$false -Verbose -Debug
                Publish-EnosPipeline -PipelineId pl-0004, pl-0001 -PassThru -Confirm:$false -Verbose -Debug -ErrorAction Continue
                Reset-EnosPipelineOffset -PipelineId pl-0003, pl-0002 -PassThru -Force -Verbose -Debug -ErrorAction Continue
                Get-EnosStreamingConnection -Verbose -Debug | Format-List * | Out-String
                Disconnect-EnosStreaming -Verbose
                $wrong = [pscredential]::new($emulator.AppKey, (ConvertTo-SecureString 'wrong-secret' -AsPlainText -Force))
                try { Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential $wrong -Verbose -Debug } catch { $_ }
            } *>&1
        }
        finally { Stop-Transcript | Out-Null }

        $token = Get-EmulatorToken $emulator
        $objects = $captured | Where-Object { $_ -isnot [string] }
        $rendered = @(
            Get-Content -Raw $transcript
            $captured | Out-String -Width 500
            $captured | ForEach-Object { $_.ToString() }
            $captured | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { $_.Exception.ToString(); $_ | Format-List * -Force | Out-String }
            $objects | Export-Clixml -Path (Join-Path $TestDrive 'objects.xml') -Depth 5
            Get-Content -Raw (Join-Path $TestDrive 'objects.xml')
        ) -join "`n"
    }

    It 'captured a real session, with verbose, debug, errors and objects' {
        $captured | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | Should -Not -BeNullOrEmpty
        $captured | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Should -Not -BeNullOrEmpty
        $captured | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Should -Not -BeNullOrEmpty
        $captured | Where-Object { $_ -is [EnOS.Streaming.Pipeline] } | Should -Not -BeNullOrEmpty
        $token | Should -Not -BeNullOrEmpty
    }

    It 'never show the app secret' {
        $rendered | Should -Not -Match ([regex]::Escape($emulator.AppSecret))
        $rendered | Should -Not -Match 'wrong-secret'
    }

    It 'never show the access token' {
        $rendered | Should -Not -Match ([regex]::Escape($token))
    }

    It 'never show a signature or a token encryption hash (no 64-digit hex anywhere)' {
        $rendered | Should -Not -Match '\b[0-9a-f]{64}\b'
    }

    It 'are shown redacted in the -Debug HTTP trace, which still tells method, URL, status and time' {
        $debug = ($captured | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Message
        $debug | Should -Contain ($debug | Where-Object { $_ -match '^HTTP POST http://127\.0\.0\.1:\d+/streaming/v2\.0/streaming/pipeline/pl-0001\?action=pause&orgId=' } | Select-Object -First 1)
        ($debug -match 'apim-signature: \[redacted\]').Count | Should -BeGreaterThan 0
        ($debug -match 'apim-accesstoken: \[redacted\]').Count | Should -BeGreaterThan 0
        ($debug -match '^HTTP 200 OK from POST .* in \d+ ms').Count | Should -BeGreaterThan 0
        ($debug -match 'request id [0-9a-f-]{36}').Count | Should -BeGreaterThan 0
    }
}

# Issue 20, item 1: a gateway whose error answers echo the request's headers, every token it has
# seen issued, and the application's key and secret. What it echoes reaches the user scrubbed.
Describe 'A gateway that echoes the request headers, earlier tokens and the app secret into its errors' {
    BeforeAll {
        # One connection throughout: both tokens are its own. One retry keeps the 502 page quick.
        Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential (Get-EnosEmulatorCredential $emulator) -MaxRetries 1 -WarningAction SilentlyContinue
        Get-EnosPipeline | Out-Null
        $first = Get-EmulatorToken $emulator
        # The first token is dropped: the next call is told 1203 and the connection gets a second one.
        Invoke-EnosEmulatorAdmin $emulator 'tokens/expire' -Method POST | Out-Null
        Get-EnosPipeline | Out-Null
        $second = Get-EmulatorToken $emulator

        $transcript = Join-Path $TestDrive 'echo.txt'
        $Error.Clear()
        Start-Transcript -Path $transcript | Out-Null
        try {
            $captured = & {
                # An API error whose message is the echo (not retried).
                Invoke-EnosEmulatorAdmin $emulator 'hostile' -Method PUT -Body @{ kind = 'echo' } | Out-Null
                Suspend-EnosPipeline -PipelineId pl-0001, pl-0002 -Confirm:$false -Verbose -Debug -ErrorAction Continue
                Get-EnosPipelineLag -PipelineId pl-0001 -Verbose -Debug -ErrorAction Continue
                # An HTML error page (quoted as the start of the body), retried once, then reported.
                Invoke-EnosEmulatorAdmin $emulator 'hostile' -Method PUT -Body @{ kind = 'echoPage'; echoStatus = 502 } | Out-Null
                Resume-EnosPipeline -PipelineId pl-0003 -Confirm:$false -Verbose -Debug -ErrorAction Continue
            } *>&1
        }
        finally {
            Stop-Transcript | Out-Null
            Invoke-EnosEmulatorAdmin $emulator 'hostile' -Method DELETE | Out-Null
            Connect-TestEmulator $emulator
        }

        $errors = @($Error | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors | Export-Clixml -Path (Join-Path $TestDrive 'errors.xml') -Depth 5
        $captured | Export-Clixml -Path (Join-Path $TestDrive 'captured.xml') -Depth 5
        $rendered = @(
            Get-Content -Raw $transcript
            $captured | Out-String -Width 1000
            $captured | ForEach-Object { $_.ToString() }
            $errors | ForEach-Object { $_.Exception.ToString(); $_ | Format-List * -Force | Out-String -Width 1000 }
            Get-Content -Raw (Join-Path $TestDrive 'errors.xml')
            Get-Content -Raw (Join-Path $TestDrive 'captured.xml')
        ) -join "`n"
    }

    It 'took two tokens, and the echo reached the user, scrubbed, in errors and -Debug' {
        $first | Should -Not -BeNullOrEmpty
        $second | Should -Not -Be $first
        $messages = @($errors | ForEach-Object { $_.Exception.Message })
        $messages | Where-Object { $_ -match 'Request headers: apim-accesstoken: \[redacted\]; apim-signature: \[redacted\]' } | Should -Not -BeNullOrEmpty
        $messages | Where-Object { $_ -match 'Sessions: \[redacted\], \[redacted\]' } | Should -Not -BeNullOrEmpty
        $messages | Where-Object { $_ -match 'Config: appKey=\[redacted\] appSecret=\[redacted\]' } | Should -Not -BeNullOrEmpty
        # The HTML page: quoted as the body's start, scrubbed too.
        $messages | Where-Object { $_ -match 'HTTP 502.*<html><body>Request headers: apim-accesstoken: \[redacted\]' } | Should -Not -BeNullOrEmpty
        @($captured | Where-Object { $_ -is [System.Management.Automation.DebugRecord] -and $_.Message -match 'EnOS answered code 61100 .*\[redacted\]' }) |
            Should -Not -BeNullOrEmpty
    }

    It 'shows neither token, no signature and no secret in $Error, -Debug, -Verbose, the transcript or Export-Clixml' {
        $rendered | Should -Not -Match ([regex]::Escape($first))
        $rendered | Should -Not -Match ([regex]::Escape($second))
        $rendered | Should -Not -Match ([regex]::Escape($emulator.AppSecret))
        $rendered | Should -Not -Match '\b[0-9a-fA-F]{64}\b'
    }
}
