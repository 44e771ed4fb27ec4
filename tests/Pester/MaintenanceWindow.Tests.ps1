# Issue 18: the maintenance window cannot lose a pipeline. Two runs writing one journal, lost answers
# whose retry is refused, a run killed at a random point, a journal taken to another organisation or
# gateway, pauses older than 24 hours, hand-edited journals, an end from outside the command; and the
# ways to settle what someone else changed (-Acknowledge). The scenarios with figures live in
# build/WindowScenarios.psm1, which ./build.ps1 Bench -Scenario Journal runs at 300 pipelines.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module (Join-Path $RepoRoot 'build/WindowScenarios.psm1') -Force
    $emulator = Start-EnosEmulator -Pipelines 120 -LatencyMs 5
    Connect-TestEmulator $emulator

    function Read-Journal([string] $Path) { @(Get-Content -LiteralPath $Path | ConvertFrom-Json) }
    function Get-Posts([Parameter(Mandatory)] $Emulator) { @(Get-EmulatorRequests $Emulator | Where-Object { $_.method -eq 'POST' -and $_.rawTarget -like '/streaming/*' }) }
    function Show-Figures([string] $What, $Figures) { Write-Host "    $What`: $(($Figures.PSObject.Properties | ForEach-Object { "$($_.Name) $($_.Value)" }) -join ', ')" }
    $scenario = @{ ModuleManifest = $ModuleManifest; RepoRoot = $RepoRoot }
}

AfterAll {
    Disconnect-EnosStreaming
    Stop-EnosEmulator $emulator
}

Describe 'Two runs, one journal (item 1)' {
    It 'keeps every line of two processes pausing 60 pipelines each at once: 120 journaled, 120 resumed, none twice' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'two') -Force
        $figures = Invoke-TwoRunsOneJournal -Emulator $emulator -Journal (Join-Path $folder 'w.jsonl') -PerProcess 60 -Folder $folder @scenario
        Show-Figures '2 processes x 60 pipelines' $figures

        $figures.Paused | Should -Be 120
        $figures.Journaled | Should -Be 120
        $figures.JournalLines | Should -Be 240   # a pausing and a paused line each, none overwritten
        $figures.Resumed | Should -Be 120
        $figures.ResumedTwice | Should -Be 0
        $figures.Starts | Should -Be 120
        $figures.StartedTwice | Should -Be 0
        $figures.Errors | Should -Be 0
        $figures.StillPaused | Should -Be 0
    }
}

Describe 'Applied, answer lost, retry refused (item 2; issue 20 item 7)' {
    It 'journals such a pause as pausing, says it may have been paused, and the way back resumes it' {
        $figures = Invoke-LostAnswerWindow -Emulator $emulator -Journal (Join-Path $TestDrive 'lost.jsonl') -Rate 0.2
        Show-Figures '120 pipelines, 20% lost answers refused on retry' $figures

        ($figures.Output + $figures.Errors) | Should -Be $figures.Input
        $figures.Errors | Should -BeGreaterThan 5
        $figures.SaidMayHavePaused | Should -Be $figures.Errors
        $figures.EndedPaused | Should -Be $figures.Input   # every pause was applied, answered or not
        $figures.Resumed | Should -Be $figures.Input
        $figures.WayBackErrors | Should -Be 0
        $figures.LeftPaused | Should -Be 0
    }

    It 'reports a start whose answer was lost and whose retry says already running as started' {
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0004/status/STOPPED' -Method PUT | Out-Null
        Invoke-EnosEmulatorAdmin $emulator 'faults' -Method PUT -Body @{ rate = 1; kinds = @('drop'); applyThenDrop = $true; limit = 1 } | Out-Null
        try {
            $verbose = Start-EnosPipeline -PipelineId pl-0004 -ExecutionMode Standalone -Confirm:$false -Verbose 4>&1 | ForEach-Object { "$_" }
        }
        finally { Invoke-EnosEmulatorAdmin $emulator 'faults' -Method DELETE | Out-Null }

        Get-EmulatorStatus $emulator 'pl-0004' | Should -Be 'RUNNING'
        $verbose | Should -Contain "Starting pipeline 'pl-0004': accepted."
        $verbose | Should -Not -Match 'already running'
    }
}

