#!/bin/bash
# The lab against its real peers: `wirewalk lab up|down|status`, then the
# kernel's own tools (dig, curl, ping) in the lab's namespaces ask unbound,
# nsd and nginx, and the answers are checked byte for byte where they can
# be. Run as root: tests/lab/test_lab.sh [path/to/wirewalk]
#
# Uses labs of its own ("t8", "t8b") and removes them at the end.
set -u
WW=${1:-./wirewalk}
LAB=t8
LAB2=t8b
RUN=/run/wirewalk
CA=$RUN/$LAB/pki/ca.pem
PEER="ip netns exec ww-$LAB-peer"
ROUTER="ip netns exec ww-$LAB-router"
pass=0
fail=0

if [ "$(id -u)" != 0 ]; then
	echo "test_lab: SKIP (needs root: network namespaces)"
	exit 77
fi
for tool in dig curl python3 ip; do
	command -v $tool >/dev/null || { echo "test_lab: SKIP ($tool missing)"; exit 77; }
done

if ! "$WW" lab --help 2>/dev/null | grep -q 'wirewalk lab up|down|status'; then
	echo "test_lab: FAIL ($WW has no working \`lab\` command)"
	exit 1
fi

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/     | /'; }
# check NAME COMMAND...: passes when the command exits 0.
check() { local name=$1; shift; local out; if out=$("$@" 2>&1); then ok "$name"; else bad "$name" "$out"; fi; }
# expect NAME PATTERN TEXT: passes when TEXT matches the extended regex.
expect() { if printf '%s\n' "$3" | grep -Eq -- "$2"; then ok "$1"; else bad "$1" "expected /$2/ in:
$3"; fi; }
ms() { echo $(($(date +%s%N) / 1000000)); }

# Processes alive (zombies hold nothing) whose command line names the lab dir.
lab_procs() { ps -eo stat=,pid=,args= | awk '$1 !~ /^Z/' | grep -F -- "$RUN/$1/" | grep -v grep; }

# Nothing of lab $1 may be left: namespaces, processes, files, links.
gone() {
	local name=$1 left=""
	ip netns list | grep -Eq "^ww-$name-(client|router|peer|net)( |$)" && left="$left namespaces:$(ip netns list | grep -E "^ww-$name-" | tr '\n' ' ')"
	[ -n "$(lab_procs "$name")" ] && left="$left processes:$(lab_procs "$name")"
	[ -e "$RUN/$name" ] && left="$left dir:$RUN/$name"
	ls -d /etc/netns/ww-"$name"-* >/dev/null 2>&1 && left="$left /etc/netns/ww-$name-*"
	# Veths are made inside the namespaces: none may appear in the root one.
	[ "$(root_links)" = "$root_links_before" ] || left="$left root-namespace-links:$(root_links)"
	[ -z "$left" ] || { echo "left behind:$left"; return 1; }
}

# Links in the root namespace carrying one of the lab's MACs.
root_links() { ip -o link | grep -E 'link/ether 02:00:00:00:(00:05|00:07|01:01|01:05|01:07|02:01|02:53) ' | sort; }

cleanup() { "$WW" lab down --lab $LAB >/dev/null 2>&1; "$WW" lab down --lab $LAB2 >/dev/null 2>&1; }
trap cleanup EXIT
cleanup
root_links_before=$(root_links)

# --- usage and names ---------------------------------------------------
"$WW" lab up --lab 'Bad_Name' >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "an invalid lab name is refused (exit 2)" || bad "an invalid lab name is refused (exit $rc)"
"$WW" lab status --lab $LAB >/dev/null 2>&1; rc=$?
[ $rc != 0 ] && ok "status of a lab that is not there exits non-zero" || bad "status of an absent lab exited 0"

if command -v capsh >/dev/null; then
	out=$(capsh --drop=cap_sys_admin,cap_net_admin -- -c "$WW lab up --lab $LAB" 2>&1); rc=$?
	[ $rc = 1 ] && expect "without privileges: names both missing capabilities" \
		"needs CAP_SYS_ADMIN and CAP_NET_ADMIN .*run as root" "$out" || bad "lab up without privileges (exit $rc)" "$out"
	out=$(capsh --drop=cap_net_admin -- -c "$WW lab up --lab $LAB" 2>&1)
	expect "without CAP_NET_ADMIN: names only that one" "needs CAP_NET_ADMIN \(" "$out"
	check "nothing was made without privileges" gone $LAB
fi

# --- up, timed ---------------------------------------------------------
t0=$(ms)
out=$("$WW" lab up --lab $LAB 2>&1); rc=$?
t=$(($(ms) - t0))
echo "     lab up took $t ms: $out"
[ $rc = 0 ] && ok "lab up" || bad "lab up (exit $rc)" "$out"
[ $t -lt 3000 ] && ok "lab up in under 3 s ($t ms)" || bad "lab up took $t ms (limit 3000)"
status=$("$WW" lab status --lab $LAB 2>&1); rc=$?
[ $rc = 0 ] && ok "status exits 0" || bad "status exits $rc" "$status"
expect "status: all up" "lab $LAB: all up" "$status"
expect "status: impairment detected" "^impairment: (netem|nftables|none)" "$status"
expect "status: client has no kernel address" "eth0 +02:00:00:00:00:05 up +no kernel address" "$status"
expect "status: gateway br0 192.168.1.1 02:00:00:00:01:01" "br0 +02:00:00:00:01:01 up +192.168.1.1/24" "$status"

# --- the client namespace: the kernel must stay out of the way --------
check "client: no IPv4 address on eth0" test -z "$(ip -n ww-$LAB-client -4 -o addr show dev eth0)"
check "client: MAC 02:00:00:00:00:05" sh -c "ip -n ww-$LAB-client -o link show eth0 | grep -q 'link/ether 02:00:00:00:00:05'"
check "client: IPv6 off" sh -c "[ \$(ip netns exec ww-$LAB-client cat /proc/sys/net/ipv6/conf/eth0/disable_ipv6) = 1 ]"
check "client: offloads off" sh -c "ip netns exec ww-$LAB-client ethtool -k eth0 | grep -Eq '^generic-segmentation-offload: off' &&
	ip netns exec ww-$LAB-client ethtool -k eth0 | grep -Eq '^tx-checksumming: off' &&
	ip netns exec ww-$LAB-client ethtool -k eth0 | grep -Eq '^generic-receive-offload: off'"
# The peer asks for the client's address: no kernel answers it.
$PEER ping -c 1 -W 1 192.168.1.5 >/dev/null 2>&1; rc=$?
[ $rc != 0 ] && ok "client: nothing answers for 192.168.1.5 (the kernel has no address)" || bad "something answered ping for 192.168.1.5"
# A raw ARP request from the client's MAC: the router's bridge answers.
if /usr/bin/python3 -c 'import scapy' 2>/dev/null; then
	arp=$(ip netns exec ww-$LAB-client /usr/bin/python3 -c '
from scapy.all import Ether, ARP, srp1, conf
conf.verb = 0
r = srp1(Ether(src="02:00:00:00:00:05", dst="ff:ff:ff:ff:ff:ff") /
         ARP(op=1, hwsrc="02:00:00:00:00:05", psrc="192.168.1.5", pdst="192.168.1.1"),
         iface="eth0", timeout=2)
print("reply", r[ARP].psrc, r[ARP].hwsrc, r[Ether].dst) if r else print("none")' 2>&1)
	expect "client: raw ARP who-has 192.168.1.1 answered by 02:00:00:00:01:01" \
		"^reply 192.168.1.1 02:00:00:00:01:01 02:00:00:00:00:05$" "$arp"
fi

# --- routing -------------------------------------------------------------
check "router: ip_forward=1" sh -c "[ \$($ROUTER cat /proc/sys/net/ipv4/ip_forward) = 1 ]"
out=$($PEER ping -c 1 -W 1 -t 1 192.0.2.10 2>&1)
expect "peer: TTL 1 to the web server expires at the router" "From 192.168.1.1.*Time to live exceeded" "$out"
out=$($PEER ping -c 1 -W 1 192.0.2.25 2>&1)
expect "peer: mail.example.com's address answers ping" "1 received" "$out"

# --- DNS -----------------------------------------------------------------
out=$($PEER dig +time=2 +tries=1 +noall +answer @203.0.113.53 www.example.com A)
expect "unbound: www.example.com CNAME example.com." "^www\.example\.com\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+CNAME[[:space:]]+example\.com\.$" "$out"
expect "unbound: example.com A 192.0.2.10" "^example\.com\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.10$" "$out"
out=$($ROUTER dig +time=2 +tries=1 +short @203.0.113.53 example.com A)
expect "unbound answers the router (203.0.113.0/24)" "^192\.0\.2\.10$" "$out"
out=$($PEER dig +time=2 +tries=1 +norecurse @198.51.100.1 www.example.com A)
expect "root: a referral, not an answer" "flags: qr;.*ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 2" "$out"
expect "root: com. NS a.gtld-servers.net." "^com\.[[:space:]]+3600[[:space:]]+IN[[:space:]]+NS[[:space:]]+a\.gtld-servers\.net\.$" "$out"
expect "root: glue a.gtld-servers.net. A 198.51.100.2" "^a\.gtld-servers\.net\.[[:space:]]+3600[[:space:]]+IN[[:space:]]+A[[:space:]]+198\.51\.100\.2$" "$out"
out=$($PEER dig +time=2 +tries=1 +norecurse @198.51.100.2 www.example.com A)
expect "com.: referral to ns1.example.com." "^example\.com\.[[:space:]]+3600[[:space:]]+IN[[:space:]]+NS[[:space:]]+ns1\.example\.com\.$" "$out"
expect "com.: glue ns1.example.com. A 198.51.100.3" "^ns1\.example\.com\.[[:space:]]+3600[[:space:]]+IN[[:space:]]+A[[:space:]]+198\.51\.100\.3$" "$out"
out=$($PEER dig +time=2 +tries=1 +norecurse @198.51.100.2 net. NS)
expect "net.: served by the TLD server, authoritative" "flags: qr aa;" "$out"
out=$($PEER dig +time=2 +tries=1 +norecurse @198.51.100.3 www.example.com A)
expect "example.com.: authoritative answer" "flags: qr aa;" "$out"
out=$($PEER dig +time=2 +tries=1 +short @198.51.100.3 example.com TXT)
expect "example.com. TXT with three strings" '^"v=spf1 -all" "wirewalk lab" "second string"$' "$out"
out=$($PEER dig +time=2 +tries=1 +short @198.51.100.3 example.com MX)
expect "example.com. MX 10 mail.example.com." "^10 mail\.example\.com\.$" "$out"
out=$($PEER dig +time=2 +tries=1 +short @198.51.100.3 example.com AAAA)
expect "example.com. AAAA 2001:db8::10" "^2001:db8::10$" "$out"
for h in expired untrusted wrong http; do
	out=$($PEER dig +time=2 +tries=1 +short @203.0.113.53 $h.example.com A)
	expect "unbound: $h.example.com A 192.0.2.10" "^192\.0\.2\.10$" "$out"
done
out=$($PEER dig +time=2 +tries=1 +trace +nodnssec www.example.com 2>&1)
expect "dig +trace walks root, com., example.com. from the peer" "^example\.com\.[[:space:]]+300[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.10" "$out"

# --- HTTP ------------------------------------------------------------------
n=$($PEER curl -sS --max-time 5 -o /dev/null -w '%{http_code} %{size_download}' http://192.0.2.10/4000.html 2>&1)
expect "http: /4000.html is 200 with 4000 bytes" "^200 4000$" "$n"
out=$($PEER curl -sS --max-time 5 http://192.0.2.10/ 2>&1)
expect "http: index links CSS, JS and an image" 'href="/style.css".*' "$(printf '%s' "$out" | tr '\n' ' ')"
expect "http: index links the script" 'src="/app.js"' "$out"
expect "http: index links the image" 'src="/logo.png"' "$out"
out=$($PEER curl -sS --max-time 5 -o /dev/null -w '%{http_code} %{content_type}' http://192.0.2.10/logo.png)
expect "http: /logo.png is a PNG" "^200 image/png$" "$out"
check "http: /logo.png starts with the PNG signature" sh -c "$PEER curl -sS --max-time 5 http://192.0.2.10/logo.png | head -c 8 | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a'"
out=$($PEER curl -sS --max-time 5 -v http://192.0.2.10/chunked.html 2>&1)
expect "http: /chunked.html is sent chunked" "^< Transfer-Encoding: chunked" "$out"
out=$($PEER curl -sS --max-time 5 -i -X POST -H 'Content-Type: application/json' -d '{"name":"x"}' http://192.0.2.10/api/items 2>&1)
expect "http: POST /api/items is 201" "^HTTP/1.1 201 Created" "$out"
expect "http: POST /api/items answers JSON" "^Content-Type: application/json" "$(printf '%s' "$out" | tr -d '\r')"
expect "http: POST /api/items body" '^\{"id":1,"name":"widget"\}$' "$out"
out=$($PEER curl -sS --max-time 5 'http://192.0.2.10/search?q=%3Cb%3E' 2>&1)
expect "http: /search echoes q, entity-encoded" "Results for: <b>%3Cb%3E</b>" "$out"
out=$($PEER curl -sS --max-time 5 -o /dev/null -D - -H 'Accept-Encoding: gzip' http://192.0.2.10/style.css 2>&1 | tr -d '\r')
expect "http: gzip for text types" "^Content-Encoding: gzip" "$out"
out=$($PEER curl -sS --max-time 5 -o /dev/null -D - --resolve http.example.com:80:192.0.2.10 http://http.example.com/x?y 2>&1 | tr -d '\r')
expect "http: http.example.com redirects to https" "^Location: https://http\.example\.com/x\?y$" "$out"
want10=$(/usr/bin/python3 -c '
import hashlib, sys
b = bytes(i % 251 for i in range(251)) * (10485760 // 251 + 1)
print(hashlib.sha256(b[:10485760]).hexdigest())')
got10=$($PEER curl -sS --max-time 20 http://192.0.2.10/10M.bin | sha256sum | cut -d' ' -f1)
[ "$got10" = "$want10" ] && ok "http: sha256 of /10M.bin matches i % 251 ($want10)" || bad "http: sha256 of /10M.bin" "got $got10, want $want10"
want100=$(/usr/bin/python3 -c '
import hashlib
b = bytes(i % 251 for i in range(251)) * (104857600 // 251 + 1)
print(hashlib.sha256(b[:104857600]).hexdigest())')
got100=$($PEER curl -sS --max-time 60 http://192.0.2.10/100M.bin | sha256sum | cut -d' ' -f1)
[ "$got100" = "$want100" ] && ok "http: sha256 of /100M.bin matches i % 251" || bad "http: sha256 of /100M.bin" "got $got100, want $want100"

# --- HTTPS -----------------------------------------------------------------
tls() { $PEER curl -sS --max-time 5 -o /dev/null -w '%{http_code}' --cacert "$CA" --resolve "$1:443:192.0.2.10" "https://$1/" 2>&1; }
out=$(tls www.example.com); rc=$?
[ $rc = 0 ] && [ "$out" = 200 ] && ok "https: www.example.com verifies against the lab CA" || bad "https: www.example.com (curl exit $rc)" "$out"
out=$(tls example.com); rc=$?
[ $rc = 0 ] && [ "$out" = 200 ] && ok "https: example.com verifies" || bad "https: example.com (curl exit $rc)" "$out"
out=$($PEER curl -sS --max-time 5 -o /dev/null -D - --cacert "$CA" --resolve http.example.com:443:192.0.2.10 https://http.example.com/ 2>&1 | tr -d '\r')
expect "https: http.example.com sends HSTS" "^Strict-Transport-Security: max-age=300" "$out"
out=$(tls expired.example.com); rc=$?
[ $rc = 60 ] && expect "https: expired.example.com refused: expired" "certificate has expired" "$out" || bad "https: expired.example.com: curl exit $rc, want 60" "$out"
out=$(tls untrusted.example.com); rc=$?
[ $rc = 60 ] && expect "https: untrusted.example.com refused: unknown issuer" "unable to get local issuer certificate" "$out" || bad "https: untrusted.example.com: curl exit $rc, want 60" "$out"
out=$(tls wrong.example.com); rc=$?
[ $rc = 60 ] && expect "https: wrong.example.com refused: name mismatch" "no alternative certificate subject name matches target host name 'wrong.example.com'" "$out" || bad "https: wrong.example.com: curl exit $rc, want 60" "$out"
out=$($PEER curl -sS --max-time 5 -o /dev/null --resolve www.example.com:443:192.0.2.10 https://www.example.com/ 2>&1); rc=$?
[ $rc = 60 ] && ok "https: without the lab CA, www.example.com is refused" || bad "https: without the lab CA: curl exit $rc, want 60" "$out"

# --- a second lab side by side ---------------------------------------------
out=$("$WW" lab up --lab $LAB2 2>&1); rc=$?
[ $rc = 0 ] && ok "second lab $LAB2 up beside $LAB" || bad "second lab up (exit $rc)" "$out"
check "both labs: status all up ($LAB)" "$WW" lab status --lab $LAB
check "both labs: status all up ($LAB2)" "$WW" lab status --lab $LAB2
out=$(ip netns exec ww-$LAB2-peer curl -sS --max-time 5 -o /dev/null -w '%{http_code} %{size_download}' http://192.0.2.10/4000.html 2>&1)
expect "$LAB2: its own nginx answers" "^200 4000$" "$out"
if ! cmp -s "$RUN/$LAB/pki/ca.pem" "$RUN/$LAB2/pki/ca.pem"; then ok "each lab has its own CA"; else bad "the two labs share a CA"; fi
out=$("$WW" lab down --lab $LAB2 2>&1); rc=$?
[ $rc = 0 ] && ok "lab down $LAB2" || bad "lab down $LAB2 (exit $rc)" "$out"
check "nothing of $LAB2 is left" gone $LAB2
check "$LAB is untouched by $LAB2's removal" "$WW" lab status --lab $LAB

# --- repair after kill -9 ----------------------------------------------------
nginx_pid=$(cat $RUN/$LAB/nginx/nginx.pid)
worker=$(ps -o pid= --ppid "$nginx_pid" | head -1 | tr -d ' ')
kill -9 "$nginx_pid" "$(cat $RUN/$LAB/unbound/unbound.pid)" "$(cat $RUN/$LAB/nsd-example/nsd.pid)"
sleep 0.2
"$WW" lab status --lab $LAB >/dev/null 2>&1; rc=$?
[ $rc != 0 ] && ok "status exits non-zero after kill -9 of nginx, unbound and nsd" || bad "status still 0 after kill -9"
out=$("$WW" lab up --lab $LAB 2>&1); rc=$?
[ $rc = 0 ] && expect "lab up repairs the killed servers" "\(repaired\)" "$out" || bad "lab up after kill -9 (exit $rc)" "$out"
check "status all up after the repair" "$WW" lab status --lab $LAB
[ -n "$worker" ] && { [ -d /proc/"$worker" ] && ! grep -q '^State:.*Z' /proc/"$worker"/status && bad "the killed nginx master's worker $worker still runs" || ok "the orphaned nginx worker is gone"; }
out=$($PEER dig +time=2 +tries=1 +short @203.0.113.53 www.example.com A | tail -1)
expect "after the repair unbound resolves again" "^192\.0\.2\.10$" "$out"

# --- half-made labs ------------------------------------------------------------
ip netns delete ww-$LAB-router
"$WW" lab status --lab $LAB >/dev/null 2>&1; rc=$?
[ $rc != 0 ] && ok "status exits non-zero with the router's namespace gone" || bad "status 0 with the router gone"
out=$("$WW" lab up --lab $LAB 2>&1); rc=$?
[ $rc = 0 ] && ok "lab up rebuilds a lab missing its router ($out)" || bad "lab up with the router gone (exit $rc)" "$out"
check "status all up after the rebuild" "$WW" lab status --lab $LAB

ns_pids=$(for h in client router peer net; do ip netns pids ww-$LAB-$h; done | sort -n | tr '\n' ' ')
expect "the lab's namespaces hold its servers" "[0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+" "$ns_pids"
out=$("$WW" lab down --lab $LAB 2>&1); rc=$?
[ $rc = 0 ] && ok "lab down" || bad "lab down (exit $rc)" "$out"
check "nothing of $LAB is left after lab down" gone $LAB
alive=""
for p in $ns_pids; do
	[ -e /proc/$p ] && ! grep -q '^State:[[:space:]]*Z' /proc/$p/status 2>/dev/null && alive="$alive $p"
done
[ -z "$alive" ] && ok "every process that was in the lab's namespaces has ended" || bad "still running after lab down:$alive" "$(ps -o pid,args -p ${alive// /,} 2>&1)"

# A lab up killed half way (early, then while servers start), plus a
# stray process in one of its namespaces.
for delay in 0.05 0.25; do
	"$WW" lab up --lab $LAB >/dev/null 2>&1 &
	upid=$!
	sleep $delay
	kill -9 $upid 2>/dev/null
	wait $upid 2>/dev/null
	ip netns add ww-$LAB-peer 2>/dev/null
	ip netns exec ww-$LAB-peer sleep 300 &
	stray=$!
	sleep 0.1
	out=$("$WW" lab down --lab $LAB 2>&1); rc=$?
	[ $rc = 0 ] && ok "lab down after a lab up killed after ${delay}s" || bad "lab down of a half-made lab (exit $rc)" "$out"
	check "nothing of the half-made $LAB is left" gone $LAB
	wait $stray 2>/dev/null; rc=$?
	[ $rc -gt 128 ] && ok "the stray process in its namespace was ended (exit $rc)" || bad "the stray process ended with $rc, not by a signal"
done

echo "test_lab: $pass passed, $fail failed"
[ $fail = 0 ]
