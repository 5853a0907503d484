/* HTTP/1.1 (RFC 9112): requests built byte for byte, and responses nginx
 * 1.22.1 really sent parsed whole, split at every byte, cut short, and bent
 * out of shape one rule at a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "ww/http.h"

/* Produced by nginx 1.22.1 (Debian 12) on loopback answering
 * "GET /index.html HTTP/1.1" (Host www.example.com, Connection: close):
 * resp_plain as is, resp_gzip with "Accept-Encoding: gzip, deflate" (gzip
 * on: chunked and gzip), resp_chunked for /sub.html through sub_filter
 * ("Hello" -> "Hi", which makes the length unknown, hence chunked). */
/* plain */
static const uint8_t resp_plain[] = {
	0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e, 0x31, 0x20, 0x32, 0x30, 0x30,
	0x20, 0x4f, 0x4b, 0x0d, 0x0a, 0x53, 0x65, 0x72, 0x76, 0x65, 0x72, 0x3a,
	0x20, 0x6e, 0x67, 0x69, 0x6e, 0x78, 0x2f, 0x31, 0x2e, 0x32, 0x32, 0x2e,
	0x31, 0x0d, 0x0a, 0x44, 0x61, 0x74, 0x65, 0x3a, 0x20, 0x53, 0x75, 0x6e,
	0x2c, 0x20, 0x32, 0x32, 0x20, 0x4e, 0x6f, 0x76, 0x20, 0x32, 0x30, 0x32,
	0x36, 0x20, 0x30, 0x34, 0x3a, 0x34, 0x34, 0x3a, 0x30, 0x37, 0x20, 0x47,
	0x4d, 0x54, 0x0d, 0x0a, 0x43, 0x6f, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x2d,
	0x54, 0x79, 0x70, 0x65, 0x3a, 0x20, 0x74, 0x65, 0x78, 0x74, 0x2f, 0x68,
	0x74, 0x6d, 0x6c, 0x0d, 0x0a, 0x43, 0x6f, 0x6e, 0x74, 0x65, 0x6e, 0x74,
	0x2d, 0x4c, 0x65, 0x6e, 0x67, 0x74, 0x68, 0x3a, 0x20, 0x32, 0x39, 0x31,
	0x0d, 0x0a, 0x4c, 0x61, 0x73, 0x74, 0x2d, 0x4d, 0x6f, 0x64, 0x69, 0x66,
	0x69, 0x65, 0x64, 0x3a, 0x20, 0x53, 0x75, 0x6e, 0x2c, 0x20, 0x32, 0x32,
	0x20, 0x4e, 0x6f, 0x76, 0x20, 0x32, 0x30, 0x32, 0x36, 0x20, 0x30, 0x34,
	0x3a, 0x34, 0x34, 0x3a, 0x30, 0x37, 0x20, 0x47, 0x4d, 0x54, 0x0d, 0x0a,
	0x43, 0x6f, 0x6e, 0x6e, 0x65, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x3a, 0x20,
	0x63, 0x6c, 0x6f, 0x73, 0x65, 0x0d, 0x0a, 0x45, 0x54, 0x61, 0x67, 0x3a,
	0x20, 0x22, 0x36, 0x62, 0x30, 0x32, 0x37, 0x33, 0x31, 0x37, 0x2d, 0x31,
	0x32, 0x33, 0x22, 0x0d, 0x0a, 0x41, 0x63, 0x63, 0x65, 0x70, 0x74, 0x2d,
	0x52, 0x61, 0x6e, 0x67, 0x65, 0x73, 0x3a, 0x20, 0x62, 0x79, 0x74, 0x65,
	0x73, 0x0d, 0x0a, 0x0d, 0x0a, 0x3c, 0x21, 0x64, 0x6f, 0x63, 0x74, 0x79,
	0x70, 0x65, 0x20, 0x68, 0x74, 0x6d, 0x6c, 0x3e, 0x0a, 0x3c, 0x68, 0x74,
	0x6d, 0x6c, 0x3e, 0x3c, 0x68, 0x65, 0x61, 0x64, 0x3e, 0x3c, 0x6d, 0x65,
	0x74, 0x61, 0x20, 0x63, 0x68, 0x61, 0x72, 0x73, 0x65, 0x74, 0x3d, 0x22,
	0x75, 0x74, 0x66, 0x2d, 0x38, 0x22, 0x3e, 0x3c, 0x74, 0x69, 0x74, 0x6c,
	0x65, 0x3e, 0x77, 0x69, 0x72, 0x65, 0x77, 0x61, 0x6c, 0x6b, 0x20, 0x6c,
	0x61, 0x62, 0x3c, 0x2f, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x3e, 0x3c, 0x2f,
	0x68, 0x65, 0x61, 0x64, 0x3e, 0x0a, 0x3c, 0x62, 0x6f, 0x64, 0x79, 0x3e,
	0x3c, 0x68, 0x31, 0x3e, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x66, 0x72,
	0x6f, 0x6d, 0x20, 0x74, 0x68, 0x65, 0x20, 0x6c, 0x61, 0x62, 0x3c, 0x2f,
	0x68, 0x31, 0x3e, 0x0a, 0x3c, 0x70, 0x3e, 0x54, 0x68, 0x69, 0x73, 0x20,
	0x70, 0x61, 0x67, 0x65, 0x20, 0x69, 0x73, 0x20, 0x73, 0x65, 0x72, 0x76,
	0x65, 0x64, 0x20, 0x62, 0x79, 0x20, 0x6e, 0x67, 0x69, 0x6e, 0x78, 0x2e,
	0x20, 0x49, 0x74, 0x20, 0x69, 0x73, 0x20, 0x72, 0x65, 0x70, 0x65, 0x61,
	0x74, 0x65, 0x64, 0x20, 0x74, 0x65, 0x78, 0x74, 0x2c, 0x20, 0x72, 0x65,
	0x70, 0x65, 0x61, 0x74, 0x65, 0x64, 0x20, 0x74, 0x65, 0x78, 0x74, 0x2c,
	0x20, 0x72, 0x65, 0x70, 0x65, 0x61, 0x74, 0x65, 0x64, 0x20, 0x74, 0x65,
	0x78, 0x74, 0x2c, 0x20, 0x72, 0x65, 0x70, 0x65, 0x61, 0x74, 0x65, 0x64,
	0x20, 0x74, 0x65, 0x78, 0x74, 0x2c, 0x20, 0x72, 0x65, 0x70, 0x65, 0x61,
	0x74, 0x65, 0x64, 0x20, 0x74, 0x65, 0x78, 0x74, 0x2c, 0x20, 0x73, 0x6f,
	0x20, 0x74, 0x68, 0x61, 0x74, 0x20, 0x67, 0x7a, 0x69, 0x70, 0x20, 0x68,
	0x61, 0x73, 0x20, 0x73, 0x6f, 0x6d, 0x65, 0x74, 0x68, 0x69, 0x6e, 0x67,
	0x20, 0x74, 0x6f, 0x20, 0x73, 0x71, 0x75, 0x65, 0x65, 0x7a, 0x65, 0x2e,
	0x3c, 0x2f, 0x70, 0x3e, 0x0a, 0x3c, 0x2f, 0x62, 0x6f, 0x64, 0x79, 0x3e,
	0x3c, 0x2f, 0x68, 0x74, 0x6d, 0x6c, 0x3e, 0x0a,
};
/* chunked */
static const uint8_t resp_chunked[] = {
	0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e, 0x31, 0x20, 0x32, 0x30, 0x30,
	0x20, 0x4f, 0x4b, 0x0d, 0x0a, 0x53, 0x65, 0x72, 0x76, 0x65, 0x72, 0x3a,
	0x20, 0x6e, 0x67, 0x69, 0x6e, 0x78, 0x2f, 0x31, 0x2e, 0x32, 0x32, 0x2e,
	0x31, 0x0d, 0x0a, 0x44, 0x61, 0x74, 0x65, 0x3a, 0x20, 0x53, 0x75, 0x6e,
	0x2c, 0x20, 0x32, 0x32, 0x20, 0x4e, 0x6f, 0x76, 0x20, 0x32, 0x30, 0x32,
	0x36, 0x20, 0x30, 0x34, 0x3a, 0x34, 0x34, 0x3a, 0x30, 0x37, 0x20, 0x47,
	0x4d, 0x54, 0x0d, 0x0a, 0x43, 0x6f, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x2d,
	0x54, 0x79, 0x70, 0x65, 0x3a, 0x20, 0x74, 0x65, 0x78, 0x74, 0x2f, 0x68,
	0x74, 0x6d, 0x6c, 0x0d, 0x0a, 0x54, 0x72, 0x61, 0x6e, 0x73, 0x66, 0x65,
	0x72, 0x2d, 0x45, 0x6e, 0x63, 0x6f, 0x64, 0x69, 0x6e, 0x67, 0x3a, 0x20,
	0x63, 0x68, 0x75, 0x6e, 0x6b, 0x65, 0x64, 0x0d, 0x0a, 0x43, 0x6f, 0x6e,
	0x6e, 0x65, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x3a, 0x20, 0x63, 0x6c, 0x6f,
	0x73, 0x65, 0x0d, 0x0a, 0x0d, 0x0a, 0x31, 0x32, 0x30, 0x0d, 0x0a, 0x3c,
	0x21, 0x64, 0x6f, 0x63, 0x74, 0x79, 0x70, 0x65, 0x20, 0x68, 0x74, 0x6d,
	0x6c, 0x3e, 0x0a, 0x3c, 0x68, 0x74, 0x6d, 0x6c, 0x3e, 0x3c, 0x68, 0x65,
	0x61, 0x64, 0x3e, 0x3c, 0x6d, 0x65, 0x74, 0x61, 0x20, 0x63, 0x68, 0x61,
	0x72, 0x73, 0x65, 0x74, 0x3d, 0x22, 0x75, 0x74, 0x66, 0x2d, 0x38, 0x22,
	0x3e, 0x3c, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x3e, 0x77, 0x69, 0x72, 0x65,
	0x77, 0x61, 0x6c, 0x6b, 0x20, 0x6c, 0x61, 0x62, 0x3c, 0x2f, 0x74, 0x69,
	0x74, 0x6c, 0x65, 0x3e, 0x3c, 0x2f, 0x68, 0x65, 0x61, 0x64, 0x3e, 0x0a,
	0x3c, 0x62, 0x6f, 0x64, 0x79, 0x3e, 0x3c, 0x68, 0x31, 0x3e, 0x48, 0x69,
	0x20, 0x66, 0x72, 0x6f, 0x6d, 0x20, 0x74, 0x68, 0x65, 0x20, 0x6c, 0x61,
	0x62, 0x3c, 0x2f, 0x68, 0x31, 0x3e, 0x0a, 0x3c, 0x70, 0x3e, 0x54, 0x68,
	0x69, 0x73, 0x20, 0x70, 0x61, 0x67, 0x65, 0x20, 0x69, 0x73, 0x20, 0x73,
	0x65, 0x72, 0x76, 0x65, 0x64, 0x20, 0x62, 0x79, 0x20, 0x6e, 0x67, 0x69,
	0x6e, 0x78, 0x2e, 0x20, 0x49, 0x74, 0x20, 0x69, 0x73, 0x20, 0x72, 0x65,
	0x70, 0x65, 0x61, 0x74, 0x65, 0x64, 0x20, 0x74, 0x65, 0x78, 0x74, 0x2c,
	0x20, 0x72, 0x65, 0x70, 0x65, 0x61, 0x74, 0x65, 0x64, 0x20, 0x74, 0x65,
	0x78, 0x74, 0x2c, 0x20, 0x72, 0x65, 0x70, 0x65, 0x61, 0x74, 0x65, 0x64,
	0x20, 0x74, 0x65, 0x78, 0x74, 0x2c, 0x20, 0x72, 0x65, 0x70, 0x65, 0x61,
	0x74, 0x65, 0x64, 0x20, 0x74, 0x65, 0x78, 0x74, 0x2c, 0x20, 0x72, 0x65,
	0x70, 0x65, 0x61, 0x74, 0x65, 0x64, 0x20, 0x74, 0x65, 0x78, 0x74, 0x2c,
	0x20, 0x73, 0x6f, 0x20, 0x74, 0x68, 0x61, 0x74, 0x20, 0x67, 0x7a, 0x69,
	0x70, 0x20, 0x68, 0x61, 0x73, 0x20, 0x73, 0x6f, 0x6d, 0x65, 0x74, 0x68,
	0x69, 0x6e, 0x67, 0x20, 0x74, 0x6f, 0x20, 0x73, 0x71, 0x75, 0x65, 0x65,
	0x7a, 0x65, 0x2e, 0x3c, 0x2f, 0x70, 0x3e, 0x0a, 0x3c, 0x2f, 0x62, 0x6f,
	0x64, 0x79, 0x3e, 0x3c, 0x2f, 0x68, 0x74, 0x6d, 0x6c, 0x3e, 0x0a, 0x0d,
	0x0a, 0x30, 0x0d, 0x0a, 0x0d, 0x0a,
};
/* gzip */
static const uint8_t resp_gzip[] = {
	0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e, 0x31, 0x20, 0x32, 0x30, 0x30,
	0x20, 0x4f, 0x4b, 0x0d, 0x0a, 0x53, 0x65, 0x72, 0x76, 0x65, 0x72, 0x3a,
	0x20, 0x6e, 0x67, 0x69, 0x6e, 0x78, 0x2f, 0x31, 0x2e, 0x32, 0x32, 0x2e,
	0x31, 0x0d, 0x0a, 0x44, 0x61, 0x74, 0x65, 0x3a, 0x20, 0x53, 0x75, 0x6e,
	0x2c, 0x20, 0x32, 0x32, 0x20, 0x4e, 0x6f, 0x76, 0x20, 0x32, 0x30, 0x32,
	0x36, 0x20, 0x30, 0x34, 0x3a, 0x34, 0x34, 0x3a, 0x30, 0x37, 0x20, 0x47,
	0x4d, 0x54, 0x0d, 0x0a, 0x43, 0x6f, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x2d,
	0x54, 0x79, 0x70, 0x65, 0x3a, 0x20, 0x74, 0x65, 0x78, 0x74, 0x2f, 0x68,
	0x74, 0x6d, 0x6c, 0x0d, 0x0a, 0x4c, 0x61, 0x73, 0x74, 0x2d, 0x4d, 0x6f,
	0x64, 0x69, 0x66, 0x69, 0x65, 0x64, 0x3a, 0x20, 0x53, 0x75, 0x6e, 0x2c,
	0x20, 0x32, 0x32, 0x20, 0x4e, 0x6f, 0x76, 0x20, 0x32, 0x30, 0x32, 0x36,
	0x20, 0x30, 0x34, 0x3a, 0x34, 0x34, 0x3a, 0x30, 0x37, 0x20, 0x47, 0x4d,
	0x54, 0x0d, 0x0a, 0x54, 0x72, 0x61, 0x6e, 0x73, 0x66, 0x65, 0x72, 0x2d,
	0x45, 0x6e, 0x63, 0x6f, 0x64, 0x69, 0x6e, 0x67, 0x3a, 0x20, 0x63, 0x68,
	0x75, 0x6e, 0x6b, 0x65, 0x64, 0x0d, 0x0a, 0x43, 0x6f, 0x6e, 0x6e, 0x65,
	0x63, 0x74, 0x69, 0x6f, 0x6e, 0x3a, 0x20, 0x63, 0x6c, 0x6f, 0x73, 0x65,
	0x0d, 0x0a, 0x45, 0x54, 0x61, 0x67, 0x3a, 0x20, 0x57, 0x2f, 0x22, 0x36,
	0x62, 0x30, 0x32, 0x37, 0x33, 0x31, 0x37, 0x2d, 0x31, 0x32, 0x33, 0x22,
	0x0d, 0x0a, 0x43, 0x6f, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x2d, 0x45, 0x6e,
	0x63, 0x6f, 0x64, 0x69, 0x6e, 0x67, 0x3a, 0x20, 0x67, 0x7a, 0x69, 0x70,
	0x0d, 0x0a, 0x0d, 0x0a, 0x62, 0x66, 0x0d, 0x0a, 0x1f, 0x8b, 0x08, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x04, 0x03, 0xa5, 0x90, 0x3b, 0x12, 0xc2, 0x30,
	0x0c, 0x44, 0xfb, 0x9c, 0x42, 0x50, 0x03, 0x1e, 0x3a, 0x0a, 0xe1, 0x1a,
	0x7a, 0x2e, 0xa0, 0x90, 0x25, 0xf6, 0xe0, 0xc4, 0xc6, 0x16, 0x9f, 0x70,
	0x7a, 0x0c, 0x39, 0x02, 0xd5, 0x8e, 0x76, 0xa5, 0xd1, 0x93, 0x78, 0xd1,
	0xc5, 0xb3, 0x4e, 0x09, 0xe4, 0x74, 0x08, 0xb6, 0xe1, 0x9f, 0xb0, 0x83,
	0x74, 0x96, 0x07, 0xa8, 0xd0, 0xd9, 0x49, 0x2e, 0xd0, 0xfd, 0xf2, 0xae,
	0x97, 0xf5, 0x6e, 0x69, 0x59, 0xbd, 0x06, 0xd8, 0xa7, 0xcf, 0x78, 0x4a,
	0xb8, 0x52, 0x90, 0x96, 0xcd, 0xec, 0xb1, 0xf9, 0xcd, 0x35, 0xdc, 0xc6,
	0x6e, 0xb2, 0xec, 0xb6, 0xf6, 0x80, 0x10, 0x22, 0x5d, 0x72, 0x1c, 0x48,
	0x1d, 0xe6, 0xde, 0x6a, 0x37, 0x9c, 0xec, 0xc9, 0xf9, 0x42, 0x49, 0x7a,
	0x50, 0xd5, 0x82, 0xfc, 0x40, 0x47, 0xed, 0x44, 0x63, 0xef, 0xc7, 0xd7,
	0x86, 0x8e, 0xfa, 0xb5, 0x33, 0x12, 0x44, 0x6b, 0xa0, 0x78, 0xe9, 0xea,
	0xaf, 0xb2, 0xc4, 0x4a, 0x20, 0x4a, 0xfd, 0xdb, 0x27, 0x72, 0x52, 0x57,
	0xc6, 0x7a, 0x9e, 0xf3, 0x63, 0x4f, 0x1a, 0xa9, 0xdc, 0xee, 0xc0, 0x1b,
	0x1b, 0x36, 0xa9, 0xc2, 0x99, 0x99, 0xdf, 0xcc, 0x2f, 0xf9, 0x00, 0xfc,
	0x41, 0x4c, 0x40, 0x23, 0x01, 0x00, 0x00, 0x0d, 0x0a, 0x30, 0x0d, 0x0a,
	0x0d, 0x0a,
};

