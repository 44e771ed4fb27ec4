# Issue 23: a newcomer's first hour (the Shell, Install, -WhatIf, names for ids, completion, the
# views) and a runbook's quiet night (the summary line). One Describe per item of the issue.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $emulator = Start-EnosEmulator -Pipelines 12
    Connect-TestEmulator $emulator
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'

    function Invoke-Pwsh {
        # A new pwsh (the one running the tests) with these arguments: its output lines and exit code.
        param([string[]] $Arguments)
        $output = & ([Environment]::ProcessPath) $pwshDll -NoProfile -NonInteractive @Arguments 2>&1 | ForEach-Object { "$_" }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output) }
    }
}

AfterAll {
    Disconnect-EnosStreaming
    Stop-EnosEmulator $emulator
}

Describe 'build.ps1 Shell (item 1)' {
    It 'opens a clean child pwsh: PSReadLine, default preferences, connected; a bulk pause with one failure shows both pipelines and the error; exit stops its emulator' {
        $command = @'
"PSReadLine=$([bool](Get-Module PSReadLine))"
"ErrorActionPreference=$ErrorActionPreference"
"StrictMode=$(try { $null = $surelyNotDefined; 'off' } catch { 'on' })"
"Emulator=$($EnosEmulator.Url)"
Suspend-EnosPipeline -PipelineId pl-0001, pl-0004, pl-0002 -PassThru | ForEach-Object { "PAUSED $($_.PipelineId)" }
"ERRORS=$($Error.Count) $($Error[0].FullyQualifiedErrorId)"
'@
        # Without -NoBuild: the suite has just built, so nothing changed and nothing is rebuilt.
        $run = Invoke-Pwsh @((Join-Path $RepoRoot 'build.ps1'), 'Shell', '-ShellCommand', $command)

        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output | Should -Contain 'PSReadLine=True'
        $run.Output | Should -Contain 'ErrorActionPreference=Continue'
        $run.Output | Should -Contain 'StrictMode=off'
        @($run.Output -like 'PAUSED *' | Sort-Object) | Should -Be @('PAUSED pl-0001', 'PAUSED pl-0002')
        $run.Output | Should -Contain 'ERRORS=1 EnosPipelineStateConflict,EnOS.Streaming.Commands.SuspendEnosPipelineCommand'
        $run.Output | Should -Contain '2 paused, 1 failed, 0 already paused'
        ($run.Output -join "`n") | Should -Match 'Nothing changed since the last build'
        $run.Output | Should -Not -Contain 'Building EnOS.Streaming'

        # The Shell's own emulator is gone once the session ended.
        $url = ($run.Output -like 'Emulator=*')[0].Substring('Emulator='.Length)
        $url | Should -Match '^http://127\.0\.0\.1:\d+$'
        { Invoke-RestMethod "$url/_emulator/stats" -TimeoutSec 5 } | Should -Throw
    }

    It 'dates a build from when it began, so that a source saved while it ran makes Shell build again' {
        # The suite has just built. A stamp dated at the build's end would be newer than a file saved
        # during the build (the help it compiles last is such a file), and Shell would call it current.
        $stamp = Get-Item (Join-Path $RepoRoot 'out/build-stamp.txt')
        $help = Get-Item (Join-Path $RepoRoot "out/EnOS.Streaming/$ModuleVersion/en-US/EnOS.Streaming.PowerShell.dll-Help.xml")
        $stamp.LastWriteTimeUtc | Should -BeLessThan $help.LastWriteTimeUtc
    }

    It 'uses the module as built with -NoBuild, and passes the session''s exit code on' {
        $run = Invoke-Pwsh @((Join-Path $RepoRoot 'build.ps1'), 'Shell', '-NoBuild', '-ShellCommand', 'exit 3')
        $run.ExitCode | Should -Be 3
        ($run.Output -join "`n") | Should -Not -Match 'Building EnOS.Streaming|Nothing changed'
    }
}

