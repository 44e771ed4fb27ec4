BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    # Slow enough that requests overlap and a stop lands mid-run.
    $emulator = Start-EnosEmulator -Pipelines 60 -LatencyMs 150
    Connect-TestEmulator $emulator

    function Invoke-InOtherRunspace([string] $Script, $Emulator = $emulator) {
        # A second runspace of this process, connected for itself (a connection belongs to its
        # runspace); the streams are ours to read.
        $ps = [powershell]::Create()
        $connect = "Connect-EnosStreaming -GatewayUrl '$($Emulator.Url)' -OrgId '$($Emulator.OrgId)' " +
            "-Credential ([pscredential]::new('$($Emulator.AppKey)', (ConvertTo-SecureString '$($Emulator.AppSecret)' -AsPlainText -Force)))"
        $null = $ps.AddScript("Import-Module '$ModuleManifest'; $connect; $Script")
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
        [pscustomobject]@{ PowerShell = $ps; Output = $output; Handle = $handle }
    }

    function Wait-Until([scriptblock] $Condition, [int] $TimeoutMs = 10000) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        while (-not (& $Condition)) {
            if ($watch.ElapsedMilliseconds -gt $TimeoutMs) { throw "Timed out waiting for $Condition" }
            Start-Sleep -Milliseconds 20
        }
    }
}

AfterAll {
    Disconnect-EnosStreaming
    Stop-EnosEmulator $emulator
}

