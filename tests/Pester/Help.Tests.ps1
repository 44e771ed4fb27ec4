BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    # Left to about_CommonParameters; everything else, -WhatIf and -Confirm included, is ours to describe.
    $script:NotOurs = [System.Management.Automation.PSCmdlet]::CommonParameters + 'UseTransaction'
    $script:ExportedCmdlets = @((Import-PowerShellDataFile (Join-Path $RepoRoot 'EnOS.Streaming.psd1')).CmdletsToExport)

    function Get-HelpText($Paragraphs) {
        # Get-Help's description, remarks and the like are arrays of objects with a Text property.
        (@($Paragraphs) | Where-Object { $_ } | ForEach-Object { $_.Text }) -join "`n"
    }

    function Get-HelpItem($Parent, [string] $Property) {
        # A help object has no property at all for a list it lacks (no parameters, say), which
        # strict mode (as build.ps1 runs the tests) does not forgive.
        if ($null -eq $Parent) { return }
        $found = $Parent.PSObject.Properties[$Property]
        if ($found) { @($found.Value) | Where-Object { $_ } }
    }
}

BeforeDiscovery {
    $cmdlets = @((Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../EnOS.Streaming.psd1')).CmdletsToExport |
            ForEach-Object { @{ Name = $_ } })
    $errorIds = @(
        'EnosPipelineNotFound', 'EnosPipelineStateConflict', 'EnosApiError', 'EnosAuthenticationFailed', 'EnosNotConnected',
        'EnosTransientFailure', 'EnosInvalidResponse', 'EnosInvalidPipelineId', 'EnosInvalidArgument', 'EnosJournalUnavailable',
        'EnosJournalWrongOrganisation', 'EnosJournalWrongGateway'
    )
}

Describe 'The built module''s help' {
    It 'is laid out next to the module, in en-US' {
        $base = (Get-Module EnOS.Streaming).ModuleBase
        Join-Path $base 'en-US/EnOS.Streaming.PowerShell.dll-Help.xml' | Should -Exist
        Join-Path $base 'en-US/about_EnOS.Streaming.help.txt' | Should -Exist
    }

    It 'is tested for every cmdlet the module exports' {
        (Get-Module EnOS.Streaming).ExportedCmdlets.Keys | Sort-Object | Should -Be ($ExportedCmdlets | Sort-Object)
    }
}

Describe 'Get-Help <Name>' -ForEach $cmdlets {
    BeforeAll {
        $command = Get-Command -Name $Name -Module EnOS.Streaming -CommandType Cmdlet
        $help = Get-Help -Name $Name -Full
    }

    It 'comes from the module''s help file, not generated from the syntax' {
        $help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo'
    }

    It 'has a synopsis of its own' {
        $help.Synopsis | Should -Match '\w'
        # Without help, the synopsis is the syntax: "Name [-Parameter] <type> ... [<CommonParameters>]".
        $help.Synopsis.Trim() | Should -Not -BeLike "$Name*"
        $help.Synopsis | Should -Not -Match '<CommonParameters>|\[-\w+'
    }

    It 'has a description' {
        Get-HelpText $help.description | Should -Match '\w{3,}'
    }

    It 'has at least two examples, each with code and an explanation' {
        $examples = @(Get-HelpItem $help 'examples' | ForEach-Object { Get-HelpItem $_ 'example' })
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.title | Should -Match 'Example \d+: \w'
            $example.code | Should -Match '\w' -Because "$($example.title) needs code"
            Get-HelpText $example.remarks | Should -Match '\w' -Because "$($example.title) needs an explanation"
        }
    }

    It 'describes every parameter' {
        $described = @{}
        foreach ($parameter in @(Get-HelpItem $help.parameters 'parameter')) {
            $described[$parameter.name] = Get-HelpText $parameter.description
        }
        foreach ($parameterName in ($command.Parameters.Keys | Where-Object { $NotOurs -notcontains $_ })) {
            $described[$parameterName] | Should -Match '\w' -Because "-$parameterName of $Name needs a description"
        }
    }

    It 'shows the real parameter sets in its syntax' {
        $fromCode = @($command.ParameterSets | ForEach-Object {
                ($_.Parameters.Name | Where-Object { $NotOurs -notcontains $_ } | Sort-Object) -join ' '
            }) | Sort-Object
        $fromHelp = @(Get-HelpItem $help.syntax 'syntaxItem' | ForEach-Object {
                (@(Get-HelpItem $_ 'parameter') | ForEach-Object name | Sort-Object) -join ' '
            }) | Sort-Object
        $fromHelp | Should -Be $fromCode
    }

    It 'puts no secret in its examples' {
        $code = @(Get-HelpItem $help 'examples' | ForEach-Object { Get-HelpItem $_ 'example' } | ForEach-Object code) -join "`n"
        $code | Should -Not -Match 'ConvertTo-SecureString\s+[''"]' -Because 'a secret must come from a prompt, a vault or the environment'
        $code | Should -Not -Match '\$env:ENOS_APP_SECRET\s*='
        $code | Should -Not -Match '(?i)-(Credential|AppSecret|Secret)\s+[''"]'
    }
}