Describe 'Suspend-EnosPipeline -WhatIf (item 2)' {
    BeforeEach { Reset-EmulatorPipelines $emulator }

    It 'reads the statuses in one listing and says per pipeline what the real run would do' {
        $script = "Invoke-RestMethod -Method Delete '$($emulator.Url)/_emulator/requests' | Out-Null; " +
            'Suspend-EnosPipeline -PipelineId pl-0001, pl-0003, pl-0004, wind-line-2, nothing-here -WhatIf'
        $run = Invoke-WithCapturedHost $emulator $script

        $run.Errors | Should -BeNullOrEmpty
        $run.Host | Should -Be @(
            "What if: Pause pipeline 'pl-0001': listed RUNNING: would pause it; it keeps its offsets."
            "What if: Pause pipeline 'pl-0003': listed PAUSED: already paused, nothing to do."
            "What if: Pause pipeline 'pl-0004': listed STOPPED: would be refused, only a running pipeline can be paused (EnosPipelineStateConflict)."
            "What if: Pause pipeline 'wind-line-2': no such pipeline: organisation 'o15500000000001' does not list it ('wind-line-2' is the name of pl-0002); the real run would report EnosPipelineNotFound."
            "What if: Pause pipeline 'nothing-here': no such pipeline: organisation 'o15500000000001' does not list it; the real run would report EnosPipelineNotFound."
        )
        $requests = Get-EmulatorRequests $emulator
        @($requests | Where-Object method -EQ 'POST' | Where-Object path -NotLike '*token*') | Should -BeNullOrEmpty
        # 14 pipelines fit one page: one listing, read once for all five.
        @($requests | Where-Object method -EQ 'GET').Count | Should -Be 1
        Get-EmulatorStatus $emulator 'pl-0001' | Should -Be 'RUNNING'
    }

    It 'fails at once, sending nothing, for a -JournalPath whose folder does not exist' {
        $missing = Join-Path ([IO.Path]::GetTempPath()) "enos-missing-$([guid]::NewGuid())/window.jsonl"
        Clear-EmulatorRequests $emulator
        $thrown = $null
        try { Suspend-EnosPipeline -PipelineId pl-0001 -JournalPath $missing -WhatIf }
        catch { $thrown = $_ }

        $thrown.FullyQualifiedErrorId | Should -BeLike 'EnosJournalUnavailable,*'
        "$thrown" | Should -BeLike "*does not exist*"
        Get-EmulatorRequests $emulator | Should -BeNullOrEmpty
        Test-Path (Split-Path $missing) | Should -BeFalse
    }
}

Describe 'The summary line (item 3)' {
    BeforeEach { Reset-EmulatorPipelines $emulator }

    It '<Command> ends with "<Line>" on the information stream, shown by default' -ForEach @(
        @{ Command = 'Suspend-EnosPipeline -PipelineId pl-0001, pl-0002, pl-0003, pl-0004'; Line = '2 paused, 1 failed, 1 already paused' }
        @{ Command = 'Resume-EnosPipeline -PipelineId pl-0003, pl-0008, pl-0006, pl-0004'; Line = '2 resumed, 1 failed, 1 already running' }
        @{ Command = 'Start-EnosPipeline -PipelineId pl-0004, pl-0005, pl-0006'; Line = '2 started, 0 failed, 1 already running' }
        @{ Command = 'Stop-EnosPipeline -PipelineId pl-0001, pl-0004 -Force'; Line = '1 stopped, 0 failed, 1 already stopped' }
        @{ Command = 'Publish-EnosPipeline -PipelineId pl-0004, pl-0001'; Line = '1 released, 1 failed' }
        @{ Command = 'Reset-EnosPipelineOffset -PipelineId pl-0003, pl-0009 -Force'; Line = '2 reset, 0 failed' }
    ) {
        $run = Invoke-WithCapturedHost $emulator $Command
        $summaries = @($run.Information | Where-Object { $_.Tags -contains 'Summary' })
        @($summaries | ForEach-Object { "$($_.MessageData)" }) | Should -Be @($Line)
        $summaries[0].Tags | Should -Contain 'EnOS.Streaming'
        # Shown on the host without asking (a cron log has it), once.
        @($run.Host | Where-Object { $_ -eq $Line }).Count | Should -Be 1
    }

    It 'is hidden by -InformationAction SilentlyContinue and kept by -InformationVariable' {
        $run = Invoke-WithCapturedHost $emulator (
            'Suspend-EnosPipeline -PipelineId pl-0001, pl-0003 -InformationAction SilentlyContinue -InformationVariable summary; ' +
            '"kept: $summary"')
        $run.Host | Where-Object { $_ -like '*paused, 0 failed*' } | Should -BeNullOrEmpty
        $run.Output | Should -Be 'kept: 1 paused, 0 failed, 1 already paused'
    }

    It 'is not written under -WhatIf, where the What if lines tell it all' {
        $run = Invoke-WithCapturedHost $emulator 'Suspend-EnosPipeline -PipelineId pl-0001 -WhatIf'
        $run.Information | Should -BeNullOrEmpty
    }
}

