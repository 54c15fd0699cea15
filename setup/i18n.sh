#!/usr/bin/env bash
# Maintainers: re-export each addon's .pot from a scratch database, merge it into zh_CN.po
# (gettext's msgmerge) and list the messages still untranslated. Exit 1 while any is left.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
prepare
command -v msgmerge >/dev/null || die "msgmerge is missing (apt-get install gettext)"
db="hr_enforcement_i18n_$$"
trap 'drop_db "$db" >/dev/null 2>&1 || true' EXIT
odoo_cmd -d "$db" -i "$ADDONS" --without-demo=all --stop-after-init --log-level=warn
untranslated=0
for addon in ${ADDONS//,/ }; do
  dir="$REPO_DIR/$addon/i18n"
  odoo_cmd -d "$db" --i18n-export="$dir/$addon.pot" --modules="$addon" --stop-after-init --log-level=warn
  [ -f "$dir/zh_CN.po" ] || msginit --no-translator --locale=zh_CN -i "$dir/$addon.pot" -o "$dir/zh_CN.po"
  msgmerge --quiet --no-fuzzy-matching --no-wrap -U --backup=none "$dir/zh_CN.po" "$dir/$addon.pot"
  msgattrib --no-obsolete --no-wrap -o "$dir/zh_CN.po" "$dir/zh_CN.po"
  left=$(msgattrib --untranslated --no-wrap "$dir/zh_CN.po" | grep -c '^msgid "' || true)
  # the header entry counts as one
  [ "$left" -gt 1 ] && { say "$addon: $((left - 1)) untranslated message(s) in $dir/zh_CN.po"; untranslated=1; }
done
exit $untranslated
