# A gateway that redirects or answers with hostile bodies, through the emulator's hostile modes
# (PUT /_emulator/hostile) and a trap listener on 127.0.0.2 that stands for "another host".
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $emulator = Start-EnosEmulator -Pipelines 64 -SystemPipelines 0
    $ids = 1..64 | ForEach-Object { 'pl-{0:D4}' -f $_ }

    # Anything a redirect is followed to arrives here; nothing ever accepts, so a connection waits
    # in the backlog and Pending() sees it.
    $trap = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Parse('127.0.0.2'), 0)
    $trap.Start()
    $trapAddress = "127.0.0.2:$($trap.LocalEndpoint.Port)"

    function Set-Hostile([hashtable] $Settings) { Invoke-EnosEmulatorAdmin $emulator 'hostile' -Method PUT -Body $Settings | Out-Null }
    function Clear-Hostile { Invoke-EnosEmulatorAdmin $emulator 'hostile' -Method DELETE | Out-Null }
    function Connect-Quick([int] $TimeoutSec = 5, [int] $MaxRetries = 1) {
        # Short: a redirect that was followed would wait on the trap until the timeout.
        Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential (Get-EnosEmulatorCredential $emulator) `
            -TimeoutSec $TimeoutSec -MaxRetries $MaxRetries
    }
    function Get-Posts { @(Get-EmulatorRequests $emulator | Where-Object { $_.method -eq 'POST' -and $_.path -like 'streaming/*' }) }
    function Get-TokenRequests { @(Get-EmulatorRequests $emulator | Where-Object path -Like 'apim-token-service/*') }

    function Measure-PeakWorkingSet([scriptblock] $Script) {
        # Samples this process's working set from another runspace while the script runs.
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        $state = [hashtable]::Synchronized(@{ Run = $true; Peak = [Environment]::WorkingSet })
        $baseline = $state.Peak
        $sampler = [powershell]::Create()
        $null = $sampler.AddScript({
                param($state)
                while ($state.Run) {
                    $now = [Environment]::WorkingSet
                    if ($now -gt $state.Peak) { $state.Peak = $now }
                    [Threading.Thread]::Sleep(5)
                }
            }).AddArgument($state)
        $running = $sampler.BeginInvoke()
        try { & $Script }
        finally {
            $state.Run = $false
            $sampler.EndInvoke($running)
            $sampler.Dispose()
        }
        [pscustomobject]@{ Baseline = $baseline; Peak = $state.Peak; GrowthMB = ($state.Peak - $baseline) / 1MB }
    }
}

AfterAll {
    Clear-Hostile
    Disconnect-EnosStreaming
    $trap.Stop()
    Stop-EnosEmulator $emulator
}

Describe 'A gateway that redirects' {
    BeforeEach {
        Clear-Hostile
        Connect-Quick
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0001/status/RUNNING' -Method PUT | Out-Null
        Clear-EmulatorRequests $emulator
    }

    It 'refuses a <_> redirect of a pause: one error naming the address, nothing sent there, nothing paused' -ForEach 301, 302, 303, 307, 308 {
        Set-Hostile @{ kind = 'redirect'; redirectStatus = $_; location = "http://someone:hunter2@$trapAddress" }

        $output = Suspend-EnosPipeline -PipelineId pl-0001 -PassThru -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        Clear-Hostile

        $output | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosInvalidResponse,*'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $errors[0].TargetObject | Should -Be 'pl-0001'
        "$($errors[0])" | Should -Match ([regex]::Escape("redirect to 'http://$trapAddress/streaming/v2.0/streaming/pipeline/pl-0001'"))
        "$($errors[0])" | Should -Match ([regex]::Escape("-GatewayUrl 'http://$trapAddress'"))
        $errors[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("Connect-EnosStreaming -GatewayUrl 'http://$trapAddress'"))
        ($errors[0] | Out-String) + $errors[0].ErrorDetails.RecommendedAction | Should -Not -Match 'hunter2'
        $trap.Pending() | Should -BeFalse -Because 'no request may follow a redirect to another host'
        (Get-Posts).Count | Should -Be 1 -Because 'a redirect is not retried'
        Get-EmulatorStatus $emulator 'pl-0001' | Should -Be 'RUNNING'
    }

    It 'fails Connect-EnosStreaming against a token service that answers <_>, sending the token request nowhere else' -ForEach 302, 307, 308 {
        Disconnect-EnosStreaming
        Set-Hostile @{ kind = 'redirect'; scope = 'token'; redirectStatus = $_; location = "http://$trapAddress" }

        $failure = $null
        try { Connect-Quick } catch { $failure = $_ }
        Clear-Hostile

        $failure | Should -Not -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -BeLike 'EnosInvalidResponse,*'
        "$failure" | Should -Match ([regex]::Escape("-GatewayUrl 'http://$trapAddress'"))
        $trap.Pending() | Should -BeFalse
        (Get-TokenRequests).Count | Should -Be 1 -Because 'a redirect is not retried'
    }
}

Describe 'A gateway whose answers are hostile' {
    BeforeEach {
        Clear-Hostile
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/status/RUNNING' -Method PUT | Out-Null
        Clear-EmulatorRequests $emulator
    }

    It 'survives 64 concurrent gzip bombs (64 MiB each) within 100 MB, one error per pipeline, nothing retried' {
        Connect-Quick -TimeoutSec 30
        Set-Hostile @{ kind = 'bomb'; bombMiB = 64 }

        $memory = Measure-PeakWorkingSet {
            $script:output = $ids | Suspend-EnosPipeline -PassThru -Confirm:$false -ThrottleLimit 64 -ErrorVariable script:errors -ErrorAction SilentlyContinue
            # GETs may be larger (16 MiB): 64 pipelines' lag, each a bomb.
            $script:lag = $ids | Get-EnosPipelineLag -ErrorVariable script:lagErrors -ErrorAction SilentlyContinue
        }
        Clear-Hostile

        $output | Should -BeNullOrEmpty
        $errors.Count | Should -Be 64
        ($errors.TargetObject | Sort-Object -Unique).Count | Should -Be 64
        $errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'EnosInvalidResponse,*' }
        "$($errors[0])" | Should -Match 'larger than 64 KiB'
        $lag | Should -BeNullOrEmpty
        $lagErrors.Count | Should -Be 64
        "$($lagErrors[0])" | Should -Match 'larger than 16 MiB'
        (Get-Posts).Count | Should -Be 64
        Write-Host ("    peak working set growth: {0:N0} MB" -f $memory.GrowthMB)
        $memory.GrowthMB | Should -BeLessThan 100
        @(Invoke-EnosEmulatorAdmin $emulator 'pipelines' | Where-Object status -NE 'RUNNING') | Should -BeNullOrEmpty
    }

    # Issue 20, item 4.
    It 'ends a gzip-bombed listing (1 GiB) as one EnosInvalidResponse per command or pipeline, the process under 600 MB' {
        Connect-Quick -TimeoutSec 30
        # Before the bomb: Connect checks the organisation with a listing page.
        Set-Hostile @{ kind = 'bomb'; bombMiB = 1024 }
        $script:listFailure = $null
        $memory = Measure-PeakWorkingSet {
            try { Get-EnosPipeline -ErrorAction Stop | Out-Null } catch { $script:listFailure = $_ }
            # A resume reads the statuses from the listing first.
            $script:resumed = Resume-EnosPipeline -PipelineId pl-0003, pl-0008 -Confirm:$false -PassThru -ErrorVariable script:resumeErrors -ErrorAction SilentlyContinue
        }
        Clear-Hostile

        $listFailure.FullyQualifiedErrorId | Should -BeLike 'EnosInvalidResponse,*'
        "$listFailure" | Should -Match 'larger than 16 MiB'
        $resumed | Should -BeNullOrEmpty
        $resumeErrors.Count | Should -Be 2
        $resumeErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'Enos*' }
        Write-Host ("    peak working set: {0:N0} MB" -f ($memory.Peak / 1MB))
        $memory.Peak / 1MB | Should -BeLessThan 600
    }

    It 'ends an endless body as EnosInvalidResponse, for a change and for a listing' {
        Connect-Quick -TimeoutSec 30
        Set-Hostile @{ kind = 'endless' }

        Suspend-EnosPipeline -PipelineId pl-0001 -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        $listFailure = $null
        try { Get-EnosPipeline -ErrorAction Stop } catch { $listFailure = $_ }
        Clear-Hostile

        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosInvalidResponse,*'
        $listFailure.FullyQualifiedErrorId | Should -BeLike 'EnosInvalidResponse,*'
        "$listFailure" | Should -Match 'larger than 16 MiB'
        Get-EmulatorStatus $emulator 'pl-0001' | Should -Be 'RUNNING'
    }

    It 'gives up on a body that trickles in when the attempt times out' {
        Connect-Quick -TimeoutSec 2 -MaxRetries 0
        Set-Hostile @{ kind = 'slowBody'; trickleMs = 200 }

        $elapsed = Measure-Command {
            Suspend-EnosPipeline -PipelineId pl-0001 -Confirm:$false -ErrorVariable script:errors -ErrorAction SilentlyContinue
        }
        Clear-Hostile

        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosTransientFailure,*'
        $errors[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $elapsed.TotalSeconds | Should -BeLessThan 15
    }

    It 'reports an answer in charset <charset> as EnosInvalidResponse, not a crash' -ForEach @(
        @{ charset = 'x-unknown-charset'; kind = 'charset'; says = "charset 'x-unknown-charset'" }
        @{ charset = 'iso-8859-1'; kind = 'charset'; says = "charset 'iso-8859-1'" }
        @{ charset = 'UTF-8 (with a byte that is not)'; kind = 'badUtf8'; says = 'not valid UTF-8' }
    ) {
        Connect-Quick
        Set-Hostile @{ kind = $kind; charset = $charset }

        Suspend-EnosPipeline -PipelineId pl-0001 -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        Clear-Hostile

        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosInvalidResponse,*'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        "$($errors[0])" | Should -Match ([regex]::Escape($says))
        (Get-Posts).Count | Should -Be 1
    }
}
