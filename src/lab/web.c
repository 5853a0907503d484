/* nginx for the lab: one instance, HTTP and HTTPS on 192.0.2.10, and the
 * content the lessons fetch. Everything (config, pid, logs, temp paths)
 * lives under the lab dir. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "lab_int.h"
#include "ww/bytes.h"

/* One https server block; NAMES get pki/CERT.{pem,key}. */
static int server_block(char *out, size_t len, const char *dir, const char *names, const char *cert,
			bool is_default, const char *extra)
{
	return snprintf(out, len,
			"  server {\n"
			"    listen " WW_LAB_WEB_IP ":443 ssl%s;\n"
			"    server_name %s;\n"
			"    ssl_certificate %s/pki/%s.pem;\n"
			"    ssl_certificate_key %s/pki/%s.key;\n"
			"%s"
			"    include %s/nginx/locations.conf;\n"
			"  }\n",
			is_default ? " default_server" : "", names, dir, cert, dir, cert, extra, dir);
}

static const char locations[] =
	"# The site, the same under every name.\n"
	"location / {\n"
	"  index index.html;\n"
	"}\n"
	"# POST answers 201 with JSON (the body is read and dropped).\n"
	"location = /api/items {\n"
	"  default_type application/json;\n"
	"  if ($request_method = POST) {\n"
	"    add_header Location /api/items/1 always;\n"
	"    return 201 '{\"id\":1,\"name\":\"widget\"}\\n';\n"
	"  }\n"
	"  return 200 '[{\"id\":1,\"name\":\"widget\"}]\\n';\n"
	"}\n"
	"# Server-side includes: nginx cannot know the length in advance, so\n"
	"# an HTTP/1.1 response goes out with Transfer-Encoding: chunked.\n"
	"location = /chunked.html {\n"
	"  ssi on;\n"
	"}\n"
	"# The search page echoes q= through SSI (entity-encoded).\n"
	"location = /search {\n"
	"  ssi on;\n"
	"  rewrite ^ /search.html break;\n"
	"}\n";

static int write_nginx_conf(struct lab *l)
{
	const char *d = l->dir;
	char conf[8192], block[1024];
	size_t n = 0;
	n += (size_t)snprintf(conf + n, sizeof conf - n,
			      "# nginx for the wirewalk lab \"%s\".\n"
			      "user root;\n"
			      "daemon on;\n"
			      "worker_processes 1;\n"
			      "pid %s/nginx/nginx.pid;\n"
			      "error_log %s/nginx/error.log warn;\n"
			      "events { worker_connections 256; }\n"
			      "http {\n"
			      "  types {\n"
			      "    text/html html;\n"
			      "    text/css css;\n"
			      "    application/javascript js;\n"
			      "    image/png png;\n"
			      "    application/json json;\n"
			      "    text/plain txt;\n"
			      "    application/octet-stream bin;\n"
			      "  }\n"
			      "  default_type application/octet-stream;\n"
			      "  access_log %s/nginx/access.log;\n"
			      "  client_body_temp_path %s/nginx/tmp/body;\n"
			      "  proxy_temp_path %s/nginx/tmp/proxy;\n"
			      "  fastcgi_temp_path %s/nginx/tmp/fastcgi;\n"
			      "  uwsgi_temp_path %s/nginx/tmp/uwsgi;\n"
			      "  scgi_temp_path %s/nginx/tmp/scgi;\n"
			      "  sendfile on;\n"
			      "  keepalive_timeout 65;\n"
			      "  gzip on;\n"
			      "  gzip_vary on;\n"
			      "  gzip_types text/css application/javascript application/json text/plain;\n"
			      "  ssl_protocols TLSv1.2 TLSv1.3;\n"
			      "  root %s/www;\n"
			      "  server {\n"
			      "    listen " WW_LAB_WEB_IP ":80 default_server;\n"
			      "    server_name " WW_LAB_HOST " " WW_LAB_HOST_WWW " " WW_LAB_HOST_EXPIRED " " WW_LAB_HOST_UNTRUSTED
			      " " WW_LAB_HOST_WRONG ";\n"
			      "    include %s/nginx/locations.conf;\n"
			      "  }\n"
			      "  server {\n"
			      "    listen " WW_LAB_WEB_IP ":80;\n"
			      "    server_name " WW_LAB_HOST_REDIRECT ";\n"
			      "    return 301 https://$host$request_uri;\n"
			      "  }\n",
			      l->name, d, d, d, d, d, d, d, d, d, d);
	/* The first 443 block is the default: a client without SNI gets the
	 * good certificate. */
	struct {
		const char *names, *cert, *extra;
	} blocks[] = {
		{ WW_LAB_HOST " " WW_LAB_HOST_WWW, "example", "" },
		{ WW_LAB_HOST_REDIRECT, "example", "    add_header Strict-Transport-Security \"max-age=300\" always;\n" },
		{ WW_LAB_HOST_EXPIRED, "expired", "" },
		{ WW_LAB_HOST_UNTRUSTED, "untrusted", "" },
		{ WW_LAB_HOST_WRONG, "wrong", "" },
	};
	for (size_t i = 0; i < sizeof blocks / sizeof blocks[0] && n < sizeof conf; i++) {
		server_block(block, sizeof block, d, blocks[i].names, blocks[i].cert, i == 0, blocks[i].extra);
		n += (size_t)snprintf(conf + n, sizeof conf - n, "%s", block);
	}
	if (n + 2 >= sizeof conf)
		return lab_fail(l, "nginx.conf does not fit its buffer");
	snprintf(conf + n, sizeof conf - n, "}\n");
	if (lab_write_file(l, "nginx/locations.conf", locations, 0644) < 0)
		return -1;
	return lab_write_file(l, "nginx/nginx.conf", conf, 0644);
}

