#!/usr/bin/env bash
# Builds the one-folder application with PyInstaller and smoke-tests it headless.
#
#   bash packaging/build.sh            # → dist/caleol/caleol (Linux)
#
# Creates its own virtualenv (fresh in a temporary folder, or the one named by
# CALEOL_BUILD_VENV, reused between runs), installs the project with its `package`
# extra (PyInstaller), builds `packaging/caleol.spec`, then runs the BUILT program:
# --version, --help, `demo`, `minutes` (signed PV) and `verify`, and the GUI for a few
# seconds; then install.sh into a temporary prefix, and (outside CI) the .tar.gz.
# With CALEOL_TEST_PG_URL set (CI), also opens a PostgreSQL database through the
# bundled psycopg. Sub-commands the source tree does not have yet are skipped;
# one the source has but the bundle lacks is a failure (a packaging bug), and so is
# a missing command listed in CALEOL_REQUIRED_COMMANDS.
# On Windows, packaging/windows/build.ps1 does the same build and a shorter smoke
# test, then the installer (packaging/windows/caleol.iss, Inno Setup 6).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
START=$(date +%s)
PYTHON="${PYTHON:-python3}"
DIST="$ROOT/dist"
WORK="$ROOT/build/pyinstaller"
APP_DIR="$DIST/caleol"
APP="$APP_DIR/caleol"
REQUIRED_COMMANDS="${CALEOL_REQUIRED_COMMANDS:-evaluate demo minutes verify}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf '== build: %s\n' "$*"; }
fail() { printf 'ÉCHEC de la construction : %s\n' "$*" >&2; exit 1; }

# --- system packages (Debian/Ubuntu, as root): PyInstaller's ELF tools, Qt runtime
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    missing=()
    for pkg in binutils libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 \
               libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
               libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 \
               libxcb-image0 xvfb xauth poppler-utils desktop-file-utils; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        say "apt-get install ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
fi

# --- virtualenv with the project and PyInstaller
if [ -n "${CALEOL_BUILD_VENV:-}" ]; then
    VENV="$CALEOL_BUILD_VENV"
else
    VENV="$(mktemp -d)/venv"
fi
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
say "virtualenv $VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
"$VENV/bin/python" -m pip install -q "$ROOT[package]"
INSTALL_DONE=$(date +%s)

# --- build
say "pyinstaller $("$VENV/bin/pyinstaller" --version)"
rm -rf "$APP_DIR"
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$WORK" packaging/caleol.spec
[ -x "$APP" ] || fail "le programme $APP n'a pas été produit"
# Linux: the menu entry, AppStream metadata and installer go next to the program.
cp packaging/linux/install.sh packaging/linux/caleol.desktop \
    packaging/linux/fr.caleol.Caleol.metainfo.xml "$APP_DIR/"
BUILD_DONE=$(date +%s)

# Every library a bundled file links to must resolve (the spec drops some), except
# the Wayland client libraries, which a Wayland desktop always has and the build
# machine need not (Qt then uses X11).
if command -v ldd >/dev/null 2>&1; then
    say "vérification des dépendances des bibliothèques du dossier"
    while IFS= read -r -d '' file; do
        missing="$(LD_LIBRARY_PATH="$APP_DIR/_internal" ldd "$file" 2>/dev/null \
            | grep 'not found' | grep -vE 'libwayland-(client|cursor|egl)\.so' || true)"
        [ -z "$missing" ] || fail "$file : bibliothèque introuvable : $missing"
    done < <(find "$APP_DIR/_internal" -type f \( -name '*.so' -o -name '*.so.*' \) -print0)
fi
dangling="$(find "$APP_DIR" -xtype l)"
[ -z "$dangling" ] || fail "liens symboliques sans cible : $dangling"
for module in $("$VENV/bin/python" -c 'import sys; sys.path.insert(0, "packaging"); import bundle_data; print(*bundle_data.EXCLUDED_QT_MODULES)'); do
    if find "$APP_DIR/_internal/PySide6" -maxdepth 1 -name "$module.*" | grep -q .; then
        fail "le module exclu PySide6.$module a été embarqué"
    fi
