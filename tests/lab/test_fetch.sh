#!/bin/bash
# fetch and http against the lab's nginx, over wirewalk's own TCP and TLS:
# the whole journey of https://www.example.com/ (every step, HTTP 200, the
# page, its three subresources over the same connection); tshark decrypts
# the capture with our key log and sees the same request and response;
# example.com goes to https because of HSTS before anything is sent in
# clear; words become a search; an http→https redirect is followed;
# `http post` gets 201 and the JSON; the decoded bodies of the chunked and
# the gzip responses equal curl's in the same lab. tshark finds no
# malformed frame and no bad checksum in any capture.
# Run as root: tests/lab/test_fetch.sh [path/to/wirewalk]
#
# Uses a lab of its own ("t15") and removes it at the end.
LAB=t15
TOOLS=curl
. "$(dirname "$0")/lab_common.sh"
KEYLOG=$TMP/keys
CA=/run/wirewalk/$LAB/pki/ca.pem
CURL="$PEER curl -sS --cacert $CA --resolve www.example.com:443:192.0.2.10 --resolve example.com:443:192.0.2.10"

# --- the whole journey ------------------------------------------------------
run --pcap "$TMP/fetch.pcap" --keylog "$TMP/keys" -c 'fetch https://www.example.com/'
same "fetch https://www.example.com/: exit 0" 0 "$rc"
step=0
for s in 'input: a URL' 'DNS: ' 'route: ' 'ARP: ' 'TCP: ' 'TLS: ' 'HTTP: ' 'decoding: ' 'subresources: '; do
	step=$((step + 1))
	expect "step $step announced: $s" "^== $step\. $s" "$out"
done
expect "the name resolved" '^; www\.example\.com is 192\.0\.2\.10' "$out"
expect "via the gateway" 'not on our link: via the gateway 192\.168\.1\.1' "$out"
expect "the handshake" '^TCP [0-9]+ connected: 192\.168\.1\.5:[0-9]+ > 192\.0\.2\.10:443' "$out"
expect "TLS agreed, with ALPN" '^TLS: TLS 1\.[23], .*ALPN http/1\.1' "$out"
expect "the request" '^> GET / HTTP/1\.1$' "$out"
expect "... with its Host" '^> Host: www\.example\.com$' "$out"
expect "HTTP 200" '^< HTTP/1\.1 200 OK$' "$out"
expect "the page" '<h1>Example Domain</h1>' "$out"
for r in 'stylesheet /style.css: 200, text/css' 'script /app.js: 200, application/javascript' 'image /logo.png: 200, image/png'; do
	expect "subresource: $r" "^  $r" "$out"
done
expect "the timeline" '^  TLS handshake +[0-9.]+ ms' "$out"
expect "... and its total" '^fetch: HTTP 200, 4 requests' "$out"
same "one TCP connection for the page and its subresources" 1 \
	"$(tsf "$TMP/fetch.pcap" 'tcp.flags.syn == 1 && tcp.flags.ack == 0' frame.number | wc -l)"
same "tshark decrypts: our four requests" "GET / GET /style.css GET /app.js GET /logo.png" \
	"$(tsf "$TMP/fetch.pcap" 'http.request' http.request.method http.request.uri | tr '\n' ' ' | sed 's/ $//')"
same "tshark decrypts: nginx's answers" "200 200 200 200" \
	"$(tsf "$TMP/fetch.pcap" 'http.response' http.response.code | tr '\n' ' ' | sed 's/ $//')"
expect "tshark sees the page in the decrypted response" 'Example Domain' \
	"$(tshark -r "$TMP/fetch.pcap" -o tls.keylog_file:"$KEYLOG" -Y 'http.response.code == 200' -V 2>/dev/null)"
clean "fetch" "$TMP/fetch.pcap"

# --- --step: a pause before each step; Enter goes on, q stops, c runs on ------
printf '\n\nq\n' | "$WW" --lab $LAB --color off --pcap "$TMP/step.pcap" -c 'fetch --step https://www.example.com/' >"$TMP/out" 2>&1
out=$(cat "$TMP/out")
expect "--step: a pause before the first step" '^-- next: input\. Enter goes on, c runs to the end, q stops --' "$out"
expect "... Enter went on to DNS" '^== 2\. DNS: ' "$out"
expect "... q stopped before the route" '^fetch: stopped before route$' "$out"
same "... and no segment left before it" "" "$(tsf "$TMP/step.pcap" 'tcp' frame.number)"
printf 'c\n' | "$WW" --lab $LAB --color off -c 'fetch --step https://www.example.com/' >"$TMP/out" 2>&1
out=$(cat "$TMP/out")
same "--step, c: one pause only" 1 "$(printf '%s\n' "$out" | grep -c '^-- next:')"
expect "... then to the end" '^fetch: HTTP 200, 4 requests' "$out"

