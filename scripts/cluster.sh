#!/usr/bin/env bash
# The scale-out topology on loopback (docs/scale-out.md): a Redis Cluster (3 masters + 3 replicas), a 3-node MariaDB
# Galera cluster, HAProxy in front of Galera (writes through one node, the others as backups) and in front of two API
# instances, plus the WeChat sandbox the API talks to. Installed with apt when missing; plain background processes
# with their data under $WECHATMALL_DATA_DIR/cluster (git-ignored). Idempotent: `start` keeps what already runs.
#
#   scripts/cluster.sh start          everything (builds the API and sandbox in Release first)
#   scripts/cluster.sh start-servers  Redis Cluster + Galera + HAProxy's MariaDB front only (what the tests need)
#   scripts/cluster.sh stop | status
#   scripts/cluster.sh kill-galera-node N | kill-active-galera-node | start-galera-node N | stop-galera | start-galera
#                                     (fault drills: the tests of scripts/faults.sh call them)
#
# Ports (overridable): CLUSTER_REDIS_PORTS [7100..7105]  CLUSTER_GALERA_PORTS [3341 3342 3343] (group communication
# 14561–3, IST 14571–3, SST 14581–3)  CLUSTER_DB_PORT [3340] (HAProxy → Galera)  CLUSTER_API_PORT [5690] (HAProxy → API
# instances on 5691, 5692)  CLUSTER_SANDBOX_PORT [5680]. Users and passwords are those of scripts/lib/env.sh.
set -euo pipefail

# shellcheck source=lib/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
ROOT="$WECHATMALL_ROOT"
DIR="$WECHATMALL_DATA_DIR/cluster"
read -r -a REDIS_PORTS <<<"${CLUSTER_REDIS_PORTS:-7100 7101 7102 7103 7104 7105}"
read -r -a GALERA_PORTS <<<"${CLUSTER_GALERA_PORTS:-3341 3342 3343}"
DB_PORT="${CLUSTER_DB_PORT:-3340}"
API_PORT="${CLUSTER_API_PORT:-5690}"
API_PORTS=("$((API_PORT + 1))" "$((API_PORT + 2))")
SANDBOX_PORT="${CLUSTER_SANDBOX_PORT:-5680}"
GCOMM_BASE=14560 IST_BASE=14570 SST_BASE=14580
GALERA_LIB="${GALERA_LIB:-/usr/lib/galera/libgalera_smm.so}"
# As root, the nodes run as Debian's mysql user: the rsync daemon of a state transfer started by root would drop to
# "nobody" and could not write the joiner's data folder.
GALERA_USER="$(id -un)"
[ "$(id -u)" -eq 0 ] && id mysql >/dev/null 2>&1 && GALERA_USER=mysql

log() { echo "[cluster] $*"; }

install_missing() {
  local missing=()
  command -v mariadbd >/dev/null 2>&1 || missing+=(mariadb-server)
  [ -f "$GALERA_LIB" ] || missing+=(galera-4)
  command -v rsync >/dev/null 2>&1 || missing+=(rsync)   # Galera's state transfer to a joining node (wsrep_sst_method)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
  command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} with apt"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# ---------------------------------------------------------------------------------------------------- Redis Cluster
redis_up() { redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null | grep -q PONG; }