done

# Files the program opens by path (caleol.paths.resources_dir(), Alembic, « Aide »).
for needed in caleol/resources/plafonds-ressources.csv caleol/db/migrations/env.py \
              caleol/resources/icons/hicolor/48x48/apps/caleol.png docs/guide.md; do
    [ -f "$APP_DIR/_internal/$needed" ] || fail "$needed manque dans le dossier construit"
done

# --- smoke tests of the built program, headless, in a throw-away profile
SMOKE="$(mktemp -d)"
export CALEOL_HOME="$SMOKE/home"
export QT_QPA_PLATFORM=offscreen
cd "$SMOKE"   # nothing may depend on the source tree being the working directory

say "smoke: --version"
expected_version="caleol $("$VENV/bin/python" -c 'import caleol; print(caleol.__version__)')"
got_version="$("$APP" --version)"
[ "$got_version" = "$expected_version" ] \
    || fail "--version affiche « $got_version » au lieu de « $expected_version »"

say "smoke: --help"
"$APP" --help >"$SMOKE/help.txt"
# Sub-commands: the installed source's list against the bundle's list.
commands_of() { sed -n 's/^    \([a-z][a-z-]*\)  .*/\1/p; s/^    \([a-z][a-z-]*\)$/\1/p' "$1"; }
"$VENV/bin/caleol" --help >"$SMOKE/help-source.txt"
for cmd in $(commands_of "$SMOKE/help-source.txt"); do
    grep -qE "^    $cmd( |$)" "$SMOKE/help.txt" \
        || fail "la sous-commande « $cmd » manque dans le programme construit"
done
has_command() { grep -qE "^    $1( |$)" "$SMOKE/help.txt"; }
expect_command() {
    if has_command "$1"; then return 0; fi
    case " $REQUIRED_COMMANDS " in
        *" $1 "*) fail "la sous-commande « $1 » est attendue mais absente" ;;
    esac
    say "smoke: « $1 » pas encore disponible : étape ignorée"
    return 1
}

if expect_command evaluate; then
    say "smoke: evaluate"
    cat >"$SMOKE/candidate.json" <<'JSON'
{"date": "2026-03-10",
 "dwelling": {"typology": "T3", "financing": "PLUS", "zone": "autres_regions",
              "rent": "520.00", "charges": "110.00", "energy": "90.00", "adaptations": []},
 "household": {"members": [{"role": "applicant", "age": 34}, {"role": "partner", "age": 33},
                           {"role": "child", "age": 16}, {"role": "child", "age": 10}],
               "monthly_resources": "2400.00", "resources_stable": true, "housing_aid": "0",
               "reference_tax_income": 31000, "payment_guarantee": false, "dalo": false,
               "application_date": "2024-01-15", "department": "57"}}
JSON
    "$APP" evaluate <"$SMOKE/candidate.json" >"$SMOKE/evaluation.json"
    for check in ceiling solvency typology waiting_time; do
        grep -q "\"$check\"" "$SMOKE/evaluation.json" \
            || fail "evaluate n'a pas produit le contrôle « $check »"
    done
fi

