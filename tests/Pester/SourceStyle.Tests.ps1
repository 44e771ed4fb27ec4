BeforeAll {
    $script:Checker = Join-Path $PSScriptRoot '../../build/Test-SourceStyle.ps1'

    function Invoke-StyleCheck([string] $FileName, [string] $Content) {
        # The checker on a folder holding one file: its findings (host lines) and whether it threw.
        $folder = Join-Path ([System.IO.Path]::GetTempPath()) "enos-style-$([guid]::NewGuid().ToString('n'))"
        New-Item -ItemType Directory -Path $folder | Out-Null
        $failed = $false
        $found = $null
        try {
            [System.IO.File]::WriteAllText((Join-Path $folder $FileName), $Content)
            try {
                & $Checker -Root $folder -InformationVariable found 6>$null
            } catch {
                $failed = $true
            }
            [pscustomobject]@{ Lines = @($found | ForEach-Object { "$_" }); Failed = $failed }
        } finally {
            Remove-Item $folder -Recurse -Force
        }
    }
}

Describe 'The source style check (build/Test-SourceStyle.ps1)' {
    It 'finds nothing in this repository' {
        { & $Checker -Root (Join-Path $PSScriptRoot '../..') 6>$null } | Should -Not -Throw
    }

    It 'passes a file that keeps the rules' {
        $result = Invoke-StyleCheck 'good.ps1' "function Get-Thing {`n    if (`$true) { 'x' }`n    { 'a script block' } | Out-Null`n}`n"
        $result.Failed | Should -BeFalse
        $result.Lines | Should -BeNullOrEmpty
    }

    It 'finds <Rule>' -ForEach @(
        @{ Rule = 'a CRLF line end'; File = 'a.cs'; Content = "class A { }`r`n"; Expected = 'a.cs:1: a CRLF line end*' }
        @{ Rule = 'a missing final newline'; File = 'a.cs'; Content = 'class A { }'; Expected = 'a.cs:0: no newline at the end*' }
        @{ Rule = 'a tab'; File = 'a.md'; Content = "text`n`tindented`n"; Expected = 'a.md:2: a tab*' }
        @{ Rule = 'trailing whitespace'; File = 'a.ps1'; Content = "'x'  `n"; Expected = 'a.ps1:1: trailing whitespace' }
        @{ Rule = 'a parse error'; File = 'a.ps1'; Content = "if (`n"; Expected = 'a.ps1:*: does not parse*' }
        @{ Rule = 'an unapproved verb'; File = 'a.psm1'; Content = "function Fetch-Thing { }`n"; Expected = 'a.psm1:1: function Fetch-Thing is not named Verb-Noun*' }
        @{ Rule = 'a function without a verb'; File = 'a.ps1'; Content = "function Thing { }`n"; Expected = 'a.ps1:1: function Thing is not named Verb-Noun*' }
        @{ Rule = 'a brace on its own line'; File = 'a.ps1'; Content = "function Get-Thing`n{`n}`n"; Expected = 'a.ps1:2: an opening brace on a line of its own*' }
        @{ Rule = 'indentation off the four-space grid'; File = 'a.ps1'; Content = "function Get-Thing {`n  'x'`n}`n"; Expected = 'a.ps1:2: indentation that is not a multiple of four*' }
    ) {
        $result = Invoke-StyleCheck $File $Content
        $result.Failed | Should -BeTrue
        $result.Lines | Should -HaveCount 1
        $result.Lines[0] | Should -BeLike $Expected
    }

    It 'leaves the content of here-strings and block comments alone' {
        $content = "<#`n  free text`n#>`n`$text = @'`n  {`n'@`n"
        $result = Invoke-StyleCheck 'a.ps1' $content
        $result.Lines | Should -BeNullOrEmpty
    }

    It 'leaves the methods of a PowerShell class alone (they are named by the type they implement)' {
        $result = Invoke-StyleCheck 'a.ps1' "class Host {`n    [void] WriteLine([string] `$value) { }`n}`n"
        $result.Lines | Should -BeNullOrEmpty
    }
}

Describe 'The Layout section of docs/architecture.md' {
    It 'names only folders and files that exist, each where it says' {
        # The block lists top-level paths at the left margin, a project's folders indented under it,
        # and file names in the descriptions: each must be found where its line places it.
        $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
        $architecture = Get-Content -Raw (Join-Path $root 'docs/architecture.md')
        $block = [regex]::Match($architecture, '(?s)## Layout\s+```\s*\n(.*?)```').Groups[1].Value
        $block | Should -Not -BeNullOrEmpty
        $missing = [System.Collections.Generic.List[string]]::new()
        $context = $root
        $project = $root
        foreach ($line in $block -split "`n") {
            if ($line -match '^(\S+)\s') {
                $context = Join-Path $root $Matches[1]
                if (Test-Path $context -PathType Container) { $project = $context } else { $context = $root }
                if (-not (Test-Path (Join-Path $root $Matches[1]))) { $missing.Add($Matches[1]) }
            } elseif ($line -match '^  (\S+/)\s') {
                $context = Join-Path $project $Matches[1]
                if (-not (Test-Path $context -PathType Container)) { $missing.Add($Matches[1]) }
            }
            $description = $line -replace '^\s*\S+/?\s{2,}', ''
            foreach ($name in @([regex]::Matches($description, '[\w./-]+\.(cs|ps1|psm1|psd1|proj|props|md)\b') | ForEach-Object { $_.Value })) {
                # A path is from the top; a bare name is in the line's folder or at the top (build.ps1).
                $found = if ($name -like '*/*') { Test-Path (Join-Path $root $name) }
                else { (Test-Path (Join-Path $root $name)) -or [bool](Get-ChildItem $context -Recurse -Filter $name -File) }
                if (-not $found) { $missing.Add("$name (under $($context.Substring($root.Length)))") }
            }
        }
        $missing | Should -BeNullOrEmpty
    }
}