start_redis() {
  for port in "${REDIS_PORTS[@]}"; do
    redis_up "$port" && continue
    mkdir -p "$DIR/redis-$port"
    # No RDB/AOF: a restarted node comes back empty and resyncs from its master (a replica takes over meanwhile).
    redis-server --port "$port" --bind 127.0.0.1 --dir "$DIR/redis-$port" --daemonize yes \
      --pidfile "$DIR/redis-$port/redis.pid" --logfile "$DIR/redis-$port/redis.log" --save '' --appendonly no \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
      --maxmemory 64mb --maxmemory-policy noeviction >/dev/null
  done
  for port in "${REDIS_PORTS[@]}"; do
    for _ in $(seq 1 50); do redis_up "$port" && break; sleep 0.1; done
    redis_up "$port" || { log "Redis on $port did not start; see $DIR/redis-$port/redis.log"; exit 1; }
  done
  if [ "$(redis-cli -p "${REDIS_PORTS[0]}" cluster info | tr -d '\r' | awk -F: '/cluster_slots_assigned/ {print $2}')" != "16384" ]; then
    local nodes=()
    for port in "${REDIS_PORTS[@]}"; do nodes+=("127.0.0.1:$port"); done
    log "creating the Redis Cluster on ${nodes[*]}"
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$DIR/redis-cluster-create.log" 2>&1 \
      || { cat "$DIR/redis-cluster-create.log" >&2; exit 1; }
  fi
  for _ in $(seq 1 100); do
    redis-cli -p "${REDIS_PORTS[0]}" cluster info | grep -q 'cluster_state:ok' && break; sleep 0.2
  done
  redis-cli -p "${REDIS_PORTS[0]}" cluster info | grep -q 'cluster_state:ok' || { log "Redis Cluster not ok"; exit 1; }
  log "Redis Cluster ok on 127.0.0.1:${REDIS_PORTS[0]}..${REDIS_PORTS[-1]}"
}

# A node that lost its data (restarted without persistence) rejoins through nodes.conf as a replica of the promoted one.
redis_master_port() { # the master owning the slot of a key (default: slot 0)
  redis-cli -p "${REDIS_PORTS[0]}" cluster nodes | awk -v want="${1:-0}" '$3 ~ /master/ && $3 !~ /fail/ {
    for (i = 9; i <= NF; i++) { split($i, r, "-"); if (r[2] == "") r[2] = r[1]; if (want >= r[1] && want <= r[2]) { split($2, a, "[:@]"); print a[2]; exit } } }'
}

# ---------------------------------------------------------------------------------------------------- Galera
gdir() { echo "$DIR/galera-$1"; }
gsock() { echo "$(gdir "$1")/mariadb.sock"; }
galera_up() { mariadb-admin --no-defaults --socket="$(gsock "$1")" -uroot ping >/dev/null 2>&1; }
galera_status() { # wsrep_cluster_size or "-" when the node does not answer
  mariadb --no-defaults --socket="$(gsock "$1")" -uroot -N -e \
    "SELECT CONCAT(v.VARIABLE_VALUE, ' ', s.VARIABLE_VALUE) FROM information_schema.GLOBAL_STATUS v, information_schema.GLOBAL_STATUS s
     WHERE v.VARIABLE_NAME='WSREP_CLUSTER_SIZE' AND s.VARIABLE_NAME='WSREP_LOCAL_STATE_COMMENT'" 2>/dev/null || echo "- down"
}

galera_config() { # node number 1..3
  local n="$1" d; d="$(gdir "$1")"
  local addresses=()
  for i in 1 2 3; do addresses+=("127.0.0.1:$((GCOMM_BASE + i))"); done
  mkdir -p "$d"
  cat >"$d/my.cnf" <<CNF
[mysqld]
user=$GALERA_USER
datadir=$d/data
port=${GALERA_PORTS[$((n - 1))]}
bind-address=127.0.0.1
socket=$d/mariadb.sock
pid-file=$d/mariadb.pid
log-error=$d/mariadb.log
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
skip-name-resolve
max_connections=300
# Small: three nodes (and everyone else's work) share one small machine.
innodb_buffer_pool_size=32M
innodb_log_file_size=16M
innodb_flush_log_at_trx_commit=2
performance_schema=OFF
# What Galera requires: row-based replication, InnoDB, interleaved auto-increment locks.
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
wsrep_on=ON
wsrep_provider=$GALERA_LIB
wsrep_cluster_name=wechatmall
wsrep_cluster_address=gcomm://$(IFS=,; echo "${addresses[*]}")
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$((GCOMM_BASE + n));ist.recv_addr=127.0.0.1:$((IST_BASE + n));gcache.size=32M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;pc.recovery=TRUE"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$((SST_BASE + n))
wsrep_slave_threads=2
CNF
}

