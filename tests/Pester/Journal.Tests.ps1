# The maintenance window end to end: pause with faults, re-run, a killed run, then resume from the
# journal. Every pipeline that was running before runs again, and no other was started.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module (Join-Path $RepoRoot 'build/WindowScenarios.psm1') -Force
    $emulator = Start-EnosEmulator -Pipelines 60 -LatencyMs 20
    # No retries: a fault becomes a failed pipeline, which the re-run must pick up.
    Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential (Get-EnosEmulatorCredential $emulator) -MaxRetries 0

    function Set-Faults([hashtable] $Settings) { Invoke-EnosEmulatorAdmin $emulator 'faults' -Method PUT -Body $Settings | Out-Null }
    function Clear-Faults { Invoke-EnosEmulatorAdmin $emulator 'faults' -Method DELETE | Out-Null }
    function Get-IdsWithStatus([string] $Status) {
        @(Invoke-EnosEmulatorAdmin $emulator 'pipelines' | Where-Object { $_.status -eq $Status -and $_.pipelineId -like 'pl-*' } | ForEach-Object pipelineId | Sort-Object)
    }
    function Get-JournalIds([string] $Path, [string] $Action) {
        @(Get-Content $Path | ConvertFrom-Json | Where-Object action -EQ $Action | ForEach-Object pipelineId)
    }
}

AfterAll {
    Clear-Faults
    Disconnect-EnosStreaming
    Stop-EnosEmulator $emulator
}

Describe 'A maintenance window with a journal' {
    It 'brings back exactly what was running, through 50% faults, a re-run and a killed run' {
        $journal = Join-Path $TestDrive 'window.jsonl'
        $runningBefore = Get-IdsWithStatus 'RUNNING'
        $pausedBefore = Get-IdsWithStatus 'PAUSED'
        $runningBefore.Count | Should -Be 24
        $listed = Get-EnosPipeline -Status Running

        # 1. Pause with half the calls failing: each pipeline paused or one error record.
        Set-Faults @{ rate = 0.5; kinds = @('503', 'drop'); seed = 5 }
        $paused1 = @($listed | Suspend-EnosPipeline -JournalPath $journal -PassThru -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed1)
        Clear-Faults
        (@($paused1.PipelineId) + @($failed1.TargetObject) | Sort-Object) | Should -Be $runningBefore
        $failed1.Count | Should -BeGreaterThan 2
        (Get-JournalIds $journal 'paused' | Sort-Object) | Should -Be (@($paused1.PipelineId) | Sort-Object)

        # 2. A run killed midway: every call slow, the process killed after two more pauses.
        Set-Faults @{ rate = 1; kinds = @('slow'); slowMs = 300 }
        $process = Start-EnosChildPwsh -Emulator $emulator -ModuleManifest $ModuleManifest -RepoRoot $RepoRoot -Folder $TestDrive `
            -Script "Get-EnosPipeline -Status Running | Suspend-EnosPipeline -JournalPath '$journal' -ThrottleLimit 1 -Confirm:`$false"
        try {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            while ((Get-JournalIds $journal 'paused').Count -lt $paused1.Count + 2 -and $watch.Elapsed.TotalSeconds -lt 40) { Start-Sleep -Milliseconds 50 }
        }
        finally { $process.Kill($true); $process.WaitForExit() }
        Clear-Faults
        $afterKill = Get-IdsWithStatus 'PAUSED'
        ($afterKill.Count - $pausedBefore.Count) | Should -BeGreaterOrEqual ($paused1.Count + 2)
        (Get-IdsWithStatus 'RUNNING').Count | Should -BeGreaterThan 0   # killed midway: work left

        # 3. Re-run: the rest is paused; the journal only grows.
        $linesBefore = (Get-Content $journal).Count
        Get-EnosPipeline -Status Running | Suspend-EnosPipeline -JournalPath $journal -Confirm:$false
        (Get-Content $journal).Count | Should -BeGreaterThan $linesBefore
        Get-IdsWithStatus 'RUNNING' | Should -BeNullOrEmpty
        # A pipeline paused before the window is not on the way back.
        Get-JournalIds $journal 'paused' | Where-Object { $_ -in $pausedBefore } | Should -BeNullOrEmpty

        # 4. The way back: exactly what was running, each started once.
        Clear-EmulatorRequests $emulator
        $resumed = @(Resume-EnosPipeline -JournalPath $journal -PassThru -Confirm:$false)
        ($resumed.PipelineId | Sort-Object) | Should -Be $runningBefore
        Get-IdsWithStatus 'RUNNING' | Should -Be $runningBefore
        Get-IdsWithStatus 'PAUSED' | Should -Be $pausedBefore
        $starts = @(Get-EmulatorRequests $emulator | Where-Object { $_.method -eq 'POST' -and $_.rawTarget -match 'action=start' })
        ($starts.pipelineId | Sort-Object) | Should -Be $runningBefore

        # 5. Running the way back again sends nothing.
        Clear-EmulatorRequests $emulator
        Resume-EnosPipeline -JournalPath $journal -Confirm:$false
        @(Get-EmulatorRequests $emulator | Where-Object method -EQ 'POST') | Should -BeNullOrEmpty
    }

    It 'records as unchanged what a dead gateway never received, so the way back cannot resume it' {
        $dead = Start-EnosEmulator -Pipelines 12
        try {
            Connect-EnosStreaming -GatewayUrl $dead.Url -OrgId $dead.OrgId -Credential (Get-EnosEmulatorCredential $dead) -MaxRetries 1 -WarningAction SilentlyContinue
            Invoke-EnosEmulatorAdmin $dead 'down' -Method POST | Out-Null
            $dead.Process.WaitForExit(15000) | Should -BeTrue -Because 'the emulator went down'
            $journal = Join-Path $TestDrive 'dead.jsonl'
            $ids = 1..12 | ForEach-Object { 'pl-{0:D4}' -f $_ }

            Suspend-EnosPipeline -PipelineId $ids -JournalPath $journal -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed

            $failed.Count | Should -Be 12
            $last = @{}
            Get-Content $journal | ConvertFrom-Json | ForEach-Object { $last[$_.pipelineId] = $_.action }
            $last.Keys.Count | Should -Be 12
            $last.Values | Sort-Object -Unique | Should -Be 'unchanged'
        }
        finally {
            Connect-EnosStreaming -GatewayUrl $emulator.Url -OrgId $emulator.OrgId -Credential (Get-EnosEmulatorCredential $emulator) -MaxRetries 0 -WarningAction SilentlyContinue
            Stop-EnosEmulator $dead
        }
    }

    It 'refuses a journal it cannot write before sending anything' {
        Clear-EmulatorRequests $emulator
        { 'pl-0001' | Suspend-EnosPipeline -JournalPath (Join-Path $TestDrive 'no/such/folder/j.jsonl') -Confirm:$false } |
            Should -Throw -ErrorId 'EnosJournalUnavailable,*'
        @(Get-EmulatorRequests $emulator | Where-Object method -EQ 'POST') | Should -BeNullOrEmpty
    }
}