DB="$SMOKE/demo.sqlite3"
smoke_minutes() {
    # `caleol demo` prints its past session (PV already signed) and the demo
    # certificate; `session list` gives a closed session whose PV is not signed yet.
    local signed closed certificate
    signed="$(sed -n 's/.*séance passée.*n° *\([0-9][0-9]*\).*/\1/p' "$SMOKE/demo.txt" | head -n 1)"
    certificate="$(sed -n 's/.*certificat de démonstration : *\(.*\.p12\)$/\1/p' "$SMOKE/demo.txt" | head -n 1)"
    [ -n "$signed" ] || fail "demo n'indique plus le numéro de la séance passée"
    [ -f "$certificate" ] || fail "demo n'indique plus le certificat de démonstration"
    DEMO_PEM="${certificate%.p12}.pem"
    # 1. The stored signed PV, exported again byte for byte.
    "$APP" minutes "$signed" -o "$SMOKE/pv-conserve.pdf" --db "$DB" >"$SMOKE/minutes.txt" 2>&1 \
        || { cat "$SMOKE/minutes.txt" >&2; fail "minutes n'exporte pas le PV signé conservé"; }
    # 2. A closed session signed now by the built program (pyHanko in the bundle).
    "$APP" session list --db "$DB" >"$SMOKE/sessions.txt"
    closed="$(awk '{ for (i = 2; i <= NF; i++) if ($i == "close") { print $1; exit } }' "$SMOKE/sessions.txt")"
    [ -n "$closed" ] || fail "la démonstration n'a plus de séance close à signer"
    "$APP" minutes "$closed" -o "$SMOKE/pv.pdf" --sign "$certificate" \
        --passphrase-file "${certificate%.p12}.phrase-secrete.txt" --db "$DB" \
        >"$SMOKE/minutes-signe.txt" 2>&1 \
        || { cat "$SMOKE/minutes-signe.txt" >&2; fail "minutes --sign a échoué"; }
}
if expect_command demo; then
    say "smoke: demo --db $DB"
    "$APP" demo --db "$DB" >"$SMOKE/demo.txt"
    [ -s "$DB" ] || fail "demo n'a pas créé la base $DB"
fi

if has_command demo && has_command session && expect_command minutes; then
    say "smoke: minutes (PV signé)"
    smoke_minutes
    [ -s "$SMOKE/pv.pdf" ] || fail "minutes n'a pas produit $SMOKE/pv.pdf"
    if command -v pdfsig >/dev/null 2>&1; then
        pdfsig "$SMOKE/pv.pdf" >"$SMOKE/pdfsig.txt" 2>&1 || true
        grep -q "Signature #1" "$SMOKE/pdfsig.txt" || fail "le PV produit n'est pas signé"
    fi
    if expect_command verify; then
        say "smoke: verify"
        "$APP" verify "$SMOKE/pv.pdf" --trust "$DEMO_PEM" --db "$DB" >"$SMOKE/verify.txt" 2>&1 \
            || { cat "$SMOKE/verify.txt" >&2; fail "verify refuse le PV qu'on vient de signer"; }
        "$APP" verify "$SMOKE/pv-conserve.pdf" --trust "$DEMO_PEM" --db "$DB" \
            >"$SMOKE/verify-conserve.txt" 2>&1 \
            || { cat "$SMOKE/verify-conserve.txt" >&2; fail "verify refuse le PV signé conservé"; }
        # One changed byte must be caught.
        "$VENV/bin/python" - "$SMOKE/pv.pdf" "$SMOKE/pv-altere.pdf" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[len(data) // 3] ^= 0x01
open(sys.argv[2], "wb").write(data)
PY
        if "$APP" verify "$SMOKE/pv-altere.pdf" --trust "$DEMO_PEM" >"$SMOKE/verify-altere.txt" 2>&1; then
            fail "verify accepte un PV altéré"
        fi
    fi
fi

# PostgreSQL through the bundled psycopg, when a server is given (CI starts one).
if [ -n "${CALEOL_TEST_PG_URL:-}" ] && has_command db-upgrade; then
    say "smoke: db-upgrade sur PostgreSQL (psycopg embarqué)"
    pg_url="$("$VENV/bin/python" - "$CALEOL_TEST_PG_URL" <<'PY'
import sys
import psycopg
from sqlalchemy.engine import make_url
url = make_url(sys.argv[1])
name = "caleol_package_smoke"
with psycopg.connect(host=url.host, port=url.port, user=url.username,
                     password=url.password, dbname=url.database, autocommit=True) as conn:
    conn.execute(f"DROP DATABASE IF EXISTS {name}")
    conn.execute(f"CREATE DATABASE {name}")
print(url.set(database=name).render_as_string(hide_password=False))
PY
)"
    "$APP" db-upgrade --db "$pg_url" >"$SMOKE/pg.txt" 2>&1 \
        || { cat "$SMOKE/pg.txt" >&2; fail "le programme construit n'ouvre pas une base PostgreSQL"; }