start_galera_node() { # n [--wsrep-new-cluster]
  local n="$1" d; d="$(gdir "$1")"; shift
  galera_up "$n" && return 0
  galera_config "$n"
  chown -R "$GALERA_USER" "$d"
  if [ ! -d "$d/data/mysql" ]; then
    mariadb-install-db --defaults-file="$d/my.cnf" --auth-root-authentication-method=socket >"$d/install.log" 2>&1
  fi
  # setsid: its own session, so a Ctrl-C in the terminal does not reach it.
  setsid mariadbd --defaults-file="$d/my.cnf" "$@" >/dev/null 2>&1 &
  for _ in $(seq 1 300); do
    galera_up "$n" && [ "$(galera_status "$n" | awk '{print $2}')" = "Synced" ] && return 0
    sleep 0.2
  done
  log "Galera node $n did not reach Synced; see $d/mariadb.log"; tail -20 "$d/mariadb.log" >&2 || true; exit 1
}

# The node to bootstrap from when none runs: the one that stopped last (safe_to_bootstrap: 1 in grastate.dat), else
# the one with the highest committed seqno (after a crash of all three: what an operator would pick by hand).
bootstrap_node() {
  local best=1 best_seq=-2
  for n in 1 2 3; do
    local g; g="$(gdir "$n")/data/grastate.dat"
    [ -f "$g" ] || continue
    grep -q '^safe_to_bootstrap: 1' "$g" && { echo "$n"; return; }
    local seq; seq="$(awk '/^seqno:/ {print $2}' "$g")"
    if [ "$seq" -gt "$best_seq" ]; then best=$n; best_seq=$seq; fi
  done
  local g; g="$(gdir "$best")/data/grastate.dat"
  [ -f "$g" ] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$g"
  echo "$best"
}

