# A connection belongs to the runspace that made it, and lives as long as a command uses it.
# Two emulators stand for two organisations (each its own app key); their request logs and
# statuses show what each runspace really did.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $alpha = Start-EnosEmulator -Pipelines 24 -OrgId 'o-alpha-0001' -AppKey 'alpha-app' -AppSecret 'alpha-secret-value'
    $bravo = Start-EnosEmulator -Pipelines 30 -OrgId 'o-bravo-0002' -AppKey 'bravo-app' -AppSecret 'bravo-secret-value'
    $savedEnvironment = Save-EnosVariables -Clear

    function Get-RunningIds($Emulator) {
        @(Invoke-EnosEmulatorAdmin $Emulator 'pipelines' | Where-Object { $_.status -eq 'RUNNING' -and -not $_.isSystem } |
                ForEach-Object pipelineId | Sort-Object)
    }

    function Get-PauseRequests($Emulator) {
        @(Get-EmulatorRequests $Emulator | Where-Object { $_.method -eq 'POST' -and $_.rawTarget -like '*action=pause*' })
    }

    function Get-EstablishedSocketCount([int] $Port) {
        # Client ends of TCP connections to the port (/proc/net/tcp and tcp6, for .NET's dual-mode
        # sockets: remote address in field 3, state in field 4, 01 = ESTABLISHED; ports in hex).
        $suffix = ':{0:X4}' -f $Port
        @(Get-Content /proc/net/tcp, /proc/net/tcp6 | Where-Object { $_ -notmatch '^\s*sl' } | Where-Object {
                $fields = -split $_
                $fields[2].EndsWith($suffix) -and $fields[3] -eq '01'
            }).Count
    }

    # What a ThreadJob runs: its own Connect, a pause of its organisation's running pipelines fed
    # slowly (so that the main runspace's Connect and Disconnect land while it runs), tab
    # completion, and a look at which organisation its commands see.
    $jobScript = {
        param($Manifest, $Url, $OrgId, $AppKey, $AppSecret)
        Import-Module $Manifest
        $credential = [pscredential]::new($AppKey, (ConvertTo-SecureString $AppSecret -AsPlainText -Force))
        Connect-EnosStreaming -GatewayUrl $Url -OrgId $OrgId -Credential $credential
        $line = 'Suspend-EnosPipeline -PipelineId '
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.Count
        $paused = Get-EnosPipeline -Status Running | ForEach-Object { Start-Sleep -Milliseconds 60; $_ } |
            Suspend-EnosPipeline -PassThru -ThrottleLimit 2
        [pscustomobject]@{
            Completions = $completions
            Paused      = @($paused | ForEach-Object PipelineId | Sort-Object)
            PausedOrgs  = @($paused | ForEach-Object OrgId | Sort-Object -Unique)
            SeenOrgs    = @(Get-EnosPipeline | ForEach-Object OrgId | Sort-Object -Unique)
        }
    }

    function Start-ConnectedJob($Emulator) {
        Start-ThreadJob -ScriptBlock $jobScript -ArgumentList $ModuleManifest, $Emulator.Url, $Emulator.OrgId, $Emulator.AppKey, $Emulator.AppSecret
    }
}

AfterAll {
    Disconnect-EnosStreaming
    Restore-EnosVariables $savedEnvironment
    $alpha, $bravo | Stop-EnosEmulator
}