/* The page nginx served (what curl saves). */
static const char page[] =
	"<!doctype html>\n"
	"<html><head><meta charset=\"utf-8\"><title>wirewalk lab</title></head>\n"
	"<body><h1>Hello from the lab</h1>\n"
	"<p>This page is served by nginx. It is repeated text, repeated text, repeated text, repeated text, repeated text, so that gzip has something to squeeze.</p>\n"
	"</body></html>\n";
static const char page_hi[] =
	"<!doctype html>\n"
	"<html><head><meta charset=\"utf-8\"><title>wirewalk lab</title></head>\n"
	"<body><h1>Hi from the lab</h1>\n"
	"<p>This page is served by nginx. It is repeated text, repeated text, repeated text, repeated text, repeated text, so that gzip has something to squeeze.</p>\n"
	"</body></html>\n";

/* Large: kept out of the stack. */
static struct ww_http_resp P;
static struct ww_http_error err;
static uint8_t body[8192];
static char big[80000];

static void start(struct ww_http_resp *p)
{
	ww_http_resp_init(p);
	p->body_buf = body;
	p->body_cap = sizeof body;
}

/* Feeds all of S at once; returns what feed returned. */
static long feed_str(struct ww_http_resp *p, const void *s, size_t n)
{
	return ww_http_resp_feed(p, s, n, &err);
}

