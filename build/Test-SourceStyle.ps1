<#
.SYNOPSIS
Checks the repository's text files against the layout rules in .editorconfig that no compiler checks.

.DESCRIPTION
The C# rules are enforced by the build itself (EnforceCodeStyleInBuild). PowerShell has no such
switch, and PSScriptAnalyzer is not served here, so this script checks what .editorconfig asks of
every file (LF line ends, a final newline, spaces not tabs, no trailing whitespace outside Markdown)
and, for PowerShell files, the rules the scripts follow: they parse, functions are named with an
approved verb, an opening brace stays on the line of its statement, and indentation is in steps of
four spaces. build.ps1 runs it before compiling; it writes one line per finding and throws if there
are any.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $Root
)

$ErrorActionPreference = 'Stop'
$findings = [System.Collections.Generic.List[string]]::new()

function Get-SourceFile {
    # What is ours: everything but build output, restored tools and binary files.
    $skippedFolders = '[\\/](bin|obj|out|node_modules|\.git|TestResults)([\\/]|$)'
    $textExtensions = '.cs', '.csproj', '.props', '.targets', '.proj', '.ps1', '.psm1', '.psd1', '.ps1xml',
        '.md', '.json', '.yml', '.xml', '.editorconfig', '.gitignore', '.gitattributes', ''
    Get-ChildItem -Path $Root -Recurse -File -Force |
        Where-Object { $_.FullName.Substring($Root.Length) -notmatch $skippedFolders } |
        Where-Object { $_.Extension -in $textExtensions -or $_.Name -in 'run', 'LICENSE' }
}

function Add-Finding([System.IO.FileInfo] $File, [int] $Line, [string] $Rule) {
    $relative = $File.FullName.Substring($Root.Length).TrimStart('\', '/')
    $findings.Add("${relative}:${Line}: $Rule")
}

function Test-TextLayout([System.IO.FileInfo] $File) {
    $text = [System.IO.File]::ReadAllText($File.FullName)
    if ($text.Length -eq 0) { return }
    if (-not $text.EndsWith("`n")) { Add-Finding $File 0 'no newline at the end of the file' }
    $lines = $text.Split("`n")
    for ($i = 0; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($line.EndsWith("`r")) { Add-Finding $File ($i + 1) 'a CRLF line end (LF is the rule)'; $line = $line.TrimEnd("`r") }
        if ($line.Contains("`t")) { Add-Finding $File ($i + 1) 'a tab (indent with spaces)' }
        if ($File.Extension -ne '.md' -and $line -match '[ \t]+$') { Add-Finding $File ($i + 1) 'trailing whitespace' }
    }
}

function Test-PowerShellStyle([System.IO.FileInfo] $File, [string[]] $ApprovedVerbs) {
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($File.FullName, [ref] $tokens, [ref] $errors)
    foreach ($parseError in $errors) {
        Add-Finding $File $parseError.Extent.StartLineNumber "does not parse: $($parseError.Message)"
    }

    $functions = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true)
    foreach ($function in $functions) {
        # A class's methods (Write, ReadLine...) are named by the type they implement.
        if ($function.Parent -is [System.Management.Automation.Language.FunctionMemberAst]) { continue }
        $verb = ($function.Name -split '-', 2)[0]
        if ($function.Name -notlike '*-*' -or $verb -notin $ApprovedVerbs) {
            Add-Finding $File $function.Extent.StartLineNumber "function $($function.Name) is not named Verb-Noun with an approved verb (Get-Verb)"
        }
    }

    # Token by token: the first token on each line sets its indentation; a line that holds only "{"
    # put the brace on a line of its own (a line that starts a script block, "{ ... } | Should",
    # is fine). Tokens that span lines (here-strings, block comments) are judged by their first line
    # only, so their content is free.
    $lineStart = $true
    for ($index = 0; $index -lt $tokens.Count; $index++) {
        $token = $tokens[$index]
        $kind = $token.Kind
        if ($kind -eq [System.Management.Automation.Language.TokenKind]::NewLine -or
            $kind -eq [System.Management.Automation.Language.TokenKind]::LineContinuation) {
            $lineStart = $true
            continue
        }
        if ($kind -eq [System.Management.Automation.Language.TokenKind]::EndOfInput) { break }
        if (-not $lineStart) { continue }
        $lineStart = $false
        $next = $tokens[$index + 1].Kind
        if ($kind -eq [System.Management.Automation.Language.TokenKind]::LCurly -and
            ($next -eq [System.Management.Automation.Language.TokenKind]::NewLine -or $next -eq [System.Management.Automation.Language.TokenKind]::Comment)) {
            Add-Finding $File $token.Extent.StartLineNumber 'an opening brace on a line of its own (keep it on the line of its statement)'
        }
        if (($token.Extent.StartColumnNumber - 1) % 4 -ne 0) {
            Add-Finding $File $token.Extent.StartLineNumber 'indentation that is not a multiple of four spaces'
        }
    }
}

$Root = (Resolve-Path $Root).Path.TrimEnd('\', '/')
$approvedVerbs = (Get-Verb).Verb
foreach ($file in Get-SourceFile) {
    Test-TextLayout $file
    if ($file.Extension -in '.ps1', '.psm1', '.psd1') { Test-PowerShellStyle $file $approvedVerbs }
}

if ($findings.Count -gt 0) {
    $findings | ForEach-Object { Write-Host $_ -ForegroundColor Red }
    throw "$($findings.Count) style finding(s) in the sources (rules: .editorconfig and build/Test-SourceStyle.ps1)."
}
