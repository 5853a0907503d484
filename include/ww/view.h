/* What a person sees of a frame, all fed by the dissection's layers and
 * items (and so by the protocols' field tables). Every view writes to a
 * FILE; none reads anything but the dissection. */
#ifndef WW_VIEW_H
#define WW_VIEW_H

#include <stdbool.h>
#include <stdio.h>

#include "ww/dissect.h"

enum ww_color_mode { WW_COLOR_AUTO, WW_COLOR_ON, WW_COLOR_OFF };

/* Colour on a terminal only: MODE on/off decides; auto means FD is a tty,
 * NO_COLOR (https://no-color.org) is unset or empty, and TERM is not
 * "dumb". */
bool ww_color_wanted(enum ww_color_mode mode, int fd);

struct ww_view_opts {
	bool color;
	unsigned frame_no;  /* 1-based, shown in the summary */
	double ts;          /* seconds, relative or absolute, shown in the summary */
	bool outgoing;      /* → for sent, ← for received; summary arrow */
	bool has_dir;       /* false for frames read from a capture: no arrow */
};

/* Which views show a frame: any set of these. */
enum ww_view_set {
	WW_VIEW_SUMMARY = 1u << 0,
	WW_VIEW_TREE = 1u << 1,
	WW_VIEW_BAR = 1u << 2,
	WW_VIEW_HEX = 1u << 3,
	WW_VIEW_BITS = 1u << 4,
	WW_VIEW_ALL = (1u << 5) - 1,
};

/* Show a frame with every view in VIEWS (WW_VIEW_* bits), in the order of
 * `--view all`: summary, tree, bar, hex, bits. */
void ww_view_show(FILE *out, const struct ww_dissection *d, const struct ww_view_opts *o,
		  unsigned views);

/* One line, as `tcpdump -nn -S` prints the frame, after the frame number,
 * the time and (with has_dir) an arrow:
 * "1 0.000000 → 192.168.1.5.5353 > 203.0.113.53.53: DNS 4660+ A? www.example.com. (33)".
 * What stopped the dissection comes last: "[|tcp]" for bytes that ran
 * out, "(invalid: message)" for a wrong value. */
void ww_view_summary(FILE *out, const struct ww_dissection *d, const struct ww_view_opts *o);
/* Every field: name, value, meaning; checksums judged. */
void ww_view_tree(FILE *out, const struct ww_dissection *d, const struct ww_view_opts *o);
/* Offsets, hex coloured by layer, ASCII, and a legend of the layers. */
void ww_view_hex(FILE *out, const struct ww_dissection *d, const struct ww_view_opts *o);
/* │ Ethernet 14 B │ IPv4 20 B │ TCP 32 B │ payload 1448 B │ FCS 4 B │ */
void ww_view_bar(FILE *out, const struct ww_dissection *d, const struct ww_view_opts *o);
/* Preamble and SFD, the first bytes as bits, NRZ and Manchester drawn in
 * text, the FCS, time on the wire at 10/100/1000 Mb/s with the gap. */
void ww_view_bits(FILE *out, const struct ww_dissection *d, const struct ww_view_opts *o);
/* One JSON object on one line (no newline written):
 * {"frame":N,"len":L,"layers":[{"name":"eth","fields":{...}},...],"errors":[...]} */
void ww_view_json(FILE *out, const struct ww_dissection *d, unsigned frame_no);

/* S as a JSON string, quotes included, escaped as ww_view_json does. */
void ww_json_string(FILE *out, const char *s);

/* An IPv6 address as RFC 5952 writes it and tshark prints it: lower case,
 * leading zeros dropped, the first longest run of two or more zero groups
 * as "::"; IPv4-mapped (::ffff:0:0/96) and IPv4-compatible (::/96, except
 * :: and ::1) addresses end in dotted quad. BUF needs 46 bytes. */
char *ww_fmt_ipv6(const uint8_t addr[16], char *buf);
/* An item's value as the field tree shows it: numbers by the field's base
 * (hex padded to the field's width), addresses in their usual notation,
 * bytes as hex shortened with "…" past 32 bytes, strings quoted when they
 * hold spaces, CR, LF and tab as \r \n \t, other unprintable bytes as
 * \xNN. Returns BUF. */
char *ww_fmt_value(const struct ww_item *it, char *buf, size_t n);
/* Bits one frame of LEN captured bytes occupies on an Ethernet link:
 * preamble and SFD (8), the frame padded to 60, the FCS (4) and the
 * interframe gap (12), times 8. At R Mb/s it lasts bits / R µs. */
uint32_t ww_wire_bits(size_t len);

#endif
