# Builds caleol on Windows: venv, PyInstaller one-folder build, smoke test, installer.
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
# Needs Python 3.11 (py launcher) and, for the installer, Inno Setup 6.
# Same steps as packaging/build.sh on Linux (see docs/guide.md, « Installation »).
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
$env:PIP_DISABLE_PIP_VERSION_CHECK = "1"

function Invoke-Checked([string]$What, [scriptblock]$Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "ÉCHEC : $What (code $LASTEXITCODE)" }
}

$venv = Join-Path $env:TEMP "caleol-build-venv"
if (-not (Test-Path "$venv\Scripts\python.exe")) { Invoke-Checked "venv" { py -3.11 -m venv $venv } }
Invoke-Checked "pip" { & "$venv\Scripts\python.exe" -m pip install -q ".[package]" }
Invoke-Checked "pyinstaller" {
    & "$venv\Scripts\pyinstaller.exe" --noconfirm --clean --log-level WARN `
        --distpath dist --workpath build\pyinstaller packaging\caleol.spec
}

# Smoke test with the console program, in a throw-away profile.
$env:CALEOL_HOME = Join-Path $env:TEMP ("caleol-smoke-" + [guid]::NewGuid())
$env:QT_QPA_PLATFORM = "offscreen"
$cli = "dist\caleol\caleol-console.exe"
$version = (& $cli --version)
if ($LASTEXITCODE -ne 0 -or $version -notmatch "^caleol ") { throw "ÉCHEC : --version ($version)" }
Write-Host "== $version"
$help = (& $cli --help) -join "`n"
if ($help -match "(?m)^    demo\b") {
    Invoke-Checked "demo" { & $cli demo --db "$env:CALEOL_HOME\demo.sqlite3" }
}

$iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"
if (Test-Path $iscc) {
    $appVersion = ($version -replace "^caleol ", "").Trim()
    Invoke-Checked "Inno Setup" { & $iscc "/DAppVersion=$appVersion" packaging\windows\caleol.iss }
    Write-Host "== installateur : dist\caleol-$appVersion-setup.exe"
} else {
    Write-Host "Inno Setup 6 introuvable : installateur non construit."
}