static void whole(const uint8_t *r, size_t n)
{
	start(&P);
	assert_int_equal(feed_str(&P, r, n), (long)n);
	assert_int_equal(ww_http_resp_eof(&P, &err), 0);
	assert_true(ww_http_resp_done(&P));
}

static void assert_body(const struct ww_http_resp *p, const char *want)
{
	assert_int_equal(p->body_len, strlen(want));
	assert_memory_equal(body, want, strlen(want));
}

/* ---- requests ---- */

static void test_request_get(void **state)
{
	(void)state;
	char buf[512];
	memset(buf, 0xa5, sizeof buf);
	struct ww_http_req r = { .path = "/index.html", .host = "www.example.com" };
	const char *want = "GET /index.html HTTP/1.1\r\nHost: www.example.com\r\n"
			   "User-Agent: wirewalk/0.1\r\nAccept: */*\r\n"
			   "Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n";
	size_t n = ww_http_request(&r, buf, sizeof buf);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(buf, want, n);
	assert_int_equal(buf[n], '\0');
	assert_int_equal((uint8_t)buf[n + 1], 0xa5);
	/* Exactly enough room, and one byte less. */
	assert_int_equal(ww_http_request(&r, buf, strlen(want)), strlen(want));
	assert_int_equal(ww_http_request(&r, buf, strlen(want) - 1), 0);
}

