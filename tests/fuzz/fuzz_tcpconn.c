/* libFuzzer target: the TCP state machine. One connection to
 * 192.0.2.10:80 (and a listener on 8080), driven by a list of records:
 *
 *   op (1 byte)  len (2 bytes, big-endian)  data (len bytes, cut at the end)
 *
 * op % 8: 0 a segment from the peer built from DATA relative to the
 * connection (flags 2 bytes, sequence and acknowledgment offsets 4 bytes
 * each, window 2, option bits 1, then the payload); 1 let LEN ms pass and
 * run the timers; 2 queue LEN bytes; 3 read up to LEN bytes; 4 close;
 * 5 abort; 6 connect again; 7 DATA as a raw segment (checksum filled).
 * After every record the connection's invariants must hold: SND.UNA <=
 * SND.NXT <= SND.MAX, the buffers within their sizes, the out-of-order
 * queue sorted, disjoint, beyond RCV.NXT and counted right. Every segment
 * sent must parse, carry a right checksum, and no more than SMSS bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ww/bytes.h"
#include "ww/checksum.h"
#include "ww/cursor.h"
#include "ww/tcpconn.h"

#include "../../src/net/tcp_int.h" /* the out-of-order queue's nodes */

#define OUR 0xc0a80105u
#define WEB 0xc000020au

/* The connection by its number: a closed one's slot may be taken by a
 * new one (a SYN to the listener), so no pointer is kept across calls. */
static struct ww_tcp_host *host;
static unsigned conn_id;

static struct ww_tcb *cur(void)
{
	return host && conn_id ? ww_tcp_find(host, conn_id) : NULL;
}

static int output(void *arg, uint32_t dst, const uint8_t *seg, size_t len, uint64_t now)
{
	(void)arg, (void)now;
	if (ww_l4_csum(OUR, dst, 6, seg, len) != 0)
		abort();
	struct ww_cursor c;
	ww_cur_init(&c, seg, len, 0);
	struct ww_tcp t;
	if (ww_tcp_parse(&c, &t) < 0)
		abort();
	struct ww_tcb *conn = cur();
	if (conn && dst == conn->rip && t.sport == conn->lport && conn->state != WW_TCPS_CLOSED &&
	    ww_cur_left(&c) > conn->smss)
		abort();
	return 0;
}

static void ev(void *arg, const struct ww_event *e)
{
	(void)arg;
	if (!e->text || strlen(e->text) > 400)
		abort();
}

static void check(const struct ww_tcb *c)
{
	if (!c || c->state == WW_TCPS_CLOSED)
		return;
	if (ww_seq_gt(c->snd_una, c->snd_nxt) || ww_seq_gt(c->snd_nxt, c->snd_max))
		abort();
	if (c->rcv.len > c->rcv.cap || c->snd.len > c->snd.cap || c->rcv.cap != c->rcvbuf)
		abort();
	size_t bytes = 0;
	unsigned segs = 0;
	uint32_t end = c->rcv_nxt;
	for (const struct ww_tcp_ooo *n = c->ooo; n; n = n->next) {
		if (n->len == 0 || ww_seq_lt(n->seq, end))
			abort();
		end = n->seq + n->len;
		bytes += n->len;
		segs++;
	}
	if (bytes != c->ooo_bytes || segs != c->ooo_segs)
		abort();
	if (ww_seq_lt(c->rcv_adv, c->rcv_nxt) && c->state != WW_TCPS_SYN_SENT)
		abort();
}

static void segment(struct ww_tcp_host *h, const uint8_t *d, size_t n, uint64_t now, bool raw)
{
	static uint8_t seg[WW_TCP_MAX_HLEN + 65535];
	struct ww_ipv4 ip;
	ww_ipv4_init(&ip);
	ip.src = WEB;
	ip.dst = OUR;
	ip.proto = 6;
	size_t len;
	struct ww_tcb *conn = cur();
	if (raw) {
		if (n < 18)
			return;
		memcpy(seg, d, n);
		ww_put16(seg + 16, 0);
		ww_put16(seg + 16, ww_l4_csum(WEB, OUR, 6, seg, n));
		len = n;
	} else {
		if (n < 13 || !conn)
			return;
		struct ww_tcp t;
		memset(&t, 0, sizeof t);
		t.sport = conn->rport;
		t.dport = conn->lport;
		t.flags = ww_get16(d) & 0x1ff;
		t.seq = conn->rcv_nxt + ww_get32(d + 2);
		t.ack = conn->snd_una + ww_get32(d + 6);
		t.window = ww_get16(d + 10);
		uint8_t o = d[12];
		t.has_mss = o & 1, t.mss = 536 + (o >> 4) * 64;
		t.has_wscale = o & 2, t.wscale = o >> 4;
		t.sack_perm = o & 4;
		if (o & 8) {
			t.has_ts = true;
			t.tsval = (uint32_t)(now / 1000000) + (o >> 4);
			t.tsecr = t.tsval;
		}
		if ((o & 0x40) && n >= 21) {
			t.nsack = 1;
			t.sack[0].left = conn->snd_una + ww_get32(d + 13);
			t.sack[0].right = t.sack[0].left + ww_get32(d + 17) % 70000;
		}
		size_t hlen = ww_tcp_header_len(&t);
		size_t plen = n - 13;
		memcpy(seg + hlen, d + 13, plen);
		len = ww_tcp_emit(&t, WEB, OUR, seg, hlen + plen) ? hlen + plen : 0;
		if (!len)
			return;
	}
	ww_tcp_input(h, &ip, seg, len, now);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ww_tcp_env env = { .ip = OUR, .mtu = 1500, .output = output, .ev = ev, .seed = 1 };
	struct ww_tcp_settings s;
	ww_tcp_settings_default(&s);
	s.opt_wscale = s.opt_sack = s.opt_ts = size % 2;
	s.rcvbuf = size % 3 ? 65535 : 3000;
	struct ww_tcp_host *h = host = ww_tcp_host_new(&env, &s);
	if (!h)
		abort();
	uint64_t now = 1000000000ull;
	ww_tcp_listen(h, 8080);
	conn_id = 0;
	struct ww_tcb *conn = ww_tcp_connect(h, WEB, 80, 0, now);
	conn_id = conn ? conn->id : 0;
	static uint8_t buf[65536];
	while (size >= 3) {
		uint8_t op = data[0];
		size_t len = ww_get16(data + 1);
		data += 3;
		size -= 3;
		size_t n = len < size ? len : size;
		conn = cur();
		switch (op % 8) {
		case 0: segment(h, data, n, now, false); break;
		case 1:
			now += (uint64_t)len * 1000000;
			while (ww_tcp_next_deadline(h) <= now)
				ww_tcp_poll(h, ww_tcp_next_deadline(h));
			break;
		case 2: if (conn) ww_tcp_send(conn, buf, len, now); n = 0; break;
		case 3: if (conn) ww_tcp_recv(conn, buf, len, now); n = 0; break;
		case 4: if (conn) ww_tcp_close(conn, now); n = 0; break;
		case 5: if (conn) ww_tcp_abort(conn, now); n = 0; break;
		case 6:
			if (!conn || conn->state == WW_TCPS_CLOSED) {
				conn_id = 0;
				conn = ww_tcp_connect(h, WEB, 80, 0, now);
				conn_id = conn ? conn->id : 0;
			}
			n = 0;
			break;
		case 7: segment(h, data, n, now, true); break;
		}
		data += n;
		size -= n;
		check(cur());
	}
	ww_tcp_host_free(h);
	host = NULL;
	return 0;
}
