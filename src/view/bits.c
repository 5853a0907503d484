/* Below the bytes: what the NIC puts on the cable around a frame a capture
 * shows, the order the bits go out, how two line codes draw them, and how
 * long the frame holds the link. */
#include <string.h>

#include "ww/checksum.h"

#include "view_int.h"

#define SFD 0xd5
#define PREAMBLE 0x55
#define IFG 12           /* interframe gap, bytes */
#define SHOWN_BYTES 14   /* the Ethernet header */
#define CELL 4           /* characters per bit in the waveforms */
#define LABEL 14         /* width of the row labels */

static const char HIGH[] = "‾", LOW[] = "_";

/* Bit I (0 = first on the wire) of byte B: least significant first
 * (IEEE 802.3 §3.3). */
static int wire_bit(uint8_t b, int i)
{
	return b >> i & 1;
}

static void put_msb_first(FILE *out, uint8_t b)
{
	for (int i = 7; i >= 0; i--)
		fputc('0' + (b >> i & 1), out);
}

static void put_wire_order(FILE *out, uint8_t b)
{
	for (int i = 0; i < 8; i++)
		fputc('0' + wire_bit(b, i), out);
}

static void put_preamble(FILE *out)
{
	fputs("Before the frame the NIC sends a preamble and the start frame delimiter (SFD):\n", out);
	fputs("  preamble  55 55 55 55 55 55 55  sent as ", out);
	put_wire_order(out, PREAMBLE);
	fputs(" each (clock sync)\n", out);
	fputs("  SFD       d5                    sent as ", out);
	put_wire_order(out, SFD);
	fputs(": the frame starts next\n", out);
}

/* The first item that starts at byte OFF, for naming the byte. */
static const char *field_at(const struct ww_dissection *d, uint32_t off)
{
	for (unsigned i = 0; i < d->nitems; i++)
		if (d->items[i].off == off && d->items[i].len > 0)
			return d->items[i].f->name;
	return NULL;
}

static void put_first_bytes(FILE *out, const struct ww_dissection *d)
{
	uint32_t n = d->len < SHOWN_BYTES ? d->len : SHOWN_BYTES;
	if (n == 0)
		return;
	fprintf(out, "First %u byte%s, each sent least significant bit first (IEEE 802.3 §3.3):\n", n,
		n == 1 ? "" : "s");
	fputs("  offset  byte  bits      on the wire  field\n", out);
	for (uint32_t i = 0; i < n; i++) {
		const char *f = field_at(d, i);
		fprintf(out, "  %-6u  %02x    ", i, d->frame[i]);
		put_msb_first(out, d->frame[i]);
		fputs("  ", out);
		put_wire_order(out, d->frame[i]);
		if (f)
			fprintf(out, "     %s", f);
		fputc('\n', out);
	}
	bool group = d->frame[0] & 1;
	fprintf(out, "  First bit sent = eth.dst's I/G bit: %d, %s\n", group,
		group ? "group (multicast or broadcast)" : "individual (unicast)");
}

static void put_level(FILE *out, int high, int n)
{
	for (int i = 0; i < n; i++)
		fputs(high ? HIGH : LOW, out);
}

/* NRZ: the level is the bit for the whole bit time (1 high). */
static void put_nrz(FILE *out, const int *bits, int n)
{
	fprintf(out, "  %-*s", LABEL - 2, "NRZ");
	for (int i = 0; i < n; i++) {
		if (i > 0 && bits[i] != bits[i - 1])
			fputc('|', out);
		else
			put_level(out, bits[i], 1);
		put_level(out, bits[i], CELL - 1);
	}
	fputc('\n', out);
}

/* Manchester as IEEE 802.3 defines it for 10 Mb/s: every bit has a
 * transition in its middle, 0 high-to-low, 1 low-to-high; between bits
 * the level changes only when two equal bits follow each other. */
static void put_manchester(FILE *out, const int *bits, int n)
{
	fprintf(out, "  %-*s", LABEL - 2, "Manchester");
	for (int i = 0; i < n; i++) {
		int first = !bits[i];
		if (i > 0 && bits[i - 1] == bits[i]) /* the previous second half == !first */
			fputc('|', out);
		else
			put_level(out, first, 1);
		put_level(out, first, CELL / 2 - 1);
		fputc('|', out);
		put_level(out, !first, CELL / 2 - 1);
	}
	fputc('\n', out);
}