static void test_request_post(void **state)
{
	(void)state;
	char buf[512];
	const char *json = "{\"name\":\"foo\"}";
	struct ww_http_field extra[] = { { "X-Lesson", "7" } };
	struct ww_http_req r = { .method = "POST", .path = "/api/items", .host = "www.example.com",
				 .accept = "application/json", .accept_encoding = "",
				 .connection = "close", .content_type = "application/json",
				 .body = (const uint8_t *)json, .body_len = strlen(json),
				 .extra = extra, .n_extra = 1 };
	const char *want = "POST /api/items HTTP/1.1\r\nHost: www.example.com\r\n"
			   "User-Agent: wirewalk/0.1\r\nAccept: application/json\r\n"
			   "Connection: close\r\nX-Lesson: 7\r\nContent-Type: application/json\r\n"
			   "Content-Length: 14\r\n\r\n{\"name\":\"foo\"}";
	size_t n = ww_http_request(&r, buf, sizeof buf);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(buf, want, n);
	/* A POST without a body still says Content-Length: 0. */
	r.body_len = 0;
	r.content_type = NULL;
	n = ww_http_request(&r, buf, sizeof buf);
	assert_non_null(strstr(buf, "\r\nContent-Length: 0\r\n\r\n"));
	assert_null(strstr(buf, "Content-Type"));
}

