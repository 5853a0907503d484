/* Classic pcap files: see include/ww/pcap.h for the layout. Every number is
 * read byte by byte in the order the file's magic announces, so the host's
 * own byte order never matters. */
#include "ww/pcap.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define NSEC_PER_SEC 1000000000u

/* ---- small helpers --------------------------------------------------- */

static uint32_t get32(const uint8_t *p, bool big_endian)
{
	if (big_endian)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint16_t get16(const uint8_t *p, bool big_endian)
{
	return big_endian ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static void put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put16le(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static int reader_fail(struct ww_pcap_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int reader_fail(struct ww_pcap_reader *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
	r->failed = true;
	return -1;
}

/* Read up to N bytes; returns how many arrived (fewer only at the end of
 * the file or on a read error, which the caller tells apart by ferror). */
static size_t reader_get(struct ww_pcap_reader *r, void *buf, size_t n)
{
	size_t got = n ? fread(buf, 1, n, r->f) : 0;
	r->offset += got;
	return got;
}

/* ---- reader ---------------------------------------------------------- */

const char *ww_linktype_name(uint32_t linktype)
{
	switch (linktype) {
	case 0: return "NULL";
	case WW_LINKTYPE_ETHERNET: return "EN10MB";
	case 105: return "IEEE802_11";
	case 127: return "IEEE802_11_RADIOTAP";
	case WW_LINKTYPE_RAW: return "RAW";
	case WW_LINKTYPE_LINUX_SLL: return "LINUX_SLL";
	case WW_LINKTYPE_LINUX_SLL2: return "LINUX_SLL2";
	case 228: return "IPV4";
	case 229: return "IPV6";
	}
	return NULL;
}

static int check_magic(struct ww_pcap_reader *r, const uint8_t *h, size_t got)
{
	if (got == 0)
		return reader_fail(r, "not a pcap file: the file is empty");
	if (got < 4)
		return reader_fail(r, "not a pcap file: only %zu byte%s", got, got == 1 ? "" : "s");
	uint32_t le = get32(h, false), be = get32(h, true);
	if (le == WW_PCAP_MAGIC_USEC || le == WW_PCAP_MAGIC_NSEC) {
		r->big_endian = false;
		r->nsec = le == WW_PCAP_MAGIC_NSEC;
		return 0;
	}
	if (be == WW_PCAP_MAGIC_USEC || be == WW_PCAP_MAGIC_NSEC) {
		r->big_endian = true;
		r->nsec = be == WW_PCAP_MAGIC_NSEC;
		return 0;
	}
	/* Shown in file order, so it matches a hexdump of the file. */
	if (be == WW_PCAP_MAGIC_PCAPNG)
		return reader_fail(r, "not a pcap file: magic 0x%08" PRIx32 " at offset 0 is pcapng"
				      " (convert it: editcap -F pcap IN OUT)", be);
	return reader_fail(r, "not a pcap file: magic 0x%08" PRIx32 " at offset 0", be);
}

static int check_linktype(struct ww_pcap_reader *r)
{
	if (r->linktype == WW_LINKTYPE_ETHERNET)
		return 0;
	const char *name = ww_linktype_name(r->linktype);
	bool cooked = r->linktype == WW_LINKTYPE_LINUX_SLL || r->linktype == WW_LINKTYPE_LINUX_SLL2;
	return reader_fail(r, "link type %" PRIu32 " (%s) at offset 20 is not supported:"
			      " only Ethernet captures (LINKTYPE_ETHERNET, 1) can be read%s",
			   r->linktype, name ? name : "unknown",
			   cooked ? "; capture on one interface (tcpdump -i IF), not on \"any\"" : "");
}

int ww_pcap_open(struct ww_pcap_reader *r, FILE *f)
{
	memset(r, 0, sizeof *r);
	r->f = f;
	uint8_t h[WW_PCAP_FILE_HLEN];
	size_t got = reader_get(r, h, sizeof h);
	if (got < sizeof h && ferror(f))
		return reader_fail(r, "read error at offset %zu: %s", got, strerror(errno));
	if (check_magic(r, h, got) < 0)
		return -1;
	if (got < sizeof h)
		return reader_fail(r, "pcap file header truncated at offset 0: needs %d bytes, %zu left",
				   WW_PCAP_FILE_HLEN, got);
	r->version_major = get16(h + 4, r->big_endian);
	r->version_minor = get16(h + 6, r->big_endian);
	r->snaplen = get32(h + 16, r->big_endian);
	uint32_t lt = get32(h + 20, r->big_endian);
	/* The upper bits may carry the FCS length, in 16-bit units, when the
	 * P bit (bit 26) says it is known. */
	r->linktype = lt & 0xffffu;
	if (lt & 0x04000000u)
		r->fcs_len = (uint8_t)(((lt >> 28) & 0xfu) * 2);
	if (r->version_major != WW_PCAP_VERSION_MAJOR)
		return reader_fail(r, "unsupported pcap version %u.%u at offset 4 (only 2.x is known)",
				   r->version_major, r->version_minor);
	return check_linktype(r);
}

int ww_pcap_open_path(struct ww_pcap_reader *r, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		memset(r, 0, sizeof *r);
		snprintf(r->err, sizeof r->err, "%s", strerror(errno));
		r->failed = true;
		return -1;
	}
	int rc = ww_pcap_open(r, f);
	r->owns_file = true;
	return rc;
}

/* The checks libpcap makes on a record header, each with its own words. */
static int check_record(struct ww_pcap_reader *r, unsigned n, uint64_t at, uint32_t caplen,
			uint32_t origlen)
{
	if (caplen > WW_PCAP_MAX_CAPLEN)
		return reader_fail(r, "frame %u at offset %" PRIu64 ": caplen %" PRIu32
				      " is absurd (over %u)", n, at, caplen, WW_PCAP_MAX_CAPLEN);
	/* snaplen 0 is written by some tools to mean "no limit". */
	if (r->snaplen && caplen > r->snaplen)
		return reader_fail(r, "frame %u at offset %" PRIu64 ": caplen %" PRIu32
				      " > snaplen %" PRIu32, n, at, caplen, r->snaplen);
	if (caplen > origlen)
		return reader_fail(r, "frame %u at offset %" PRIu64 ": caplen %" PRIu32
				      " > origlen %" PRIu32, n, at, caplen, origlen);
	return 0;
}

static int reserve(struct ww_pcap_reader *r, uint32_t caplen)
{
	/* One buffer, grown to the longest record so far (never over the cap,
	 * which check_record enforced). */
	if (caplen <= r->bufcap && r->buf)
		return 0;
	uint32_t want = caplen < 2048 ? 2048 : caplen;
	uint8_t *p = realloc(r->buf, want);
	if (!p)
		return -1;
	r->buf = p;
	r->bufcap = want;
	return 0;
}

int ww_pcap_next(struct ww_pcap_reader *r, struct ww_pcap_record *rec)
{
	if (r->failed || !r->f)
		return -1;
	unsigned n = r->frames + 1;
	uint64_t at = r->offset;
	uint8_t h[WW_PCAP_REC_HLEN];
	size_t got = reader_get(r, h, sizeof h);
	if (got < sizeof h && ferror(r->f))
		return reader_fail(r, "frame %u at offset %" PRIu64 ": read error: %s", n, at,
				   strerror(errno));
	if (got == 0)
		return 0;
	if (got < sizeof h)
		return reader_fail(r, "frame %u at offset %" PRIu64 ": record header truncated:"
				      " needs %d bytes, %zu left", n, at, WW_PCAP_REC_HLEN, got);

	uint32_t sec = get32(h, r->big_endian), sub = get32(h + 4, r->big_endian);
	uint32_t caplen = get32(h + 8, r->big_endian), origlen = get32(h + 12, r->big_endian);
	if (check_record(r, n, at, caplen, origlen) < 0)
		return -1;
	if (reserve(r, caplen) < 0)
		return reader_fail(r, "frame %u at offset %" PRIu64 ": out of memory", n, at);
	got = reader_get(r, r->buf, caplen);
	if (got < caplen && ferror(r->f))
		return reader_fail(r, "frame %u at offset %" PRIu64 ": read error: %s", n, at,
				   strerror(errno));
	if (got < caplen)
		return reader_fail(r, "frame %u at offset %" PRIu64 ": record truncated: caplen %"
				      PRIu32 ", %zu bytes left", n, at, caplen, got);

	/* A fraction of a second at or over one second is kept, carried into
	 * the seconds, so that nsec < 1e9 holds for every reader of REC. */
	uint64_t ns = r->nsec ? sub : (uint64_t)sub * 1000u;
	rec->frame_no = n;
	rec->offset = at;
	rec->sec = (int64_t)sec + (int64_t)(ns / NSEC_PER_SEC);
	rec->nsec = (uint32_t)(ns % NSEC_PER_SEC);
	rec->caplen = caplen;
	rec->origlen = origlen;
	rec->data = r->buf;
	r->frames = n;
	return 1;
}

void ww_pcap_close(struct ww_pcap_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	if (r->owns_file && r->f)
		fclose(r->f);
	r->f = NULL;
}

/* ---- writer ---------------------------------------------------------- */

static int writer_fail(struct ww_pcap_writer *w, const char *what)
{
	snprintf(w->err, sizeof w->err, "%s: %s", what, strerror(errno ? errno : EIO));
	w->failed = true;
	return -1;
}

int ww_pcap_writer_open(struct ww_pcap_writer *w, FILE *f, bool nsec, uint32_t snaplen,
			uint32_t linktype)
{
	memset(w, 0, sizeof *w);
	w->f = f;
	w->nsec = nsec;
	w->snaplen = snaplen && snaplen < WW_PCAP_MAX_CAPLEN ? snaplen : WW_PCAP_MAX_CAPLEN;
	uint8_t h[WW_PCAP_FILE_HLEN];
	put32le(h, nsec ? WW_PCAP_MAGIC_NSEC : WW_PCAP_MAGIC_USEC);
	put16le(h + 4, WW_PCAP_VERSION_MAJOR);
	put16le(h + 6, WW_PCAP_VERSION_MINOR);
	put32le(h + 8, 0);  /* thiszone: timestamps are UTC */
	put32le(h + 12, 0); /* sigfigs: always 0 in practice */
	put32le(h + 16, w->snaplen);
	put32le(h + 20, linktype);
	errno = 0;
	if (fwrite(h, 1, sizeof h, f) != sizeof h)
		return writer_fail(w, "writing the pcap file header");
	return 0;
}

int ww_pcap_create(struct ww_pcap_writer *w, const char *path, bool nsec, uint32_t snaplen,
		   uint32_t linktype)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		memset(w, 0, sizeof *w);
		return writer_fail(w, path);
	}
	int rc = ww_pcap_writer_open(w, f, nsec, snaplen, linktype);
	w->owns_file = true;
	return rc;
}

int ww_pcap_write(struct ww_pcap_writer *w, int64_t sec, uint32_t nsec, const uint8_t *data,
		  uint32_t len, uint32_t origlen)
{
	if (w->failed || !w->f)
		return -1;
	if (sec < 0 || sec > (int64_t)UINT32_MAX || nsec >= NSEC_PER_SEC) {
		snprintf(w->err, sizeof w->err,
			 "frame %u: timestamp %" PRId64 ".%09" PRIu32 " does not fit a pcap record",
			 w->frames + 1, sec, nsec);
		return -1;
	}
	uint32_t caplen = len < w->snaplen ? len : w->snaplen;
	uint8_t h[WW_PCAP_REC_HLEN];
	put32le(h, (uint32_t)sec);
	put32le(h + 4, w->nsec ? nsec : nsec / 1000u);
	put32le(h + 8, caplen);
	put32le(h + 12, origlen >= len ? origlen : len);
	errno = 0;
	if (fwrite(h, 1, sizeof h, w->f) != sizeof h ||
	    (caplen && fwrite(data, 1, caplen, w->f) != caplen))
		return writer_fail(w, "writing a pcap record");
	w->frames++;
	return 0;
}

int ww_pcap_flush(struct ww_pcap_writer *w)
{
	if (w->failed || !w->f)
		return -1;
	errno = 0;
	if (fflush(w->f) != 0)
		return writer_fail(w, "flushing the pcap file");
	return 0;
}

int ww_pcap_writer_close(struct ww_pcap_writer *w)
{
	if (!w->f)
		return -1;
	int rc = w->failed ? -1 : 0;
	errno = 0;
	if (fflush(w->f) != 0 && rc == 0)
		rc = writer_fail(w, "flushing the pcap file");
	if (w->owns_file && fclose(w->f) != 0 && rc == 0)
		rc = writer_fail(w, "closing the pcap file");
	w->f = NULL;
	return rc;
}
