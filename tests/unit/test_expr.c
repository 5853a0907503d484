/* Values as people type them: the lexer, numbers and durations, value
 * names, field names, arithmetic and variables with field access. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "view_frames.h"
#include "ww/dissect.h"
#include "ww/expr.h"

static void test_lexer(void **state)
{
	(void)state;
	const char *s = " ip(dst=192.0.2.10, type=echo-request)/tcp(seq=$reply.tcp.seq-1) == != && \"a\\\"b\" # rest";
	static const struct { enum ww_lex_kind k; const char *text; } want[] = {
		{ WW_LEX_ATOM, "ip" }, { WW_LEX_PUNCT, "(" }, { WW_LEX_ATOM, "dst" },
		{ WW_LEX_PUNCT, "=" }, { WW_LEX_ATOM, "192.0.2.10" }, { WW_LEX_PUNCT, "," },
		{ WW_LEX_ATOM, "type" }, { WW_LEX_PUNCT, "=" }, { WW_LEX_ATOM, "echo-request" },
		{ WW_LEX_PUNCT, ")" }, { WW_LEX_PUNCT, "/" }, { WW_LEX_ATOM, "tcp" },
		{ WW_LEX_PUNCT, "(" }, { WW_LEX_ATOM, "seq" }, { WW_LEX_PUNCT, "=" },
		{ WW_LEX_ATOM, "$reply.tcp.seq" }, { WW_LEX_PUNCT, "-" }, { WW_LEX_ATOM, "1" },
		{ WW_LEX_PUNCT, ")" }, { WW_LEX_PUNCT, "==" }, { WW_LEX_PUNCT, "!=" },
		{ WW_LEX_PUNCT, "&&" }, { WW_LEX_STRING, "\"a\\\"b\"" }, { WW_LEX_END, "" },
	};
	size_t pos = 0;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		struct ww_lexeme t;
		ww_lex(s, &pos, &t);
		assert_int_equal(t.kind, want[i].k);
		assert_int_equal(t.len, strlen(want[i].text));
		assert_memory_equal(s + t.pos, want[i].text, t.len);
	}
	struct ww_lexeme t;
	pos = 0;
	ww_lex("\"open", &pos, &t);
	assert_int_equal(t.kind, WW_LEX_BAD);
	pos = 0;
	ww_lex("@", &pos, &t);
	assert_int_equal(t.kind, WW_LEX_BAD);
	assert_int_equal(t.len, 1);
	uint8_t out[16];
	struct ww_expr_error err = { 0 };
	const char *q = "\"\\x41\\n\\0\\\\\"";
	pos = 0;
	ww_lex(q, &pos, &t);
	assert_int_equal(ww_lex_string(q, &t, out, sizeof out, &err), 4);
	assert_memory_equal(out, "A\n\0\\", 4);
	q = "\"\\x4\"";
	pos = 0;
	ww_lex(q, &pos, &t);
	assert_int_equal(ww_lex_string(q, &t, out, sizeof out, &err), -1);
	assert_string_equal(err.msg, "\\x needs two hex digits");
}

static void test_numbers_durations(void **state)
{
	(void)state;
	uint64_t v;
	assert_int_equal(ww_parse_number("1000", 4, &v), 0);
	assert_int_equal(v, 1000);
	assert_int_equal(ww_parse_number("0x1234", 6, &v), 0);
	assert_int_equal(v, 0x1234);
	assert_int_equal(ww_parse_number("18446744073709551615", 20, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(ww_parse_number("18446744073709551616", 20, &v), -1);
	assert_int_equal(ww_parse_number("0x", 2, &v), -1);
	assert_int_equal(ww_parse_number("12a", 3, &v), -1);
	assert_int_equal(ww_parse_number("", 0, &v), -1);
	unsigned ms;
	static const struct { const char *s; int rc; unsigned ms; } d[] = {
		{ "2", 0, 2000 }, { "2s", 0, 2000 }, { "1.5", 0, 1500 }, { "0.25s", 0, 250 },
		{ "500ms", 0, 500 }, { "0", 0, 0 }, { "86400", 0, 86400000 }, { "86401", -1, 0 },
		{ "1.5ms", -1, 0 }, { "1.2345", -1, 0 }, { "s", -1, 0 }, { "ms", -1, 0 },
		{ "2x", -1, 0 }, { ".5", 0, 500 }, { "5.", -1, 0 }, { "-1", -1, 0 },
	};
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
		ms = 12345;
		assert_int_equal(ww_parse_duration(d[i].s, strlen(d[i].s), &ms), d[i].rc);
		if (d[i].rc == 0)
			assert_int_equal(ms, d[i].ms);
	}
}

static void test_names(void **state)
{
	(void)state;
	bool alias;
	assert_ptr_equal(ww_field_lookup("tcp.seq", 7, &alias), &ww_tcp_fields[WW_TCP_F_SEQ]);
	assert_true(alias);
	assert_ptr_equal(ww_field_lookup("tcp.seq_raw", 11, &alias), &ww_tcp_fields[WW_TCP_F_SEQ]);
	assert_false(alias);
	assert_ptr_equal(ww_field_lookup("tcp.flags.ack", 13, NULL), &ww_tcp_fields[WW_TCP_F_FLAG_ACK]);
	assert_ptr_equal(ww_field_lookup("tcp.ack", 7, NULL), &ww_tcp_fields[WW_TCP_F_ACK]);
	assert_ptr_equal(ww_field_lookup("arp.pdst", 8, NULL), &ww_arp_fields[WW_ARP_F_DST_PROTO_IPV4]);
	assert_ptr_equal(ww_field_lookup("ip.ttlx", 6, NULL), &ww_ipv4_fields[WW_IP_F_TTL]);
	assert_null(ww_field_lookup("ip.ttlx", 7, NULL));
	assert_null(ww_field_lookup("tcp", 3, NULL));
	assert_string_equal(ww_field_suggest("tcp.flgs", 8), "tcp.flags");
	assert_string_equal(ww_field_suggest("tcp.sqe", 7), "tcp.seq");
	assert_null(ww_field_suggest("zzzzzz", 6));
	assert_string_equal(ww_field_protocol(&ww_ipv4_fields[WW_IP_F_TTL])->name, "ip");

	uint64_t v;
	const struct ww_field *type = &ww_icmp_fields[WW_ICMP_F_TYPE];
	assert_int_equal(ww_value_name(type, "echo-request", 12, &v), 0);
	assert_int_equal(v, 8);
	assert_int_equal(ww_value_name(type, "Echo-Reply", 10, &v), 0);
	assert_int_equal(v, 0);
	const struct ww_field *flags = &ww_tcp_fields[WW_TCP_F_FLAGS];
	assert_int_equal(ww_value_name(flags, "SA", 2, &v), 0);
	assert_int_equal(v, 0x012);
	assert_int_equal(ww_value_name(flags, "fsrpauecn", 9, &v), 0);
	assert_int_equal(v, 0x1ff);
	assert_int_equal(ww_value_name(flags, "ACK", 3, &v), 0);
	assert_int_equal(v, 0x010);
	assert_int_equal(ww_value_name(flags, "SS", 2, &v), -1);
	assert_int_equal(ww_value_name(&ww_eth_fields[WW_ETH_F_TYPE], "arp", 3, &v), 0);
	assert_int_equal(v, 0x0806);
	assert_int_equal(ww_value_name(&ww_ipv4_fields[WW_IP_F_PROTO], "tcp", 3, &v), 0);
	assert_int_equal(v, 6);
	assert_int_equal(ww_value_name(&ww_ipv4_fields[WW_IP_F_FLAG_DF], "true", 4, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(ww_value_name(&ww_ipv4_fields[WW_IP_F_TTL], "true", 4, &v), -1);
	const char *names[64];
	size_t n = ww_value_names(&ww_arp_fields[WW_ARP_F_OPCODE], names, 64);
	assert_true(n >= 4);
	assert_string_equal(names[0], "who-has");
}

static int one_frame(void *arg, const char *name, size_t len, const uint8_t **f, size_t *flen,
		     char *err, size_t errlen)
{
	(void)arg;
	if (len == 5 && memcmp(name, "reply", 5) == 0) {
		*f = vf_tcp_get, *flen = sizeof vf_tcp_get;
		return 0;
	}
	if (len == 1 && name[0] == '3') {
		*f = vf_port_unreach, *flen = sizeof vf_port_unreach;
		return 0;
	}
	snprintf(err, errlen, "no frame $%.*s", (int)len, name);
	return -1;
}

static uint8_t store[4096];

static int eval(const char *s, const struct ww_field *f, struct ww_value *v, struct ww_expr_error *err)
{
	static const struct ww_vars vars = { one_frame, NULL };
	struct ww_expr_ctx cx = { .f = f, .vars = &vars, .buf = store, .cap = sizeof store };
	size_t pos = 0;
	memset(err, 0, sizeof *err);
	int rc = ww_expr_eval(s, &pos, &cx, v, err);
	if (rc == 0 && s[pos] != '\0')
		fail_msg("%s: stopped at %zu", s, pos);
	return rc;
}

static int64_t num(const char *s, const struct ww_field *f)
{
	struct ww_value v;
	struct ww_expr_error err;
	if (eval(s, f, &v, &err) < 0)
		fail_msg("%s: %s", s, err.msg);
	assert_int_equal(v.type, WW_VAL_NUM);
	return v.n;
}

static void test_arithmetic(void **state)
{
	(void)state;
	assert_int_equal(num("1 + 2 * 3", NULL), 7);
	assert_int_equal(num("(1 + 2) * 3", NULL), 9);
	assert_int_equal(num("10 - 2 - 3", NULL), 5);
	assert_int_equal(num("-5 + 2", NULL), -3);
	assert_int_equal(num("--5", NULL), 5);
	assert_int_equal(num("0x10 * 0x10", NULL), 256);
	assert_int_equal(num("192.0.2.10 + 1", NULL), 0xc000020b);
	assert_int_equal(num("echo-request+1", &ww_icmp_fields[WW_ICMP_F_TYPE]), 9);
	struct ww_value v;
	struct ww_expr_error err;
	assert_int_equal(eval("9223372036854775807 + 1", NULL, &v, &err), -1);
	assert_string_equal(err.msg, "the result is too large");
	assert_int_equal(eval("3037000500 * 3037000500", NULL, &v, &err), -1);
	assert_int_equal(eval("02:00:00:00:00:05 + 1", NULL, &v, &err), -1);
	assert_string_equal(err.msg, "'+' works on numbers, not on a MAC address");
	assert_int_equal(eval("1 + \"x\"", NULL, &v, &err), -1);
	assert_string_equal(err.msg, "'+' works on numbers, not on bytes");
	assert_int_equal(eval("(1 + 2", NULL, &v, &err), -1);
	assert_string_equal(err.msg, "'(' without its ')'");
	assert_int_equal(eval("1 +", NULL, &v, &err), -1);
	assert_string_equal(err.msg, "a value is missing");
}

static void test_field_access(void **state)
{
	(void)state;
	/* $reply is the GET: 192.168.1.5:51418 -> 192.168.1.1:80, seq
	 * 2476809885, ack 3802630268, 75 bytes of data. */
	assert_int_equal(num("$reply.tcp.seq", NULL), 2476809885);
	assert_int_equal(num("$reply.tcp.ack", NULL), 3802630268);
	assert_int_equal(num("$reply.tcp.seq + $reply.tcp.len", NULL), 2476809885 + 75);
	assert_int_equal(num("$reply.tcp.flags", NULL), 0x018);
	assert_int_equal(num("$reply.ip.hdr_len", NULL), 20);
	assert_int_equal(num("$reply.ip.ihl", NULL), 5);
	assert_int_equal(num("$reply.ip.dst", NULL), 0xc0a80101);
	struct ww_value v;
	struct ww_expr_error err;
	assert_int_equal(eval("$reply.eth.dst", NULL, &v, &err), 0);
	assert_int_equal(v.type, WW_VAL_MAC);
	assert_memory_equal(v.mac, "\x02\x00\x00\x00\x01\x01", 6);
	assert_int_equal(eval("$reply.tcp.payload", NULL, &v, &err), 0);
	assert_int_equal(v.type, WW_VAL_BYTES);
	assert_int_equal(v.len, 75);
	assert_memory_equal(v.p, "GET / HTTP/1.1\r\n", 16);
	assert_int_equal(eval("$reply", NULL, &v, &err), 0);
	assert_int_equal(v.len, sizeof vf_tcp_get);
	/* In an ICMP error, the frame's own header comes first, the quoted one after. */
	assert_int_equal(num("$3.ip.src", NULL), 0xc0a80101);
	assert_int_equal(num("$3.udp.dstport", NULL), 9);
	assert_int_equal(eval("$3.tcp.seq", NULL, &v, &err), -1);
	assert_string_equal(err.msg, "$3 has no tcp.seq_raw (its layers: eth ip icmp ip udp data)");
	assert_int_equal(eval("$9.ip.src", NULL, &v, &err), -1);
	assert_string_equal(err.msg, "no frame $9");
	assert_int_equal(err.pos, 0);
	assert_int_equal(err.len, 2);
	assert_int_equal(eval("$reply.ip.sorc", NULL, &v, &err), -1);
	assert_string_equal(err.msg, "unknown field 'ip.sorc'; did you mean 'ip.src'?");
	assert_int_equal(err.pos, 7);
	assert_int_equal(eval("$.ip.src", NULL, &v, &err), -1);
	assert_string_equal(err.msg, "a variable needs a name: $last, $reply, $N");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lexer),
		cmocka_unit_test(test_numbers_durations),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_arithmetic),
		cmocka_unit_test(test_field_access),
	};
	return cmocka_run_group_tests_name("expr", tests, NULL, NULL);
}