static void test_request_refuses_injection(void **state)
{
	(void)state;
	char buf[512];
	struct ww_http_req r = { .path = "/", .host = "a\r\nX-Evil: 1" };
	assert_int_equal(ww_http_request(&r, buf, sizeof buf), 0);
	r.host = NULL;
	assert_int_equal(ww_http_request(&r, buf, sizeof buf), 0);
	r.host = "www.example.com";
	r.path = "/a b";
	assert_int_equal(ww_http_request(&r, buf, sizeof buf), 0);
	r.path = "/";
	struct ww_http_field bad[] = { { "X-A", "1\n2" } };
	r.extra = bad;
	r.n_extra = 1;
	assert_int_equal(ww_http_request(&r, buf, sizeof buf), 0);
}

/* ---- real responses ---- */

static void test_plain(void **state)
{
	(void)state;
	whole(resp_plain, sizeof resp_plain);
	assert_int_equal(P.version_minor, 1);
	assert_int_equal(P.status, 200);
	assert_string_equal(P.reason, "OK");
	assert_int_equal(P.framing, WW_HTTP_LENGTH);
	assert_int_equal(P.content_length, 291);
	assert_int_equal(P.coding, WW_HTTP_IDENTITY);
	assert_false(P.keep_alive);
	assert_string_equal(ww_http_header(&P, "server"), "nginx/1.22.1");
	assert_string_equal(ww_http_header(&P, "Content-Type"), "text/html");
	assert_string_equal(P.charset, "");
	assert_body(&P, page);
	ww_http_resp_free(&P);
}

static void test_chunked(void **state)
{
	(void)state;
	whole(resp_chunked, sizeof resp_chunked);
	assert_int_equal(P.status, 200);
	assert_int_equal(P.framing, WW_HTTP_CHUNKED);
	assert_int_equal(P.body_wire, strlen(page_hi));
	assert_body(&P, page_hi);
	ww_http_resp_free(&P);
}

static void test_gzip(void **state)
{
	(void)state;
	whole(resp_gzip, sizeof resp_gzip);
	assert_int_equal(P.framing, WW_HTTP_CHUNKED);
	assert_int_equal(P.coding, WW_HTTP_GZIP);
	assert_string_equal(ww_http_header(&P, "Content-Encoding"), "gzip");
	assert_true(P.body_wire < strlen(page));
	assert_body(&P, page);
	ww_http_resp_free(&P);
}

/* Two feeds split at every byte, and one byte at a time: the same result. */
static void split_everywhere(const uint8_t *r, size_t n, const char *want)
{
	for (size_t k = 0; k <= n; k++) {
		start(&P);
		assert_int_equal(feed_str(&P, r, k), (long)k);
		assert_int_equal(feed_str(&P, r + k, n - k), (long)(n - k));
		assert_int_equal(ww_http_resp_eof(&P, &err), 0);
		assert_int_equal(P.status, 200);
		assert_int_equal(P.nhdr, P.framing == WW_HTTP_LENGTH ? 8 : P.coding ? 8 : 5);
		assert_body(&P, want);
		ww_http_resp_free(&P);
	}
	start(&P);
	for (size_t k = 0; k < n; k++)
		assert_int_equal(feed_str(&P, r + k, 1), 1);
	assert_true(ww_http_resp_done(&P));
	assert_body(&P, want);
	ww_http_resp_free(&P);
}

static void test_split_everywhere(void **state)
{
	(void)state;
	split_everywhere(resp_plain, sizeof resp_plain, page);
	split_everywhere(resp_chunked, sizeof resp_chunked, page_hi);
	split_everywhere(resp_gzip, sizeof resp_gzip, page);
}

/* Cut short at every length: never done, and closing says truncated. */
static void test_truncated_everywhere(void **state)
{
	(void)state;
	const uint8_t *v[] = { resp_plain, resp_chunked, resp_gzip };
	size_t len[] = { sizeof resp_plain, sizeof resp_chunked, sizeof resp_gzip };
	for (int j = 0; j < 3; j++)
		for (size_t k = 0; k < len[j]; k++) {
			start(&P);
			assert_int_equal(feed_str(&P, v[j], k), (long)k);
			assert_false(ww_http_resp_done(&P));
			assert_int_equal(ww_http_resp_eof(&P, &err), -1);
			assert_int_equal(err.code, WW_HTTP_E_TRUNCATED);
			assert_int_equal(err.offset, k);
			ww_http_resp_free(&P);
		}
}

/* ---- limits ---- */

static long feed_text(const char *s)
{
	start(&P);
	long r = feed_str(&P, s, strlen(s));
	ww_http_resp_free(&P);
	return r;
}

static void test_line_limit(void **state)
{
	(void)state;
	const char *head = "HTTP/1.1 200 OK\r\nX-Long: ";
	size_t h = strlen(head);
	/* A line of exactly WW_HTTP_LINE_MAX bytes is accepted... */
	strcpy(big, head);
	memset(big + h, 'a', WW_HTTP_LINE_MAX - (h - 17));
	strcpy(big + 17 + WW_HTTP_LINE_MAX, "\r\nContent-Length: 0\r\n\r\n");
	assert_int_equal(feed_text(big), (long)strlen(big));
	/* ...one byte more is not, and the error says where. */
	memset(big + h, 'a', WW_HTTP_LINE_MAX - (h - 17) + 1);
	strcpy(big + 17 + WW_HTTP_LINE_MAX + 1, "\r\nContent-Length: 0\r\n\r\n");
	assert_int_equal(feed_text(big), -1);
	assert_int_equal(err.code, WW_HTTP_E_LINE_TOO_LONG);
	assert_int_equal(err.offset, 17 + WW_HTTP_LINE_MAX);
	assert_non_null(strstr(err.msg, "8192"));
}

