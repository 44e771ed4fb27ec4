BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $emulator = Start-EnosEmulator -Pipelines 12

    function Connect-Messages([int] $MaxRetries = 1, [int] $TimeoutSec = 20) {
        Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential (Get-EnosEmulatorCredential $emulator) `
            -MaxRetries $MaxRetries -TimeoutSec $TimeoutSec -WarningAction SilentlyContinue
    }

    function Set-Admin([string] $Path, [hashtable] $Body) { Invoke-EnosEmulatorAdmin $emulator $Path -Method PUT -Body $Body | Out-Null }

    function Clear-Admin {
        foreach ($path in 'faults', 'hostile', 'limits') { Invoke-EnosEmulatorAdmin $emulator $path -Method DELETE | Out-Null }
    }

    function Get-Records([scriptblock] $Command) {
        # Every error record the command writes (the block passes -ErrorAction Continue on with
        # @args), and the one that ends it, if any.
        $records = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
        try { & $Command -ErrorAction Continue 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { $records.Add($_) } } }
        catch { $records.Add($_) }
        , $records.ToArray()
    }

    function Assert-SaidOnce {
        # What "say it once" means, checked on one record: the pipeline named once (a URL that
        # holds its id is another fact: where a redirect pointed), one "Cannot" or "Could not", no
        # doubled punctuation.
        param([Parameter(Mandatory)] $Record, [string] $PipelineId)
        $text = "$Record"
        if ($PipelineId) {
            [regex]::Matches($text, "(?<![/\w-])$([regex]::Escape($PipelineId))(?![\w-])").Count | Should -Be 1 -Because $text
        }
        [regex]::Matches($text, '(?i)\b(cannot|could not)\b').Count | Should -BeLessOrEqual 1 -Because $text
        $text | Should -Not -Match '\.\.|:\s*:|\.\s+\.|\.:|;;|,,' -Because $text
    }
}

AfterAll {
    if (-not $emulator.Process.HasExited) { Clear-Admin }
    Disconnect-EnosStreaming
    Stop-EnosEmulator $emulator
}

Describe 'Error messages say each fact once' {
    BeforeEach {
        Clear-Admin
        Reset-EmulatorPipelines $emulator
        Connect-Messages
    }

    It 'tells a fault the gateway repeats as one sentence: <kind>' -ForEach @(
        @{ kind = '503'; says = "Cannot pause pipeline 'wind-line-1' (pl-0001): the gateway answered HTTP 503 Service Unavailable each time (gave up after 2 attempts)." }
        @{ kind = 'html502'; says = "Cannot pause pipeline 'wind-line-1' (pl-0001): the gateway answered HTTP 502 Bad Gateway each time (gave up after 2 attempts). The body was: <html><body><h1>502 Bad Gateway</h1></body></html>" }
        @{ kind = 'malformed'; says = "Cannot pause pipeline 'wind-line-1' (pl-0001): the gateway answered HTTP 200 OK with a body that was not JSON each time (gave up after 2 attempts). The body was: *" }
        @{ kind = 'drop'; says = "Cannot pause pipeline 'wind-line-1' (pl-0001): the connection to the gateway at {url} failed (*) each time (gave up after 2 attempts)." }
    ) {
        $pipeline = Get-EnosPipeline -PipelineId pl-0001
        Set-Admin 'faults' @{ rate = 1; kinds = @($kind); retryAfterSeconds = 0 }

        $records = Get-Records { $pipeline | Suspend-EnosPipeline -Confirm:$false @args }

        $records.Count | Should -Be 1
        "$($records[0])" | Should -BeLike $says.Replace('{url}', $emulator.Url)
        Assert-SaidOnce $records[0] 'pl-0001'
        # The client's own message still stands alone, naming its operation once.
        $records[0].Exception.Message | Should -BeLike "Could not pause pipeline 'pl-0001': *"
    }

    It 'tells a listing that fails once, naming the organisation once' {
        Set-Admin 'faults' @{ rate = 1; kinds = @('503'); retryAfterSeconds = 0 }

        $records = Get-Records { Get-EnosPipeline @args }

        "$($records[0])" | Should -Be "Cannot list the pipelines of organisation '$($emulator.OrgId)': the gateway answered HTTP 503 Service Unavailable each time (gave up after 2 attempts)."
        Assert-SaidOnce $records[0]
    }

    It 'tells throttling and a slow gateway that outlast the time budget once' {
        Connect-Messages -TimeoutSec 1
        Set-Admin 'limits' @{ ratePerSecond = 1 }
        $throttled = Get-Records { 'pl-0001', 'pl-0002', 'pl-0006' | Suspend-EnosPipeline -Confirm:$false -ThrottleLimit 3 @args }
        Clear-Admin
        Set-Admin 'faults' @{ rate = 1; kinds = @('slow'); slowMs = 3000 }
        $slow = Get-Records { Suspend-EnosPipeline -PipelineId pl-0007 -Confirm:$false @args }

        $throttled.Count | Should -BeGreaterThan 0
        foreach ($record in $throttled) {
            "$record" | Should -BeLike "Cannot pause pipeline 'pl-000?': the gateway was still throttling (HTTP 429) when the connection's timeout (1 s) ran out.*"
            Assert-SaidOnce $record $record.TargetObject
        }
        "$($slow[0])" | Should -BeLike "Cannot pause pipeline 'pl-0007': the connection's timeout (1 s) ran out*"
        Assert-SaidOnce $slow[0] 'pl-0007'
    }

    It 'tells state conflicts and missing pipelines once' {
        $records = @(
            Get-Records { Suspend-EnosPipeline -PipelineId pl-0004 -Confirm:$false @args }        # STOPPED: the service refuses
            Get-Records { Resume-EnosPipeline -PipelineId pl-0004 -Confirm:$false @args }         # STOPPED: refused before sending
            Get-Records { Get-EnosPipeline -PipelineId pl-0003 | Get-EnosPipelineLag @args }      # PAUSED: no lag
            Get-Records { Suspend-EnosPipeline -PipelineId pl-9999 -Confirm:$false @args }        # the service: 61108
            Get-Records { Resume-EnosPipeline -PipelineId pl-9999 -Confirm:$false @args }         # not listed
            Get-Records { Get-EnosPipeline -PipelineId pl-9999 @args }
        )

        $records.Count | Should -Be 6
        "$($records[0])" | Should -BeLike "Cannot pause pipeline 'pl-0004': its current status is STOPPED (EnOS 61152, request id *)."
        "$($records[1])" | Should -Be ("Cannot resume pipeline 'pl-0004': its current status is STOPPED. Only a paused pipeline can be resumed; " +
            'the start action would begin this one afresh, without its offsets. Nothing was sent.')
        "$($records[2])" | Should -Be "Cannot get the offset and lag of pipeline 'wind-line-3' (pl-0003): its current status is PAUSED. Offset and lag exist only while a pipeline runs. Nothing was sent."
        "$($records[3])" | Should -BeLike "Cannot pause pipeline 'pl-9999': organisation '$($emulator.OrgId)' has no such pipeline (EnOS 61108, request id *)."
        "$($records[4])" | Should -Be "Cannot resume pipeline 'pl-9999': organisation '$($emulator.OrgId)' does not list it. Nothing was sent."
        foreach ($record in $records) { Assert-SaidOnce $record $record.TargetObject }
    }

    It 'tells hostile answers once: <kind> (<scope>)' -ForEach @(
        @{ kind = 'redirect'; scope = 'streaming'; says = "Cannot pause pipeline 'pl-0001': the gateway answered with HTTP 302 Found, a redirect to 'http://127.0.0.2:9/streaming/v2.0/streaming/pipeline/pl-0001' (query not shown). It was not followed: *" }
        @{ kind = 'redirect'; scope = 'token'; says = "Cannot pause pipeline 'pl-0001': while getting an access token, the gateway answered with HTTP 302 Found, a redirect to 'http://127.0.0.2:9/apim-token-service/v2.0/token/*'. It was not followed: *" }
        @{ kind = 'bomb'; scope = 'streaming'; says = "Cannot pause pipeline 'pl-0001': the gateway answered HTTP 200 OK with a body that was larger than 64 KiB, far more than any answer of this API (not read further)." }
        @{ kind = 'charset'; scope = 'streaming'; says = "Cannot pause pipeline 'pl-0001': the gateway answered HTTP 200 OK with a body that declared the charset 'x-unknown-charset', not the UTF-8 the API documents. The body was: *" }
        @{ kind = 'badUtf8'; scope = 'streaming'; says = "Cannot pause pipeline 'pl-0001': the gateway answered HTTP 200 OK with a body that was not valid UTF-8. The body was: *" }
    ) {
        Set-Admin 'hostile' @{ kind = $kind; scope = $scope; bombMiB = 1 }
        # A token request is made only when the token is renewed: make it so.
        if ($scope -eq 'token') { Invoke-EnosEmulatorAdmin $emulator 'tokens/expire' -Method POST | Out-Null }

        $records = Get-Records { Suspend-EnosPipeline -PipelineId pl-0001 -Confirm:$false @args }

        $records.Count | Should -Be 1
        "$($records[0])" | Should -BeLike $says
        Assert-SaidOnce $records[0] 'pl-0001'
    }
}

Describe 'Where an error says the call went' {
    BeforeEach {
        Clear-Admin
        Reset-EmulatorPipelines $emulator
        Connect-Messages
    }

    It 'names the organisation of a piped pipeline when it is not the connection''s' {
        $elsewhere = Get-EnosPipeline -PipelineId pl-0004
        $elsewhere.OrgId = 'o15599999999999'

        $records = Get-Records { $elsewhere | Suspend-EnosPipeline -Confirm:$false @args }

        "$($records[0])" | Should -BeLike "Cannot pause pipeline 'wind-line-4' (pl-0004) in organisation 'o15599999999999': ""Wrong pipelineId or OU has no privilege"" (EnOS 61106, request id *)."
        Assert-SaidOnce $records[0] 'pl-0004'
        $post = (Get-EmulatorRequests $emulator) | Where-Object method -EQ 'POST' | Select-Object -Last 1
        $post.query.orgId | Should -Be 'o15599999999999'
    }

    It 'names the organisation of -OrgId, and not the connection''s own' {
        $other = Get-Records { Get-EnosPipelineLag -PipelineId pl-0001 -OrgId 'o2' @args }
        $own = Get-Records { Suspend-EnosPipeline -PipelineId pl-0004 -OrgId $emulator.OrgId -Confirm:$false @args }
        $piped = Get-Records { Get-EnosPipeline -PipelineId pl-0004 | Suspend-EnosPipeline -Confirm:$false @args }

        "$($other[0])" | Should -BeLike "Cannot get the offset and lag of pipeline 'pl-0001' in organisation 'o2': *(EnOS 61106, request id *)."
        "$($own[0])" | Should -BeLike "Cannot pause pipeline 'pl-0004': its current status is STOPPED (EnOS 61152, *"
        "$($piped[0])" | Should -BeLike "Cannot pause pipeline 'wind-line-4' (pl-0004): its current status is STOPPED (EnOS 61152, *"
        foreach ($record in $other + $own + $piped) { Assert-SaidOnce $record $record.TargetObject }
    }
}

Describe 'A token renewal in one wording' {
    BeforeAll { Connect-Messages }

    It 'says "renewing the access token" for a token the gateway calls expired, and nothing else about it' {
        Get-EnosPipeline -PipelineId pl-0001 | Out-Null
        Invoke-EnosEmulatorAdmin $emulator 'tokens/expire' -Method POST | Out-Null

        $verbose = @(Suspend-EnosPipeline -PipelineId pl-0001, pl-0002 -Confirm:$false -ThrottleLimit 1 -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

        $renewal = @($verbose | Where-Object { $_ -match 'renew|refresh|1203' })
        $renewal | Should -Not -BeNullOrEmpty
        $renewal | ForEach-Object { $_ | Should -Match 'renewing the access token' }
        $renewal | Should -Contain 'The gateway says the access token expired (EnOS 1203): renewing the access token and sending the call once more.'
        @($verbose | Where-Object { $_ -like 'Got an access token*' }).Count | Should -Be 1
    }
}

# Last: the emulator is gone afterwards.
Describe 'A gateway that went away' {
    BeforeAll {
        Clear-Admin
        Reset-EmulatorPipelines $emulator
        Connect-Messages
    }

    It 'tells a dead gateway once, naming it once' {
        Set-Admin 'limits' @{ downAfterCalls = 0 }

        $records = Get-Records { 'pl-0001', 'pl-0002', 'pl-0006', 'pl-0007', 'pl-0011', 'pl-0012' | Suspend-EnosPipeline -Confirm:$false -ThrottleLimit 1 @args }
        $connect = Get-Records { Connect-Messages -MaxRetries 0 @args }

        $records.Count | Should -Be 6
        foreach ($record in $records) { Assert-SaidOnce $record $record.TargetObject }
        "$($records[-1])" | Should -BeLike "Cannot pause pipeline 'pl-00??': not sent, because moments ago the gateway at $($emulator.Url) refused the connection (nothing listens at that address and port)."
        # Connect names the gateway in the reason, so not again in front of it.
        "$($connect[0])" | Should -Be "Cannot connect: while getting an access token, the gateway at $($emulator.Url) refused the connection (nothing listens at that address and port) (not retried: MaxRetries is 0)."
        [regex]::Matches("$($connect[0])", [regex]::Escape($emulator.Url)).Count | Should -Be 1
    }
}