Describe 'Names and ids (item 6)' {
    BeforeEach { Reset-EmulatorPipelines $emulator }

    It 'says when an id is a pipeline''s name: <Command>' -ForEach @(
        @{ Command = 'Suspend-EnosPipeline'; Id = 'wind-line-2' }
        @{ Command = 'Resume-EnosPipeline'; Id = 'wind-line-3' }
    ) {
        & $Command -PipelineId $Id -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed -InformationAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineNotFound,*'
        $failed[0].ErrorDetails.Message | Should -BeLike "*'$Id' is the name of pl-000$($Id[-1]).*"
        $failed[0].ErrorDetails.RecommendedAction | Should -BeLike "*Get-EnosPipeline -Name '$Id'*"
    }

    It 'asks "did you mean" for an id one character off' {
        Suspend-EnosPipeline -PipelineId pl-00002 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed -InformationAction SilentlyContinue
        $failed[0].ErrorDetails.Message | Should -BeLike "*Did you mean 'wind-line-2' (pl-0002)?"
        Suspend-EnosPipeline -PipelineId no-such-thing -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed -InformationAction SilentlyContinue
        $failed[0].ErrorDetails.Message | Should -Not -BeLike '*mean*'
        $failed[0].ErrorDetails.Message | Should -Not -BeLike '*is the name of*'
    }

    It 'guesses nothing for a near miss of several pipelines (a deleted pl-0013 is one character off pl-0003, pl-0010, pl-0011, pl-0012)' {
        foreach ($typed in 'pl-0013', 'wind-line-13') {
            Suspend-EnosPipeline -PipelineId $typed -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed -InformationAction SilentlyContinue
            $failed.Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineNotFound,*'
            $failed[0].ErrorDetails.Message | Should -Not -BeLike '*mean*' -Because $typed
        }
        $lines = @((Invoke-WithCapturedHost $emulator 'Suspend-EnosPipeline -PipelineId pl-0013 -WhatIf').Host | Where-Object { $_ -like 'What if:*' })
        $lines.Count | Should -Be 1
        $lines[0] | Should -BeLike '*no such pipeline*'
        $lines[0] | Should -Not -BeLike '*mean*'
    }
}

Describe 'Completion of ids (item 6)' {
    Context 'with pl-0012 paused' {
        BeforeAll {
            Reset-EmulatorPipelines $emulator
            # pl-0012 paused: a Resume would offer it before the running pl-0001 but for what was typed.
            Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0012/status/PAUSED' -Method PUT | Out-Null
            Connect-TestEmulator $emulator   # a new connection: a new completion list
        }

        It 'offers paused pipelines first on Resume, running ones first on Suspend' {
            (Get-Completion 'Resume-EnosPipeline -PipelineId pl-00').CompletionText |
                Should -Be @('pl-0003', 'pl-0008', 'pl-0012', 'pl-0001', 'pl-0002', 'pl-0004', 'pl-0005', 'pl-0006', 'pl-0007', 'pl-0009', 'pl-0010', 'pl-0011')
            (Get-Completion 'Suspend-EnosPipeline -PipelineId pl-00').CompletionText |
                Should -Be @('pl-0001', 'pl-0002', 'pl-0006', 'pl-0007', 'pl-0011', 'pl-0003', 'pl-0004', 'pl-0005', 'pl-0008', 'pl-0009', 'pl-0010', 'pl-0012')
        }

        It 'keeps first the pipeline whose name is what was typed' {
            (Get-Completion 'Resume-EnosPipeline -PipelineId wind-line-1').CompletionText | Should -Be @('pl-0001', 'pl-0012', 'pl-0010', 'pl-0011')
        }
    }
}