static void test_header_count_limit(void **state)
{
	(void)state;
	for (int n = WW_HTTP_HEADERS_MAX; n <= WW_HTTP_HEADERS_MAX + 1; n++) {
		size_t o = (size_t)sprintf(big, "HTTP/1.1 204 No Content\r\n");
		for (int i = 0; i < n; i++)
			o += (size_t)sprintf(big + o, "X-H%d: %d\r\n", i, i);
		strcpy(big + o, "\r\n");
		long r = feed_text(big);
		if (n == WW_HTTP_HEADERS_MAX) {
			assert_int_equal(r, (long)strlen(big));
			assert_int_equal(P.nhdr, WW_HTTP_HEADERS_MAX);
		} else {
			assert_int_equal(r, -1);
			assert_int_equal(err.code, WW_HTTP_E_TOO_MANY_HEADERS);
			assert_non_null(strstr(err.msg, "100"));
		}
	}
}

static void test_header_bytes_limit(void **state)
{
	(void)state;
	size_t o = (size_t)sprintf(big, "HTTP/1.1 204 No Content\r\n");
	for (int i = 0; o < WW_HTTP_HEADER_BYTES_MAX + 100; i++) {
		o += (size_t)sprintf(big + o, "X-H%d: ", i);
		memset(big + o, 'v', 8000);
		o += 8000;
		o += (size_t)sprintf(big + o, "\r\n");
	}
	strcpy(big + o, "\r\n");
	assert_int_equal(feed_text(big), -1);
	assert_int_equal(err.code, WW_HTTP_E_HEADERS_TOO_LARGE);
	assert_int_equal(err.offset, WW_HTTP_HEADER_BYTES_MAX);
	assert_non_null(strstr(err.msg, "65536"));
}

static const char chunked_head[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
#define CH (sizeof chunked_head - 1)

static long feed_chunked(const char *rest, uint64_t chunk_max)
{
	snprintf(big, sizeof big, "%s%s", chunked_head, rest);
	start(&P);
	if (chunk_max)
		P.chunk_max = chunk_max;
	long r = feed_str(&P, big, strlen(big));
	ww_http_resp_free(&P);
	return r;
}

static void test_chunk_size_limit(void **state)
{
	(void)state;
	assert_int_equal(feed_chunked("10\r\n0123456789abcdef\r\n0\r\n\r\n", 16), (long)(CH + 27));
	assert_int_equal(feed_chunked("11\r\n", 16), -1);
	assert_int_equal(err.code, WW_HTTP_E_CHUNK_TOO_LARGE);
	assert_int_equal(err.offset, CH + 1);
	/* The default: 16 MiB is the largest. */
	assert_int_equal(feed_chunked("1000000\r\n", 0), (long)(CH + 9));
	assert_int_equal(P.state, WW_HTTP_CHUNK_DATA);
	assert_int_equal(feed_chunked("1000001\r\n", 0), -1);
	assert_int_equal(err.code, WW_HTTP_E_CHUNK_TOO_LARGE);
	assert_int_equal(err.offset, CH + 6);
	assert_int_equal(feed_chunked("ffffffffffffffffffff\r\n", 0), -1);
	assert_int_equal(err.code, WW_HTTP_E_CHUNK_TOO_LARGE);
}

/* ---- malformed ---- */

static void test_bad_status_lines(void **state)
{
	(void)state;
	const char *bad[] = {
		"HTP/1.1 200 OK\r\n", "HTTP/2.0 200 OK\r\n", "HTTP/1.x 200 OK\r\n",
		"HTTP/1.1 20 OK\r\n", "HTTP/1.1 2000 OK\r\n", "HTTP/1.1 abc OK\r\n",
		"HTTP/1.1  200 OK\r\n", "HTTP/1.1 099 Low\r\n", "HTTP/1.1 200 O\001K\r\n",
		"\r\nhello\r\n", "HTTP/1.1\r\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(feed_text(bad[i]), -1);
		assert_int_equal(err.code, WW_HTTP_E_STATUS_LINE);
		assert_non_null(strstr(err.what, "status-line"));
		/* The error sticks. */
		memset(&err, 0, sizeof err);
		assert_int_equal(ww_http_resp_feed(&P, (const uint8_t *)"x", 1, &err), -1);
		assert_int_equal(err.code, WW_HTTP_E_STATUS_LINE);
	}
	/* An empty reason without its space, and a bare LF, are accepted. */
	assert_int_equal(feed_text("HTTP/1.0 200\nContent-Length: 0\n\n"), 32);
	assert_string_equal(P.reason, "");
	assert_int_equal(P.version_minor, 0);
}

static void test_bad_chunks(void **state)
{
	(void)state;
	assert_int_equal(feed_chunked("zz\r\n", 0), -1);
	assert_int_equal(err.code, WW_HTTP_E_CHUNK_SIZE);
	assert_int_equal(err.offset, CH);
	assert_non_null(strstr(err.msg, "'z'"));
	assert_int_equal(feed_chunked("\r\n", 0), -1);
	assert_int_equal(err.code, WW_HTTP_E_CHUNK_SIZE);
	assert_int_equal(err.offset, CH + 1);
	assert_int_equal(feed_chunked("-1\r\n", 0), -1);
	assert_int_equal(err.code, WW_HTTP_E_CHUNK_SIZE);
	assert_int_equal(feed_chunked("5\rX", 0), -1);
	assert_int_equal(err.code, WW_HTTP_E_CHUNK_SIZE);
	assert_int_equal(err.offset, CH + 2);
	assert_int_equal(feed_chunked("5\r\nhelloX", 0), -1);
	assert_int_equal(err.code, WW_HTTP_E_CHUNK_END);
	assert_int_equal(err.offset, CH + 8);
	assert_int_equal(feed_chunked("5\r\nhello\r\n0\r\nBad Trailer: x\r\n", 0), -1);
	assert_int_equal(err.code, WW_HTTP_E_HEADER);
	memset(big + CH, '0', WW_HTTP_LINE_MAX + 3);
	strcpy(big + CH + WW_HTTP_LINE_MAX + 3, "\r\n");
	assert_int_equal(feed_chunked(big + CH, 0), -1);
	assert_int_equal(err.code, WW_HTTP_E_LINE_TOO_LONG);
}

static void test_chunk_ext_and_trailers(void **state)
{
	(void)state;
	const char *rest = "5;name=\"v\"\r\nhello\r\n6 ; x\r\n world\r\n0\r\nX-Checksum: 42\r\n\r\nNEXT";
	assert_int_equal(feed_chunked(rest, 0), (long)(CH + strlen(rest) - 4));
	assert_true(ww_http_resp_done(&P));
	assert_body(&P, "hello world");
	assert_string_equal(ww_http_header(&P, "x-checksum"), "42");
	assert_true(P.hdr[P.nhdr - 1].trailer);
	assert_false(P.hdr[0].trailer);
	assert_true(P.keep_alive);
}

static void test_bad_headers(void **state)
{
	(void)state;
	struct { const char *text; enum ww_http_err code; } c[] = {
		{ "HTTP/1.1 200 OK\r\nNoColon\r\n", WW_HTTP_E_HEADER },
		{ "HTTP/1.1 200 OK\r\n: v\r\n", WW_HTTP_E_HEADER },
		{ "HTTP/1.1 200 OK\r\nName : v\r\n", WW_HTTP_E_HEADER },
		{ "HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n", WW_HTTP_E_HEADER },
		{ "HTTP/1.1 200 OK\r\nA: b\rc\r\n", WW_HTTP_E_HEADER },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", WW_HTTP_E_CONTENT_LENGTH },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", WW_HTTP_E_CONTENT_LENGTH },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n", WW_HTTP_E_CONTENT_LENGTH },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", WW_HTTP_E_TRANSFER_CODING },
		{ "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 1\r\n\r\n", WW_HTTP_E_CONTENT_CODING },
		{ "HTTP/1.1 200 OK\r\nContent-Encoding: gzip, deflate\r\nContent-Length: 1\r\n\r\n", WW_HTTP_E_CONTENT_CODING },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		assert_int_equal(feed_text(c[i].text), -1);
		assert_int_equal(err.code, c[i].code);
		assert_true(err.msg[0] != '\0');
	}
	/* Repeated equal lengths are one length (RFC 9110 §8.6). */
	assert_int_equal(feed_text("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok"), 43);
	assert_body(&P, "ok");
	const char *te = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n"
			 "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
	assert_int_equal(feed_text(te), (long)strlen(te));
	assert_int_equal(P.framing, WW_HTTP_CHUNKED);
}

