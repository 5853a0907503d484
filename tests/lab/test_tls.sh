#!/bin/bash
# wirewalk's TLS (OpenSSL over our own TCP) against the lab's nginx: TLS
# 1.3 and 1.2 both complete, with SNI and ALPN http/1.1, the certificate
# checked against the lab CA; every record and handshake message is
# shown. With --pcap and --keylog, tshark decrypts the capture and finds
# the request we sent and nginx's 200 response, whose body equals curl's.
# A second connection resumes the session. The expired, untrusted and
# wrong-name certificates are each refused with a clear message, and the
# alert we sent shows in the decrypted capture. tshark finds no malformed
# frame and no bad checksum.
# Run as root: tests/lab/test_tls.sh [path/to/wirewalk]
#
# Uses a lab of its own ("t16") and removes it at the end.
LAB=t16
TOOLS=curl
. "$(dirname "$0")/lab_common.sh"
KEYLOG=$TMP/keys
CA=/run/wirewalk/$LAB/pki/ca.pem
GET='GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n'
$PEER curl -sS --cacert "$CA" --resolve www.example.com:443:192.0.2.10 -o "$TMP/curl.html" https://www.example.com/

# --- TLS 1.3, the request, and resumption -----------------------------------
run --pcap "$TMP/13.pcap" --keylog "$TMP/keys" -c "tls connect www.example.com; tls send \"$GET\"; tls recv -t 1; tls close; tls connect www.example.com; tls status; tls close"
same "TLS 1.3: exit 0" 0 "$rc"
same "... nothing on stderr" "" "$err"
expect "tls connect: TLS 1.3, ALPN http/1.1, SNI" \
	'^TLS 1\.3 on TCP 1 in [0-9.]+ ms: TLS_AES_(256|128)_GCM_SHA(384|256), key exchange x25519, ALPN http/1\.1, SNI www\.example\.com$' "$out"
expect "... the certificate, verified against the lab CA" \
	"^verified: the chain leads to a CA we trust \(the lab's CA\), and www\.example\.com is one of the certificate's names\$" "$out"
expect "... its subject, issuer, validity, names" \
	"^  subject O = wirewalk lab, CN = example\.com
  issuer  O = wirewalk lab, CN = wirewalk lab CA \($LAB\)
  valid   [0-9-]+ [0-9:]+ UTC \.\. [0-9-]+ [0-9:]+ UTC
  names   example\.com, www\.example\.com, http\.example\.com" "$(printf '%s\n' "$out" | sed -n '/^certificate:/,/names/p')"
for m in 'TLS → record: handshake \(22\), TLS 1\.0, [0-9]+ bytes' \
	'TLS → ClientHello for www\.example\.com, ALPN http/1\.1: ' \
	'^      cipher suites \([0-9]+\): TLS_AES_256_GCM_SHA384, ' \
	'^        server_name: www\.example\.com$' \
	'^        application_layer_protocol_negotiation: http/1\.1$' \
	'^        supported_versions: TLS 1\.3, TLS 1\.2$' \
	'TLS ← ServerHello: TLS 1\.3 \(from supported_versions; the version field says TLS 1\.2\)' \
	'TLS ← record: application_data \(23\), TLS 1\.2, [0-9]+ bytes, encrypted; inside: handshake' \
	'TLS ← EncryptedExtensions' \
	'TLS ← Certificate: 1 certificate' \
	'TLS ← CertificateVerify: the handshake so far, signed with ecdsa_secp256r1_sha256' \
	'TLS ← Finished: verify_data 48 bytes' \
	'TLS → Finished: verify_data 48 bytes' \
	'• TLS on TCP 1: handshake done in [0-9.]+ ms: TLS 1\.3' \
	'TLS ← NewSessionTicket' \
	'TLS → Alert: warning, close_notify \(0\)'; do
	expect "shown: $m" "$m" "$out"
done
# The ClientHello's record goes out in the frame right after its lines.
expect "the ClientHello is shown before the frame that carries it" \
	'^ *[0-9]+ [0-9.]+ → 192\.168\.1\.5\.[0-9]+ > 192\.0\.2\.10\.443: Flags \[P\.\]' \
	"$(printf '%s\n' "$out" | sed -n '/TLS → ClientHello/,$p' | grep -m1 -E '^ *[0-9]+ [0-9.]+ [→←]')"