Describe 'A journal taken to another organisation or gateway (item 3)' {
    BeforeAll {
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/status/RUNNING' -Method PUT | Out-Null
        $journal = Join-Path $TestDrive 'org-a.jsonl'
        Suspend-EnosPipeline -PipelineId pl-0001, pl-0002, pl-0003, pl-0004, pl-0005 -JournalPath $journal -Confirm:$false
    }

    It 'sends nothing with -OrgId of another organisation, and writes one clear error per entry' {
        Clear-EmulatorRequests $emulator
        Resume-EnosPipeline -JournalPath $journal -OrgId 'o15500000000099' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed

        Get-Posts $emulator | Should -BeNullOrEmpty
        $failed.Count | Should -Be 5
        $failed.FullyQualifiedErrorId | Sort-Object -Unique | Should -Be 'EnosJournalWrongOrganisation,EnOS.Streaming.Commands.ResumeEnosPipelineCommand'
        ($failed.TargetObject | Sort-Object) | Should -Be @('pl-0001', 'pl-0002', 'pl-0003', 'pl-0004', 'pl-0005')
        "$($failed[0])" | Should -BeLike "*journaled in organisation '$($emulator.OrgId)', and this command acts in organisation 'o15500000000099'. Nothing was sent for it."
        $failed[0].ErrorDetails.RecommendedAction | Should -BeLike "*Connect-EnosStreaming -OrgId '$($emulator.OrgId)'*"
    }

    It 'sends nothing while connected to organisation B, and writes one clear error per entry' {
        $other = Start-EnosEmulator -Pipelines 12 -OrgId 'o15500000000002'
        try {
            Connect-TestEmulator $other
            Clear-EmulatorRequests $emulator
            Resume-EnosPipeline -JournalPath $journal -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed

            $failed.Count | Should -Be 5
            $failed.FullyQualifiedErrorId | Sort-Object -Unique | Should -BeLike 'EnosJournalWrongOrganisation,*'
            Get-Posts $other | Should -BeNullOrEmpty
            Get-Posts $emulator | Should -BeNullOrEmpty
        }
        finally {
            Connect-TestEmulator $emulator
            Stop-EnosEmulator $other
        }
        Get-EmulatorStatus $emulator 'pl-0001' | Should -Be 'PAUSED'
    }

    It 'sends nothing for entries journaled through another gateway, naming it' {
        $moved = Join-Path $TestDrive 'gateway-b.jsonl'
        Get-Content $journal | ForEach-Object { $_ -replace '"gateway":"[^"]*"', '"gateway":"apigw-b.example.com"' } | Set-Content $moved
        Clear-EmulatorRequests $emulator

        Resume-EnosPipeline -JournalPath $moved -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed

        Get-Posts $emulator | Should -BeNullOrEmpty
        $failed.Count | Should -Be 5
        $failed.FullyQualifiedErrorId | Sort-Object -Unique | Should -BeLike 'EnosJournalWrongGateway,*'
        $failed[0].ErrorDetails.RecommendedAction | Should -BeLike "*Connect-EnosStreaming -GatewayUrl 'https://apigw-b.example.com'*"
    }

    It 'records the gateway as host and port, and resumes in the journaled organisation' {
        $gateway = ([uri]$emulator.Url).Authority
        Read-Journal $journal | ForEach-Object { $_.gateway | Should -Be $gateway; $_.orgId | Should -Be $emulator.OrgId }
        Resume-EnosPipeline -JournalPath $journal -Confirm:$false
        Get-EmulatorStatus $emulator 'pl-0005' | Should -Be 'RUNNING'
    }
}

Describe 'Killed mid-run with an unfiltered input (item 4)' {
    It 'resumes exactly what the run paused and never one paused before, in 3 kills at random points' {
        foreach ($round in 1..3) {
            $folder = New-Item -ItemType Directory (Join-Path $TestDrive "kill-$round") -Force
            $figures = Invoke-KilledWindow -Emulator $emulator -Journal (Join-Path $folder 'w.jsonl') -Pipelines 40 -Folder $folder @scenario
            Show-Figures "kill $round, 40 pipelines" $figures

            $figures.PausedBeforeResumed | Should -Be 0
            $figures.Resumed | Should -Be $figures.PausedByRun
            $figures.OthersChanged | Should -Be 0
            $figures.WayBackErrors | Should -Be 0
        }
    }

    It 'records what the listing said before sending' {
        Reset-EmulatorPipelines $emulator
        $journal = Join-Path $TestDrive 'listed.jsonl'
        Get-EnosPipeline -PipelineId pl-0001, pl-0003 | Suspend-EnosPipeline -JournalPath $journal -Confirm:$false

        $lines = Read-Journal $journal
        ($lines | Where-Object { $_.pipelineId -eq 'pl-0001' -and $_.action -eq 'pausing' }).listedStatus | Should -Be 'RUNNING'
        ($lines | Where-Object { $_.pipelineId -eq 'pl-0003' -and $_.action -eq 'pausing' }).listedStatus | Should -Be 'PAUSED'
        @(Get-EnosMaintenanceJournal $journal -Pending).PipelineId | Should -Be 'pl-0001'
    }
}

