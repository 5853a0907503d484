/* Classic libpcap capture files ("savefiles"), as pcap-savefile(5) and
 * draft-ietf-opsawg-pcap describe them: a 24-byte file header, then one
 * 16-byte record header and the captured bytes per frame.
 *
 *   file header:   magic u32, version major u16, minor u16, thiszone i32,
 *                  sigfigs u32, snaplen u32, link type (+ FCS info) u32
 *   record header: ts_sec u32, ts_usec|ts_nsec u32, caplen u32, origlen u32
 *
 * The writer of a file chooses its byte order (the magic tells which) and
 * the resolution of its timestamps (0xa1b2c3d4 microseconds, 0xa1b23c4d
 * nanoseconds). Both are read; files are written little-endian, so a file
 * written here has the same bytes on every host.
 *
 * The reader and the writer work over a FILE*, so tests and fuzzers can
 * use fmemopen(). Errors are one line for a person and name the frame and
 * the file offset where reading stopped; the frames before were returned. */
#ifndef WW_PCAP_H
#define WW_PCAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define WW_PCAP_MAGIC_USEC 0xa1b2c3d4u
#define WW_PCAP_MAGIC_NSEC 0xa1b23c4du
#define WW_PCAP_MAGIC_PCAPNG 0x0a0d0d0au /* a pcapng Section Header Block */
#define WW_PCAP_FILE_HLEN 24
#define WW_PCAP_REC_HLEN 16
#define WW_PCAP_VERSION_MAJOR 2
#define WW_PCAP_VERSION_MINOR 4

/* A record longer than this is taken as a corrupt file, not a frame
 * (libpcap's own limit for any link type is 256 KiB). */
#define WW_PCAP_MAX_CAPLEN (256u * 1024u)

/* LINKTYPE_ values (https://www.tcpdump.org/linktypes.html). */
#define WW_LINKTYPE_ETHERNET 1
#define WW_LINKTYPE_RAW 101
#define WW_LINKTYPE_LINUX_SLL 113
#define WW_LINKTYPE_LINUX_SLL2 276

#define WW_PCAP_ERR_SIZE 256

struct ww_pcap_reader {
	FILE *f;
	bool owns_file;     /* opened by ww_pcap_open_path: closed by ww_pcap_close */
	bool big_endian;    /* the byte order the file's writer used */
	bool nsec;          /* timestamps in nanoseconds, not microseconds */
	uint16_t version_major, version_minor;
	uint32_t snaplen;   /* the longest caplen the file's writer allowed */
	uint32_t linktype;  /* the low 16 bits of the link-type field */
	uint8_t fcs_len;    /* bytes of FCS at the end of each frame, if known; else 0 */
	uint64_t offset;    /* file offset of the next byte to read */
	unsigned frames;    /* records returned so far */
	bool failed;        /* an error happened: every later call fails too */
	uint8_t *buf;       /* the current record's bytes */
	uint32_t bufcap;
	char err[WW_PCAP_ERR_SIZE];
};

/* One record as ww_pcap_next returns it. DATA stays valid until the next
 * call or ww_pcap_close. */
struct ww_pcap_record {
	unsigned frame_no;  /* 1-based */
	uint64_t offset;    /* file offset of the record header */
	int64_t sec;        /* timestamp: seconds since the epoch (UTC) */
	uint32_t nsec;      /* and nanoseconds, < 1e9 (microsecond files: usec * 1000) */
	uint32_t caplen;    /* bytes captured, in DATA */
	uint32_t origlen;   /* bytes the frame had on the wire */
	const uint8_t *data;
};

/* Read the file header from F (positioned at the start of the file; F stays
 * the caller's). Only Ethernet captures are accepted. 0, or -1 with R->err
 * set ("not a pcap file: magic 0x12345678 at offset 0"); after -1 only
 * ww_pcap_close may be called. */
int ww_pcap_open(struct ww_pcap_reader *r, FILE *f);
/* The same for a path; the file is closed by ww_pcap_close. On failure to
 * open, R->err holds strerror's text ("No such file or directory"). */
int ww_pcap_open_path(struct ww_pcap_reader *r, const char *path);
/* The next record: 1 and REC filled, 0 at the clean end of the file, or -1
 * with R->err set: "frame 7 at offset 4242: record truncated: caplen 1514,
 * 300 bytes left". */
int ww_pcap_next(struct ww_pcap_reader *r, struct ww_pcap_record *rec);
void ww_pcap_close(struct ww_pcap_reader *r);

/* "EN10MB", "LINUX_SLL"...; NULL if unknown. */
const char *ww_linktype_name(uint32_t linktype);

struct ww_pcap_writer {
	FILE *f;
	bool owns_file;
	bool nsec;
	uint32_t snaplen;
	unsigned frames;
	bool failed;
	char err[WW_PCAP_ERR_SIZE];
};

/* Write a file header to F (the caller's) for link type LINKTYPE; records
 * longer than SNAPLEN (0: WW_PCAP_MAX_CAPLEN) are cut to it. NSEC chooses
 * nanosecond timestamps. 0, or -1 with W->err set. */
int ww_pcap_writer_open(struct ww_pcap_writer *w, FILE *f, bool nsec, uint32_t snaplen,
			uint32_t linktype);
/* The same, creating (or truncating) PATH; ww_pcap_writer_close closes it. */
int ww_pcap_create(struct ww_pcap_writer *w, const char *path, bool nsec, uint32_t snaplen,
		   uint32_t linktype);
/* Append one frame of LEN bytes seen at SEC.NSEC; ORIGLEN is its length on
 * the wire (0: LEN). 0, or -1 with W->err set. */
int ww_pcap_write(struct ww_pcap_writer *w, int64_t sec, uint32_t nsec, const uint8_t *data,
		  uint32_t len, uint32_t origlen);
int ww_pcap_flush(struct ww_pcap_writer *w);
/* Flush and, if the writer opened the file, close it. 0 if everything
 * written reached the file. */
int ww_pcap_writer_close(struct ww_pcap_writer *w);

#endif