Describe 'The examples users look for' {
    It 'Get-Help Suspend-EnosPipeline -Examples shows the maintenance-window round trip' {
        $text = Get-Help Suspend-EnosPipeline -Examples | Out-String -Width 250
        $text | Should -Match ([regex]::Escape('Get-EnosPipeline -Status Running | Suspend-EnosPipeline -JournalPath ./window.jsonl'))
        $text | Should -Match ([regex]::Escape('Resume-EnosPipeline -JournalPath ./window.jsonl'))
    }

    It 'Get-Help Resume-EnosPipeline -Examples shows it too' {
        $text = Get-Help Resume-EnosPipeline -Examples | Out-String -Width 250
        $text | Should -Match ([regex]::Escape('Suspend-EnosPipeline -JournalPath ./window.jsonl'))
        $text | Should -Match ([regex]::Escape('Resume-EnosPipeline -JournalPath ./window.jsonl -WhatIf'))
    }

    It 'Get-Help Connect-EnosStreaming -Examples shows the environment variables for runbooks' {
        $text = Get-Help Connect-EnosStreaming -Examples | Out-String -Width 250
        foreach ($variable in 'ENOS_GATEWAY_URL', 'ENOS_ORG_ID', 'ENOS_APP_KEY', 'ENOS_APP_SECRET') {
            $text | Should -Match $variable
        }
    }
}

Describe 'Get-Help about_EnOS.Streaming' {
    BeforeAll {
        $about = Get-Help -Name about_EnOS.Streaming -ErrorAction Stop | Out-String
    }

    It 'returns the topic' {
        $about | Should -Match '(?m)^TOPIC\s+about_EnOS\.Streaming'
        $about | Should -Match 'SHORT DESCRIPTION'
        $about | Should -Match 'LONG DESCRIPTION'
    }

    It 'explains the environment variables for runbooks' {
        foreach ($variable in 'ENOS_GATEWAY_URL', 'ENOS_ORG_ID', 'ENOS_APP_KEY', 'ENOS_APP_SECRET') {
            $about | Should -Match $variable
        }
    }

    It 'explains the error id <_>' -ForEach $errorIds {
        $about | Should -Match "(?m)^\s+$_\s*$" -Because 'each error id has its own entry'
    }
}