Describe 'Changes applied, then the command ended from outside (item 5)' {
    BeforeAll {
        function Invoke-Ended([string] $Script, [switch] $Stop) {
            # The script runs in a runspace on a capturing host; -Stop presses Ctrl+C once 6 pipelines are paused.
            $capturing = [CapturingHost]::new()
            $runspace = [runspacefactory]::CreateRunspace($capturing)
            $runspace.Open()
            $ps = [powershell]::Create()
            $ps.Runspace = $runspace
            try {
                $null = $ps.AddScript("Import-Module '$ModuleManifest'; Connect-EnosStreaming -GatewayUrl '$($emulator.Url)' -OrgId '$($emulator.OrgId)' " +
                    "-Credential ([pscredential]::new('$($emulator.AppKey)', (ConvertTo-SecureString '$($emulator.AppSecret)' -AsPlainText -Force))); $Script")
                $async = $ps.BeginInvoke()
                if ($Stop) {
                    $watch = [Diagnostics.Stopwatch]::StartNew()
                    # Six pipelines paused and no request left in the emulator: every answer has been sent.
                    while (((Get-EmulatorStatusMap $emulator).Values.Where({ $_ -eq 'PAUSED' }).Count -lt 6 -or
                            (Invoke-EnosEmulatorAdmin $emulator 'stats').inFlight -gt 0) -and $watch.Elapsed.TotalSeconds -lt 30) { Start-Sleep -Milliseconds 100 }
                    Start-Sleep -Milliseconds 300   # the answers are read; the upstream command is sleeping
                    $ps.Stop()
                }
                try { $null = $ps.EndInvoke($async) } catch { $null = $_ }
                @($capturing.Capture.Warnings.ToArray()) + @($ps.Streams.Warning | ForEach-Object Message)
            }
            finally {
                $ps.Dispose()
                $runspace.Dispose()
            }
        }
        $six = 'pl-0001', 'pl-0002', 'pl-0006', 'pl-0007', 'pl-0011', 'pl-0012'
        $upstream = "& { '$($six -join "','")'; {0} } | Suspend-EnosPipeline -Confirm:`$false"
    }

    BeforeEach { Invoke-EnosEmulatorAdmin $emulator 'pipelines/status/RUNNING' -Method PUT | Out-Null }

    It 'reports the pauses applied before Ctrl+C pressed while an upstream command ran' {
        $warnings = Invoke-Ended $upstream.Replace('{0}', 'Start-Sleep 60') -Stop

        $text = $warnings -join ' '
        $text | Should -BeLike 'The command was stopped before Suspend-EnosPipeline reported 6 pipeline(s)*'
        foreach ($id in $six) { $text | Should -BeLike "*$id*" }
        $text | Should -BeLike '*Pause accepted but not reported:*'
    }

    It 'reports the pauses applied before an upstream command failed' {
        # The upstream command fails once the emulator shows the six pauses applied, however long that takes.
        $applied = "for (`$i = 0; `$i -lt 300 -and @((Invoke-RestMethod '$($emulator.Url)/_emulator/pipelines') | Where-Object status -EQ 'PAUSED').Count -lt 6; `$i++) { Start-Sleep -Milliseconds 100 }"
        $warnings = Invoke-Ended $upstream.Replace('{0}', "$applied; throw 'the listing failed'")

        $text = $warnings -join ' '
        $text | Should -BeLike 'The command was ended by an error elsewhere in the pipeline before Suspend-EnosPipeline reported 6 pipeline(s)*'
        foreach ($id in $six) { $text | Should -BeLike "*$id*" }
    }
}

