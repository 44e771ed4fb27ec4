# Run by HelpCompiler.psm1 in a child PowerShell: imports the built module and writes the
# metadata of its cmdlets (parameters, sets, aliases) to a JSON file, so that the build process
# itself never loads the module's assemblies.
param([Parameter(Mandatory)] [string] $ManifestPath, [Parameter(Mandatory)] [string] $OutFile)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$module = Import-Module -Name $ManifestPath -PassThru -Force
$common = [System.Management.Automation.PSCmdlet]::CommonParameters

function Format-Default($value) {
    if ($null -eq $value) { return 'None' }
    if ($value -is [System.Management.Automation.SwitchParameter]) { return [string]$value.IsPresent }
    if ($value -is [bool]) { return [string]$value }
    if ($value -is [array]) {
        if ($value.Length -eq 0) { return 'None' }
        return ($value | ForEach-Object { [System.Convert]::ToString($_, [cultureinfo]::InvariantCulture) }) -join ', '
    }
    [System.Convert]::ToString($value, [cultureinfo]::InvariantCulture)
}

$commands = foreach ($name in ($module.ExportedCmdlets.Keys | Sort-Object)) {
    $command = $module.ExportedCmdlets[$name]
    $type = $command.ImplementingType
    # Defaults come from a fresh instance of the cmdlet: what the code really starts with.
    $instance = $null
    try { $instance = [System.Activator]::CreateInstance($type) } catch { $instance = $null }
    try {
        $parameters = foreach ($parameter in $command.Parameters.Values) {
            if ($common -contains $parameter.Name -or $parameter.Name -eq 'UseTransaction') { continue }
            $parameterType = $parameter.ParameterType
            $elementType = if ($parameterType.IsArray) { $parameterType.GetElementType() } else { $parameterType }
            $underlying = [System.Nullable]::GetUnderlyingType($elementType)
            if ($underlying) { $elementType = $underlying }
            $shownType = if ($parameterType.IsArray) { $elementType.MakeArrayType() } else { $elementType }
            $range = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] } | Select-Object -First 1
            $set = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
            $property = $type.GetProperty($parameter.Name)
            $default = 'None'
            if ($parameter.SwitchParameter) { $default = 'False' }
            elseif ($instance -and $property) { $default = Format-Default $property.GetValue($instance) }
            [ordered]@{
                Name         = $parameter.Name
                TypeFullName = $shownType.FullName
                TypeName     = $shownType.Name
                IsArray      = $parameterType.IsArray
                IsSwitch     = $parameter.SwitchParameter
                EnumValues   = @(if ($elementType.IsEnum) { [System.Enum]::GetNames($elementType) })
                SetValues    = @(if ($set) { $set.ValidValues })
                RangeMin     = if ($range) { "$($range.MinRange)" } else { $null }
                RangeMax     = if ($range) { "$($range.MaxRange)" } else { $null }
                Aliases      = @($parameter.Aliases)
                Globbing     = [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
                Default      = $default
                Sets         = @(foreach ($entry in $parameter.ParameterSets.GetEnumerator()) {
                    [ordered]@{
                        Name           = $entry.Key
                        Mandatory      = $entry.Value.IsMandatory
                        Position       = $entry.Value.Position
                        ByValue        = $entry.Value.ValueFromPipeline
                        ByPropertyName = $entry.Value.ValueFromPipelineByPropertyName
                    }
                })
            }
        }
    }
    finally {
        if ($instance -is [System.IDisposable]) { $instance.Dispose() }
    }

    [ordered]@{
        Name                  = $command.Name
        Verb                  = $command.Verb
        Noun                  = $command.Noun
        SupportsShouldProcess = $command.Parameters.ContainsKey('WhatIf')
        OutputTypes           = @($command.OutputType | ForEach-Object Name | Where-Object { $_ -ne 'System.Void' })
        Parameters            = @($parameters)
        ParameterSets         = @(foreach ($set in $command.ParameterSets) {
            [ordered]@{
                Name       = $set.Name
                IsDefault  = $set.IsDefault
                Parameters = @(foreach ($p in $set.Parameters) {
                    if ($common -contains $p.Name -or $p.Name -eq 'UseTransaction') { continue }
                    [ordered]@{ Name = $p.Name; Mandatory = $p.IsMandatory; Position = $p.Position; ByValue = $p.ValueFromPipeline; ByPropertyName = $p.ValueFromPipelineByPropertyName }
                })
            }
        })
        # Every name an example may use: parameters, common parameters and all their aliases.
        AcceptedNames         = @($command.Parameters.Values | ForEach-Object { $_.Name; $_.Aliases })
    }
}

[ordered]@{ ModuleName = $module.Name; Commands = @($commands) } | ConvertTo-Json -Depth 10 |
    Set-Content -LiteralPath $OutFile -Encoding utf8