Describe 'Rough edges (item 7)' {
    BeforeEach { Reset-EmulatorPipelines $emulator }

    It 'Resume -JournalPath -PassThru writes the update time' {
        $journal = Join-Path ([IO.Path]::GetTempPath()) "enos-first-hour-$([guid]::NewGuid()).jsonl"
        try {
            Suspend-EnosPipeline -PipelineId pl-0001, pl-0002 -JournalPath $journal -Confirm:$false -InformationAction SilentlyContinue
            $resumed = @(Resume-EnosPipeline -JournalPath $journal -PassThru -Confirm:$false -InformationAction SilentlyContinue)
            $resumed.Count | Should -Be 2
            $resumed | ForEach-Object { $_.UpdateTime | Should -Not -BeNullOrEmpty; $_.Version | Should -Not -BeNullOrEmpty }
        }
        finally { Remove-Item $journal -ErrorAction Ignore }
    }

    It '-PassThru -ThrottleLimit 1 writes the pipelines in the input''s order' {
        $ids = 'pl-0007', 'pl-0001', 'pl-0011', 'pl-0002', 'pl-0006'
        (Suspend-EnosPipeline -PipelineId $ids -PassThru -ThrottleLimit 1 -Confirm:$false -InformationAction SilentlyContinue).PipelineId | Should -Be $ids
    }

    It 'shows every status the API''s way and selects FAILED with -Status Failed' {
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0002/status/FAILED' -Method PUT | Out-Null
        @(Get-EnosPipeline -Status Failed).PipelineId | Should -Be @('pl-0002')
        $table = Get-EnosPipeline -PipelineId pl-0001, pl-0002, pl-0003 | Format-Table | Out-String -Width 120
        $table | Should -Match 'pl-0001\s+RUNNING\s'
        $table | Should -Match 'pl-0002\s+FAILED\s'
        $table | Should -Match 'pl-0003\s+PAUSED\s'
    }

    It 'shows dates one culture-invariant ISO way in every view' {
        $culture = [cultureinfo]::CurrentCulture
        [cultureinfo]::CurrentCulture = 'de-DE'
        try {
            $pipeline = Get-EnosPipeline -PipelineId pl-0001
            ($pipeline | Format-Table | Out-String) | Should -Match '2026-11-20 08:15:00Z'
            ($pipeline | Format-List | Out-String) | Should -Match 'UpdateTime\s+: 2026-11-20 08:15:00Z'
            (Get-EnosStreamingConnection | Format-List | Out-String) | Should -Match 'TokenExpiresAt : \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ'
            $lag = @(Get-EnosPipelineLag -PipelineId pl-0001)
            $lag[0].Time | Should -Not -BeNullOrEmpty
            ($lag | Format-Table | Out-String -Width 160) | Should -Match ([regex]::Escape($lag[0].Time.UtcDateTime.ToString('u', [cultureinfo]::InvariantCulture)))
        }
        finally { [cultureinfo]::CurrentCulture = $culture }
    }

    It 'lists every exported cmdlet in about_EnOS.Streaming''s command list' {
        $exported = (Import-PowerShellDataFile (Join-Path $RepoRoot 'EnOS.Streaming.psd1')).CmdletsToExport
        $about = Get-Content -Raw (Join-Path $RepoRoot 'docs/help/about_EnOS.Streaming.md')
        $commands = $about.Substring($about.IndexOf('## LONG DESCRIPTION'), $about.IndexOf('## CONNECTING') - $about.IndexOf('## LONG DESCRIPTION'))
        foreach ($cmdlet in $exported) { $commands | Should -Match "\b$cmdlet\b" -Because "$cmdlet is exported" }
    }

    It 'has every ErrorId in the ErrorId table of docs/errors.md' {
        $ids = [regex]::Matches((Get-Content -Raw (Join-Path $RepoRoot 'src/EnOS.Streaming.PowerShell/Errors/EnosErrorRecords.cs')), 'const string \w+ = "(Enos\w+)"') |
            ForEach-Object { $_.Groups[1].Value }
        $ids.Count | Should -BeGreaterThan 10
        $table = @(Get-Content (Join-Path $RepoRoot 'docs/errors.md') | Where-Object { $_.StartsWith('| `Enos') }) -join "`n"
        foreach ($id in $ids) { $table | Should -Match "``$id``" -Because "$id is an ErrorId the module writes" }
    }

    It 'shows the emulator''s pipelines one a line' {
        $lines = @((Invoke-EnosEmulatorAdmin $emulator 'pipelines' | Out-String -Width 80) -split "`n" | ForEach-Object TrimEnd)
        @($lines -match '^(pl|sys)-\d{4} ').Count | Should -Be 14
        @($lines | Where-Object { $_.Length -in 1..3 }) | Should -BeNullOrEmpty
    }
}

Describe 'build.ps1 Install (item 8)' -Skip:$IsWindows {
    It 'copies the module into the user''s module folder, where Import-Module finds it by name' {
        $home2 = Join-Path ([IO.Path]::GetTempPath()) "enos-home-$([guid]::NewGuid())"
        New-Item -ItemType Directory -Path $home2 | Out-Null
        $saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; PSModulePath = $env:PSModulePath }
        try {
            # Another user's home, and no PSModulePath inherited from this session.
            $env:HOME = $home2
            $env:XDG_DATA_HOME = $null
            $env:PSModulePath = $null
            $install = Invoke-Pwsh @((Join-Path $RepoRoot 'build.ps1'), 'Install', '-NoBuild')
            $install.ExitCode | Should -Be 0 -Because ($install.Output -join "`n")
            Test-Path (Join-Path $home2 ".local/share/powershell/Modules/EnOS.Streaming/$ModuleVersion/EnOS.Streaming.psd1") | Should -BeTrue

            Push-Location $home2
            try { $use = Invoke-Pwsh @('-Command', 'Import-Module EnOS.Streaming; (Get-Module EnOS.Streaming).ModuleBase; @(Get-Command -Module EnOS.Streaming).Count') }
            finally { Pop-Location }
            $use.ExitCode | Should -Be 0 -Because ($use.Output -join "`n")
            $use.Output[0] | Should -Be (Join-Path $home2 ".local/share/powershell/Modules/EnOS.Streaming/$ModuleVersion")
            [int]$use.Output[1] | Should -Be @((Import-PowerShellDataFile (Join-Path $RepoRoot 'EnOS.Streaming.psd1')).CmdletsToExport).Count
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
            Remove-Item -LiteralPath $home2 -Recurse -Force -ErrorAction Ignore
        }
    }
}
