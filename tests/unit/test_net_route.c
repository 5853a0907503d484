/* The routing table: longest-prefix match, ties, add and delete with
 * their refusals, prefixes parsed, and `route lookup`'s explanation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ww/route.h"

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

/* The lab's client: 192.168.1.0/24 on-link, default via 192.168.1.1. */
static void lab_table(struct ww_route_table *t)
{
	char why[96];
	ww_route_init(t);
	assert_int_equal(ww_route_add(t, IP4(192, 168, 1, 0), 24, 0, WW_ROUTE_CONNECTED, why,
				      sizeof why), 0);
	assert_int_equal(ww_route_add(t, 0, 0, IP4(192, 168, 1, 1), WW_ROUTE_DEFAULT, why,
				      sizeof why), 0);
}

static void test_mask(void **state)
{
	(void)state;
	assert_int_equal(ww_prefix_mask(0), 0);
	assert_int_equal(ww_prefix_mask(1), 0x80000000u);
	assert_int_equal(ww_prefix_mask(24), 0xffffff00u);
	assert_int_equal(ww_prefix_mask(31), 0xfffffffeu);
	assert_int_equal(ww_prefix_mask(32), 0xffffffffu);
}

static void test_prefix_parse(void **state)
{
	(void)state;
	uint32_t net;
	uint8_t p;
	assert_int_equal(ww_prefix_parse("198.51.100.0/24", &net, &p), 0);
	assert_int_equal(net, IP4(198, 51, 100, 0));
	assert_int_equal(p, 24);
	assert_int_equal(ww_prefix_parse("0.0.0.0/0", &net, &p), 0);
	assert_int_equal(net, 0);
	assert_int_equal(p, 0);
	assert_int_equal(ww_prefix_parse("192.0.2.10", &net, &p), 0);
	assert_int_equal(net, IP4(192, 0, 2, 10));
	assert_int_equal(p, 32);
	const char *bad[] = { "", "/24", "1.2.3.4/", "1.2.3.4/33", "1.2.3.4/2x", "1.2.3/8",
			      "1.2.3.4/-1", "256.1.1.1/8", "1.2.3.4/100" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(ww_prefix_parse(bad[i], &net, &p), -1);
}

static void test_lpm_lab(void **state)
{
	(void)state;
	struct ww_route_table t;
	lab_table(&t);
	/* On the LAN: the /24 wins over the /0, next hop is the host itself. */
	struct ww_route_result r = ww_route_lookup(&t, IP4(192, 168, 1, 7));
	assert_true(r.found);
	assert_int_equal(r.index, 0);
	assert_int_equal(r.route.prefix, 24);
	assert_int_equal(r.route.gw, 0);
	assert_int_equal(r.next_hop, IP4(192, 168, 1, 7));
	assert_int_equal(r.candidates, 2);
	/* Elsewhere: only the default matches, next hop the gateway. */
	r = ww_route_lookup(&t, IP4(192, 0, 2, 10));
	assert_true(r.found);
	assert_int_equal(r.index, 1);
	assert_int_equal(r.route.prefix, 0);
	assert_int_equal(r.next_hop, IP4(192, 168, 1, 1));
	assert_int_equal(r.candidates, 1);
}

static void test_lpm_longest_wins_whatever_the_order(void **state)
{
	(void)state;
	char why[96];
	struct ww_route_table t;
	ww_route_init(&t);
	/* Added from the most specific to the least and back: the order of
	 * the table must not matter. */
	assert_int_equal(ww_route_add(&t, IP4(10, 1, 2, 0), 24, IP4(192, 168, 1, 3),
				      WW_ROUTE_STATIC, why, sizeof why), 0);
	assert_int_equal(ww_route_add(&t, IP4(10, 0, 0, 0), 8, IP4(192, 168, 1, 2),
				      WW_ROUTE_STATIC, why, sizeof why), 0);
	assert_int_equal(ww_route_add(&t, IP4(10, 1, 0, 0), 16, IP4(192, 168, 1, 4),
				      WW_ROUTE_STATIC, why, sizeof why), 0);
	assert_int_equal(ww_route_add(&t, IP4(10, 1, 2, 3), 32, IP4(192, 168, 1, 9),
				      WW_ROUTE_STATIC, why, sizeof why), 0);
	assert_int_equal(ww_route_lookup(&t, IP4(10, 1, 2, 3)).next_hop, IP4(192, 168, 1, 9));
	assert_int_equal(ww_route_lookup(&t, IP4(10, 1, 2, 4)).next_hop, IP4(192, 168, 1, 3));
	assert_int_equal(ww_route_lookup(&t, IP4(10, 1, 3, 4)).next_hop, IP4(192, 168, 1, 4));
	assert_int_equal(ww_route_lookup(&t, IP4(10, 2, 3, 4)).next_hop, IP4(192, 168, 1, 2));
	assert_int_equal(ww_route_lookup(&t, IP4(10, 1, 2, 3)).candidates, 4);
	/* Nothing for 11/8 and no default: no route. */
	struct ww_route_result r = ww_route_lookup(&t, IP4(11, 0, 0, 1));
	assert_false(r.found);
	assert_int_equal(r.index, -1);
	assert_int_equal(r.candidates, 0);
	/* A /1 boundary: 128.0.0.0/1 must not catch 127.255.255.255. */
	assert_int_equal(ww_route_add(&t, IP4(128, 0, 0, 0), 1, IP4(192, 168, 1, 8),
				      WW_ROUTE_STATIC, why, sizeof why), 0);
	assert_false(ww_route_lookup(&t, IP4(127, 255, 255, 255)).found);
	assert_true(ww_route_lookup(&t, IP4(128, 0, 0, 0)).found);
}

static void test_add_refusals(void **state)
{
	(void)state;
	char why[96];
	struct ww_route_table t;
	lab_table(&t);
	assert_int_equal(ww_route_add(&t, IP4(192, 168, 1, 5), 24, 0, WW_ROUTE_STATIC, why,
				      sizeof why), -1);
	assert_string_equal(why, "192.168.1.5/24 has host bits set; the network is 192.168.1.0/24");
	assert_int_equal(ww_route_add(&t, IP4(192, 168, 1, 0), 24, 0, WW_ROUTE_STATIC, why,
				      sizeof why), -1);
	assert_non_null(strstr(why, "exists"));
	assert_int_equal(ww_route_add(&t, 0, 33, 0, WW_ROUTE_STATIC, why, sizeof why), -1);
	/* The table fills up and says so. */
	size_t room = WW_ROUTE_MAX - t.n;
	for (size_t i = 0; i < room; i++)
		assert_int_equal(ww_route_add(&t, IP4(10, (uint32_t)i, 0, 0), 16, IP4(192, 168, 1, 1),
					      WW_ROUTE_STATIC, why, sizeof why), 0);
	assert_int_equal(ww_route_add(&t, IP4(11, 0, 0, 0), 8, 0, WW_ROUTE_STATIC, why, sizeof why),
			 -1);
	assert_string_equal(why, "the routing table is full");
}

static void test_del(void **state)
{
	(void)state;
	char why[96];
	struct ww_route_table t;
	lab_table(&t);
	assert_int_equal(ww_route_add(&t, IP4(198, 51, 100, 0), 24, IP4(192, 168, 1, 7),
				      WW_ROUTE_STATIC, why, sizeof why), 0);
	assert_int_equal(ww_route_lookup(&t, IP4(198, 51, 100, 1)).next_hop, IP4(192, 168, 1, 7));
	/* Only the exact network and prefix are deleted. */
	assert_int_equal(ww_route_del(&t, IP4(198, 51, 100, 0), 25), -1);
	assert_int_equal(ww_route_del(&t, IP4(198, 51, 100, 0), 24), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(ww_route_lookup(&t, IP4(198, 51, 100, 1)).next_hop, IP4(192, 168, 1, 1));
	/* Without the default, the internet is out of reach. */
	assert_int_equal(ww_route_del(&t, 0, 0), 0);
	assert_false(ww_route_lookup(&t, IP4(198, 51, 100, 1)).found);
	assert_true(ww_route_lookup(&t, IP4(192, 168, 1, 1)).found);
	assert_int_equal(ww_route_del(&t, 0, 0), -1);
}

static void test_nested_prefixes(void **state)
{
	(void)state;
	char why[96];
	struct ww_route_table t;
	ww_route_init(&t);
	/* Two matching entries never tie: equal lengths that both match are
	 * the same network, which cannot be added twice. A /24 inside a /16
	 * added after it: the rule is "longest", not "first". */
	assert_int_equal(ww_route_add(&t, IP4(10, 0, 0, 0), 16, IP4(1, 1, 1, 1), WW_ROUTE_STATIC, why,
				      sizeof why), 0);
	assert_int_equal(ww_route_add(&t, IP4(10, 0, 1, 0), 24, IP4(2, 2, 2, 2), WW_ROUTE_STATIC, why,
				      sizeof why), 0);
	assert_int_equal(ww_route_lookup(&t, IP4(10, 0, 1, 1)).next_hop, IP4(2, 2, 2, 2));
	assert_int_equal(ww_route_lookup(&t, IP4(10, 0, 2, 1)).next_hop, IP4(1, 1, 1, 1));
}

static void test_explain(void **state)
{
	(void)state;
	struct ww_route_table t;
	lab_table(&t);
	char buf[2048];
	size_t n = ww_route_explain(&t, IP4(192, 0, 2, 10), buf, sizeof buf);
	assert_int_equal(n, strlen(buf));
	assert_non_null(strstr(buf, "192.168.1.0/24     192.0.2.10 & /24 = 192.0.2.0       no match"));
	assert_non_null(strstr(buf, "* 0.0.0.0/0          192.0.2.10 & /0  = 0.0.0.0         matches  <- the only match"));
	assert_non_null(strstr(buf, "via the gateway 192.168.1.1"));
	assert_non_null(strstr(buf, "ARP for 192.168.1.1"));

	ww_route_explain(&t, IP4(192, 168, 1, 7), buf, sizeof buf);
	assert_non_null(strstr(buf, "* 192.168.1.0/24     192.168.1.7 & /24 = 192.168.1.0     matches  <- longest"));
	assert_non_null(strstr(buf, "is on-link"));
	assert_non_null(strstr(buf, "ARP for 192.168.1.7 itself"));

	ww_route_del(&t, 0, 0);
	ww_route_explain(&t, IP4(192, 0, 2, 10), buf, sizeof buf);
	assert_non_null(strstr(buf, "No entry matches 192.0.2.10"));

	/* A small buffer is cut, never overrun. */
	char small[40];
	memset(small, 'x', sizeof small);
	n = ww_route_explain(&t, IP4(192, 0, 2, 10), small, sizeof small);
	assert_int_equal(n, sizeof small - 1);
	assert_int_equal(small[sizeof small - 1], '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_prefix_parse),
		cmocka_unit_test(test_lpm_lab),
		cmocka_unit_test(test_lpm_longest_wins_whatever_the_order),
		cmocka_unit_test(test_add_refusals),
		cmocka_unit_test(test_del),
		cmocka_unit_test(test_nested_prefixes),
		cmocka_unit_test(test_explain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
