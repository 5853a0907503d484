/* The HTTP/1.1 response parser fed arbitrary bytes in pieces whose sizes
 * come from the input itself: it must never crash, and feeding the same
 * bytes in one piece must give the same outcome. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ww/http.h"

static struct ww_http_resp a, b;
static uint8_t body_a[4096], body_b[4096];

static void setup(struct ww_http_resp *p, uint8_t *buf, bool head)
{
	ww_http_resp_init(p);
	p->head = head;
	p->chunk_max = 1u << 20;
	p->body_buf = buf;
	p->body_cap = 4096;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t seed = data[0];
	data++;
	size--;
	bool head = seed & 1;
	struct ww_http_error e1, e2;
	setup(&a, body_a, head);
	long r1 = ww_http_resp_feed(&a, data, size, &e1);
	int f1 = r1 < 0 ? -1 : ww_http_resp_eof(&a, &e1);

	/* The same bytes in pieces of 1..(seed>>1)+1 bytes. */
	setup(&b, body_b, head);
	size_t step = (size_t)(seed >> 1) + 1, i = 0;
	long r2 = 0;
	while (i < size && !ww_http_resp_done(&b)) {
		size_t n = size - i < step ? size - i : step;
		r2 = ww_http_resp_feed(&b, data + i, n, &e2);
		if (r2 < 0)
			break;
		i += (size_t)r2;
		if ((size_t)r2 < n)
			break;
		step = step * 3 % 61 + 1;
	}
	int f2 = r2 < 0 ? -1 : ww_http_resp_eof(&b, &e2);
	if (f1 != f2 || (f1 < 0 && e1.code != e2.code))
		abort();
	if (f1 == 0 && (a.status != b.status || a.body_len != b.body_len ||
			memcmp(body_a, body_b, a.body_len) != 0))
		abort();
	ww_http_resp_free(&a);
	ww_http_resp_free(&b);
	return 0;
}