Describe 'Build-EnosHelp' {
    BeforeAll {
        Import-Module (Join-Path $RepoRoot 'build/HelpCompiler.psm1') -Force
        $sourceHelp = Join-Path $RepoRoot 'docs/help'
        # A copy of the built module, so that the real one is never touched.
        $moduleCopy = Join-Path $TestDrive 'module'
        Copy-Item -Path (Split-Path $ModuleManifest) -Destination $moduleCopy -Recurse
        Remove-Item (Join-Path $moduleCopy 'en-US') -Recurse -Force -ErrorAction Ignore

        function Invoke-HelpBuild([string] $Source) {
            Build-EnosHelp -SourceFolder $Source -ModuleFolder $moduleCopy -AssemblyName 'EnOS.Streaming.PowerShell.dll' 6>$null
        }

        function New-HelpSource {
            # One cmdlet's Markdown, changed by $Edit, in a folder of its own. The other cmdlets'
            # files are left out on purpose: the error asserted must be there whatever else is.
            param([string] $Cmdlet, [scriptblock] $Edit)
            $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
            New-Item -ItemType Directory -Path $folder | Out-Null
            $text = Get-Content -Raw (Join-Path $sourceHelp "$Cmdlet.md")
            Set-Content -Path (Join-Path $folder "$Cmdlet.md") -Value (& $Edit $text) -NoNewline
            $folder
        }

        # The repository's help, compiled once into the copy; the cases below reuse its metadata.
        Invoke-HelpBuild $sourceHelp
        $maml = [xml](Get-Content -Raw (Join-Path $moduleCopy 'en-US/EnOS.Streaming.PowerShell.dll-Help.xml'))
        $names = [System.Xml.XmlNamespaceManager]::new($maml.NameTable)
        $names.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $names.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $names.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
    }

    It 'writes MAML with one command per exported cmdlet' {
        $maml.helpItems.schema | Should -Be 'maml'
        $maml.SelectNodes('//command:command/command:details/command:name', $names).'#text' | Sort-Object |
            Should -Be ($ExportedCmdlets | Sort-Object)
    }

    It 'takes parameter facts from the code: <Parameter> of <Cmdlet>' -ForEach @(
        @{ Cmdlet = 'Suspend-EnosPipeline'; Parameter = 'PipelineId'; Required = 'true'; Position = '0'; PipelineInput = 'True (ByPropertyName, ByValue)'; Default = 'None' }
        @{ Cmdlet = 'Suspend-EnosPipeline'; Parameter = 'ThrottleLimit'; Required = 'false'; Position = 'named'; PipelineInput = 'False'; Default = '8' }
        @{ Cmdlet = 'Connect-EnosStreaming'; Parameter = 'Credential'; Required = 'true'; Position = '2'; PipelineInput = 'False'; Default = 'None' }
        @{ Cmdlet = 'Get-EnosPipeline'; Parameter = 'Name'; Required = 'false'; Position = '0'; PipelineInput = 'True (ByPropertyName)'; Default = 'None' }
    ) {
        $node = $maml.SelectSingleNode("//command:command[command:details/command:name='$Cmdlet']/command:parameters/command:parameter[maml:name='$Parameter']", $names)
        $node | Should -Not -BeNullOrEmpty
        $node.required | Should -Be $Required
        $node.position | Should -Be $Position
        $node.pipelineInput | Should -Be $PipelineInput
        $node.SelectSingleNode('dev:defaultValue', $names).InnerText | Should -Be $Default
    }

    It 'refuses <Case>' -ForEach @(
        @{ Case = 'a file that lacks a required section'; Cmdlet = 'Suspend-EnosPipeline'
            Pattern = '(?s)## NOTES.*?(?=## RELATED LINKS)'; Replacement = ''
            Message = "*required section '## NOTES' is missing*" }
        @{ Case = 'a file that does not describe a parameter the cmdlet has'; Cmdlet = 'Suspend-EnosPipeline'
            Pattern = '(?s)### -ThrottleLimit.*?(?=### -WhatIf)'; Replacement = ''
            Message = '*does not describe -ThrottleLimit*' }
        @{ Case = 'a file that describes a parameter the cmdlet does not have'; Cmdlet = 'Suspend-EnosPipeline'
            Pattern = '### -WhatIf'; Replacement = "### -Parallel`nRuns everything at once.`n`n### -WhatIf"
            Message = '*describes -Parallel, which Suspend-EnosPipeline does not have*' }
        @{ Case = 'an example that uses a parameter the cmdlet does not have'; Cmdlet = 'Suspend-EnosPipeline'
            Pattern = 'Suspend-EnosPipeline -PipelineId pl-0001'; Replacement = 'Suspend-EnosPipeline -Pipeline pl-0001'
            Message = '*uses -Pipeline, which Suspend-EnosPipeline does not have*' }
        @{ Case = 'a splatted parameter the cmdlet does not have'; Cmdlet = 'Connect-EnosStreaming'
            Pattern = '(?m)^    MaxRetries = 8$'; Replacement = '    Retries    = 8'
            Message = '*uses -Retries, which Connect-EnosStreaming does not have*' }
    ) {
        $source = New-HelpSource $Cmdlet { param($text) $text -replace $Pattern, $Replacement }
        { Invoke-HelpBuild $source } | Should -Throw -ExpectedMessage $Message
    }

    It 'refuses an exported cmdlet without a help file' {
        $source = New-HelpSource Suspend-EnosPipeline { param($text) $text }
        { Invoke-HelpBuild $source } | Should -Throw -ExpectedMessage '*Resume-EnosPipeline is exported by the module but has no help*'
    }

    It 'escapes what XML must escape, so that examples arrive as written' {
        $code = "Get-EnosPipeline | Where-Object { `$_.Name -like '<test>*' -and `$_.Status -ne ""Running"" } # a & b"
        $source = New-HelpSource Get-EnosPipeline { param($text) $text -replace '(?m)^Get-EnosPipeline -Status Running, Paused$', $code.Replace('$', '$$') }
        Copy-Item (Join-Path $sourceHelp '*.md') -Destination $source -Exclude 'Get-EnosPipeline.md'
        Invoke-HelpBuild $source

        $written = [xml](Get-Content -Raw (Join-Path $moduleCopy 'en-US/EnOS.Streaming.PowerShell.dll-Help.xml'))
        $written.SelectNodes('//command:command/command:examples/command:example/dev:code', $names).InnerText | Should -Contain $code
    }
}