expect "tls send: one record" '^TLS on TCP 1: 41 bytes of plaintext sent in 1 record \(63 bytes on TCP\), all acknowledged$' "$out"
expect "tls recv: nginx's 200" '^HTTP/1\.1 200 OK' "$out"
printf '%s\n' "$out" | tr -d '\r' | sed -n '/^HTTP\/1.1 200 OK$/,/^<\/html>$/p' | sed '1,/^$/d' >"$TMP/ours.html"
if [ -s "$TMP/ours.html" ] && cmp -s "$TMP/ours.html" "$TMP/curl.html"; then
	ok "the page equals curl's ($(stat -c %s "$TMP/ours.html") bytes)"
else
	bad "the page equals curl's" "$(diff "$TMP/ours.html" "$TMP/curl.html" 2>&1 | head)"
fi
expect "the second connection resumes" \
	'• TLS on TCP 2: handshake done in [0-9.]+ ms: TLS 1\.3, .*resumed from a kept session' "$out"
expect "... offering the ticket the first one kept" 'TLS on TCP 2: offering the session kept for www\.example\.com:443' "$out"
expect "... and says what the session layer amounts to" '"session layer" amounts to in TCP/IP practice' "$out"
same "... without a certificate this time" 1 "$(printf '%s\n' "$out" | grep -c 'TLS ← Certificate:')"
expect "tls status: the session" '^  handshake  [0-9.]+ ms, resumed \(abbreviated: no certificate\)$' "$out"

expect "the key log has TLS 1.3's secrets" '^CLIENT_TRAFFIC_SECRET_0 [0-9a-f]{64} [0-9a-f]{96}$' "$(cat "$TMP/keys")"
same "tshark decrypts our request" "GET / www.example.com" \
	"$(tsf "$TMP/13.pcap" 'http.request' http.request.method http.request.uri http.host)"
same "... and nginx's answer" "200 text/html" \
	"$(tsf "$TMP/13.pcap" 'http.response' http.response.code http.content_type)"
same "tshark sees our SNI and ALPN in both ClientHellos" "www.example.com http/1.1
www.example.com http/1.1" \
	"$(tsf "$TMP/13.pcap" 'tls.handshake.type == 1' tls.handshake.extensions_server_name tls.handshake.extensions_alpn_str)"
same "... and a pre_shared_key in the second only" "1" \
	"$(tsf "$TMP/13.pcap" 'tls.handshake.type == 1 && tls.handshake.extension.type == 41' frame.number | wc -l)"
clean "TLS 1.3" "$TMP/13.pcap"

# --- TLS 1.2 -------------------------------------------------------------------
run --pcap "$TMP/12.pcap" --keylog "$TMP/keys" -c "set tls.version 1.2; tls connect www.example.com; tls send \"$GET\"; tls recv -t 1; tls close; tls connect www.example.com; tls close"
same "TLS 1.2: exit 0" 0 "$rc"
expect "tls connect: TLS 1.2 with ECDHE" \
	'^TLS 1\.2 on TCP 1 in [0-9.]+ ms: TLS_ECDHE_ECDSA_WITH_AES_(256|128)_GCM_SHA(384|256), key exchange x25519, ALPN http/1\.1' "$out"
for m in 'TLS ← ServerHello: TLS 1\.2, cipher TLS_ECDHE_ECDSA_' \
	'random ends in "DOWNGRD\\x01"' \
	'TLS ← Certificate: 1 certificate' \
	'TLS ← ServerKeyExchange: ECDHE on x25519' \
	'TLS ← ServerHelloDone' \
	'TLS → ClientKeyExchange: our ECDHE public key, 32 bytes' \
	'TLS → ChangeCipherSpec: from the next record on, this side encrypts' \
	'TLS ← ChangeCipherSpec: from the next record on, this side encrypts' \
	'TLS → Finished: verify_data 12 bytes' \
	'TLS ← Finished: verify_data 12 bytes' \
	'TLS on TCP 2: handshake done in [0-9.]+ ms: TLS 1\.2, .*resumed from a kept session'; do
	expect "shown: $m" "$m" "$out"