Describe 'A connection belongs to the runspace that made it' {
    BeforeEach {
        Disconnect-EnosStreaming
        Reset-EmulatorPipelines $alpha -Count 24
        Reset-EmulatorPipelines $bravo -Count 30
        Clear-EmulatorRequests $alpha
        Clear-EmulatorRequests $bravo
    }

    It 'two ThreadJobs each pause only their own organisation while the main runspace connects and disconnects' {
        $runningAlpha = Get-RunningIds $alpha
        $runningBravo = Get-RunningIds $bravo
        $jobs = (Start-ConnectedJob $alpha), (Start-ConnectedJob $bravo)

        # Meanwhile: connect to one organisation or the other, use it, disconnect; bounded in time.
        $iterations = 0
        $mismatches = @()
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while (($jobs.State -match 'NotStarted|Running') -and $clock.Elapsed.TotalSeconds -lt 60) {
            $emulator = ($alpha, $bravo)[$iterations % 2]
            Connect-TestEmulator $emulator
            $seen = (Get-EnosPipeline -PipelineId pl-0001).OrgId
            if ($seen -ne $emulator.OrgId) { $mismatches += "$seen instead of $($emulator.OrgId)" }
            Disconnect-EnosStreaming
            $iterations++
        }
        $results = $jobs | Receive-Job -Wait -AutoRemoveJob -ErrorVariable jobErrors

        $jobErrors | Should -BeNullOrEmpty
        $mismatches | Should -BeNullOrEmpty
        $iterations | Should -BeGreaterThan 2 -Because 'the main runspace connected and disconnected while the jobs ran'
        $results[0].SeenOrgs | Should -Be @($alpha.OrgId)
        $results[0].PausedOrgs | Should -Be @($alpha.OrgId)
        $results[0].Paused | Should -Be $runningAlpha
        $results[0].Completions | Should -Be 24 -Because "tab completion lists the job's own organisation"
        $results[1].SeenOrgs | Should -Be @($bravo.OrgId)
        $results[1].Paused | Should -Be $runningBravo
        $results[1].Completions | Should -Be 30

        # What each gateway received: exactly one pause per pipeline that ran, for its own organisation.
        foreach ($case in @{ Emulator = $alpha; Running = $runningAlpha }, @{ Emulator = $bravo; Running = $runningBravo }) {
            $pauses = Get-PauseRequests $case.Emulator
            @($pauses.pipelineId | Sort-Object) | Should -Be $case.Running
            $pauses.query.orgId | Sort-Object -Unique | Should -Be $case.Emulator.OrgId
            Get-RunningIds $case.Emulator | Should -BeNullOrEmpty
        }
    }

    It "a runspace without Connect does not see another's connection, and its Disconnect leaves the other connected" {
        Connect-TestEmulator $alpha
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        try {
            $powershell = [powershell]::Create($runspace)
            $null = $powershell.AddScript({
                    param($Manifest, $Url, $OrgId, $AppKey, $AppSecret)
                    Import-Module $Manifest
                    try { Get-EnosPipeline -ErrorAction Stop | Out-Null; 'listed' } catch { $_.FullyQualifiedErrorId }
                    $credential = [pscredential]::new($AppKey, (ConvertTo-SecureString $AppSecret -AsPlainText -Force))
                    Connect-EnosStreaming -GatewayUrl $Url -OrgId $OrgId -Credential $credential
                    (Get-EnosPipeline -PipelineId pl-0001).OrgId
                    Disconnect-EnosStreaming
                }).AddParameters(@{ Manifest = $ModuleManifest; Url = $bravo.Url; OrgId = $bravo.OrgId; AppKey = $bravo.AppKey; AppSecret = $bravo.AppSecret })
            $output = $powershell.Invoke()

            $powershell.Streams.Error | Should -BeNullOrEmpty
            $output[0] | Should -BeLike 'EnosNotConnected,*'
            $output[1] | Should -Be $bravo.OrgId
            (Get-EnosPipeline -PipelineId pl-0001).OrgId | Should -Be $alpha.OrgId -Because "the other runspace's Disconnect was its own"
            # Connect's check of the organisation (one page of one pipeline), and the Get.
            @(Get-EmulatorRequests $alpha | Where-Object path -Like 'streaming/*').Count | Should -Be 2
        }
        finally {
            $runspace.Dispose()
        }
    }

    It 'ForEach-Object -Parallel bodies neither see nor change the connection of the runspace that runs them' {
        Connect-TestEmulator $alpha
        $bravoArguments = $bravo
        $seen = 1..2 | ForEach-Object -ThrottleLimit 2 -Parallel {
            Import-Module $using:ModuleManifest
            $before = try { Get-EnosPipeline -ErrorAction Stop | Out-Null; 'listed' } catch { $_.FullyQualifiedErrorId }
            $target = $using:bravoArguments
            $credential = [pscredential]::new($target.AppKey, (ConvertTo-SecureString $target.AppSecret -AsPlainText -Force))
            Connect-EnosStreaming -GatewayUrl $target.Url -OrgId $target.OrgId -Credential $credential
            [pscustomobject]@{ Before = $before; After = (Get-EnosPipeline -PipelineId pl-0001).OrgId }
        }

        $seen.Before | ForEach-Object { $_ | Should -BeLike 'EnosNotConnected,*' }
        $seen.After | Should -Be @($bravo.OrgId, $bravo.OrgId)
        (Get-EnosPipeline -PipelineId pl-0001).OrgId | Should -Be $alpha.OrgId
    }

    It 'a failed Connect in a reused -Parallel runspace leaves no connection: the next command acts on no organisation' {
        # One runspace for every iteration (-ThrottleLimit 1), and no try/-ErrorAction Stop: the
        # failed Connect is a statement-terminating error and the Suspend after it still runs.
        $ErrorActionPreference = 'Continue'
        $turns = @(
            @{ GatewayUrl = $alpha.Url; OrgId = $alpha.OrgId; Key = $alpha.AppKey; Secret = $alpha.AppSecret }
            @{ GatewayUrl = $alpha.Url; OrgId = 'o-typo-0003'; Key = $alpha.AppKey; Secret = $alpha.AppSecret }
        )
        $runningBefore = Get-RunningIds $alpha
        $alphaOrg = $alpha.OrgId
        $out = $turns | ForEach-Object -ThrottleLimit 1 -Parallel {
            Import-Module $using:ModuleManifest
            $credential = [pscredential]::new($_.Key, (ConvertTo-SecureString $_.Secret -AsPlainText -Force))
            Connect-EnosStreaming -GatewayUrl $_.GatewayUrl -OrgId $_.OrgId -Credential $credential
            if ($_.OrgId -ne $using:alphaOrg) {
                Get-EnosPipeline -Status Running | Suspend-EnosPipeline -Confirm:$false -PassThru
            }
        } 2>&1 3>&1

        $errors = @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $warnings = @($out | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $errors.Count | Should -Be 2
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosOrganisationNotFound,*' -Because 'the typo fails Connect'
        "$($errors[0])" | Should -Match "organisation 'o-typo-0003'"
        $errors[1].FullyQualifiedErrorId | Should -BeLike 'EnosNotConnected,*'
        "$warnings" | Should -Match "previous connection to organisation '$($alpha.OrgId)' at .* was closed"
        @($out | Where-Object { $_ -is [EnOS.Streaming.Pipeline] }) | Should -BeNullOrEmpty
        Get-PauseRequests $alpha | Should -BeNullOrEmpty
        Get-RunningIds $alpha | Should -Be $runningBefore
    }

    It "the guide's per-organisation loop with -Parallel pauses each organisation's own pipelines, and reports a wrong one" {
        # The block as docs/guide.md shows it, run as written, with the module on PSModulePath as an
        # installed one would be.
        $guide = Get-Content -Raw (Join-Path $RepoRoot 'docs/guide.md')
        $block = [regex]::Match($guide, '(?s)```powershell\n(# One organisation a turn[^`]*?)```').Groups[1].Value
        $block | Should -Match 'ForEach-Object -ThrottleLimit \d+ -Parallel'
        $ErrorActionPreference = 'Continue' # as at a prompt: the wrong organisation's error is written, not thrown
        $savedPath = $env:PSModulePath
        $env:PSModulePath = (Join-Path $RepoRoot 'out') + [IO.Path]::PathSeparator + $env:PSModulePath
        try {
            $credentialOf = { param($e) [pscredential]::new($e.AppKey, (ConvertTo-SecureString $e.AppSecret -AsPlainText -Force)) }
            # A runspace reused across turns: the wrong organisation comes after alpha and before bravo.
            $organisations = @(
                @{ GatewayUrl = $alpha.Url; OrgId = $alpha.OrgId; Credential = & $credentialOf $alpha }
                @{ GatewayUrl = $alpha.Url; OrgId = 'o-typo-0003'; Credential = & $credentialOf $alpha }
                @{ GatewayUrl = $bravo.Url; OrgId = $bravo.OrgId; Credential = & $credentialOf $bravo }
            )
            $alphaRunning = Get-RunningIds $alpha
            $bravoRunning = Get-RunningIds $bravo
            $out = & ([scriptblock]::Create($block)) 2>&1 3>&1
        }
        finally { $env:PSModulePath = $savedPath }

        $paused = @($out | Where-Object { $_ -is [EnOS.Streaming.Pipeline] })
        $errors = @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        @($paused | Where-Object OrgId -EQ $alpha.OrgId | ForEach-Object PipelineId | Sort-Object) | Should -Be $alphaRunning
        @($paused | Where-Object OrgId -EQ $bravo.OrgId | ForEach-Object PipelineId | Sort-Object) | Should -Be $bravoRunning
        $paused.Count | Should -Be ($alphaRunning.Count + $bravoRunning.Count)
        $errors.Count | Should -Be 1
        "$($errors[0])" | Should -Match "o-typo-0003.*EnOS 61106"
        (Get-PauseRequests $alpha).Count | Should -Be $alphaRunning.Count
        (Get-PauseRequests $bravo).Count | Should -Be $bravoRunning.Count
        Get-RunningIds $alpha | Should -BeNullOrEmpty
        Get-RunningIds $bravo | Should -BeNullOrEmpty
    }

    It "a runspace that closes without Disconnect closes its connection's sockets" -Skip:(-not (Test-Path /proc/net/tcp)) {
        $port = ([uri]$bravo.Url).Port
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $powershell = [powershell]::Create($runspace)
        $null = $powershell.AddScript({
                param($Manifest, $Url, $OrgId, $AppKey, $AppSecret)
                Import-Module $Manifest
                $credential = [pscredential]::new($AppKey, (ConvertTo-SecureString $AppSecret -AsPlainText -Force))
                Connect-EnosStreaming -GatewayUrl $Url -OrgId $OrgId -Credential $credential
                @(Get-EnosPipeline).Count
            }).AddParameters(@{ Manifest = $ModuleManifest; Url = $bravo.Url; OrgId = $bravo.OrgId; AppKey = $bravo.AppKey; AppSecret = $bravo.AppSecret })
        $powershell.Invoke() | Should -Be 30
        Get-EstablishedSocketCount $port | Should -BeGreaterThan 0 -Because 'the connection keeps its socket for the next command'

        $runspace.Dispose()
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while ((Get-EstablishedSocketCount $port) -gt 0 -and $clock.Elapsed.TotalSeconds -lt 5) { Start-Sleep -Milliseconds 50 }
        Get-EstablishedSocketCount $port | Should -Be 0
    }
}

Describe 'A connection lives as long as a command uses it' {
    BeforeEach {
        Disconnect-EnosStreaming
        Clear-EnosVariables
        Invoke-EnosEmulatorAdmin $alpha 'pipelines/status/RUNNING' -Method PUT | Out-Null
        Clear-EmulatorRequests $alpha
        Clear-EmulatorRequests $bravo
        $ids = 1..24 | ForEach-Object { 'pl-{0:D4}' -f $_ }
    }

    AfterEach {
        Clear-EnosVariables
    }

    It 'Disconnect and Connect to another organisation in mid-pipeline leave the running command on its connection' {
        Connect-TestEmulator $alpha
        $paused = $ids | ForEach-Object -Begin { $n = 0 } -Process {
            if (++$n -eq 5) { Disconnect-EnosStreaming; Connect-TestEmulator $bravo }
            $_
        } | Suspend-EnosPipeline -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -BeNullOrEmpty
        @($paused).Count | Should -Be 24
        @(Get-PauseRequests $alpha).Count | Should -Be 24
        Get-RunningIds $alpha | Should -BeNullOrEmpty
        Get-PauseRequests $bravo | Should -BeNullOrEmpty
        (Get-EnosPipeline -PipelineId pl-0001).OrgId | Should -Be $bravo.OrgId -Because 'the next command uses the new connection'
    }

    It 'a change of the ENOS_* variables in mid-pipeline leaves the running command on its connection' {
        Set-EnosVariables $alpha
        $paused = $ids | ForEach-Object -Begin { $n = 0 } -Process {
            if (++$n -eq 5) {
                # The next command makes a connection from the new variables and lets the old one go.
                Set-EnosVariables $bravo
                $null = Get-EnosPipeline -PipelineId pl-0001
            }
            $_
        } | Suspend-EnosPipeline -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -BeNullOrEmpty
        @($paused).Count | Should -Be 24
        Get-RunningIds $alpha | Should -BeNullOrEmpty
        Get-PauseRequests $bravo | Should -BeNullOrEmpty
    }

    # Issue 20, item 7.
    It "Disconnect in another runspace leaves this one's ENOS_* connection alone: same connection, no new token" {
        Set-EnosVariables $alpha
        $null = Get-EnosPipeline -PipelineId pl-0001
        Clear-EmulatorRequests $alpha
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        try {
            $powershell = [powershell]::Create($runspace)
            $null = $powershell.AddScript({
                    param($Manifest)
                    Import-Module $Manifest
                    Disconnect-EnosStreaming
                }).AddParameter('Manifest', $ModuleManifest)
            $powershell.Invoke()
            $powershell.Streams.Error | Should -BeNullOrEmpty
        }
        finally { $runspace.Dispose() }

        (Get-EnosPipeline -PipelineId pl-0001).OrgId | Should -Be $alpha.OrgId
        @(Get-EmulatorRequests $alpha | Where-Object path -Like 'apim-token*') | Should -BeNullOrEmpty -Because 'the connection and its token were kept'
    }

    It 'Disconnect closes the sockets: 200 Connect, Get, Disconnect cycles leave at most a handful open' -Skip:(-not (Test-Path /proc/net/tcp)) {
        $port = ([uri]$alpha.Url).Port
        $before = Get-EstablishedSocketCount $port
        $open = 0
        foreach ($cycle in 1..200) {
            Connect-TestEmulator $alpha
            $null = Get-EnosPipeline -PipelineId pl-0001
            if ($cycle -eq 1) { $open = Get-EstablishedSocketCount $port }
            Disconnect-EnosStreaming
        }

        # Each cycle: Connect's check of the organisation, and the Get.
        @(Get-EmulatorRequests $alpha | Where-Object path -Like 'streaming/*').Count | Should -Be 400
        $open | Should -BeGreaterThan $before -Because 'a connection keeps its socket open while it lives (the count sees it)'
        Get-EstablishedSocketCount $port | Should -BeLessOrEqual ($before + 3)
    }

    It 'The pipeline-thread pump refuses to run posted writes on any other thread, and runs them on its own' {
        $pumpType = (Get-Command Get-EnosPipeline).ImplementingType.Assembly.GetType('EnOS.Streaming.Threading.PipelineThreadPump', $true)
        $pump = [Activator]::CreateInstance($pumpType, [Threading.CancellationToken]::None)
        $handleReady = [Delegate]::CreateDelegate([Action], $pump, 'HandleReady')

        $elsewhere = [Threading.Tasks.Task]::Run($handleReady)
        { $elsewhere.Wait() } | Should -Throw '*pipeline thread*'
        $elsewhere.Exception.InnerException | Should -BeOfType ([System.Management.Automation.PSInvalidOperationException])
        { $handleReady.Invoke() } | Should -Not -Throw
    }
}