/* ---- no body, until close, interim, keep-alive ---- */

static void test_no_body(void **state)
{
	(void)state;
	const char *h = "HTTP/1.1 200 OK\r\nContent-Length: 291\r\n\r\n";
	start(&P);
	P.head = true;
	assert_int_equal(feed_str(&P, h, strlen(h)), (long)strlen(h));
	assert_true(ww_http_resp_done(&P));
	assert_int_equal(P.body_len, 0);
	assert_int_equal(P.content_length, 0);
	assert_true(P.keep_alive);
	const char *s204 = "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nHTTP/1.1";
	assert_int_equal(feed_text(s204), (long)strlen(s204) - 8);
	assert_true(ww_http_resp_done(&P));
	const char *s304 = "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n";
	assert_int_equal(feed_text(s304), (long)strlen(s304));
	assert_true(ww_http_resp_done(&P));
	assert_int_equal(P.framing, WW_HTTP_NO_BODY);
}

static void test_interim_1xx(void **state)
{
	(void)state;
	const char *s = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}";
	assert_int_equal(feed_text(s), (long)strlen(s));
	assert_int_equal(P.status, 201);
	assert_int_equal(P.nhdr, 1);
	assert_body(&P, "{}");
}

static void test_until_close(void **state)
{
	(void)state;
	const char *s = "HTTP/1.0 200 OK\r\nContent-Type: text/plain; charset=\"ISO-8859-1\"\r\n\r\nabc";
	start(&P);
	assert_int_equal(feed_str(&P, s, strlen(s)), (long)strlen(s));
	assert_false(ww_http_resp_done(&P));
	assert_int_equal(feed_str(&P, "def", 3), 3);
	assert_int_equal(ww_http_resp_eof(&P, &err), 0);
	assert_true(ww_http_resp_done(&P));
	assert_false(P.keep_alive);
	assert_string_equal(P.charset, "iso-8859-1");
	assert_body(&P, "abcdef");
	/* A Content-Length body cut short is truncated, naming what arrived. */
	start(&P);
	const char *t = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345";
	assert_int_equal(feed_str(&P, t, strlen(t)), (long)strlen(t));
	assert_int_equal(ww_http_resp_eof(&P, &err), -1);
	assert_int_equal(err.code, WW_HTTP_E_TRUNCATED);
	assert_non_null(strstr(err.msg, "after 5 body bytes"));
}

