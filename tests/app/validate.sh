#!/bin/bash
# tests/app/validate.sh WHAT FILE: checks one data file of the app with the
# tool its consumers use. Exit 0 valid, 1 invalid, 77 tool missing.
set -euo pipefail
what=$1 file=$2

need() {
  command -v "$1" >/dev/null || { echo "SKIP: $1 is not installed"; exit 77; }
}

case $what in
  desktop)
    need desktop-file-validate
    desktop-file-validate "$file"
    grep -qx 'DBusActivatable=true' "$file"
    grep -qx 'MimeType=x-scheme-handler/sip;x-scheme-handler/sips;x-scheme-handler/tel;' "$file"
    grep -q '^Exec=.*%U$' "$file"
    ;;
  metainfo)
    if command -v appstreamcli >/dev/null; then
      appstreamcli validate --no-net --explain "$file"
    else
      need appstream-util
      appstream-util validate-relax --nonet "$file"
    fi
    # Every screenshot it names is in the tree (the tests make them, see
    # test-call-e2e.py and test-a11y.py, and they are copied to data/).
    for shot in $(grep -o 'data/screenshots/[^<]*' "$file"); do
      [ -f "$HAIL_SOURCE_ROOT/$shot" ] || { echo "metainfo names a missing $shot"; exit 1; }
    done
    ;;
  service)
    # dbus-daemon silently ignores any other spelling of the group name.
    [ "$(head -n1 "$file")" = '[D-BUS Service]' ] || { echo "bad header in $file"; exit 1; }
    grep -qx 'Name=io.github.hailphone.Hail' "$file"
    grep -q '^Exec=/.*/hail --gapplication-service$' "$file"
    ;;
  schema)
    need glib-compile-schemas
    glib-compile-schemas --strict --dry-run "$file"
    ;;
  potfiles)
    # Every source with translatable strings is listed in po/POTFILES.in.
    cd "$file"
    missing=0
    for f in $(grep -l -E '_\("|N_\("|translatable="yes"' src/app/*.c ui/*.ui 2>/dev/null) \
             data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml; do
      grep -qx "$f" po/POTFILES.in || { echo "not in po/POTFILES.in: $f"; missing=1; }
    done
    while read -r f; do
      case $f in ''|\#*) continue ;; esac
      [ -f "$f" ] || { echo "po/POTFILES.in lists a missing file: $f"; missing=1; }
    done < po/POTFILES.in
    exit $missing
    ;;
  translations)
    # Every language in po/LINGUAS translates every string of the sources:
    # the catalog is merged with a template made from them now, and must
    # have nothing untranslated or fuzzy.
    need xgettext
    need msgmerge
    cd "$file"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    grep -v -e '^#' -e '^$' po/POTFILES.in > "$tmp/files"
    xgettext --from-code=UTF-8 --add-comments=Translators --keyword=_ --keyword=N_ \
      --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
      -f "$tmp/files" -o "$tmp/hail.pot"
    status=0
    for lang in $(grep -v '^#' po/LINGUAS); do
      msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "po/$lang.po" "$tmp/hail.pot"
      msgfmt --check -o /dev/null "$tmp/$lang.po"
      untranslated=$(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
      fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
      # msgattrib prints the header entry (msgid "") with any selection.
      for n in untranslated fuzzy; do
        count=${!n}
        [ "$count" -le 1 ] || { echo "po/$lang.po: $((count - 1)) $n"; status=1; }
      done
    done
    exit $status
    ;;
  *)
    echo "unknown check: $what"
    exit 2
    ;;
esac
