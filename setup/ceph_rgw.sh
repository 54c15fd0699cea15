#!/usr/bin/env bash
# A one-node Ceph cluster with its S3 gateway (RGW), for the object-store tests and the
# benchmark: one monitor, one manager, one OSD on the in-memory `memstore` object store,
# cephx keys made with ceph-authtool, the gateway's beast frontend on a loopback port. Nothing
# listens beyond 127.0.0.1 and nothing is kept after `stop`.
#
#   setup/ceph_rgw.sh start DIR   → prints S3_ENDPOINT=, S3_ACCESS_KEY=, S3_SECRET_KEY= lines
#   setup/ceph_rgw.sh stop DIR    → stops every daemon started under DIR and removes DIR
#
# Needs Debian's ceph-mon ceph-osd ceph-mgr radosgw ceph-common (the set-up installs them).
# CEPH_MEMSTORE_BYTES sizes the OSD's memory store (default 3 GiB; the benchmark asks more).
set -euo pipefail
# a caller's address-space cap (Odoo sets one from limit_memory_hard) would abort the daemons:
# the memstore OSD alone holds its whole store in memory
ulimit -v unlimited 2>/dev/null || true

action=${1:-}
dir=${2:-}
[ -n "$action" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

stop() {
  local pid
  for pid in "$dir"/run/*.pid; do
    [ -f "$pid" ] || continue
    kill "$(cat "$pid")" 2>/dev/null || true
  done
  for _ in $(seq 50); do
    local alive=0
    for pid in "$dir"/run/*.pid; do
      [ -f "$pid" ] && kill -0 "$(cat "$pid")" 2>/dev/null && alive=1
    done
    [ "$alive" -eq 0 ] && break
    sleep 0.2
  done
  for pid in "$dir"/run/*.pid; do
    [ -f "$pid" ] && kill -9 "$(cat "$pid")" 2>/dev/null || true
  done
  rm -rf "$dir"
}

if [ "$action" = stop ]; then
  stop
  exit 0
fi
[ "$action" = start ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
for cmd in ceph-mon ceph-mgr ceph-osd radosgw radosgw-admin ceph ceph-authtool monmaptool; do
  command -v "$cmd" >/dev/null || { echo "$cmd is missing: apt-get install ceph-mon ceph-osd ceph-mgr radosgw ceph-common" >&2; exit 3; }
done

mkdir -p "$dir"/{run,log,mon,mgr,osd}
dir=$(cd "$dir" && pwd)
fsid=$(python3 -c 'import uuid; print(uuid.uuid4())')
mon_port=$(free_port)
rgw_port=$(free_port)
conf="$dir/ceph.conf"
cat >"$conf" <<EOF
[global]
fsid = $fsid
mon host = v1:127.0.0.1:$mon_port
public addr = 127.0.0.1
ms bind ipv6 = false
ms bind msgr2 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $dir/\$name.keyring
run dir = $dir/run
pid file = $dir/run/\$name.pid
admin socket = $dir/run/\$name.asok
log file = $dir/log/\$name.log
mon data = $dir/mon/\$id
mgr data = $dir/mgr/\$id
osd data = $dir/osd/\$id
osd objectstore = memstore
memstore device bytes = ${CEPH_MEMSTORE_BYTES:-3221225472}
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon allow pool delete = false
osd crush chooseleaf type = 0
mon warn on pool no redundancy = false
osd max object size = 5368709120
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw dns name = 127.0.0.1
rgw enable usage log = false
EOF
export CEPH_CONF="$conf"
trap 'echo "Ceph did not start; logs in $dir/log" >&2' ERR

ceph-authtool --create-keyring "$dir/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool --create-keyring "$dir/client.admin.keyring" --gen-key -n client.admin \
  --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
ceph-authtool "$dir/mon.keyring" --import-keyring "$dir/client.admin.keyring" >/dev/null
monmaptool --create --fsid "$fsid" --addv a "[v1:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null
ceph-mon --mkfs -i a --monmap "$dir/monmap" --keyring "$dir/mon.keyring" 2>/dev/null
ceph-mon -i a
ceph auth get-or-create mgr.x mon 'allow profile mgr' osd 'allow *' >"$dir/mgr.x.keyring"
ceph-mgr -i x
osd_uuid=$(python3 -c 'import uuid; print(uuid.uuid4())')
osd_id=$(ceph osd new "$osd_uuid")
mkdir -p "$dir/osd/$osd_id"
ceph-authtool --create-keyring "$dir/osd.$osd_id.keyring" --gen-key -n "osd.$osd_id" >/dev/null
ceph auth add "osd.$osd_id" osd 'allow *' mon 'allow profile osd' mgr 'allow profile osd' \
  -i "$dir/osd.$osd_id.keyring" >/dev/null 2>&1
ceph-osd -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" 2>/dev/null
ceph-osd -i "$osd_id"
ceph auth get-or-create client.rgw.a mon 'allow rw' osd 'allow rwx' >"$dir/client.rgw.a.keyring"
radosgw -n client.rgw.a

for _ in $(seq 150); do
  curl -s -o /dev/null "http://127.0.0.1:$rgw_port/" && break
  sleep 0.2
done
curl -s -o /dev/null "http://127.0.0.1:$rgw_port/"
keys=$(radosgw-admin user create --uid hr_enforcement --display-name "hr_enforcement" 2>/dev/null)
python3 - "$keys" "$rgw_port" <<'EOF'
import json, sys
key = json.loads(sys.argv[1])["keys"][0]
print(f"S3_ENDPOINT=http://127.0.0.1:{sys.argv[2]}")
print(f"S3_ACCESS_KEY={key['access_key']}")
print(f"S3_SECRET_KEY={key['secret_key']}")
EOF