start_galera() {
  local running=0
  for n in 1 2 3; do galera_up "$n" && running=1; done
  if [ $running -eq 0 ]; then
    local first; first="$(bootstrap_node)"
    log "bootstrapping Galera from node $first"
    start_galera_node "$first" --wsrep-new-cluster
  fi
  for n in 1 2 3; do start_galera_node "$n"; done
  local n1=""; for n in 1 2 3; do galera_up "$n" && { n1=$n; break; }; done
  # Users replicate (DDL is applied on every node). The app user may create databases: the tests make their own.
  mariadb --no-defaults --socket="$(gsock "$n1")" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS \`$MYSQL_DATABASE\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$MYSQL_USER'@'127.0.0.1' IDENTIFIED BY '$MYSQL_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$MYSQL_USER'@'127.0.0.1';
CREATE USER IF NOT EXISTS 'haproxy'@'127.0.0.1';
SQL
  log "Galera: $(for n in 1 2 3; do echo -n "node$n(:${GALERA_PORTS[$((n - 1))]}) $(galera_status "$n")  "; done)"
}

# ---------------------------------------------------------------------------------------------------- HAProxy
haproxy_config() {
  local with_api="$1"
  cat >"$DIR/haproxy.cfg" <<CFG
global
  maxconn 4000
  pidfile $DIR/haproxy.pid
  daemon
defaults
  timeout connect 2s
  timeout client 1h
  timeout server 1h
  timeout check 1s
# Galera: every write through one node (no certification conflicts between nodes), the others wait as backups.
# A node marked down has its sessions cut, so clients reconnect to the next one instead of hanging. The stick table
# (one entry) keeps every connection on the node that took over, also after the failed one is back: moving back
# would split the clients over two nodes, i.e. two writers, and reads on one node that miss what was just
# committed on the other (Galera applies asynchronously after certification).
listen galera
  bind 127.0.0.1:$DB_PORT
  mode tcp
  option mysql-check user haproxy
  stick-table type integer size 1
  stick on int(1)
  default-server inter 1s fall 2 rise 3 on-marked-down shutdown-sessions
  server node1 127.0.0.1:${GALERA_PORTS[0]} check
  server node2 127.0.0.1:${GALERA_PORTS[1]} check backup
  server node3 127.0.0.1:${GALERA_PORTS[2]} check backup
CFG
  [ "$with_api" = 1 ] && cat >>"$DIR/haproxy.cfg" <<CFG
listen api
  bind 127.0.0.1:$API_PORT
  mode http
  timeout client 60s
  timeout server 60s
  option httpchk GET /health/ready
  option forwardfor
  retry-on conn-failure empty-response response-timeout
  default-server inter 1s fall 2 rise 2
  server api1 127.0.0.1:${API_PORTS[0]} check
  server api2 127.0.0.1:${API_PORTS[1]} check
CFG
  return 0
}

start_haproxy() { # with_api (0|1)
  haproxy_config "$1"
  haproxy -c -q -f "$DIR/haproxy.cfg"
  if alive "$DIR/haproxy.pid"; then
    # Reload with the new configuration (e.g. the API front added by `start` after `start-servers`).
    haproxy -f "$DIR/haproxy.cfg" -sf "$(cat "$DIR/haproxy.pid")"
  else
    haproxy -f "$DIR/haproxy.cfg"
  fi
  for _ in $(seq 1 50); do
    mariadb-admin --no-defaults -h127.0.0.1 -P"$DB_PORT" -u"$MYSQL_USER" -p"$MYSQL_PASSWORD" ping >/dev/null 2>&1 && break; sleep 0.2
  done
  log "HAProxy: MariaDB front on 127.0.0.1:$DB_PORT"
}

# ---------------------------------------------------------------------------------------------------- API + sandbox
redis_endpoints() { local e=(); for p in "${REDIS_PORTS[@]}"; do e+=("127.0.0.1:$p"); done; (IFS=,; echo "${e[*]}"); }

start_apps() {
  local sandbox_dll="$ROOT/src/WeChatMall.Sandbox/bin/Release/net10.0/WeChatMall.Sandbox.dll"
  local api_dll="$ROOT/src/WeChatMall.Api/bin/Release/net10.0/WeChatMall.Api.dll"
  log "building the API and the sandbox (Release)"
  dotnet build "$ROOT/src/WeChatMall.Api" -c Release -nologo -v q >/dev/null
  dotnet build "$ROOT/src/WeChatMall.Sandbox" -c Release -nologo -v q >/dev/null
  local sdir="$DIR/sandbox" front="http://127.0.0.1:$API_PORT" sandbox_url="http://127.0.0.1:$SANDBOX_PORT"
  dotnet "$sandbox_dll" keygen "$sdir" >/dev/null
  # shellcheck disable=SC1091
  source "$sdir/sandbox.env"
  local oa_appid="wxsandbox00000oa1" mp_appid="wxsandbox00000mp1" mchid="1900000109"
  local platform_key_id="PUB_KEY_ID_0119000001092026112200000000000001"
  if ! alive "$DIR/sandbox.pid"; then
    Sandbox__OfficialAccount__AppId="$oa_appid" Sandbox__OfficialAccount__AppSecret="$SANDBOX_OA_APPSECRET" \
    Sandbox__OfficialAccount__Token="$SANDBOX_OA_TOKEN" Sandbox__OfficialAccount__EncodingAESKey="$SANDBOX_OA_AESKEY" \
    Sandbox__OfficialAccount__OriginalId="gh_sandbox000001" Sandbox__MiniProgram__AppId="$mp_appid" \
    Sandbox__MiniProgram__AppSecret="$SANDBOX_MP_APPSECRET" Sandbox__Merchant__MchId="$mchid" \
    Sandbox__Merchant__PublicKeyPath="$sdir/merchant.pub.pem" Sandbox__Merchant__SerialNo="$SANDBOX_MERCHANT_SERIAL" \
    Sandbox__Merchant__ApiV3Key="$SANDBOX_APIV3KEY" Sandbox__Merchant__RefundNotifyUrl="$front/pay/refund-notify" \
    Sandbox__Platform__PrivateKeyPath="$sdir/platform.key.pem" Sandbox__Platform__PublicKeyId="$platform_key_id" \
    Sandbox__CallbackUrl="$front/wechat/callback" \
      setsid dotnet "$sandbox_dll" --urls "$sandbox_url" >"$DIR/sandbox.log" 2>&1 &
    echo $! >"$DIR/sandbox.pid"
  fi
  local i=0
  for port in "${API_PORTS[@]}"; do
    i=$((i + 1))
    alive "$DIR/api$i.pid" && continue
    ASPNETCORE_ENVIRONMENT=Production \
    ConnectionStrings__MySql="Server=127.0.0.1;Port=$DB_PORT;Database=$MYSQL_DATABASE;User ID=$MYSQL_USER;Password=$MYSQL_PASSWORD" \
    ConnectionStrings__Redis="$(redis_endpoints)" \
    Admin__ApiKey="${CLUSTER_ADMIN_KEY:-cluster-admin-key-0123456789}" \
    WeChat__ApiBaseUrl="$sandbox_url" WeChat__OAuthBaseUrl="$sandbox_url" WeChat__MpBaseUrl="$sandbox_url" \
    WeChat__OfficialAccount__AppId="$oa_appid" WeChat__OfficialAccount__AppSecret="$SANDBOX_OA_APPSECRET" \
    WeChat__OfficialAccount__Token="$SANDBOX_OA_TOKEN" WeChat__OfficialAccount__EncodingAESKey="$SANDBOX_OA_AESKEY" \
    WeChat__MiniProgram__AppId="$mp_appid" WeChat__MiniProgram__AppSecret="$SANDBOX_MP_APPSECRET" \
    WeChatPay__MchId="$mchid" WeChatPay__ApiV3Key="$SANDBOX_APIV3KEY" WeChatPay__MerchantSerialNo="$SANDBOX_MERCHANT_SERIAL" \
    WeChatPay__MerchantPrivateKeyPath="$sdir/merchant.key.pem" WeChatPay__PlatformPublicKeyId="$platform_key_id" \
    WeChatPay__PlatformPublicKeyPath="$sdir/platform.pub.pem" WeChatPay__NotifyUrl="$front/pay/notify" \
    WeChatPay__RefundNotifyUrl="$front/pay/refund-notify" WeChatPay__ApiBaseUrl="$sandbox_url" \
    Payments__PaidTemplateId="sandbox_order_paid" \
      setsid bash -c 'cd "$1/src/WeChatMall.Api" && exec dotnet "$2" --urls "$3"' _ "$ROOT" "$api_dll" "http://127.0.0.1:$port" \
      >"$DIR/api$i.log" 2>&1 &
    echo $! >"$DIR/api$i.pid"
    # One at a time: the first applies the migrations, the second finds them applied.
    for _ in $(seq 1 240); do curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null && break; sleep 0.5; done
    curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" || { log "API $i did not become ready; see $DIR/api$i.log"; exit 1; }
  done
  for _ in $(seq 1 60); do curl -fsS -o /dev/null "$sandbox_url/sandbox/health" 2>/dev/null && break; sleep 0.5; done
}

stop_pidfile() { # file name
  if alive "$1"; then kill "$(cat "$1")" 2>/dev/null || true; log "$2 stopped"; fi
  rm -f "$1"
}

stop_all() {
  stop_pidfile "$DIR/api1.pid" "API 1"; stop_pidfile "$DIR/api2.pid" "API 2"; stop_pidfile "$DIR/sandbox.pid" sandbox
  stop_pidfile "$DIR/haproxy.pid" HAProxy
  # Nodes 3, 2, then 1: the last one to stop is marked safe to bootstrap the next start from.
  for n in 3 2 1; do
    if galera_up "$n"; then mariadb-admin --no-defaults --socket="$(gsock "$n")" -uroot shutdown && log "Galera node $n stopped"; fi
  done
  for port in "${REDIS_PORTS[@]}"; do
    redis_up "$port" && { redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; }
  done
  log "Redis Cluster stopped"
}

status() {
  local rc=0
  for port in "${REDIS_PORTS[@]}"; do
    if redis_up "$port"; then log "Redis :$port $(redis-cli -p "$port" role | head -1)"; else log "Redis :$port down"; rc=3; fi
  done
  redis_up "${REDIS_PORTS[0]}" && log "Redis Cluster: $(redis-cli -p "${REDIS_PORTS[0]}" cluster info | grep cluster_state | tr -d '\r')"
  for n in 1 2 3; do
    local s; s="$(galera_status "$n")"
    log "Galera node$n :${GALERA_PORTS[$((n - 1))]} cluster_size/state: $s"; [ "$s" = "- down" ] && rc=3
  done
  if alive "$DIR/haproxy.pid"; then log "HAProxy: MariaDB 127.0.0.1:$DB_PORT, API http://127.0.0.1:$API_PORT"; else log "HAProxy: stopped"; rc=3; fi
  for i in 1 2; do alive "$DIR/api$i.pid" && log "API $i: http://127.0.0.1:${API_PORTS[$((i - 1))]} (pid $(cat "$DIR/api$i.pid"))"; done
  alive "$DIR/sandbox.pid" && log "sandbox: http://127.0.0.1:$SANDBOX_PORT"
  return $rc
}

urls() {
  log "MariaDB (HAProxy → Galera): Server=127.0.0.1;Port=$DB_PORT;User ID=$MYSQL_USER;Password=…"
  log "Redis Cluster:              $(redis_endpoints)"
  [ "${1:-0}" = 1 ] || return 0
  log "API (HAProxy → 2 instances): http://127.0.0.1:$API_PORT   (instances :${API_PORTS[0]} :${API_PORTS[1]}, logs $DIR/api*.log)"
  log "Sandbox (plays WeChat):      http://127.0.0.1:$SANDBOX_PORT/"
  log "Admin key:                   ${CLUSTER_ADMIN_KEY:-cluster-admin-key-0123456789}"
}

mkdir -p "$DIR"
case "${1:-}" in
  start) install_missing; start_redis; start_galera; start_haproxy 1; start_apps; urls 1 ;;
  start-servers) install_missing; start_redis; start_galera; alive "$DIR/haproxy.pid" || start_haproxy 0; urls 0 ;;
  stop) stop_all ;;
  status) status ;;
  redis-endpoints) redis_endpoints ;;
  redis-master) redis_master_port "${2:-0}" ;;
  kill-redis-master) p="$(redis_master_port "${2:-0}")"; kill -9 "$(cat "$DIR/redis-$p/redis.pid")"; echo "$p" ;;
  start-redis) start_redis ;;
  kill-galera-node) kill -9 "$(cat "$(gdir "$2")/mariadb.pid")" ;;
  kill-active-galera-node) # the node HAProxy sends the sessions to; prints its number
    port="$(mariadb --no-defaults -h127.0.0.1 -P"$DB_PORT" -u"$MYSQL_USER" -p"$MYSQL_PASSWORD" -N -e 'SELECT @@port')"
    for n in 1 2 3; do
      if [ "${GALERA_PORTS[$((n - 1))]}" = "$port" ]; then kill -9 "$(cat "$(gdir "$n")/mariadb.pid")"; echo "$n"; fi
    done ;;
  stop-galera) for n in 3 2 1; do galera_up "$n" && mariadb-admin --no-defaults --socket="$(gsock "$n")" -uroot shutdown; done; true ;;
  start-galera) start_galera ;;
  start-galera-node) start_galera_node "$2" ;;
  *) echo "usage: $0 start|start-servers|stop|status" >&2; exit 2 ;;
esac
