# The examples of the README and docs/*.md, run as written against the emulator: every fenced block right after a line
# "<!-- example: emulator -->" runs in the session build.ps1 Shell opens (build/Shell.ps1), and
# one after "<!-- example: emulator script NAME ARGUMENTS -->" runs as the script file NAME, with
# the ENOS_* variables set and the module installed. An error record or a non-zero exit fails it.
BeforeDiscovery {
    # The front page and the docs/ pages it links to.
    $root = Join-Path $PSScriptRoot '../..'
    $pages = @('README.md') + @(Get-ChildItem (Join-Path $root 'docs') -Filter '*.md' | Sort-Object Name | ForEach-Object { "docs/$($_.Name)" })
    $examples = [System.Collections.Generic.List[hashtable]]::new()
    foreach ($page in $pages) {
        $lines = @(Get-Content (Join-Path $root $page))
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -notmatch '^<!-- example: emulator(?: script (?<name>\S+)(?<arguments>[^>]*))? -->$') { continue }
            $script = $Matches['name']
            $arguments = if ($Matches['arguments']) { @($Matches['arguments'].Trim() -split '\s+') } else { @() }
            if ($lines[$i + 1] -ne '```powershell') { throw "$page line $($i + 1): the example marker must come right before a ``````powershell fence." }
            $end = $i + 2
            while ($end -lt $lines.Count -and $lines[$end] -ne '```') { $end++ }
            $examples.Add(@{
                    Line      = "$page line $($i + 1)"
                    Script    = $script
                    Arguments = $arguments
                    Code      = ($lines[($i + 2)..($end - 1)] -join "`n")
                })
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $emulator = Start-EnosEmulator -Pipelines 12
    # One folder for the file, so that the way-back runbook finds the journal the pause wrote.
    $folder = Join-Path ([IO.Path]::GetTempPath()) "enos-readme-$([guid]::NewGuid())"
    New-Item -ItemType Directory -Path $folder | Out-Null
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    $savedVariables = Save-EnosVariables

    function Invoke-Pwsh {
        # A new pwsh in $folder; its output and errors as lines, and its exit code.
        param([string[]] $Arguments)
        Push-Location $folder
        try { $output = & ([Environment]::ProcessPath) $pwshDll -NoProfile -NonInteractive @Arguments 2>&1 | ForEach-Object { "$_" } }
        finally { Pop-Location }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output) }
    }
}

AfterAll {
    Restore-EnosVariables $savedVariables
    Stop-EnosEmulator $emulator
    Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction Ignore
}

Describe 'The README''s examples' {
    It 'has examples marked to run against the emulator' -ForEach @{ Count = $examples.Count } {
        $Count | Should -BeGreaterOrEqual 4
    }

    It 'runs the example at <Line> as written' -ForEach $examples {
        if ($Script) {
            Set-Content -LiteralPath (Join-Path $folder $Script) -Value $Code
            $previous = $env:PSModulePath
            Set-EnosVariables $emulator
            # Installed: Import-Module EnOS.Streaming finds the built module by name.
            $env:PSModulePath = (Join-Path $RepoRoot 'out') + [IO.Path]::PathSeparator + $previous
            try { $run = Invoke-Pwsh (@('-File', $Script) + $Arguments) }
            finally { $env:PSModulePath = $previous; Clear-EnosVariables }
            # A runbook's log says how the night went, good or bad.
            ($run.Output -join "`n") | Should -Match '\d+ (paused|resumed), 0 failed, \d+ already (paused|running)'
        }
        else {
            Reset-EmulatorPipelines $emulator
            # The session build.ps1 Shell opens, then the example; any error record fails it.
            $check = "`nif (`$Error.Count) { `$Error | ForEach-Object { [Console]::Error.WriteLine(`"ERROR: `$_`") }; exit 1 }"
            $run = Invoke-Pwsh @('-File', (Join-Path $RepoRoot 'build/Shell.ps1'), '-ModuleManifest', $ModuleManifest,
                '-Url', $emulator.Url, '-OrgId', $emulator.OrgId, '-AppKey', $emulator.AppKey, '-AppSecret', $emulator.AppSecret,
                '-Command', ($Code + $check))
        }
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output | Where-Object { $_ -like 'ERROR: *' } | Should -BeNullOrEmpty
    }
}
