BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    # Slow enough that requests overlap and a stop lands mid-run.
    $emulator = Start-EnosEmulator -Pipelines 60 -LatencyMs 150
    Connect-TestEmulator $emulator

    function Invoke-InOtherRunspace([string] $Script) {
        # A second runspace of this process: the module's connection is shared, the streams are ours to read.
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModuleManifest'; $Script")
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

    It 'stops at once on Ctrl+C: nothing written after the stop, no request left in flight' {
        $run = Invoke-InOtherRunspace 'Get-EnosPipeline -Status Running | Suspend-EnosPipeline -PassThru -Confirm:$false -ThrottleLimit 2'
        Wait-Until { $run.Output.Count -ge 2 }

        $run.PowerShell.Stop()   # what Ctrl+C does
        $writtenAtStop = $run.Output.Count
        Start-Sleep -Milliseconds 600
        $run.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
        $run.Output.Count | Should -Be $writtenAtStop
        Wait-Until { (Invoke-EnosEmulatorAdmin $emulator 'stats').inFlight -eq 0 } -TimeoutMs 3000
        $run.PowerShell.Dispose()

        # It really was stopped mid-run: some running pipelines were never paused.
        @(Get-EnosPipeline -Status Running).Count | Should -BeGreaterThan 0
    }
}
