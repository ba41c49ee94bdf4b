; Inno Setup 6 script: Windows installer for caleol.
;
; Compiled ON WINDOWS (Inno Setup does not run on Linux), from a built folder:
;   a. built on Windows: powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
;        (venv + pip install .[package] + pyinstaller packaging\caleol.spec + smoke test
;         → dist\caleol\caleol.exe and dist\caleol\caleol-console.exe), which then runs
;        "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\caleol.iss
;   b. built on Linux under Wine by packaging/windows/build.sh (proved there):
;        unzip dist\caleol-0.1.0-windows-x64.zip to a folder, then
;        ISCC.exe /DAppVersion=0.1.0 /DAppDir=C:\chemin\vers\caleol packaging\windows\caleol.iss
;   → dist\caleol-0.1.0-setup.exe
; Silent install for IT departments: caleol-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES
; /NORESTART [/CURRENTUSER | /ALLUSERS] [/MERGETASKS="desktopicon"] (packaging/README.md).
;
; The installer needs no administrator rights by default (office PCs): it installs
; for the current user, and offers « pour tous les utilisateurs » to administrators.
; User data (databases, backups, signed PV) live in the user's profile
; (%LOCALAPPDATA%\caleol) and are never removed by the uninstaller.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "caleol"
#define AppExe "caleol.exe"
#define Root "..\.."
; The PyInstaller folder (caleol.exe, caleol-console.exe, _internal\).
#ifndef AppDir
  #define AppDir Root + "\dist\caleol"
#endif

[Setup]
AppId={{F5F4B916-DAFD-44BA-9D40-BB827BBD4A1B}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Les développeurs de caleol
AppComments=Séances des commissions d'attribution de logements sociaux (CALEOL)
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile={#Root}\caleol\resources\icons\caleol.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "Créer une icône sur le Bureau"; GroupDescription: "Raccourcis :"; Flags: unchecked

[Files]
; The whole PyInstaller folder: caleol.exe (windowed), caleol-console.exe (for the
; command line), _internal\ (Python, Qt, resources, user guide).
Source: "{#AppDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\caleol"; Filename: "{app}\{#AppExe}"; Comment: "Commission d'attribution de logements"
Name: "{group}\caleol (démonstration)"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"; Comment: "Ouvrir la base de démonstration"
Name: "{group}\Désinstaller caleol"; Filename: "{uninstallexe}"
Name: "{autodesktop}\caleol"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "Lancer caleol"; Flags: nowait postinstall skipifsilent
