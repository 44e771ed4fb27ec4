<#
Compiles the module's help from Markdown (docs/help) into what Get-Help reads: a MAML file for the
cmdlets and plain-text about topics. platyPS is not needed: the Markdown format is a small, strict
subset, and everything Get-Help shows about parameters (names, types, sets,
positions, pipeline input, aliases, defaults) comes from the built module itself, so help cannot
drift from the code. Anything the Markdown gets wrong is a build error, not a silent omission.

The format is described in docs/help/README.md, which is not itself compiled.
#>

Set-StrictMode -Version Latest

$script:MamlNamespace = 'http://schemas.microsoft.com/maml/2004/10'
$script:CommandNamespace = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$script:DevNamespace = 'http://schemas.microsoft.com/maml/dev/2004/10'
$script:HelpItemsNamespace = 'http://msh'

$script:CmdletSections = @('SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')
$script:AboutWidth = 80

# Reading metadata means a child PowerShell; one per build of the assembly is enough.
$script:MetadataCache = @{}

function Build-EnosHelp {
    <#
    .SYNOPSIS
    Compiles docs/help/*.md into <ModuleFolder>/en-US: the cmdlets' MAML and the about topics.

    .DESCRIPTION
    Reads the parameter metadata of the built module in a child PowerShell (so that this session
    never loads the module's assemblies), checks every Markdown file against it, and throws one
    error listing every problem found. Writes <ModuleFolder>/en-US/<AssemblyName>-Help.xml and
    <ModuleFolder>/en-US/about_*.help.txt.

    .EXAMPLE
    Build-EnosHelp -SourceFolder ./docs/help -ModuleFolder ./out/EnOS.Streaming/0.1.0 -AssemblyName EnOS.Streaming.PowerShell.dll
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $SourceFolder,
        [Parameter(Mandatory)] [string] $ModuleFolder,
        [Parameter(Mandatory)] [string] $AssemblyName
    )

    $ErrorActionPreference = 'Stop'
    $SourceFolder = (Resolve-Path -LiteralPath $SourceFolder).ProviderPath
    $ModuleFolder = (Resolve-Path -LiteralPath $ModuleFolder).ProviderPath

    $metadata = Get-ModuleCommandMetadata -ModuleFolder $ModuleFolder -AssemblyName $AssemblyName
    $commands = @{}
    foreach ($command in $metadata.Commands) { $commands[$command.Name] = $command }

    $problems = [System.Collections.Generic.List[string]]::new()
    # README.md describes the format; it is not a help page.
    $files = @(Get-ChildItem -LiteralPath $SourceFolder -Filter '*.md' -File | Where-Object Name -NE 'README.md' | Sort-Object Name)
    $aboutFiles = @($files | Where-Object { $_.Name -like 'about_*.md' })
    $cmdletFiles = @($files | Where-Object { $_.Name -notlike 'about_*.md' })

    $cmdletDocuments = [System.Collections.Generic.List[object]]::new()
    foreach ($name in ($commands.Keys | Sort-Object)) {
        $file = $cmdletFiles | Where-Object { $_.BaseName -ceq $name }
        if (-not $file) {
            $problems.Add("$name is exported by the module but has no help: write $(Join-Path $SourceFolder "$name.md").")
        }
    }
    foreach ($file in $cmdletFiles) {
        if ($commands.Keys -cnotcontains $file.BaseName) {
            $problems.Add("$($file.Name): there is no exported cmdlet named '$($file.BaseName)' (cmdlet names are case-sensitive here). Rename or delete the file.")
            continue
        }
        # Checked against the cmdlet even when the Markdown has problems, so one build lists them all.
        $document = Read-HelpMarkdown -Path $file.FullName
        $problems.AddRange([string[]]@($document.Problems))
        $help = ConvertTo-CmdletHelp -Document $document -Command $commands[$file.BaseName] -AllCommands $commands
        $problems.AddRange([string[]]@($help.Problems))
        $cmdletDocuments.Add($help)
    }

    $aboutTopics = [System.Collections.Generic.List[object]]::new()
    foreach ($file in $aboutFiles) {
        $document = Read-HelpMarkdown -Path $file.FullName
        $problems.AddRange([string[]]@($document.Problems))
        $topic = ConvertTo-AboutTopic -Document $document
        $problems.AddRange([string[]]@($topic.Problems))
        $aboutTopics.Add($topic)
    }

    if ($problems.Count -gt 0) {
        throw "The help in $SourceFolder does not match the module ($($problems.Count) problem$(if ($problems.Count -ne 1) { 's' })):`n  - " + ($problems -join "`n  - ")
    }

    $culture = Join-Path $ModuleFolder 'en-US'
    New-Item -ItemType Directory -Path $culture -Force | Out-Null
    $mamlPath = Join-Path $culture "$AssemblyName-Help.xml"
    Write-MamlFile -Path $mamlPath -Commands ($cmdletDocuments | Sort-Object Name)
    foreach ($topic in $aboutTopics) {
        [System.IO.File]::WriteAllText((Join-Path $culture "$($topic.Name).help.txt"), $topic.Text, [System.Text.UTF8Encoding]::new($false))
    }

    Write-Host "Help compiled: $($cmdletDocuments.Count) cmdlets and $($aboutTopics.Count) about topic$(if ($aboutTopics.Count -ne 1) { 's' }) in $culture"
}

#region Metadata of the built module

# The script that reads it is build/Read-CommandMetadata.ps1, run in a child PowerShell.

function Get-ModuleCommandMetadata {
    # The cmdlets' metadata as the built module reports it, read in a child PowerShell so that this
    # process (the build, and the tests after it) never loads the module's assemblies.
    param([string] $ModuleFolder, [string] $AssemblyName)

    $assembly = Join-Path $ModuleFolder $AssemblyName
    if (-not (Test-Path -LiteralPath $assembly -PathType Leaf)) {
        throw "Cannot compile help: $assembly does not exist. Build the module first."
    }
    $manifests = @(Get-ChildItem -LiteralPath $ModuleFolder -Filter '*.psd1' -File)
    if ($manifests.Count -ne 1) {
        throw "Cannot compile help: expected exactly one module manifest in $ModuleFolder, found $($manifests.Count)."
    }

    $file = Get-Item -LiteralPath $assembly
    $key = '{0}|{1}|{2}|{3}' -f $manifests[0].FullName, $file.FullName, $file.LastWriteTimeUtc.Ticks, $file.Length
    if ($script:MetadataCache.ContainsKey($key)) { return $script:MetadataCache[$key] }

    $temp = Join-Path ([System.IO.Path]::GetTempPath()) "enos-help-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Path $temp | Out-Null
    try {
        $script = Join-Path $PSScriptRoot 'Read-CommandMetadata.ps1'
        $json = Join-Path $temp 'metadata.json'
        # `dotnet pwsh` is the repository's own PowerShell (a local dotnet tool): run it from
        # inside the repository, where its tool manifest is found.
        Push-Location -LiteralPath $PSScriptRoot
        try {
            $output = & dotnet pwsh -NoProfile -NonInteractive -File $script -ManifestPath $manifests[0].FullName -OutFile $json 2>&1
            $exitCode = $LASTEXITCODE
        }
        finally {
            Pop-Location
        }
        if ($exitCode -ne 0 -or -not (Test-Path -LiteralPath $json)) {
            throw "Cannot compile help: reading the cmdlets of $($manifests[0].FullName) in a child PowerShell failed (exit code $exitCode):`n$($output -join "`n")"
        }
        $metadata = Get-Content -LiteralPath $json -Raw -Encoding utf8 | ConvertFrom-Json
    }
    finally {
        Remove-Item -LiteralPath $temp -Recurse -Force -ErrorAction Ignore
    }

    $script:MetadataCache[$key] = $metadata
    $metadata
}

#endregion

#region Markdown

function Read-HelpMarkdown {
    # Parses one file into a title, ## sections and ### subsections of blocks. Problems are
    # collected as "file:line: message", never thrown one at a time.
    param([string] $Path)

    $name = Split-Path -Leaf $Path
    $problems = [System.Collections.Generic.List[string]]::new()
    $lines = [System.IO.File]::ReadAllLines($Path)

    # Pass 1: headings, fenced code and runs of text lines separated by blank lines.
    $raw = [System.Collections.Generic.List[object]]::new()
    $run = $null
    for ($i = 0; $i -lt $lines.Count; $i++) {
        $line = $lines[$i].TrimEnd()
        $number = $i + 1
        if ($line -match '^ {0,3}(```+|~~~+)\s*([A-Za-z0-9_+-]*)\s*$') {
            $run = $null
            $fence = $Matches[1]
            $language = $Matches[2].ToLowerInvariant()
            $body = [System.Collections.Generic.List[string]]::new()
            $closed = $false
            for ($i++; $i -lt $lines.Count; $i++) {
                if ($lines[$i] -match "^ {0,3}$([regex]::Escape($fence))\s*$") { $closed = $true; break }
                $body.Add($lines[$i].TrimEnd())
            }
            if (-not $closed) { $problems.Add("${name}:${number}: the code block opened here is never closed.") }
            $raw.Add([pscustomobject]@{ Kind = 'Code'; Language = $language; Text = ($body -join "`n"); Line = $number })
            continue
        }
        if ($line -match '^(#{1,6})\s+(.+?)\s*#*\s*$') {
            $run = $null
            $raw.Add([pscustomobject]@{ Kind = 'Heading'; Level = $Matches[1].Length; Text = $Matches[2]; Line = $number })
            continue
        }
        if ($line -match '^#') {
            $problems.Add("${name}:${number}: a heading needs a space after the '#' characters.")
            continue
        }
        if ($line.Trim().Length -eq 0) { $run = $null; continue }
        if ($null -eq $run) {
            $run = [pscustomobject]@{ Kind = 'Text'; Lines = [System.Collections.Generic.List[string]]::new(); Line = $number }
            $raw.Add($run)
        }
        $run.Lines.Add($line)
    }

    # Pass 2: text runs become paragraphs or lists; headings build the structure.
    $document = [pscustomobject]@{
        Path = $Path; Name = $name; Title = $null; TitleLine = 0
        Sections = [System.Collections.Generic.List[object]]::new(); Problems = $problems
    }
    $section = $null
    $target = $null
    foreach ($item in $raw) {
        if ($item.Kind -eq 'Heading') {
            switch ($item.Level) {
                1 {
                    if ($null -ne $document.Title) { $problems.Add("$($name):$($item.Line): only one '# ' title is allowed.") }
                    elseif ($document.Sections.Count -gt 0) { $problems.Add("$($name):$($item.Line): the '# ' title must come first.") }
                    else { $document.Title = $item.Text; $document.TitleLine = $item.Line }
                }
                2 {
                    $section = [pscustomobject]@{ Name = $item.Text; Line = $item.Line; Blocks = [System.Collections.Generic.List[object]]::new(); Subsections = [System.Collections.Generic.List[object]]::new() }
                    $document.Sections.Add($section)
                    $target = $section
                }
                3 {
                    if ($null -eq $section) { $problems.Add("$($name):$($item.Line): a '### ' heading must be inside a '## ' section."); continue }
                    $subsection = [pscustomobject]@{ Heading = $item.Text; Line = $item.Line; Blocks = [System.Collections.Generic.List[object]]::new() }
                    $section.Subsections.Add($subsection)
                    $target = $subsection
                }
                default { $problems.Add("$($name):$($item.Line): headings below '### ' are not supported.") }
            }
            continue
        }

        $blocks = if ($item.Kind -eq 'Code') { , $item } else { ConvertFrom-TextRun -Run $item -FileName $name -Problems $problems }
        if ($null -eq $target) {
            $problems.Add("$($name):$($item.Line): text before the first '## ' section is not allowed.")
            continue
        }
        foreach ($block in $blocks) { $target.Blocks.Add($block) }
    }

    if ($null -eq $document.Title) { $problems.Add("${name}: the file has no '# ' title.") }
    $document
}

function ConvertFrom-TextRun {
    # One run of non-blank lines: a list if it starts with a list item, else a paragraph.
    param($Run, [string] $FileName, [System.Collections.Generic.List[string]] $Problems)

    $itemPattern = '^(?<marker>[-*+]|\d{1,3}[.)])\s+(?<text>.*)$'
    $first = $Run.Lines[0]
    if ($first -match $itemPattern) {
        $items = [System.Collections.Generic.List[object]]::new()
        for ($i = 0; $i -lt $Run.Lines.Count; $i++) {
            $line = $Run.Lines[$i]
            $number = $Run.Line + $i
            if ($line -match $itemPattern) {
                $marker = if ($Matches.marker -match '^\d') { $Matches.marker } else { '-' }
                $items.Add([pscustomobject]@{ Marker = $marker; Text = $Matches.text.Trim(); Line = $number })
            }
            elseif ($line -match '^\s+([-*+]|\d{1,3}[.)])\s') {
                $Problems.Add("${FileName}:${number}: nested lists are not supported.")
            }
            elseif ($line -match '^\s+\S') {
                $items[-1].Text += ' ' + $line.Trim()
            }
            else {
                $Problems.Add("${FileName}:${number}: indent the continuation of a list item, or leave a blank line after the list.")
            }
        }
        foreach ($entry in $items) { $entry.Text = ConvertFrom-Inline -Text $entry.Text -FileName $FileName -Line $entry.Line -Problems $Problems }
        return , [pscustomobject]@{ Kind = 'List'; Items = $items.ToArray(); Line = $Run.Line }
    }

    if ($first -match '^( {4}|\t)') {
        $Problems.Add("${FileName}:$($Run.Line): indented code blocks are not supported; use a fenced ``````powershell block.")
    }
    for ($i = 0; $i -lt $Run.Lines.Count; $i++) {
        $line = $Run.Lines[$i]
        $number = $Run.Line + $i
        if ($line -match '^\s*\|') { $Problems.Add("${FileName}:${number}: tables are not supported; use a list.") }
        elseif ($line -match '^\s*>') { $Problems.Add("${FileName}:${number}: block quotes are not supported.") }
        elseif ($i -gt 0 -and $line -match $itemPattern) { $Problems.Add("${FileName}:${number}: leave a blank line before a list.") }
        elseif ($line -match '^\s*(-{3,}|\*{3,}|_{3,}|={3,})\s*$') { $Problems.Add("${FileName}:${number}: rules and setext headings are not supported.") }
    }
    $text = ($Run.Lines | ForEach-Object { $_.Trim() }) -join ' '
    , [pscustomobject]@{ Kind = 'Paragraph'; Text = (ConvertFrom-Inline -Text $text -FileName $FileName -Line $Run.Line -Problems $Problems); Line = $Run.Line }
}

function ConvertFrom-Inline {
    # `code` loses its backticks; [text](url) becomes "text (url)", or "text" for a relative link.
    # Markup Get-Help would show literally (emphasis, HTML) is refused.
    param([string] $Text, [string] $FileName, [int] $Line, [System.Collections.Generic.List[string]] $Problems)

    if (([regex]::Matches($Text, '`')).Count % 2 -ne 0) {
        $Problems.Add("${FileName}:${Line}: a code span is not closed (odd number of backticks).")
        return $Text
    }
    $parts = [regex]::Split($Text, '(`[^`]*`)')
    $result = foreach ($part in $parts) {
        if ($part.StartsWith('`') -and $part.EndsWith('`') -and $part.Length -ge 2) {
            $part.Substring(1, $part.Length - 2)
            continue
        }
        if ($part -match '\*\*|__|(^|\s)\*\S[^*]*\*(\s|[.,;:]|$)') {
            $Problems.Add("${FileName}:${Line}: emphasis is not supported; write plain text, and put literal asterisks in backticks.")
        }
        if ($part -match '<[A-Za-z/!]') {
            $Problems.Add("${FileName}:${Line}: HTML, or text like <name> that Markdown takes for HTML, is not supported; put it in backticks.")
        }
        [regex]::Replace($part, '\[(?<text>[^\]]+)\]\((?<url>[^)\s]+)\)', {
                param($match)
                $url = $match.Groups['url'].Value
                if ($url -match '^https?://') { "$($match.Groups['text'].Value) ($url)" } else { $match.Groups['text'].Value }
            })
    }
    -join $result
}

function ConvertTo-Paragraph {
    # One block as the text of one maml:para: lists keep one item a line, code keeps its lines.
    param($Block)
    switch ($Block.Kind) {
        'Paragraph' { $Block.Text }
        'List' { ($Block.Items | ForEach-Object { "$($_.Marker) $($_.Text)" }) -join "`n" }
        # Verbatim: Get-Help trims a paragraph's first line, so indenting the block would skew it.
        'Code' { $Block.Text }
    }
}

#endregion

#region Cmdlet help

function ConvertTo-CmdletHelp {
    # Checks one cmdlet's document against the cmdlet's metadata and shapes what the MAML needs.
    param($Document, $Command, [hashtable] $AllCommands)

    $problems = [System.Collections.Generic.List[string]]::new()
    $file = $Document.Name
    $name = $Command.Name
    if ($Document.Title -cne $name) {
        $problems.Add("${file}:$($Document.TitleLine): the title must be '# $name'.")
    }

    # The sections: all of them, once each, in order.
    $byName = @{}
    foreach ($section in $Document.Sections) {
        if ($script:CmdletSections -cnotcontains $section.Name) {
            $hint = if ($section.Name -ieq 'SYNTAX') { ' Syntax is generated from the cmdlet''s parameter sets; remove the section.' } else { " The sections are: $($script:CmdletSections -join ', ')." }
            $problems.Add("${file}:$($section.Line): '## $($section.Name)' is not a section of the help format.$hint")
            continue
        }
        if ($byName.ContainsKey($section.Name)) { $problems.Add("${file}:$($section.Line): '## $($section.Name)' appears twice."); continue }
        $byName[$section.Name] = $section
    }
    foreach ($required in $script:CmdletSections) {
        if (-not $byName.ContainsKey($required)) { $problems.Add("${file}: the required section '## $required' is missing.") }
    }
    $present = @($Document.Sections | Where-Object { $byName.ContainsKey($_.Name) -and $byName[$_.Name] -eq $_ } | ForEach-Object Name)
    $expectedOrder = @($script:CmdletSections | Where-Object { $present -ccontains $_ })
    if (($present -join '|') -cne ($expectedOrder -join '|')) {
        $problems.Add("${file}: the sections must come in this order: $($script:CmdletSections -join ', ').")
    }
    if ($problems.Count -gt 0) { return [pscustomobject]@{ Name = $name; Problems = $problems } }

    function Test-NoSubsections($section) {
        foreach ($sub in $section.Subsections) { $problems.Add("${file}:$($sub.Line): '## $($section.Name)' takes no '### ' headings.") }
    }
    function Test-OnlySubsections($section) {
        foreach ($block in $section.Blocks) { $problems.Add("${file}:$($block.Line): in '## $($section.Name)', text must be under a '### ' heading.") }
    }

    # SYNOPSIS: one paragraph.
    $synopsis = $byName['SYNOPSIS']
    Test-NoSubsections $synopsis
    if ($synopsis.Blocks.Count -ne 1 -or $synopsis.Blocks[0].Kind -ne 'Paragraph' -or [string]::IsNullOrWhiteSpace($synopsis.Blocks[0].Text)) {
        $problems.Add("${file}:$($synopsis.Line): '## SYNOPSIS' must be exactly one paragraph.")
    }

    foreach ($sectionName in 'DESCRIPTION', 'NOTES') {
        $section = $byName[$sectionName]
        Test-NoSubsections $section
        if ($section.Blocks.Count -eq 0) { $problems.Add("${file}:$($section.Line): '## $sectionName' is empty.") }
        Test-ExampleCode -Blocks $section.Blocks -Where "'## $sectionName'" -FileName $file -AllCommands $AllCommands -Problems $problems
    }

    # EXAMPLES: ### Example <n>: <title>, code first, then remarks.
    $examplesSection = $byName['EXAMPLES']
    Test-OnlySubsections $examplesSection
    $examples = [System.Collections.Generic.List[object]]::new()
    $expectedNumber = 1
    foreach ($sub in $examplesSection.Subsections) {
        if ($sub.Heading -notmatch '^Example (?<n>\d+): (?<title>\S.*)$') {
            $problems.Add("${file}:$($sub.Line): an example heading must read '### Example ${expectedNumber}: <title>'.")
            $expectedNumber++
            continue
        }
        if ([int]$Matches.n -ne $expectedNumber) { $problems.Add("${file}:$($sub.Line): expected Example $expectedNumber here (examples are numbered from 1, in order).") }
        $title = $Matches.title
        $expectedNumber++
        if ($sub.Blocks.Count -eq 0 -or $sub.Blocks[0].Kind -ne 'Code' -or $sub.Blocks[0].Language -ne 'powershell' -or [string]::IsNullOrWhiteSpace($sub.Blocks[0].Text)) {
            $problems.Add("${file}:$($sub.Line): Example '$title' must start with a non-empty ``````powershell code block.")
            continue
        }
        $remarks = @($sub.Blocks | Select-Object -Skip 1)
        if (-not ($remarks | Where-Object Kind -NE 'Code')) {
            $problems.Add("${file}:$($sub.Line): Example '$title' needs at least one paragraph after its code, saying what it does.")
        }
        Test-ExampleCode -Blocks $sub.Blocks -Where "Example '$title'" -FileName $file -AllCommands $AllCommands -Problems $problems
        $examples.Add([pscustomobject]@{
                Title   = "Example $($Matches.n): $title"
                Code    = $sub.Blocks[0].Text
                Remarks = @($remarks | ForEach-Object { ConvertTo-Paragraph $_ })
            })
    }
    if ($examples.Count -lt 2) { $problems.Add("${file}:$($examplesSection.Line): at least two examples are required.") }

    # PARAMETERS: exactly the cmdlet's parameters, common parameters excluded.
    $parametersSection = $byName['PARAMETERS']
    Test-OnlySubsections $parametersSection
    $described = [ordered]@{}
    foreach ($sub in $parametersSection.Subsections) {
        if ($sub.Heading -notmatch '^-(?<name>[A-Za-z][A-Za-z0-9_]*)$') {
            $problems.Add("${file}:$($sub.Line): a parameter heading must read '### -<Name>'.")
            continue
        }
        $parameterName = $Matches.name
        $real = $Command.Parameters | Where-Object { $_.Name -eq $parameterName }
        if (-not $real) {
            $problems.Add("${file}:$($sub.Line): describes -$parameterName, which $name does not have.")
            continue
        }
        if ($real.Name -cne $parameterName) { $problems.Add("${file}:$($sub.Line): write -$($real.Name) as the code spells it, not -$parameterName.") }
        if ($described.Contains($real.Name)) { $problems.Add("${file}:$($sub.Line): -$($real.Name) is described twice."); continue }
        if ($sub.Blocks.Count -eq 0) { $problems.Add("${file}:$($sub.Line): -$($real.Name) has no description.") }
        Test-ExampleCode -Blocks $sub.Blocks -Where "-$($real.Name)" -FileName $file -AllCommands $AllCommands -Problems $problems
        $described[$real.Name] = @($sub.Blocks | ForEach-Object { ConvertTo-Paragraph $_ })
    }
    foreach ($parameter in $Command.Parameters) {
        if (-not $described.Contains($parameter.Name)) {
            $problems.Add("${file}:$($parametersSection.Line): does not describe -$($parameter.Name), a parameter of $name. Add '### -$($parameter.Name)'.")
        }
    }

    # INPUTS and OUTPUTS: ### <type>, each explained.
    $typeLists = @{}
    foreach ($sectionName in 'INPUTS', 'OUTPUTS') {
        $section = $byName[$sectionName]
        Test-OnlySubsections $section
        if ($section.Subsections.Count -eq 0) { $problems.Add("${file}:$($section.Line): '## $sectionName' needs at least one '### <type name>' (or '### None').") }
        $typeLists[$sectionName] = @(foreach ($sub in $section.Subsections) {
                if ($sub.Heading -notmatch '^[A-Za-z_][\w.`\[\],]*$') { $problems.Add("${file}:$($sub.Line): '### $($sub.Heading)' is not a type name.") }
                if ($sub.Blocks.Count -eq 0) { $problems.Add("${file}:$($sub.Line): '### $($sub.Heading)' needs a sentence saying what it is.") }
                [pscustomobject]@{ Type = $sub.Heading; Description = @($sub.Blocks | ForEach-Object { ConvertTo-Paragraph $_ }) }
            })
    }
    $acceptsInput = [bool]($Command.Parameters | ForEach-Object Sets | Where-Object { $_.ByValue -or $_.ByPropertyName })
    $inputNames = @($typeLists['INPUTS'] | ForEach-Object Type)
    if (-not $acceptsInput -and ($inputNames | Where-Object { $_ -ne 'None' })) {
        $problems.Add("${file}: '## INPUTS' must be '### None': no parameter of $name takes pipeline input.")
    }
    if ($acceptsInput -and $inputNames -contains 'None') {
        $problems.Add("${file}: '## INPUTS' says None, but $name takes pipeline input.")
    }
    $outputNames = @($typeLists['OUTPUTS'] | ForEach-Object Type)
    foreach ($outputType in $Command.OutputTypes) {
        if ($outputNames -notcontains $outputType) { $problems.Add("${file}: '## OUTPUTS' does not list $outputType, which $name declares with [OutputType].") }
    }
    foreach ($outputName in $outputNames) {
        if ($outputName -ne 'None' -and $Command.OutputTypes -notcontains $outputName) {
            $problems.Add("${file}: '## OUTPUTS' lists $outputName, which $name does not declare with [OutputType].")
        }
    }

    # RELATED LINKS: a list.
    $linksSection = $byName['RELATED LINKS']
    Test-NoSubsections $linksSection
    $links = [System.Collections.Generic.List[object]]::new()
    foreach ($block in $linksSection.Blocks) {
        if ($block.Kind -ne 'List') { $problems.Add("${file}:$($block.Line): '## RELATED LINKS' must be a list of links."); continue }
        foreach ($entry in $block.Items) {
            # ConvertFrom-Inline turned [text](http://...) into "text (http://...)".
            if ($entry.Text -match '^(?<text>.+?) \((?<url>https?://\S+)\)$') { $links.Add([pscustomobject]@{ Text = $Matches.text; Uri = $Matches.url }) }
            else { $links.Add([pscustomobject]@{ Text = $entry.Text; Uri = '' }) }
        }
    }
    if ($links.Count -eq 0) { $problems.Add("${file}:$($linksSection.Line): '## RELATED LINKS' is empty.") }

    [pscustomobject]@{
        Name        = $name
        Command     = $Command
        Synopsis    = if ($synopsis.Blocks.Count -gt 0) { $synopsis.Blocks[0].Text } else { '' }
        Description = @($byName['DESCRIPTION'].Blocks | ForEach-Object { ConvertTo-Paragraph $_ })
        Examples    = $examples.ToArray()
        Parameters  = $described
        Inputs      = $typeLists['INPUTS']
        Outputs     = $typeLists['OUTPUTS']
        Notes       = @($byName['NOTES'].Blocks | ForEach-Object { ConvertTo-Paragraph $_ })
        Links       = $links.ToArray()
        Problems    = $problems
    }
}

function Test-ExampleCode {
    # PowerShell code in the help must parse, and may use only parameters the module's cmdlets
    # really have: an example cannot keep a parameter the code has dropped.
    param($Blocks, [string] $Where, [string] $FileName, [hashtable] $AllCommands, [System.Collections.Generic.List[string]] $Problems)

    foreach ($block in $Blocks) {
        if ($block.Kind -ne 'Code' -or $block.Language -ne 'powershell') { continue }
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($block.Text, [ref]$tokens, [ref]$errors)
        foreach ($parseError in $errors) {
            $Problems.Add("${FileName}:$($block.Line + $parseError.Extent.StartLineNumber): the code of $Where does not parse: $($parseError.Message)")
        }
        $calls = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)
        foreach ($call in $calls) {
            $commandName = $call.GetCommandName()
            if (-not $commandName -or -not $AllCommands.ContainsKey($commandName)) { continue }
            $accepted = $AllCommands[$commandName].AcceptedNames
            $used = foreach ($element in $call.CommandElements) {
                if ($element -is [System.Management.Automation.Language.CommandParameterAst]) {
                    [pscustomobject]@{ Name = $element.ParameterName; Line = $element.Extent.StartLineNumber }
                }
                elseif ($element -is [System.Management.Automation.Language.VariableExpressionAst] -and $element.Splatted) {
                    # @splat: the keys of the hashtable assigned to that variable in the same block.
                    $variable = $element.VariablePath.UserPath
                    $assignments = $ast.FindAll({
                            param($node)
                            $node -is [System.Management.Automation.Language.AssignmentStatementAst] -and
                            $node.Left -is [System.Management.Automation.Language.VariableExpressionAst] -and
                            $node.Left.VariablePath.UserPath -eq $variable
                        }, $true)
                    foreach ($assignment in $assignments) {
                        $table = $assignment.Right.Find({ param($node) $node -is [System.Management.Automation.Language.HashtableAst] }, $true)
                        if (-not $table) { continue }
                        foreach ($pair in $table.KeyValuePairs) {
                            [pscustomobject]@{ Name = $pair.Item1.Extent.Text.Trim('''', '"'); Line = $pair.Item1.Extent.StartLineNumber }
                        }
                    }
                }
            }
            foreach ($parameter in $used) {
                if ($accepted -notcontains $parameter.Name) {
                    $Problems.Add("${FileName}:$($block.Line + $parameter.Line): $Where uses -$($parameter.Name), which $commandName does not have (write parameter names in full).")
                }
            }
        }
    }
}

#endregion

#region MAML

function Write-MamlFile {
    param([string] $Path, [object[]] $Commands)

    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $settings.NewLineChars = "`n"
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', $script:HelpItemsNamespace)
        $writer.WriteAttributeString('schema', 'maml')
        $writer.WriteAttributeString('xmlns', 'maml', $null, $script:MamlNamespace)
        $writer.WriteAttributeString('xmlns', 'command', $null, $script:CommandNamespace)
        $writer.WriteAttributeString('xmlns', 'dev', $null, $script:DevNamespace)
        foreach ($help in $Commands) { Write-MamlCommand -Writer $writer -Help $help }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }

    # A last check that what was written is XML and holds every command.
    $written = [System.Xml.XmlDocument]::new()
    $written.Load($Path)
    $names = [System.Xml.XmlNamespaceManager]::new($written.NameTable)
    $names.AddNamespace('command', $script:CommandNamespace)
    $count = $written.SelectNodes('//command:command', $names).Count
    if ($count -ne $Commands.Count) { throw "The MAML file $Path holds $count commands, expected $($Commands.Count)." }
}

function Write-MamlCommand {
    param([System.Xml.XmlWriter] $Writer, $Help)

    $command = $Help.Command
    $Writer.WriteStartElement('command', 'command', $script:CommandNamespace)

    $Writer.WriteStartElement('command', 'details', $script:CommandNamespace)
    $Writer.WriteElementString('command', 'name', $script:CommandNamespace, $command.Name)
    $Writer.WriteElementString('command', 'verb', $script:CommandNamespace, $command.Verb)
    $Writer.WriteElementString('command', 'noun', $script:CommandNamespace, $command.Noun)
    Write-MamlDescription -Writer $Writer -Paragraphs @($Help.Synopsis)
    $Writer.WriteEndElement()

    Write-MamlDescription -Writer $Writer -Paragraphs $Help.Description

    # Syntax: one item per real parameter set, the default set first.
    $Writer.WriteStartElement('command', 'syntax', $script:CommandNamespace)
    $sets = @($command.ParameterSets | Where-Object IsDefault) + @($command.ParameterSets | Where-Object { -not $_.IsDefault })
    foreach ($set in $sets) {
        $Writer.WriteStartElement('command', 'syntaxItem', $script:CommandNamespace)
        $Writer.WriteElementString('maml', 'name', $script:MamlNamespace, $command.Name)
        foreach ($entry in (Get-SyntaxOrder $set.Parameters)) {
            $parameter = $command.Parameters | Where-Object Name -EQ $entry.Name
            $inSet = $parameter.Sets | Where-Object { $_.Name -eq $set.Name -or $_.Name -eq '__AllParameterSets' } | Select-Object -First 1
            Write-MamlParameter -Writer $Writer -Parameter $parameter -Paragraphs $Help.Parameters[$parameter.Name] `
                -Required ([bool]$entry.Mandatory) -Position $entry.Position `
                -PipelineInput (Format-PipelineInput @($inSet)) -InSyntax
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    # Parameters: in the order the Markdown describes them.
    $Writer.WriteStartElement('command', 'parameters', $script:CommandNamespace)
    foreach ($name in $Help.Parameters.Keys) {
        $parameter = $command.Parameters | Where-Object Name -EQ $name
        $sets = @($parameter.Sets)
        $positional = $sets | Where-Object { $_.Position -ge 0 } | Select-Object -First 1
        Write-MamlParameter -Writer $Writer -Parameter $parameter -Paragraphs $Help.Parameters[$name] `
            -Required (@($sets | Where-Object { -not $_.Mandatory }).Count -eq 0) `
            -Position $(if ($positional) { $positional.Position } else { -1 }) `
            -PipelineInput (Format-PipelineInput $sets)
    }
    $Writer.WriteEndElement()

    Write-MamlTypes -Writer $Writer -Container 'inputTypes' -Element 'inputType' -Types $Help.Inputs
    Write-MamlTypes -Writer $Writer -Container 'returnValues' -Element 'returnValue' -Types $Help.Outputs

    $Writer.WriteStartElement('maml', 'alertSet', $script:MamlNamespace)
    $Writer.WriteStartElement('maml', 'alert', $script:MamlNamespace)
    foreach ($paragraph in $Help.Notes) { $Writer.WriteElementString('maml', 'para', $script:MamlNamespace, $paragraph) }
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'examples', $script:CommandNamespace)
    foreach ($example in $Help.Examples) {
        $Writer.WriteStartElement('command', 'example', $script:CommandNamespace)
        $Writer.WriteElementString('maml', 'title', $script:MamlNamespace, "-------------------------- $($example.Title) --------------------------")
        $Writer.WriteElementString('dev', 'code', $script:DevNamespace, $example.Code)
        $Writer.WriteStartElement('dev', 'remarks', $script:DevNamespace)
        foreach ($paragraph in $example.Remarks) { $Writer.WriteElementString('maml', 'para', $script:MamlNamespace, $paragraph) }
        # An empty paragraph keeps a blank line between one example's remarks and the next title.
        $Writer.WriteElementString('maml', 'para', $script:MamlNamespace, '')
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $script:CommandNamespace)
    foreach ($link in $Help.Links) {
        $Writer.WriteStartElement('maml', 'navigationLink', $script:MamlNamespace)
        $Writer.WriteElementString('maml', 'linkText', $script:MamlNamespace, $link.Text)
        $Writer.WriteElementString('maml', 'uri', $script:MamlNamespace, $link.Uri)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement()
}

function Get-SyntaxOrder {
    # As Get-Command -Syntax orders them: positional by position, then mandatory, then the rest,
    # with -WhatIf and -Confirm last.
    param([object[]] $Parameters)
    $last = 'WhatIf', 'Confirm'
    @($Parameters | Where-Object { $_.Position -ge 0 -and $last -notcontains $_.Name } | Sort-Object Position)
    @($Parameters | Where-Object { $_.Position -lt 0 -and $_.Mandatory -and $last -notcontains $_.Name })
    @($Parameters | Where-Object { $_.Position -lt 0 -and -not $_.Mandatory -and $last -notcontains $_.Name })
    foreach ($name in $last) { @($Parameters | Where-Object Name -EQ $name) }
}

function Format-PipelineInput {
    param([object[]] $Sets)
    $kinds = @()
    if ($Sets | Where-Object ByPropertyName) { $kinds += 'ByPropertyName' }
    if ($Sets | Where-Object ByValue) { $kinds += 'ByValue' }
    if ($kinds.Count -eq 0) { 'False' } else { "True ($($kinds -join ', '))" }
}

function Write-MamlParameter {
    param(
        [System.Xml.XmlWriter] $Writer, $Parameter, [string[]] $Paragraphs,
        [bool] $Required, [int] $Position, [string] $PipelineInput, [switch] $InSyntax
    )

    $Writer.WriteStartElement('command', 'parameter', $script:CommandNamespace)
    $Writer.WriteAttributeString('required', $Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', ([bool]$Parameter.IsArray).ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', ([bool]$Parameter.Globbing).ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $PipelineInput)
    $Writer.WriteAttributeString('position', $(if ($Position -ge 0) { "$Position" } else { 'named' }))
    $Writer.WriteAttributeString('aliases', $(if (@($Parameter.Aliases).Count -gt 0) { @($Parameter.Aliases) -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $script:MamlNamespace, $Parameter.Name)

    # Facts the code states (accepted values, ranges) are appended here, so prose need not repeat them.
    $facts = @()
    $values = @($Parameter.EnumValues) + @($Parameter.SetValues) | Where-Object { $_ }
    if ($values) { $facts += "Accepted values: $($values -join ', ')." }
    if ($null -ne $Parameter.RangeMin) {
        $range = if ($Parameter.RangeMax -eq "$([int]::MaxValue)") { "Minimum: $($Parameter.RangeMin)." } else { "Valid range: $($Parameter.RangeMin) to $($Parameter.RangeMax)." }
        $facts += $range
    }
    Write-MamlDescription -Writer $Writer -Paragraphs (@($Paragraphs) + $facts)

    if (-not $Parameter.IsSwitch) {
        if ($InSyntax -and -not $Parameter.IsArray -and $values) {
            $Writer.WriteStartElement('command', 'parameterValueGroup', $script:CommandNamespace)
            foreach ($value in $values) {
                $Writer.WriteStartElement('command', 'parameterValue', $script:CommandNamespace)
                $Writer.WriteAttributeString('required', 'false')
                $Writer.WriteAttributeString('variableLength', 'false')
                $Writer.WriteString($value)
                $Writer.WriteEndElement()
            }
            $Writer.WriteEndElement()
        }
        else {
            $Writer.WriteStartElement('command', 'parameterValue', $script:CommandNamespace)
            $Writer.WriteAttributeString('required', 'true')
            $Writer.WriteAttributeString('variableLength', ([bool]$Parameter.IsArray).ToString().ToLowerInvariant())
            $Writer.WriteString($Parameter.TypeName)
            $Writer.WriteEndElement()
        }
    }
    $Writer.WriteStartElement('dev', 'type', $script:DevNamespace)
    $Writer.WriteElementString('maml', 'name', $script:MamlNamespace, $Parameter.TypeFullName)
    $Writer.WriteElementString('maml', 'uri', $script:MamlNamespace, '')
    $Writer.WriteEndElement()
    $Writer.WriteElementString('dev', 'defaultValue', $script:DevNamespace, $Parameter.Default)
    $Writer.WriteEndElement()
}

function Write-MamlDescription {
    param([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs)
    $Writer.WriteStartElement('maml', 'description', $script:MamlNamespace)
    foreach ($paragraph in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $script:MamlNamespace, $paragraph) }
    $Writer.WriteEndElement()
}

function Write-MamlTypes {
    param([System.Xml.XmlWriter] $Writer, [string] $Container, [string] $Element, [object[]] $Types)
    $Writer.WriteStartElement('command', $Container, $script:CommandNamespace)
    foreach ($type in $Types) {
        $Writer.WriteStartElement('command', $Element, $script:CommandNamespace)
        $Writer.WriteStartElement('dev', 'type', $script:DevNamespace)
        $Writer.WriteElementString('maml', 'name', $script:MamlNamespace, $type.Type)
        $Writer.WriteEndElement()
        Write-MamlDescription -Writer $Writer -Paragraphs $type.Description
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

#endregion

#region About topics

function ConvertTo-AboutTopic {
    # An about topic as the classic plain text Get-Help prints: TOPIC, then sections in capitals,
    # text indented by four and wrapped at 80 columns.
    param($Document)

    $problems = [System.Collections.Generic.List[string]]::new()
    $file = $Document.Name
    $stem = [System.IO.Path]::GetFileNameWithoutExtension($file)
    if ($Document.Title -cne $stem) { $problems.Add("${file}:$($Document.TitleLine): the title must be '# $stem'.") }
    $sections = @($Document.Sections)
    if ($sections.Count -lt 2 -or $sections[0].Name -cne 'SHORT DESCRIPTION' -or $sections[1].Name -cne 'LONG DESCRIPTION') {
        $problems.Add("${file}: an about topic starts with '## SHORT DESCRIPTION' and '## LONG DESCRIPTION'.")
    }
    elseif ($sections[0].Blocks.Count -ne 1 -or $sections[0].Blocks[0].Kind -ne 'Paragraph' -or $sections[0].Subsections.Count -gt 0) {
        $problems.Add("${file}:$($sections[0].Line): '## SHORT DESCRIPTION' must be exactly one paragraph.")
    }
    $seen = @{}
    foreach ($section in $sections) {
        if ($section.Name -cnotmatch '^[A-Z0-9][A-Z0-9 ,/()&-]*$') { $problems.Add("${file}:$($section.Line): write about-topic section names in capitals ('## $($section.Name.ToUpperInvariant())').") }
        if ($seen.ContainsKey($section.Name)) { $problems.Add("${file}:$($section.Line): '## $($section.Name)' appears twice.") }
        $seen[$section.Name] = $true
        if ($section.Blocks.Count -eq 0 -and $section.Subsections.Count -eq 0) { $problems.Add("${file}:$($section.Line): '## $($section.Name)' is empty.") }
        foreach ($sub in $section.Subsections) {
            if ($sub.Blocks.Count -eq 0) { $problems.Add("${file}:$($sub.Line): '### $($sub.Heading)' is empty.") }
        }
    }

    $text = [System.Text.StringBuilder]::new()
    [void]$text.Append("TOPIC`n    $($Document.Title)`n")
    foreach ($section in $sections) {
        [void]$text.Append("`n$($section.Name)`n")
        Add-AboutBlocks -Text $text -Blocks $section.Blocks -Indent 4
        foreach ($sub in $section.Subsections) {
            if ($section.Blocks.Count -gt 0 -or $sub -ne $section.Subsections[0]) { [void]$text.Append("`n") }
            [void]$text.Append("    $($sub.Heading)`n")
            Add-AboutBlocks -Text $text -Blocks $sub.Blocks -Indent 8
        }
    }

    [pscustomobject]@{ Name = $stem; Text = $text.ToString(); Problems = $problems }
}

function Add-AboutBlocks {
    param([System.Text.StringBuilder] $Text, [object[]] $Blocks, [int] $Indent)
    $first = $true
    foreach ($block in $Blocks) {
        if (-not $first) { [void]$Text.Append("`n") }
        $first = $false
        switch ($block.Kind) {
            'Paragraph' { [void]$Text.Append((Format-Wrapped -Text $block.Text -Indent $Indent)) }
            'List' {
                foreach ($entry in $block.Items) {
                    $prefix = "$($entry.Marker) "
                    [void]$Text.Append((Format-Wrapped -Text $entry.Text -Indent $Indent -FirstPrefix $prefix))
                }
            }
            'Code' {
                foreach ($line in ($block.Text -split "`n")) {
                    [void]$Text.Append($(if ($line.Length -gt 0) { (' ' * ($Indent + 4)) + $line } else { '' }) + "`n")
                }
            }
        }
    }
}

function Format-Wrapped {
    # Word-wraps at $script:AboutWidth; with -FirstPrefix ("- "), later lines hang under the text.
    param([string] $Text, [int] $Indent, [string] $FirstPrefix = '')
    $lines = [System.Collections.Generic.List[string]]::new()
    $lead = (' ' * $Indent) + $FirstPrefix
    $hang = ' ' * ($Indent + $FirstPrefix.Length)
    $current = $lead
    $empty = $true
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if (-not $empty -and $current.Length + 1 + $word.Length -gt $script:AboutWidth) {
            $lines.Add($current)
            $current = $hang + $word
        }
        else {
            $current = if ($empty) { $current + $word } else { "$current $word" }
        }
        $empty = $false
    }
    $lines.Add($current)
    ($lines -join "`n") + "`n"
}

#endregion

Export-ModuleMember -Function Build-EnosHelp