Describe 'Time and what a journal holds (item 6)' {
    BeforeAll {
        Reset-EmulatorPipelines $emulator
        $gateway = ([uri]$emulator.Url).Authority
        $old = [DateTimeOffset]::UtcNow.AddHours(-30).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [cultureinfo]::InvariantCulture)
        $recent = [DateTimeOffset]::UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [cultureinfo]::InvariantCulture)
        $journal = Join-Path $TestDrive 'old.jsonl'
        $line = { param($time, $action, $id) @{ time = $time; action = $action; pipelineId = $id; name = "wind-line-$([int]$id.Substring(3))"; orgId = $emulator.OrgId; gateway = $gateway; run = 'r1' } | ConvertTo-Json -Compress }
        @(
            (& $line $old 'pausing' 'pl-0003'), (& $line $old 'paused' 'pl-0003'),
            (& $line $recent 'pausing' 'pl-0008'), (& $line $recent 'paused' 'pl-0008'),
            (& $line $recent 'pausing' 'pl-0013'),
            (& $line $old 'pausing' 'pl-0001'), (& $line $old 'unchanged' 'pl-0001')
        ) | Set-Content $journal
    }

    It 'shows each entry as an object: pipeline, organisation, gateway, state, paused since' {
        $entries = @(Get-EnosMaintenanceJournal -Path $journal)

        $entries.PipelineId | Should -Be @('pl-0003', 'pl-0008', 'pl-0013', 'pl-0001')
        $entries.State | Should -Be @('paused', 'paused', 'pausing', 'unchanged')
        $entries[0].OrgId | Should -Be $emulator.OrgId
        $entries[0].Gateway | Should -Be $gateway
        $entries[0].Name | Should -Be 'wind-line-3'
        ([DateTimeOffset]::UtcNow - $entries[0].PausedSince).TotalHours | Should -BeGreaterThan 29.9
        $entries[3].PausedSince | Should -BeNullOrEmpty
        @(Get-EnosMaintenanceJournal $journal -Pending).Count | Should -Be 3
        $table = Get-EnosMaintenanceJournal $journal | Format-Table | Out-String -Width 200
        $table | Should -Match 'PipelineId\s+Name\s+OrgId\s+Gateway\s+State\s+PausedSince'
        $table | Should -Match 'pl-0003 .* paused .*\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ'
    }

    It 'reads every journal a path with wildcards matches, a name with brackets as written, and calls a folder a folder' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'many') -Force
        $line = '{"action":"paused","pipelineId":"{0}","orgId":"' + $emulator.OrgId + '"}'
        Set-Content (Join-Path $folder 'monday.jsonl') $line.Replace('{0}', 'pl-0001')
        Set-Content (Join-Path $folder 'tuesday.jsonl') $line.Replace('{0}', 'pl-0002')
        Set-Content -LiteralPath (Join-Path $folder 'w[1].jsonl') $line.Replace('{0}', 'pl-0003')

        (Get-EnosMaintenanceJournal (Join-Path $folder '*day.jsonl')).PipelineId | Should -Be @('pl-0001', 'pl-0002')
        (Get-EnosMaintenanceJournal (Join-Path $folder 'w[1].jsonl')).PipelineId | Should -Be 'pl-0003'

        Get-EnosMaintenanceJournal $folder -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed.Count | Should -Be 1
        "$($failed[0])" | Should -BeLike "*is a folder, and a journal is a file: name one in it, such as '*window.jsonl'*"   # was 'Access to the path is denied'
        "$($failed[0])" | Should -Not -BeLike '*Nothing was sent*'
        { Suspend-EnosPipeline -PipelineId pl-0001 -JournalPath $folder -Confirm:$false } | Should -Throw '*is a folder, and a journal is a file*'
    }

    It 'warns per pipeline paused longer than 24 hours on the way back' {
        Resume-EnosPipeline -JournalPath $journal -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue

        $late = @($warned | Where-Object { "$_" -like '*longer than the 24 hours EnOS allows a pause*' })
        $late.Count | Should -Be 1
        "$($late[0])" | Should -BeLike "Pipeline 'wind-line-3' (pl-0003) has been paused for 30 hours by the journal*"
        Get-EmulatorStatus $emulator 'pl-0003' | Should -Be 'RUNNING'
    }
}

