# Shared by run.sh and cpu.sh (sourced): builds the bench host, starts an nginx answering `return 200` on two ports
# (the upstream, $up1 and $up2) and a second nginx proxying them 90/10 with keep-alive on $nginx_port (the peer),
# and stops whatever was started ($pids) when the script exits. Sets root, host_dll, work, free_port and INLINE.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
for tool in wrk nginx; do
  command -v $tool >/dev/null || { echo "installing wrk and nginx"; apt-get install -y -qq wrk nginx >/dev/null; }
done
dotnet build "$root/bench/Shipgate.Benchmarks" -c Release -nologo -v quiet >/dev/null
host_dll="$root/bench/Shipgate.Benchmarks/bin/Release/net10.0/Shipgate.Benchmarks.dll"

work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; sleep 0.5; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
up1=$(free_port) up2=$(free_port) nginx_port=$(free_port)

# Two nginx processes: the upstream and the peer proxy, each with the machine's cores as workers.
nginx_conf() { # name, server blocks
  mkdir -p "$work/$1"
  cat > "$work/$1/nginx.conf" <<CONF
worker_processes auto;
pid $work/$1/nginx.pid;
error_log $work/$1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  $2
}
CONF
  nginx -c "$work/$1/nginx.conf" -p "$work/$1"
  pids+=("$(cat "$work/$1/nginx.pid")")
}
nginx_conf upstream "server { listen 127.0.0.1:$up1; location / { return 200 'hello'; } }
  server { listen 127.0.0.1:$up2; location / { return 200 'hello'; } }"
nginx_conf peer "upstream web { server 127.0.0.1:$up1 weight=9; server 127.0.0.1:$up2 weight=1; keepalive 128; }
  server { listen 127.0.0.1:$nginx_port; location / { proxy_pass http://web; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_set_header Host \$host; } }"

# What `shipgate edge` runs with: the inline-completions switch (EdgeCommand sets it at start) and the CLI's
# runtimeconfig option System.Threading.ThreadPool.UnfairSemaphoreSpinLimit=0, given here as its environment variable.
INLINE="DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0"