# --- HSTS, search, redirects ----------------------------------------------------
run --pcap "$TMP/hsts.pcap" -c 'fetch example.com'
same "fetch example.com: exit 0" 0 "$rc"
expect "HSTS upgrades before anything is sent" 'example\.com is on the HSTS preload list.*→ https://example\.com/' "$out"
same "not one segment to port 80" "" "$(tsf "$TMP/hsts.pcap" 'tcp.port == 80' frame.number)"
expect "... the page over TLS" '^< HTTP/1\.1 200 OK$' "$out"

run -c 'fetch what is dns'
same "fetch what is dns: exit 0" 0 "$rc"
expect "words are a search" "'what is dns' is a search term → http://example\.com/search\?q=what\+is\+dns" "$out"
expect "... upgraded by HSTS" 'https://example\.com/search\?q=what\+is\+dns' "$out"
# nginx's SSI echoes the query argument as sent (form-encoded, '+' for a space).
expect "... the search page answers with the words" 'Results for: <b>what\+is\+dns</b>' "$out"

run --pcap "$TMP/redir.pcap" -c 'fetch http://http.example.com/'
same "fetch http://http.example.com/: exit 0" 0 "$rc"
expect "http.example.com is not preloaded: plain http first" 'http\.example\.com is not on the HSTS list' "$out"
expect "the 301" '^< HTTP/1\.1 301 Moved Permanently$' "$out"
expect "the redirect followed" '^301 Moved Permanently → https://http\.example\.com/$' "$out"
expect "the header learned" 'HSTS: http\.example\.com asks for https only' "$out"
run -c 'fetch http://http.example.com/; fetch http://http.example.com/4000.html'
expect "the second time, HSTS remembered it" 'http\.example\.com is remembered from an earlier Strict-Transport-Security header' "$out"

# --- http over tcp connect and tls connect ---------------------------------------
run -c "tls connect www.example.com; http post /api/items '{\"name\":\"foo\"}'"
same "http post: exit 0" 0 "$rc"
expect "POST sent with its type" '^> Content-Type: application/json$' "$out"
expect "201 Created" '^< HTTP/1\.1 201 Created$' "$out"
expect "... and the JSON" '^\{"id":1,"name":"widget"\}$' "$out"

# The decoded bodies equal curl's: chunked (nginx's SSI) and gzip (CSS).
$CURL -o "$TMP/curl-chunked" https://www.example.com/chunked.html
$CURL --compressed -o "$TMP/curl-css" https://www.example.com/style.css
run -c 'tls connect www.example.com; http get /chunked.html -o '"$TMP/ww-chunked"'; http get /style.css -o '"$TMP/ww-css"
same "chunked and gzip over one TLS connection: exit 0" 0 "$rc"
expect "chunked on the wire" '^< Transfer-Encoding: chunked$' "$out"
expect "gzip on the wire" '^< Content-Encoding: gzip$' "$out"
# The page ends with the time nginx served it (SSI date_gmt): the two
# requests may fall in different seconds, so that one value is set aside.
undated() { sed 's/Served at [^<]*</Served at (date)</' "$1" | sha256sum; }
expect "the chunked page carries its date" 'Served at [A-Z][a-z]+day, [0-9]' "$(cat "$TMP/ww-chunked")"
same "the chunked body equals curl's" "$(undated "$TMP/curl-chunked")" "$(undated "$TMP/ww-chunked")"
same "the gzip body equals curl's" "$(sha256sum <"$TMP/curl-css")" "$(sha256sum <"$TMP/ww-css")"
same "keep-alive: both requests over one connection" 1 "$(printf '%s\n' "$out" | grep -c '^TCP [0-9]* connected')"
run -c 'tcp connect www.example.com 80; http head /10M.bin; http get /4000.html'
expect "HEAD over plain TCP: the length, no body" '^< Content-Length: 10485760$' "$out"
expect "... none read" 'HTTP 200 in [0-9.]+ ms: 0 body bytes on the wire' "$out"
same "... two requests, one connection" 1 "$(printf '%s\n' "$out" | grep -c '^TCP [0-9]* connected')"

run -c "fetch https://www.example.com/4000.html -o $TMP/ww-4000"
$CURL --compressed -o "$TMP/curl-4000" https://www.example.com/4000.html
expect "fetch -o: the body goes to the file" "^4000 bytes written to $TMP/ww-4000\$" "$out"
same "... the same bytes as curl's" "$(sha256sum <"$TMP/curl-4000")" "$(sha256sum <"$TMP/ww-4000")"

# --- bad input: named, and the shell goes on -------------------------------------
run -c 'http get /'
expect "http without a connection says what to do" 'no connection: open one first' "$err"
run -c 'fetch https://exa mple.com/'
expect "a broken URL is named" "fetch: 'https://exa mple.com/' looks like a URL but is not one" "$err"
run -c 'fetch https://nowhere.example.com/'
same "an unknown name: exit 1" 1 "$rc"
expect "... named" 'nowhere\.example\.com' "$err"

finish