int lab_web_write(struct lab *l)
{
	static const char *dirs[] = { "nginx", "nginx/tmp", "nginx/tmp/body", "nginx/tmp/proxy",
				      "nginx/tmp/fastcgi", "nginx/tmp/uwsgi", "nginx/tmp/scgi" };
	char path[LAB_PATH_MAX];
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (mkdir(lab_path(l, path, dirs[i]), 0755) < 0 && errno != EEXIST)
			return lab_fail(l, "cannot create %s: %s", path, strerror(errno));
	return write_nginx_conf(l);
}

static const char index_html[] =
	"<!DOCTYPE html>\n"
	"<html lang=\"en\">\n"
	"<head>\n"
	"<meta charset=\"utf-8\">\n"
	"<title>Example Domain (wirewalk lab)</title>\n"
	"<link rel=\"stylesheet\" href=\"/style.css\">\n"
	"<script src=\"/app.js\" defer></script>\n"
	"</head>\n"
	"<body>\n"
	"<h1>Example Domain</h1>\n"
	"<img src=\"/logo.png\" alt=\"logo\" width=\"16\" height=\"16\">\n"
	"<p>This page was served by nginx in the wirewalk lab. Everything you see\n"
	"came over frames you can read byte by byte.</p>\n"
	"<ul>\n"
	"<li><a href=\"/4000.html\">a page of exactly 4000 bytes</a></li>\n"
	"<li><a href=\"/chunked.html\">a chunked response</a></li>\n"
	"<li><a href=\"/search?q=packets\">search</a></li>\n"
	"<li><a href=\"/10M.bin\">10 MB of i % 251</a></li>\n"
	"</ul>\n"
	"</body>\n"
	"</html>\n";

static const char style_css[] =
	"body { font-family: sans-serif; max-width: 40em; margin: 2em auto; color: #222; }\n"
	"h1 { font-size: 1.6em; border-bottom: 1px solid #ccc; }\n"
	"a { color: #05a; }\n";

static const char app_js[] =
	"// Fetched by the browser lessons as the page's script.\n"
	"document.addEventListener('DOMContentLoaded', function () {\n"
	"  document.title += ' (script ran)';\n"
	"});\n";

static const char search_html[] =
	"<!DOCTYPE html>\n"
	"<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Search</title></head>\n"
	"<body>\n"
	"<form action=\"/search\" method=\"get\"><input name=\"q\"><button>Search</button></form>\n"
	"<p>Results for: <b><!--# echo var=\"arg_q\" encoding=\"entity\" default=\"\" --></b></p>\n"
	"<p>No results: the lab's web has only one site.</p>\n"
	"</body></html>\n";

static const char chunked_html[] =
	"<!DOCTYPE html>\n"
	"<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Chunked</title></head>\n"
	"<body>\n"
	"<p>nginx assembles this page from parts at request time, so it sends it\n"
	"with Transfer-Encoding: chunked instead of a Content-Length.</p>\n"
	"<!--# include virtual=\"/parts/1.html\" -->\n"
	"<!--# include virtual=\"/parts/2.html\" -->\n"
	"<!--# include virtual=\"/parts/3.html\" -->\n"
	"<p>Served at <!--# echo var=\"date_gmt\" -->.</p>\n"
	"</body></html>\n";

/* /4000.html: exactly WW_LAB_4000_SIZE bytes, filler lines numbered. */
static int write_4000(struct lab *l)
{
	static const char head[] = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
				   "<title>4000 bytes</title></head>\n<body>\n"
				   "<p>This page is exactly 4000 bytes long, more than one TCP segment.</p>\n<pre>\n";
	static const char tail[] = "</pre>\n</body></html>\n";
	char buf[WW_LAB_4000_SIZE + 1];
	size_t n = (size_t)snprintf(buf, sizeof buf, "%s", head);
	size_t room = WW_LAB_4000_SIZE - (sizeof tail - 1);
	for (int line = 1; n < room; line++) {
		char row[64];
		int w = snprintf(row, sizeof row, "line %03d: the quick brown fox jumps over the lazy dog\n", line);
		size_t take = (size_t)w < room - n ? (size_t)w : room - n;
		memcpy(buf + n, row, take);
		n += take;
	}
	/* A cut-off last line ends with a newline all the same. */
	buf[n - 1] = '\n';
	memcpy(buf + n, tail, sizeof tail);
	return lab_write_file(l, "www/4000.html", buf, 0644);
}

