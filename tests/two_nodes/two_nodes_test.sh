#!/usr/bin/env bash
# Two Odoo nodes behind nginx, sharing PostgreSQL and a Ceph object store, no shared disk
# (issue 23): an upload's chunks sent alternately to each node, the node receiving one killed,
# the upload finished on the other, the file downloaded from both and through nginx. Starts
# (and stops) a one-node Ceph cluster, nginx and two prefork Odoo servers on loopback; about
# four minutes. Called by ./setup/test.sh; runs alone too.
source "$(dirname "${BASH_SOURCE[0]}")/../../setup/common.sh"
EXTRA_SYSTEM_PACKAGES="ceph-mon ceph-osd ceph-mgr radosgw ceph-common nginx"
prepare
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || die "nginx is missing (apt-get install nginx)"
db="hr_enforcement_two_nodes_$$"
ceph_dir=$(mktemp -d /tmp/hr_enforcement_two_nodes_ceph_XXXX)
cleanup() {
  "$REPO_DIR/setup/ceph_rgw.sh" stop "$ceph_dir" >/dev/null 2>&1 || true
  drop_db "$db" >/dev/null 2>&1 || true
}
trap cleanup EXIT
drop_db "$db"
say "two nodes: installing the addons with demo data in $db"
odoo_cmd -d "$db" -i hr_enforcement_archive --stop-after-init --log-level=error
say "two nodes: starting Ceph"
eval "$("$REPO_DIR/setup/ceph_rgw.sh" start "$ceph_dir" 2>/dev/null)"
[ -n "${S3_ENDPOINT:-}" ] || die "Ceph did not start"
export S3_ENDPOINT S3_ACCESS_KEY S3_SECRET_KEY
fixture=$(odoo_shell "$db" < "$REPO_DIR/tests/two_nodes/two_nodes_fixture.py")
record_id=$(grep -oE 'RECORD_ID=[0-9]+' <<<"$fixture" | cut -d= -f2)
[ -n "$record_id" ] || die "fixture failed: $fixture"
odoo_base_args
TWO_NODES_RECORD_ID=$record_id TWO_NODES_NGINX=$(command -v nginx || echo /usr/sbin/nginx) \
  "$PYTHON" "$REPO_DIR/tests/two_nodes/two_nodes_test.py" \
  "$PYTHON" "$ODOO_SRC/odoo-bin" "${ODOO_ARGS[@]}" "$db"
