/* Addresses as people write them: MAC addresses as six hex pairs, IPv4
 * addresses as dotted quads. The parsers are strict on purpose: a typo in a
 * crafted packet should be an error, not a different address. */
#include <string.h>

#include "ww/eth.h"
#include "ww/ipv4.h"

char *ww_mac_str(const uint8_t mac[6], char *buf)
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 6; i++) {
		buf[i * 3] = hex[mac[i] >> 4];
		buf[i * 3 + 1] = hex[mac[i] & 15];
		buf[i * 3 + 2] = i < 5 ? ':' : '\0';
	}
	return buf;
}

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int ww_mac_parse(const char *s, uint8_t mac[6])
{
	uint8_t out[6];
	char sep = '\0';
	/* Exactly six pairs of hex digits and one separator, ':' or '-', used
	 * throughout. Each character is looked at only if the one before it
	 * was not the terminating NUL. */
	for (int i = 0; i < 6; i++) {
		const char *p = s + i * 3;
		int hi = hex_digit(p[0]);
		int lo = hi < 0 ? -1 : hex_digit(p[1]);
		if (lo < 0)
			return -1;
		if (i == 0) {
			sep = p[2];
			if (sep != ':' && sep != '-')
				return -1;
		} else if (p[2] != (i < 5 ? sep : '\0')) {
			return -1;
		}
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, out, 6);
	return 0;
}

char *ww_ipv4_str(uint32_t addr, char *buf)
{
	char *p = buf;
	for (int shift = 24; shift >= 0; shift -= 8) {
		unsigned v = addr >> shift & 0xff;
		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		*p++ = shift ? '.' : '\0';
	}
	return buf;
}

int ww_ipv4_parse_addr(const char *s, uint32_t *addr)
{
	uint32_t out = 0;
	/* Four parts of 1 to 3 decimal digits, 0..255, separated by single
	 * dots, nothing before or after. A leading zero ("010") is refused:
	 * inet_aton would read it as octal, inet_pton refuses it. */
	for (int part = 0; part < 4; part++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
			return -1;
		unsigned v = 0;
		int digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (v > 255)
			return -1;
		out = out << 8 | v;
		if (*s != (part < 3 ? '.' : '\0'))
			return -1;
		if (part < 3)
			s++;
	}
	*addr = out;
	return 0;
}
