BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $emulator = Start-EnosEmulator -Pipelines 6
    $credential = Get-EnosEmulatorCredential $emulator
    $savedEnvironment = Save-EnosVariables -Clear
}

AfterAll {
    Disconnect-EnosStreaming
    Restore-EnosVariables $savedEnvironment
    Stop-EnosEmulator $emulator
}

Describe 'Connect-EnosStreaming' {
    AfterEach { Disconnect-EnosStreaming }

    It 'connects, checks the credential at once and returns a context with -PassThru' {
        Clear-EmulatorRequests $emulator
        $context = Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential $credential -PassThru

        $context.GatewayUrl | Should -Be ([uri]$emulator.Url)
        $context.OrgId | Should -Be $emulator.OrgId
        $context.AppKey | Should -Be $emulator.AppKey
        $context.Source | Should -Be 'Connect-EnosStreaming'
        (Get-EmulatorRequests $emulator).path | Should -Contain 'apim-token-service/v2.0/token/get'
    }

    It 'never puts the secret or the token in the context object' {
        $context = Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential $credential -PassThru
        $token = Get-EmulatorToken $emulator
        $everything = ($context | Format-List * | Out-String) + ($context | ConvertTo-Json) + $context.ToString()

        $everything | Should -Not -Match ([regex]::Escape($emulator.AppSecret))
        $everything | Should -Not -Match ([regex]::Escape($token))
    }

    It 'fails with EnosAuthenticationFailed for a wrong secret' {
        $wrong = [pscredential]::new($emulator.AppKey, (ConvertTo-SecureString 'not-the-secret' -AsPlainText -Force))

        $record = { Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential $wrong } |
            Should -Throw -ErrorId 'EnosAuthenticationFailed,EnOS.Streaming.Commands.ConnectEnosStreamingCommand' -PassThru
        $record.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $record.Exception.Code | Should -Be 1003
        $record.ErrorDetails.RecommendedAction | Should -Match 'app secret'
        "$record" | Should -Not -Match 'not-the-secret'
    }

    It 'fails with EnosAuthenticationFailed for an unknown app key' {
        $wrong = [pscredential]::new('nobody', (ConvertTo-SecureString $emulator.AppSecret -AsPlainText -Force))

        $record = { Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential $wrong } |
            Should -Throw -ErrorId 'EnosAuthenticationFailed,*' -PassThru
        $record.Exception.Code | Should -Be 1002
    }

    It 'keeps no session after a failed connect' {
        $wrong = [pscredential]::new('nobody', (ConvertTo-SecureString 'x' -AsPlainText -Force))
        { Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential $wrong } | Should -Throw

        { Get-EnosPipeline } | Should -Throw -ErrorId 'EnosNotConnected,*'
    }

    It 'fails with EnosOrganisationNotFound naming a wrong organisation, having read one listing page of one pipeline' {
        Clear-EmulatorRequests $emulator
        $record = { Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId 'o-typo' -Credential $credential } |
            Should -Throw -ErrorId 'EnosOrganisationNotFound,*' -PassThru

        "$record" | Should -Match "organisation 'o-typo'"
        "$record" | Should -Match 'EnOS 61106'
        $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $record.ErrorDetails.RecommendedAction | Should -Match '-OrgId'
        $listing = @(Get-EmulatorRequests $emulator | Where-Object { $_.path -like '*/pipelines' })
        $listing.Count | Should -Be 1
        $listing[0].query.pageSize | Should -Be '1'
        { Get-EnosPipeline } | Should -Throw -ErrorId 'EnosNotConnected,*'
    }

    It 'says, when it fails, that the previous connection was closed, and leaves none' {
        Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential $credential
        $wrong = [pscredential]::new('nobody', (ConvertTo-SecureString 'x' -AsPlainText -Force))

        $thrown = try { Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential $wrong -WarningVariable warned -WarningAction SilentlyContinue } catch { $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'EnosAuthenticationFailed,*'
        "$warned" | Should -Match "previous connection to organisation '$($emulator.OrgId)' at .* was closed: commands in this session have no connection"
        { Get-EnosPipeline } | Should -Throw -ErrorId 'EnosNotConnected,*'

        # And a failed Connect with nothing before it warns of nothing.
        $thrown = try { Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId 'o-typo' -Credential $credential -WarningVariable none -WarningAction SilentlyContinue } catch { $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'EnosOrganisationNotFound,*'
        $none | Should -BeNullOrEmpty
    }

    It 'refuses an empty credential with a clear error, not a crash' {
        { Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential ([pscredential]::Empty) } |
            Should -Throw -ErrorId 'EnosInvalidArgument,*'
    }

    It 'refuses a gateway URL that is not absolute, sending nothing' {
        $record = { Connect-EnosStreaming -GatewayUrl 'apigw.example/streaming' -OrgId o1 -Credential $credential } |
            Should -Throw -PassThru
        $record.FullyQualifiedErrorId | Should -BeLike 'EnosInvalidArgument,*'
        "$record" | Should -Match 'not absolute'
    }

    It 'refuses http:// to another machine unless -AllowInsecureHttp is given' {
        $record = { Connect-EnosStreaming -GatewayUrl 'http://apigw.example.invalid' -OrgId o1 -Credential $credential } |
            Should -Throw -ErrorId 'EnosInvalidArgument,*' -PassThru
        "$record" | Should -Match 'AllowInsecureHttp'
    }

    It 'reports an unreachable gateway as a connection failure' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()

        $record = { Connect-EnosStreaming -GatewayUrl "http://127.0.0.1:$port" -OrgId o1 -Credential $credential -MaxRetries 1 -TimeoutSec 5 } |
            Should -Throw -ErrorId 'EnosTransientFailure,*' -PassThru
        $record.CategoryInfo.Category | Should -Be 'ConnectionError'
    }
}

Describe 'Without Connect-EnosStreaming' {
    AfterEach {
        Clear-EnosVariables
    }

    It 'says exactly what to do when there is neither a session nor environment variables' {
        $record = { Get-EnosPipeline } | Should -Throw -ErrorId 'EnosNotConnected,EnOS.Streaming.Commands.GetEnosPipelineCommand' -PassThru
        "$record" | Should -Match 'Connect-EnosStreaming'
        "$record" | Should -Match 'ENOS_GATEWAY_URL, ENOS_ORG_ID, ENOS_APP_KEY and ENOS_APP_SECRET'
    }

    It 'names the missing variables when only some are set' {
        $env:ENOS_GATEWAY_URL = $emulator.Url
        $env:ENOS_APP_KEY = $emulator.AppKey

        $record = { Get-EnosPipeline } | Should -Throw -ErrorId 'EnosNotConnected,*' -PassThru
        "$record" | Should -Match 'ENOS_ORG_ID, ENOS_APP_SECRET are not set'
    }

    It 'refuses an http:// ENOS_GATEWAY_URL on another machine, saying to use https' {
        $env:ENOS_GATEWAY_URL = 'http://apigw.example.invalid'
        $env:ENOS_ORG_ID = 'o1'; $env:ENOS_APP_KEY = 'k'; $env:ENOS_APP_SECRET = 's'

        $record = { Get-EnosPipeline } | Should -Throw -ErrorId 'EnosNotConnected,*' -PassThru
        "$record" | Should -Match 'set it to the https:// address of the gateway'
        "$record" | Should -Not -Match 'pass -AllowInsecureHttp'
    }

    It 'uses the ENOS_* environment variables, as an unattended runbook does' {
        Set-EnosVariables $emulator

        $pipelines = Get-EnosPipeline
        $pipelines.Count | Should -Be 6
        'pl-0001' | Suspend-EnosPipeline -Confirm:$false
        Get-EmulatorStatus $emulator 'pl-0001' | Should -Be 'PAUSED'
    }

    It 'names a carriage return at the end of ENOS_APP_SECRET in the authentication error, never the secret' {
        Set-EnosVariables $emulator -AppSecret ($emulator.AppSecret + "`r")

        $record = { Get-EnosPipeline } | Should -Throw -ErrorId 'EnosAuthenticationFailed,*' -PassThru
        "$record" | Should -Match 'ENOS_APP_SECRET ends with a carriage return'
        "$record" | Should -Not -Match 'ENOS_APP_KEY'
        "$record" | Should -Not -Match ([regex]::Escape($emulator.AppSecret))
    }

    It 'reuses one token across the commands of a runbook' {
        Set-EnosVariables $emulator
        Get-EnosPipeline | Out-Null
        Clear-EmulatorRequests $emulator

        Get-EnosPipeline | Out-Null
        Get-EnosPipeline | Out-Null

        (Get-EmulatorRequests $emulator).path | Should -Not -Contain 'apim-token-service/v2.0/token/get'
    }

    It 'prefers a Connect-EnosStreaming session over the environment' {
        $env:ENOS_GATEWAY_URL = 'https://apigw.example.invalid'
        $env:ENOS_ORG_ID = 'other-org'
        $env:ENOS_APP_KEY = 'k'
        $env:ENOS_APP_SECRET = 's'
        Connect-TestEmulator $emulator
        try {
            (Get-EnosPipeline).Count | Should -Be 6
        }
        finally { Disconnect-EnosStreaming }
    }
}

Describe 'Get-EnosStreamingConnection' {
    BeforeEach {
        Disconnect-EnosStreaming
        Clear-EnosVariables
    }
    AfterEach {
        Disconnect-EnosStreaming
        Clear-EnosVariables
    }

    It 'writes nothing, and no error, when there is no connection at all' {
        Get-EnosStreamingConnection -ErrorVariable errors | Should -BeNullOrEmpty
        $errors | Should -BeNullOrEmpty
    }

    It 'shows the connection, where it came from and the token expiry, never the secret or the token' {
        Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential $credential
        $context = Get-EnosStreamingConnection

        $context.GatewayUrl | Should -Be ([uri]$emulator.Url)
        $context.OrgId | Should -Be $emulator.OrgId
        $context.AppKey | Should -Be $emulator.AppKey
        $context.Source | Should -Be 'Connect-EnosStreaming'
        $context.TokenExpiresAt | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(100))
        $shown = ($context | Format-List * | Out-String) + ($context | ConvertTo-Json)
        $shown | Should -Not -Match ([regex]::Escape($emulator.AppSecret))
        $shown | Should -Not -Match ([regex]::Escape((Get-EmulatorToken $emulator)))
    }

    It 'shows the environment connection of a runbook, and says what is wrong with incomplete variables' {
        Set-EnosVariables $emulator
        $context = Get-EnosStreamingConnection
        $context.Source | Should -Be 'Environment'
        $context.OrgId | Should -Be $emulator.OrgId

        $env:ENOS_APP_SECRET = $null
        Get-EnosStreamingConnection -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosNotConnected,*'
        "$($errors[0])" | Should -Match 'ENOS_APP_SECRET is not set'
    }

    It 'is warned of when Connect-EnosStreaming replaces a connection to another organisation, and only then' {
        $other = Start-EnosEmulator -Pipelines 2 -OrgId 'o15599999999999'
        try {
            Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential $credential -WarningVariable same
            Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential $credential -WarningVariable same
            $same | Should -BeNullOrEmpty

            Connect-EnosStreaming -GatewayUrl $other.Url -OrgId $other.OrgId -Credential (Get-EnosEmulatorCredential $other) -WarningVariable replaced 3>$null
            $replaced.Count | Should -Be 1
            "$replaced" | Should -BeLike "*organisation '$($emulator.OrgId)'*now use organisation 'o15599999999999'*"
            (Get-EnosStreamingConnection).OrgId | Should -Be 'o15599999999999'
        }
        finally { Disconnect-EnosStreaming; Stop-EnosEmulator $other }
    }
}
