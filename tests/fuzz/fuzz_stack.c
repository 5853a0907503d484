/* libFuzzer target: the stack taking in frames and running its timers.
 * The input is a list of records, each an operation on a stack owned by
 * 192.168.1.5/24 via 192.168.1.1:
 *
 *   op (1 byte)  len (2 bytes, big-endian)  data (len bytes, cut at the end)
 *
 * op % 4: 0 take DATA in as a frame; 1 let LEN * 10 ms pass and run the
 * timers (no data); 2 ping the address in DATA (4 bytes) with LEN bytes of
 * echo data and TTL op / 4; 3 send DATA as a hand-built datagram. The clock only
 * moves forward. Every frame the stack sends must be a frame: 60 bytes at
 * least, and no longer than an Ethernet header, the MTU and nothing else
 * (or the hand-built datagram it was given). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ww/bytes.h"
#include "ww/stack.h"

static size_t longest_allowed = 14 + 1500;

static int tx(void *arg, const uint8_t *frame, size_t len)
{
	(void)arg;
	if (len < 60 || len > longest_allowed)
		abort();
	/* Touch every byte: ASan catches a frame built past its buffer. */
	volatile uint8_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum ^= frame[i];
	(void)sum;
	return 0;
}

static void ev(void *arg, const struct ww_event *e)
{
	(void)arg;
	if (!e->text || strlen(e->text) > 255)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ww_stack_config cfg = {
		.mac = { 0x02, 0, 0, 0, 0, 0x05 }, .ip = 0xc0a80105, .prefix = 24, .gw = 0xc0a80101,
	};
	struct ww_stack *st = ww_stack_new(&cfg, tx, NULL, ev, NULL);
	if (!st)
		abort();
	uint64_t now = 1000000000ull;
	uint16_t seq = 0;
	while (size >= 3) {
		uint8_t op = data[0];
		size_t len = ww_get16(data + 1);
		data += 3;
		size -= 3;
		size_t n = len < size ? len : size;
		if (op % 4 == 1)
			n = 0;
		else if (op % 4 == 2)
			n = size < 4 ? size : 4;
		switch (op % 4) {
		case 0:
			ww_stack_input(st, data, n, now);
			break;
		case 1:
			now += (uint64_t)len * 10000000ull;
			ww_stack_poll(st, now);
			/* Every timer due has run. */
			if (ww_stack_next_deadline(st) <= now)
				abort();
			break;
		case 2: {
			uint32_t dst = n == 4 ? ww_get32(data) : 0xc000020a;
			ww_stack_probe_send(st, dst, 7, seq++, op >> 2, len, 1000000000ull, now);
			break;
		}
		case 3:
			/* It may wait for ARP and leave later, as it is. */
			if (14 + n > longest_allowed)
				longest_allowed = 14 + n;
			ww_stack_send_datagram(st, data, n, now);
			break;
		}
		data += n;
		size -= n;
	}
	longest_allowed = 14 + 1500;
	ww_stack_free(st);
	return 0;
}