fi

# The GUI must start and keep running (timeout's 124) without logging an error.
gui_db="$SMOKE/gui.sqlite3"
[ -s "$DB" ] && gui_db="$DB"
check_gui() {  # $1: label, $2: exit status, $3: output file
    if [ "$2" != "124" ]; then
        cat "$3" >&2
        fail "l'interface ($1) s'est arrêtée d'elle-même (code $2) au lieu de rester ouverte"
    fi
    if grep -qsE "Traceback|ERROR|CRITICAL" "$3" "$CALEOL_HOME/logs/caleol.log"; then
        cat "$3" "$CALEOL_HOME/logs/caleol.log" >&2 || true
        fail "l'interface ($1) a journalisé une erreur"
    fi
}
say "smoke: interface graphique (offscreen, 12 s)"
status=0
timeout 12 "$APP" --db "$gui_db" >"$SMOKE/gui.txt" 2>&1 || status=$?
check_gui offscreen "$status" "$SMOKE/gui.txt"
if command -v xvfb-run >/dev/null 2>&1; then
    say "smoke: interface graphique sous X (xcb, xvfb-run, 12 s)"
    status=0
    QT_QPA_PLATFORM=xcb xvfb-run -a timeout 12 "$APP" --db "$gui_db" \
        >"$SMOKE/gui-x.txt" 2>&1 || status=$?
    check_gui xcb "$status" "$SMOKE/gui-x.txt"
fi

say "smoke: installation Linux (install.sh --prefix)"
"$APP_DIR/install.sh" --prefix "$SMOKE/prefix" >"$SMOKE/install.txt"
[ "$("$SMOKE/prefix/bin/caleol" --version)" = "$expected_version" ] \
    || fail "le programme installé par install.sh ne démarre pas"
[ -f "$SMOKE/prefix/share/icons/hicolor/48x48/apps/caleol.png" ] \
    || fail "install.sh n'a pas installé les icônes"
if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate "$SMOKE/prefix/share/applications/caleol.desktop" \
        || fail "l'entrée de menu installée est invalide"
fi
"$APP_DIR/install.sh" --uninstall --prefix "$SMOKE/prefix" >/dev/null
[ ! -e "$SMOKE/prefix/bin/caleol" ] || fail "install.sh --uninstall a laissé le programme"

END=$(date +%s)
cd "$ROOT"
# The .tar.gz for Linux users (skipped in CI, which publishes nothing: CI=true).
default_archive=1
[ "${CI:-}" = "true" ] && default_archive=0
if [ "${CALEOL_BUILD_ARCHIVE:-$default_archive}" = "1" ]; then
    version="${expected_version#caleol }"
    archive="$DIST/caleol-$version-linux-$(uname -m).tar.gz"
    tar -C "$DIST" -czf "$archive" caleol
    say "archive : $archive ($(du -h "$archive" | cut -f1), $(( $(date +%s) - END )) s)"
fi
rm -rf "$SMOKE"
say "taille du dossier : $(du -sh "$APP_DIR" | cut -f1) ($(find "$APP_DIR" -type f | wc -l) fichiers)"
say "durées : installation $((INSTALL_DONE - START)) s, PyInstaller $((BUILD_DONE - INSTALL_DONE)) s, essais $((END - BUILD_DONE)) s, total $((END - START)) s"
say "OK : $APP"