Describe 'A hand-edited journal (item 7)' {
    It 'warns per line for an upper-case or unknown action and a line that is not JSON; the rest still works' {
        Reset-EmulatorPipelines $emulator
        $journal = Join-Path $TestDrive 'edited.jsonl'
        Suspend-EnosPipeline -PipelineId pl-0001 -JournalPath $journal -Confirm:$false
        Add-Content $journal ('{"action":"PAUSED","pipelineId":"pl-0002","orgId":"' + $emulator.OrgId + '"}')
        Add-Content $journal ('{"action":"frozen","pipelineId":"pl-0006","orgId":"' + $emulator.OrgId + '"}')
        Add-Content $journal 'pl-0007 paused'
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0002/status/PAUSED' -Method PUT | Out-Null

        $resumed = @(Resume-EnosPipeline -JournalPath $journal -PassThru -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue)

        $warned.Count | Should -Be 3
        "$($warned[0])" | Should -BeLike "*Line 3 (pl-0002) has the action 'PAUSED', read as 'paused'*"
        "$($warned[1])" | Should -BeLike "*Line 4 (pl-0006) has the action 'frozen', which is none of pausing, paused, unchanged, resumed; it was skipped."
        "$($warned[2])" | Should -BeLike '*Line 5 is not JSON*'
        ($resumed.PipelineId | Sort-Object) | Should -Be @('pl-0001', 'pl-0002')
    }

    It 'resumes a line without orgId (or with a number for it) once, in the organisation acted in, and warns of the wrong type' {
        Reset-EmulatorPipelines $emulator
        $journal = Join-Path $TestDrive 'no-org.jsonl'
        Set-Content $journal @(
            '{"action":"paused","pipelineId":"pl-0003"}'
            '{"action":"paused","pipelineId":"pl-0008","orgId":15500000000001}'
        )

        $first = @(Resume-EnosPipeline -JournalPath $journal -PassThru -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue)
        Clear-EmulatorRequests $emulator
        $second = @(Resume-EnosPipeline -JournalPath $journal -PassThru -Confirm:$false -WarningAction SilentlyContinue -InformationVariable summary)

        ($first.PipelineId | Sort-Object) | Should -Be @('pl-0003', 'pl-0008')
        @($warned | Where-Object { "$_" -like '*Line 2 (pl-0008) has "orgId" as a number, not text; it was read as missing.' }).Count | Should -Be 1
        $second | Should -BeNullOrEmpty   # each "resumed" line settles its entry: before, both stayed pending for ever
        "$($summary[-1].MessageData)" | Should -Be '0 resumed, 0 failed, 0 already running'
        Get-EmulatorRequests $emulator | Should -BeNullOrEmpty
        Get-EnosMaintenanceJournal $journal -Pending -WarningAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Settling entries someone else changed (issue 23 item 4)' {
    It 'acknowledges a pipeline stopped during the window, so that the way back succeeds' {
        Reset-EmulatorPipelines $emulator
        $journal = Join-Path $TestDrive 'settle.jsonl'
        Suspend-EnosPipeline -PipelineId pl-0001, pl-0002 -JournalPath $journal -Confirm:$false
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0002/status/STOPPED' -Method PUT | Out-Null
        Resume-EnosPipeline -JournalPath $journal -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed.TargetObject | Should -Be 'pl-0002'
        $lines = (Get-Content $journal).Count

        Resume-EnosPipeline -JournalPath $journal -Acknowledge pl-0002 -WhatIf
        (Get-Content $journal).Count | Should -Be $lines

        Clear-EmulatorRequests $emulator
        $saved = Save-EnosVariables -Clear
        Disconnect-EnosStreaming   # settling sends nothing, and needs no connection
        try {
            Resume-EnosPipeline -JournalPath $journal -Acknowledge pl-0002, pl-0009, pl-0002 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable missing -InformationVariable summary
        }
        finally {
            Restore-EnosVariables $saved
            Connect-TestEmulator $emulator
        }
        Get-Posts $emulator | Should -BeNullOrEmpty
        $missing.Count | Should -Be 1
        $missing[0].TargetObject | Should -Be 'pl-0009'
        (Read-Journal $journal)[-1] | Should -Match 'unchanged'
        (Read-Journal $journal)[-1].acknowledged | Should -BeTrue
        @(Read-Journal $journal | Where-Object { $_.PSObject.Properties["acknowledged"] }).Count | Should -Be 1   # named twice, settled once
        "$($summary[-1].MessageData)" | Should -Be '1 acknowledged, 1 failed'   # was '0 resumed, 0 failed, 0 already running' after an error

        Resume-EnosPipeline -JournalPath $journal -Confirm:$false -ErrorVariable again
        $again | Should -BeNullOrEmpty
        (Get-EnosMaintenanceJournal $journal | Where-Object PipelineId -EQ 'pl-0002').State | Should -Be 'unchanged'
        Get-EmulatorStatus $emulator 'pl-0002' | Should -Be 'STOPPED'
    }
}

Describe 'No connection (issue 23 item 7)' {
    It 'leaves no empty journal behind' {
        $saved = Save-EnosVariables -Clear
        Disconnect-EnosStreaming
        try {
            $journal = Join-Path $TestDrive 'never.jsonl'
            { Suspend-EnosPipeline -PipelineId pl-0001 -JournalPath $journal -Confirm:$false } | Should -Throw -ErrorId 'EnosNotConnected,*'
            $journal | Should -Not -Exist
        }
        finally {
            Restore-EnosVariables $saved
            Connect-TestEmulator $emulator
        }
    }
}
