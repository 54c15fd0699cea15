#!/usr/bin/env bash
# Benchmark of evidence on the object store (issue 23). Prints side by side in one run: ingest
# of one file (BIG_MIB, default 1024) by both upload routes to the local filestore and to a
# real Ceph gateway, against sha256sum and against boto3's own upload of the same file, with
# the Odoo workers' peak RSS growth, the machine's CPU time and busy cores over each run, and the
# least time any route can take on these cores; then 200 readers (READERS) on one prefork node
# and on two.
# Starts a one-node Ceph cluster (memstore, CEPH_MEMSTORE_BYTES, default 8 GiB of memory) and
# stops it. About 10 minutes.
source "$(dirname "${BASH_SOURCE[0]}")/../../setup/common.sh"
EXTRA_SYSTEM_PACKAGES="ceph-mon ceph-osd ceph-mgr radosgw ceph-common"
prepare
db=hr_enforcement_store_bench
ceph_dir=$(mktemp -d /tmp/hr_enforcement_store_bench_XXXX)
trap '"$REPO_DIR/setup/ceph_rgw.sh" stop "$ceph_dir" >/dev/null 2>&1 || true' EXIT
drop_db "$db"
odoo_cmd -d "$db" -i hr_enforcement_archive --stop-after-init --log-level=error --load-language=zh_CN
fixture=$(odoo_shell "$db" < "$REPO_DIR/tests/benchmarks/production_fixture.py")
export BENCH_DB=$db
export BENCH_RECORD_IDS=$(grep -oE 'AV_RECORD_IDS=[0-9,]+' <<<"$fixture" | cut -d= -f2)
export BENCH_API_KEY=$(grep -oE "API_KEY=[0-9a-f]+" <<<"$fixture" | cut -d= -f2)
[ -n "$BENCH_RECORD_IDS" ] || die "fixture failed: $fixture"
eval "$(CEPH_MEMSTORE_BYTES=${CEPH_MEMSTORE_BYTES:-8589934592} "$REPO_DIR/setup/ceph_rgw.sh" start "$ceph_dir" 2>/dev/null)"
[ -n "${S3_ENDPOINT:-}" ] || die "Ceph did not start"
export S3_ENDPOINT S3_ACCESS_KEY S3_SECRET_KEY
odoo_base_args
"$PYTHON" "$REPO_DIR/tests/benchmarks/object_store_benchmark.py" \
  "$PYTHON" "$ODOO_SRC/odoo-bin" "${ODOO_ARGS[@]}" -d "$db"
[ -n "${BENCH_KEEP:-}" ] || drop_db "$db"