/* A PNG chunk: length, type, data, CRC-32 over type and data. */
static size_t png_chunk(unsigned char *out, const char *type, const unsigned char *data, uint32_t len)
{
	ww_put32(out, len);
	memcpy(out + 4, type, 4);
	if (len)
		memcpy(out + 8, data, len);
	uLong crc = crc32(0L, out + 4, 4 + len);
	ww_put32(out + 8 + len, (uint32_t)crc);
	return 12 + len;
}

/* /logo.png: a 16x16 RGB gradient, built by hand (PNG spec, RFC 2083). */
static int write_png(struct lab *l)
{
	enum { W = 16, H = 16 };
	unsigned char raw[H * (1 + W * 3)], z[1024], png[1200];
	for (int y = 0; y < H; y++) {
		unsigned char *row = raw + y * (1 + W * 3);
		row[0] = 0; /* filter: none */
		for (int x = 0; x < W; x++) {
			row[1 + x * 3] = (unsigned char)(x * 16);
			row[2 + x * 3] = (unsigned char)(y * 16);
			row[3 + x * 3] = 0xa0;
		}
	}
	uLongf zlen = sizeof z;
	if (compress2(z, &zlen, raw, sizeof raw, 9) != Z_OK)
		return lab_fail(l, "logo.png: zlib compress failed");
	unsigned char ihdr[13];
	ww_put32(ihdr, W);
	ww_put32(ihdr + 4, H);
	ihdr[8] = 8, ihdr[9] = 2, ihdr[10] = 0, ihdr[11] = 0, ihdr[12] = 0; /* 8-bit RGB */
	size_t n = 0;
	memcpy(png, "\x89PNG\r\n\x1a\n", 8);
	n = 8;
	n += png_chunk(png + n, "IHDR", ihdr, sizeof ihdr);
	n += png_chunk(png + n, "IDAT", z, (uint32_t)zlen);
	n += png_chunk(png + n, "IEND", NULL, 0);
	char path[LAB_PATH_MAX];
	FILE *f = fopen(lab_path(l, path, "www/logo.png"), "wb");
	if (!f || fwrite(png, 1, n, f) != n || fclose(f) != 0)
		return lab_fail(l, "cannot write %s: %s", path, strerror(errno));
	return 0;
}

/* SIZE bytes, byte i = i % 251. Kept if already there with the right
 * size (the lab dir is the cache); written through a buffer whose length
 * is a multiple of 251, so every chunk continues the pattern. */
static int write_bin(struct lab *l, const char *rel, long size)
{
	char path[LAB_PATH_MAX];
	struct stat st;
	lab_path(l, path, rel);
	if (stat(path, &st) == 0 && st.st_size == size)
		return 0;
	enum { CHUNK = WW_LAB_BIN_MODULUS * 4096 };
	unsigned char *buf = malloc(CHUNK);
	if (!buf)
		return lab_fail(l, "out of memory for %s", rel);
	for (size_t i = 0; i < CHUNK; i++)
		buf[i] = (unsigned char)(i % WW_LAB_BIN_MODULUS);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	long left = size;
	while (fd >= 0 && left > 0) {
		ssize_t w = write(fd, buf, (size_t)(left < CHUNK ? left : CHUNK));
		if (w <= 0)
			break;
		left -= w;
	}
	int e = errno;
	free(buf);
	if (fd < 0 || left != 0 || close(fd) != 0) {
		if (fd >= 0)
			unlink(path);
		return lab_fail(l, "cannot write %s: %s", path, strerror(e));
	}
	return 0;
}

int lab_content_write(struct lab *l)
{
	static const char *parts[] = {
		"<p>Part one: the first chunk.</p>\n",
		"<p>Part two: each include arrives as its own piece.</p>\n",
		"<p>Part three: a zero-length chunk ends the body.</p>\n",
	};
	char rel[64];
	if (lab_write_file(l, "www/index.html", index_html, 0644) < 0 ||
	    lab_write_file(l, "www/style.css", style_css, 0644) < 0 ||
	    lab_write_file(l, "www/app.js", app_js, 0644) < 0 ||
	    lab_write_file(l, "www/search.html", search_html, 0644) < 0 ||
	    lab_write_file(l, "www/chunked.html", chunked_html, 0644) < 0 || write_4000(l) < 0 || write_png(l) < 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		snprintf(rel, sizeof rel, "www/parts/%d.html", i + 1);
		if (lab_write_file(l, rel, parts[i], 0644) < 0)
			return -1;
	}
	if (write_bin(l, "www/10M.bin", WW_LAB_10M_SIZE) < 0 || write_bin(l, "www/100M.bin", WW_LAB_100M_SIZE) < 0)
		return -1;
	return 0;
}