static void put_waveforms(FILE *out, const struct ww_dissection *d)
{
	int bits[16], n = 0;
	for (int i = 0; i < 8; i++)
		bits[n++] = wire_bit(SFD, i);
	if (d->len > 0)
		for (int i = 0; i < 8; i++)
			bits[n++] = wire_bit(d->frame[0], i);

	fputs("The SFD and the frame's first byte on the line, bits in the order sent:\n", out);
	fprintf(out, "%*sSFD d5", LABEL, "");
	if (d->len > 0) {
		const char *f = field_at(d, 0);
		char label[48];
		snprintf(label, sizeof label, "%s %02x", f ? f : "byte 0", d->frame[0]);
		fprintf(out, "%*s%s", 8 * CELL - 6, "", label);
	}
	fprintf(out, "\n  %-*s", LABEL - 2, "bit");
	for (int i = 0; i < n; i++) /* under the middle of the bit's cell */
		fprintf(out, "%*c", i == 0 ? CELL / 2 + 1 : CELL, '0' + bits[i]);
	fputc('\n', out);
	put_nrz(out, bits, n);
	put_manchester(out, bits, n);
	fputs("  NRZ: 1 is high, 0 is low, for the whole bit time.\n", out);
	fputs("  Manchester (IEEE 802.3): 0 = high-to-low transition mid-bit, 1 = low-to-high;\n"
	      "  G. E. Thomas's convention, used in some textbooks, is the opposite.\n", out);
	fputs("  Only 10 Mb/s Ethernet uses Manchester: 100BASE-TX sends 4B5B over MLT-3,\n"
	      "  1000BASE-T PAM-5 on four pairs.\n", out);
}

static void put_fcs(FILE *out, const struct ww_dissection *d)
{
	uint8_t padded[WW_ETH_MIN_FRAME] = { 0 };
	uint32_t fcs;
	uint32_t n = d->len;
	if (n < WW_ETH_MIN_FRAME) {
		memcpy(padded, d->frame, n);
		fcs = ww_fcs(padded, WW_ETH_MIN_FRAME);
		n = WW_ETH_MIN_FRAME;
	} else {
		fcs = ww_fcs(d->frame, n);
	}
	uint8_t wire[4];
	ww_fcs_append(wire, fcs);
	fprintf(out, "FCS: CRC-32 over the %u bytes from eth.dst to the end of the %s,\n", n,
		d->len < WW_ETH_MIN_FRAME ? "padding" : "frame");
	fprintf(out, "  computed and appended by the NIC (a capture never shows it): 0x%08x\n", fcs);
	fprintf(out, "  on the wire as %02x %02x %02x %02x: least significant byte first, each byte's\n"
		     "  bits least significant first, so the CRC's x^31 term goes first (§3.2.9)\n",
		wire[0], wire[1], wire[2], wire[3]);
}

static void put_time(FILE *out, const struct ww_dissection *d)
{
	uint32_t bits = ww_wire_bits(d->len);
	uint32_t frame = d->len < WW_ETH_MIN_FRAME ? WW_ETH_MIN_FRAME : d->len;
	fprintf(out, "Time on the wire: %u bytes = %u bits\n", bits / 8, bits);
	fprintf(out, "  8 preamble+SFD + %u frame", frame);
	if (d->len < WW_ETH_MIN_FRAME)
		fprintf(out, " (%u + %u padding)", d->len, WW_ETH_MIN_FRAME - d->len);
	fprintf(out, " + %u FCS + %u interframe gap\n", WW_ETH_FCS_LEN, IFG);
	/* bits / (Mb/s) = µs, printed exactly: no rounding to hide. */
	fprintf(out, "  10 Mb/s   %u.%u µs\n", bits / 10, bits % 10);
	fprintf(out, "  100 Mb/s  %u.%02u µs\n", bits / 100, bits % 100);
	fprintf(out, "  1 Gb/s    %u.%03u µs\n", bits / 1000, bits % 1000);
}

void ww_view_bits(FILE *out, const struct ww_dissection *d, const struct ww_view_opts *o)
{
	(void)o;
	put_preamble(out);
	put_first_bytes(out, d);
	put_waveforms(out, d);
	put_fcs(out, d);
	put_time(out, d);
}