done
expect "tls recv: nginx's 200 over TLS 1.2" '^HTTP/1\.1 200 OK' "$out"
# Full: ClientHello, ServerHello, Certificate, ServerKeyExchange,
# ServerHelloDone, ClientKeyExchange, Finished, NewSessionTicket, Finished;
# resumed: ClientHello, ServerHello, Finished, Finished.
same "tshark: the handshake messages of both connections (decrypted)" "1 2 11 12 14 16 20 4 20 1 2 20 20" \
	"$(tsf "$TMP/12.pcap" 'tls.handshake.type' tls.handshake.type | tr ',\n' '  ' | sed 's/ *$//')"
same "tshark decrypts the TLS 1.2 request and answer" "GET / 200" \
	"$(tsf "$TMP/12.pcap" 'http' http.request.method http.request.uri http.response.code | tr '\n' ' ' | sed 's/ *$//;s/  */ /g')"
clean "TLS 1.2" "$TMP/12.pcap"

# --- wrong certificates ------------------------------------------------------------
run --pcap "$TMP/bad.pcap" --keylog "$TMP/keys" --keep-going -c 'tls connect expired.example.com; tls connect untrusted.example.com; tls connect wrong.example.com; tls connect www.example.com 80'
same "wrong certificates: exit 1" 1 "$rc"
expect "expired: refused, with its dates" \
	'^wirewalk: tls connect: certificate expired: "O = wirewalk lab, CN = expired\.example\.com" was valid from [0-9-]+ [0-9:]+ UTC until [0-9-]+ [0-9:]+ UTC \[certificate has expired\]$' "$err"
expect "untrusted: refused, naming the unknown CA" \
	"^wirewalk: tls connect: certificate not trusted: \"O = wirewalk lab, CN = untrusted\.example\.com\" is issued by \"O = wirewalk lab, CN = Rogue CA \(not trusted by anyone\)\", a CA we do not trust \(we trust the CA in $CA\)" "$err"
expect "wrong name: refused, with the names it holds" \
	'^wirewalk: tls connect: wrong name: the certificate is for example\.net, www\.example\.net, not for wrong\.example\.com \[hostname mismatch\]$' "$err"
expect "port 80: not TLS" \
	'^wirewalk: tls connect: the server.s answer is not TLS: it begins "HTTP/1\.1 400 Bad"' "$err"
for a in 'certificate_expired \(45\)' 'unknown_ca \(48\)' 'bad_certificate \(42\)'; do
	expect "the alert we sent is shown: $a" "TLS → Alert: fatal, $a: the connection ends here" "$out"
done
same "tshark decrypts the three alerts we sent" "2 45
2 48
2 42" "$(tsf "$TMP/bad.pcap" 'tls.alert_message && ip.src == 192.168.1.5' tls.alert_message.level tls.alert_message.desc)"
same "... each after the server's certificate" "3" \
	"$(tsf "$TMP/bad.pcap" 'tls.handshake.type == 11' frame.number | wc -l)"
same "no HTTP went over them" "" "$(tsf "$TMP/bad.pcap" 'http && tcp.port == 443' frame.number)"
clean "wrong certificates" "$TMP/bad.pcap"

# --- usage -------------------------------------------------------------------------
run -c 'tls send hi'
same "tls send without a connection: exit 1" 1 "$rc"
expect "... says so" '^wirewalk: tls send: no TLS connection \(tls connect HOST \[PORT\]\)$' "$err"
run -c 'set tls.version 1.1'
expect "set tls.version 1.1: refused" "^wirewalk: set tls.version: '1\.1' is not one of 1\.2\|1\.3\|auto\$" "$err"
"$WW" --keylog /nonexistent-dir/keys -c 'help tls' >/dev/null 2>"$TMP/err"
expect "--keylog into a missing directory: refused at once" '^wirewalk: --keylog: cannot open /nonexistent-dir/keys$' "$(cat "$TMP/err")"

finish