static void test_keep_alive_two_responses(void **state)
{
	(void)state;
	const char *s = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"
			"HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\ntwo";
	size_t n = strlen(s);
	start(&P);
	long r = feed_str(&P, s, n);
	assert_int_equal(r, 41);
	assert_true(P.keep_alive);
	assert_body(&P, "one");
	ww_http_resp_reset(&P);
	assert_int_equal(feed_str(&P, s + r, n - (size_t)r), (long)(n - (size_t)r));
	assert_int_equal(P.status, 404);
	assert_string_equal(P.reason, "Not Found");
	assert_body(&P, "two");
}

/* ---- content coding and charset ---- */

static size_t deflate_page(uint8_t *out, size_t cap, int window_bits)
{
	z_stream z = { 0 };
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)page;
	z.avail_in = (uInt)strlen(page);
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	size_t n = z.total_out;
	deflateEnd(&z);
	return n;
}

/* "deflate" means zlib (RFC 9110 §8.4.1.2), but servers also send raw
 * deflate; both decode, split at every byte. */
static void test_deflate_zlib_and_raw(void **state)
{
	(void)state;
	uint8_t z[1024];
	for (int wb = 15; wb >= -15; wb -= 30) {
		size_t n = deflate_page(z, sizeof z, wb);
		int o = sprintf(big, "HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n"
				     "Content-Length: %zu\r\n\r\n", n);
		memcpy(big + o, z, n);
		for (size_t k = 0; k <= (size_t)o + n; k++) {
			start(&P);
			assert_int_equal(feed_str(&P, big, k), (long)k);
			assert_int_equal(feed_str(&P, big + k, (size_t)o + n - k), (long)((size_t)o + n - k));
			assert_true(ww_http_resp_done(&P));
			assert_int_equal(P.coding, WW_HTTP_DEFLATE);
			assert_body(&P, page);
			ww_http_resp_free(&P);
		}
	}
}

static void test_gzip_damaged(void **state)
{
	(void)state;
	/* The gzip stream cut short inside a complete message. */
	uint8_t z[1024];
	size_t n = deflate_page(z, sizeof z, 15 + 16);
	int o = sprintf(big, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %zu\r\n\r\n", n - 10);
	memcpy(big + o, z, n - 10);
	start(&P);
	assert_int_equal(feed_str(&P, big, (size_t)o + n - 10), -1);
	assert_int_equal(err.code, WW_HTTP_E_DECODE);
	ww_http_resp_free(&P);
	/* A wrong byte in the deflate data. */
	o = sprintf(big, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %zu\r\n\r\n", n);
	memcpy(big + o, z, n);
	big[o + 3] = (char)0xff; /* reserved gzip flag bits */
	start(&P);
	assert_int_equal(feed_str(&P, big, (size_t)o + n), -1);
	assert_int_equal(err.code, WW_HTTP_E_DECODE);
	assert_non_null(strstr(err.msg, "gzip"));
	ww_http_resp_free(&P);
}

static void test_charset(void **state)
{
	(void)state;
	char cs[WW_HTTP_CHARSET_MAX];
	assert_string_equal(ww_http_charset("text/html; charset=UTF-8", cs, sizeof cs), "utf-8");
	assert_string_equal(ww_http_charset("text/html;Charset=\"Shift_JIS\";q=1", cs, sizeof cs), "shift_jis");
	assert_string_equal(ww_http_charset("text/html; x=\"a;charset=no\"; charset=koi8-r", cs, sizeof cs), "koi8-r");
	assert_string_equal(ww_http_charset("text/html", cs, sizeof cs), "");
	assert_string_equal(ww_http_charset("text/html; charsetx=1", cs, sizeof cs), "");
	assert_string_equal(ww_http_charset("text/html; charset=utf-8", cs, 4), "utf");
}

/* ---- the body's receiver ---- */

static int stop_after_first(void *ctx, const uint8_t *d, size_t n)
{
	(void)d;
	size_t *seen = ctx;
	*seen += n;
	return 1;
}

static void test_body_sinks(void **state)
{
	(void)state;
	start(&P);
	P.body_cap = 100;
	assert_int_equal(feed_str(&P, resp_plain, sizeof resp_plain), -1);
	assert_int_equal(err.code, WW_HTTP_E_BODY_TOO_LARGE);
	assert_non_null(strstr(err.msg, "100 bytes"));
	size_t seen = 0;
	start(&P);
	P.body_fn = stop_after_first;
	P.body_ctx = &seen;
	assert_int_equal(feed_str(&P, resp_gzip, sizeof resp_gzip), -1);
	assert_int_equal(err.code, WW_HTTP_E_BODY_STOPPED);
	assert_int_equal(seen, strlen(page));
	ww_http_resp_free(&P);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_get),
		cmocka_unit_test(test_request_post),
		cmocka_unit_test(test_request_refuses_injection),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_split_everywhere),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_line_limit),
		cmocka_unit_test(test_header_count_limit),
		cmocka_unit_test(test_header_bytes_limit),
		cmocka_unit_test(test_chunk_size_limit),
		cmocka_unit_test(test_bad_status_lines),
		cmocka_unit_test(test_bad_chunks),
		cmocka_unit_test(test_chunk_ext_and_trailers),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_no_body),
		cmocka_unit_test(test_interim_1xx),
		cmocka_unit_test(test_until_close),
		cmocka_unit_test(test_keep_alive_two_responses),
		cmocka_unit_test(test_deflate_zlib_and_raw),
		cmocka_unit_test(test_gzip_damaged),
		cmocka_unit_test(test_charset),
		cmocka_unit_test(test_body_sinks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
