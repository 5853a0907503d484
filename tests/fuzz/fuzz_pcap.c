/* libFuzzer target: any bytes as a pcap file. Every record read is
 * dissected as an Ethernet frame, and written out again with the writer;
 * reading that copy must give back the same records. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ww/dissect.h"
#include "ww/pcap.h"

static struct ww_dissection d;

/* Read the copy back and compare it with the first pass, record by record. */
static void check_copy(const char *mem, size_t len, const struct ww_pcap_record *want,
		       uint8_t *const *bytes, unsigned n)
{
	FILE *f = fmemopen((void *)mem, len, "rb");
	assert(f);
	struct ww_pcap_reader r;
	int rc = ww_pcap_open(&r, f);
	assert(rc == 0);
	struct ww_pcap_record rec;
	for (unsigned i = 0; i < n; i++) {
		rc = ww_pcap_next(&r, &rec);
		assert(rc == 1);
		assert(rec.sec == want[i].sec && rec.nsec == want[i].nsec);
		assert(rec.caplen == want[i].caplen && rec.origlen == want[i].origlen);
		assert(memcmp(rec.data, bytes[i], rec.caplen) == 0);
	}
	rc = ww_pcap_next(&r, &rec);
	assert(rc == 0);
	ww_pcap_close(&r);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	struct ww_pcap_reader r;
	if (ww_pcap_open(&r, f) < 0) {
		assert(r.err[0]);
		ww_pcap_close(&r);
		fclose(f);
		return 0;
	}

	char *mem = NULL;
	size_t memlen = 0;
	FILE *copy = open_memstream(&mem, &memlen);
	assert(copy);
	struct ww_pcap_writer w;
	bool copying = ww_pcap_writer_open(&w, copy, r.nsec, 0, r.linktype) == 0;

	enum { KEEP = 64 };
	struct ww_pcap_record kept[KEEP];
	uint8_t *bytes[KEEP];
	unsigned n = 0;
	struct ww_pcap_record rec;
	int rc;
	while ((rc = ww_pcap_next(&r, &rec)) == 1) {
		assert(rec.caplen <= rec.origlen && rec.caplen <= WW_PCAP_MAX_CAPLEN);
		assert(rec.nsec < 1000000000u);
		ww_dissect(&d, rec.data, rec.caplen);
		assert(d.nlayers <= WW_MAX_LAYERS && d.nitems <= WW_MAX_ITEMS);
		for (unsigned i = 0; i < d.nitems; i++)
			assert((uint64_t)d.items[i].off + d.items[i].len <= rec.caplen);
		/* The round trip needs a timestamp the format can hold and the
		 * resolution the file had (a microsecond file's records are). */
		if (copying && n < KEEP && ww_pcap_write(&w, rec.sec, rec.nsec, rec.data, rec.caplen,
							 rec.origlen) == 0) {
			kept[n] = rec;
			bytes[n] = malloc(rec.caplen ? rec.caplen : 1);
			assert(bytes[n]);
			memcpy(bytes[n], rec.data, rec.caplen);
			n++;
		} else {
			copying = false;
		}
	}
	assert(rc == 0 || r.err[0]);
	ww_pcap_close(&r);
	fclose(f);

	if (ww_pcap_writer_close(&w) == 0 && copying) {
		fclose(copy);
		check_copy(mem, memlen, kept, bytes, n);
	} else {
		fclose(copy);
	}
	for (unsigned i = 0; i < n; i++)
		free(bytes[i]);
	free(mem);
	return 0;
}