Describe 'Bulk operations' {
    BeforeEach { Reset-EmulatorPipelines $emulator -Count 60 }

    It 'never has more requests in flight than -ThrottleLimit' -TestCases @(@{ Limit = 1 }, @{ Limit = 3 }, @{ Limit = 8 }) {
        param($Limit)
        $running = Get-EnosPipeline -Status Running
        Invoke-EnosEmulatorAdmin $emulator 'stats/reset' -Method POST | Out-Null

        $running | Suspend-EnosPipeline -ThrottleLimit $Limit -Confirm:$false

        $stats = Invoke-EnosEmulatorAdmin $emulator 'stats'
        $stats.peakInFlight | Should -BeLessOrEqual $Limit
        # And it does run that many at once: 24 requests leave no room to stay below it.
        $stats.peakInFlight | Should -Be $Limit
        (Get-EnosPipeline -Status Running) | Should -BeNullOrEmpty
    }

    It 'reads the lag of at most -ThrottleLimit pipelines at once, and exactly that many' {
        $running = Get-EnosPipeline -Status Running
        Invoke-EnosEmulatorAdmin $emulator 'stats/reset' -Method POST | Out-Null

        $lag = $running | Get-EnosPipelineLag -ThrottleLimit 3

        ($lag.PipelineId | Sort-Object -Unique).Count | Should -Be $running.Count
        (Invoke-EnosEmulatorAdmin $emulator 'stats').peakInFlight | Should -Be 3
    }

    It 'rejects a -ThrottleLimit outside 1..64' {
        { 'pl-0001' | Suspend-EnosPipeline -ThrottleLimit 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        { 'pl-0001' | Suspend-EnosPipeline -ThrottleLimit 65 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'names its pipeline in every result and error, in whatever order they complete' {
        $ids = (Get-EnosPipeline -Status Running, Stopped).PipelineId
        $results = $ids | Suspend-EnosPipeline -PassThru -Confirm:$false -ThrottleLimit 16 -ErrorVariable errors -ErrorAction SilentlyContinue

        ($results.PipelineId + $errors.TargetObject | Sort-Object) | Should -Be ($ids | Sort-Object)
        $errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'EnosPipelineStateConflict,*' }
    }

    It 'shows progress for a long run and completes it at the end' {
        $run = Invoke-InOtherRunspace 'Get-EnosPipeline -Status Running | Suspend-EnosPipeline -Confirm:$false -ThrottleLimit 4'
        $run.PowerShell.EndInvoke($run.Handle)
        $progress = @($run.PowerShell.Streams.Progress)
        $run.PowerShell.Dispose()

        $progress | Should -Not -BeNullOrEmpty
        $progress.Activity | Sort-Object -Unique | Should -Be 'Pausing pipelines'
        ($progress.StatusDescription -match '^Pausing \d+ ').Count | Should -BeGreaterThan 0
        $progress[-1].RecordType | Should -Be 'Completed'
    }

    It 'counts to the known total from the start when the ids are an argument, and fills the bar' {
        $ids = (Get-EnosPipeline -Status Running).PipelineId
        $run = Invoke-InOtherRunspace ('Suspend-EnosPipeline -PipelineId {0} -Confirm:$false -ThrottleLimit 4' -f (($ids | ForEach-Object { "'$_'" }) -join ','))
        $run.PowerShell.EndInvoke($run.Handle)
        $progress = @($run.PowerShell.Streams.Progress | Where-Object RecordType -EQ 'Processing')
        $run.PowerShell.Dispose()

        $progress | Should -Not -BeNullOrEmpty
        # Every record names the whole run, the first ones included: "Pausing 3 of 24".
        $progress | ForEach-Object { $_.StatusDescription | Should -Match "^Pausing \d+ of $($ids.Count)$" }
        ($progress.PercentComplete | Measure-Object -Maximum).Maximum | Should -Be 100
    }

    It 'says what it knows while piped input is still coming' {
        $run = Invoke-InOtherRunspace @'
Get-EnosPipeline -Status Running | ForEach-Object { Start-Sleep -Milliseconds 30; $_ } | Suspend-EnosPipeline -Confirm:$false -ThrottleLimit 4
'@
        $run.PowerShell.EndInvoke($run.Handle)
        $progress = @($run.PowerShell.Streams.Progress)
        $run.PowerShell.Dispose()

        ($progress.StatusDescription -match '^Pausing: \d+ done, \d+ in flight, \d+ received so far$').Count | Should -BeGreaterThan 0
        $progress[-1].RecordType | Should -Be 'Completed'
    }

    It 'writes the same shape with -PassThru for a bare id as for a piped pipeline' {
        $fromObject = Get-EnosPipeline -PipelineId pl-0001 | Suspend-EnosPipeline -PassThru -Confirm:$false
        $fromId = Suspend-EnosPipeline -PipelineId pl-0002 -PassThru -Confirm:$false

        foreach ($written in $fromObject, $fromId) {
            $written.Status | Should -Be 'Paused'
            $written.Name | Should -Not -BeNullOrEmpty
            $written.ExecutionMode | Should -Not -BeNullOrEmpty
            $written.UpdateTime | Should -BeOfType ([datetime])
        }
        $fromId.Name | Should -Be 'wind-line-2'
    }

    It 'reports every pipeline it changed before -ErrorAction Stop ends the command' {
        $ids = 'nope', 'pl-0001', 'pl-0002', 'pl-0006', 'pl-0007'
        $thrown = $null
        try { $ids | Suspend-EnosPipeline -PassThru -Confirm:$false -ErrorAction Stop -OutVariable written | Out-Null }
        catch { $thrown = $_ }

        $thrown.FullyQualifiedErrorId | Should -BeLike 'EnosPipelineNotFound,*'

        $paused = @('pl-0001', 'pl-0002', 'pl-0006', 'pl-0007' | Where-Object { (Get-EmulatorStatus $emulator $_) -eq 'PAUSED' })
        @($written.PipelineId | Sort-Object) | Should -Be @($paused | Sort-Object)
    }

    It 'also reports what it changed when a refused id ends the command under -ErrorAction Stop' {
        $thrown = $null
        try { 'pl-0001', 'pl-0002', ' bad' | Suspend-EnosPipeline -PassThru -Confirm:$false -ErrorAction Stop -OutVariable written | Out-Null }
        catch { $thrown = $_ }

        $thrown.FullyQualifiedErrorId | Should -BeLike 'EnosInvalidPipelineId,*'
        @($written.PipelineId | Sort-Object) | Should -Be @('pl-0001', 'pl-0002')
    }

    It 'says under -WhatIf what it would do with each pipeline, and writes no summary' {
        $run = Invoke-WithCapturedHost $emulator 'Get-EnosPipeline -Status Running | Suspend-EnosPipeline -WhatIf -Verbose'
        @($run.Host | Where-Object { $_ -like "What if: Pause pipeline 'wind-line-*' (pl-00*): listed RUNNING: would pause it; it keeps its offsets." }).Count | Should -Be 24
        $run.Information | Should -BeNullOrEmpty
    }
}

Describe 'Stopping a command whose requests are slow' {
    BeforeAll {
        # Four seconds a request: a command that waited for its requests would be seen waiting.
        $slow = Start-EnosEmulator -Pipelines 8 -PageCap 4 -LatencyMs 4000
        Connect-TestEmulator $slow

        # The calls the emulator answered (it logs an answer as it sends it) whose target matches.
        function Get-Answered([string] $Pattern) { Get-EmulatorRequests $slow | Where-Object rawTarget -Match $Pattern }
    }

    AfterAll {
        Connect-TestEmulator $emulator
        Stop-EnosEmulator $slow
    }

    It 'stops at once on Ctrl+C: requests in flight are cancelled, nothing is written after' {
        $run = Invoke-InOtherRunspace "'pl-0001', 'pl-0002', 'pl-0006', 'pl-0007' | Suspend-EnosPipeline -PassThru -Confirm:`$false -ThrottleLimit 2" $slow
        Wait-Until { (Invoke-EnosEmulatorAdmin $slow 'stats').inFlight -ge 2 }

        $run.PowerShell.Stop()   # what Ctrl+C does
        # The emulator logs each answer before it sends it, so a Stop that waited for its requests
        # would find them logged when it returns. No clock is read: a busy machine cannot fail this.
        @(Get-Answered 'action=pause').Count | Should -Be 0
        $run.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'

        # The server sees the requests go away unanswered: requests left to run would be answered
        # (and logged) at the end of their four seconds.
        Wait-Until { (Invoke-EnosEmulatorAdmin $slow 'stats').inFlight -eq 0 }
        @(Get-Answered 'action=pause').Count | Should -Be 0
        $run.Output.Count | Should -Be 0
        $run.PowerShell.Dispose()
    }

    It 'leaves no request in flight after Select-Object -First 1' {
        $first = Get-EnosPipeline | Select-Object -First 1
        $first.PipelineId | Should -Be 'pl-0001'

        # Page 2 is asked for ahead of its reading; Select-Object ends the command before its four
        # seconds are up. Had the command waited for it, or left it running, it would be answered.
        @(Get-Answered 'pageNo=2').Count | Should -Be 0
        Wait-Until { (Invoke-EnosEmulatorAdmin $slow 'stats').inFlight -eq 0 }
        @(Get-Answered 'pageNo=2').Count | Should -Be 0
    }
}
