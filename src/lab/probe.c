/* Does each server answer? Real probes, sent from the LAN peer's namespace
 * through the router, as a client would: a DNS query (RFC 1035 §4.1) to
 * each nsd and to unbound, an HTTP GET and an HTTPS GET (certificate
 * verified against the lab CA) to nginx. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "lab_int.h"

/* Every peer is a few hundred microseconds away; nsd still starting
 * answers a query that waited in its socket as soon as it is up. */
#define PROBE_TIMEOUT_MS 300

/* A socket created inside the peer's namespace; it stays there after we
 * return to ours. */
static int peer_socket(struct lab *l, int type)
{
	int saved;
	if (lab_ns_enter(l, WW_LAB_PEER, &saved) < 0)
		return -1;
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	int e = errno;
	lab_ns_leave(saved);
	if (fd < 0)
		return lab_fail(l, "socket: %s", strerror(e));
	struct timeval tv = { 0, PROBE_TIMEOUT_MS * 1000 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	return fd;
}

static int connect_to(struct lab *l, int fd, const char *ip, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, ip, &sa.sin_addr);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		return lab_fail(l, "%s:%d: %s", ip, port, errno == EINPROGRESS ? "no answer" : strerror(errno));
	return 0;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* QNAME in wire form ("www.example.com" -> 3www7example3com0). */
static size_t put_name(unsigned char *p, const char *name)
{
	size_t n = 0;
	if (!strcmp(name, "."))
		name = "";
	while (*name) {
		const char *dot = strchr(name, '.');
		size_t len = dot ? (size_t)(dot - name) : strlen(name);
		p[n++] = (unsigned char)len;
		memcpy(p + n, name, len);
		n += len;
		name += len + (dot ? 1 : 0);
	}
	p[n++] = 0;
	return n;
}

/* One query; 0 when the answer has our id, QR set, RCODE NOERROR, AA when
 * WANT_AA and at least one answer record. */
static int dns_probe(struct lab *l, const char *ip, const char *qname, int qtype, bool rd, bool want_aa, char *out,
		     size_t len)
{
	unsigned char q[300], r[1500];
	uint16_t id = (uint16_t)(getpid() ^ (unsigned)time(NULL));
	memset(q, 0, 12);
	q[0] = (unsigned char)(id >> 8), q[1] = (unsigned char)id;
	q[2] = rd ? 0x01 : 0x00; /* RD */
	q[5] = 1;                 /* QDCOUNT */
	size_t n = 12 + put_name(q + 12, qname);
	q[n++] = 0, q[n++] = (unsigned char)qtype, q[n++] = 0, q[n++] = 1; /* class IN */
	int fd = peer_socket(l, SOCK_DGRAM);
	if (fd < 0)
		return -1;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ssize_t got = -1;
	if (connect_to(l, fd, ip, 53) == 0 && send(fd, q, n, 0) == (ssize_t)n)
		got = recv(fd, r, sizeof r, 0);
	int e = errno;
	close(fd);
	if (got < 12)
		return lab_fail(l, "%s: %s", ip, got < 0 ? (e == EAGAIN ? "no answer" : strerror(e)) : "short answer");
	uint16_t rid = (uint16_t)(r[0] << 8 | r[1]), ancount = (uint16_t)(r[6] << 8 | r[7]);
	int rcode = r[3] & 0x0f;
	bool qr = r[2] & 0x80, aa = r[2] & 0x04;
	if (rid != id || !qr)
		return lab_fail(l, "%s: answer does not match the query", ip);
	if (rcode != 0)
		return lab_fail(l, "%s: %s %s answered RCODE %d", ip, qname, qtype == 6 ? "SOA" : "A", rcode);
	if (want_aa && !aa)
		return lab_fail(l, "%s: answer for %s is not authoritative", ip, qname);
	if (ancount == 0)
		return lab_fail(l, "%s: no answer records for %s", ip, qname);
	snprintf(out, len, "%s %s: %u answer%s%s, %.1f ms", qname, qtype == 6 ? "SOA" : "A", ancount,
		 ancount == 1 ? "" : "s", aa ? " (authoritative)" : "", ms_since(&t0));
	return 0;
}

/* Reads an HTTP/1.0 response to its end; returns the status code. */
static int http_status(const char *resp, size_t n, size_t *body)
{
	int code = 0;
	if (n < 12 || sscanf(resp, "HTTP/1.%*c %d", &code) != 1)
		return -1;
	const char *end = memmem(resp, n, "\r\n\r\n", 4);
	*body = end ? n - (size_t)(end + 4 - resp) : 0;
	return code;
}

static const char http_request[] = "GET /4000.html HTTP/1.0\r\n"
				   "Host: " WW_LAB_HOST_WWW "\r\n"
				   "User-Agent: wirewalk-lab-probe\r\n\r\n";

static int http_probe(struct lab *l, char *out, size_t len)
{
	char resp[8192];
	size_t n = 0, body = 0;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int fd = peer_socket(l, SOCK_STREAM);
	if (fd < 0)
		return -1;
	if (connect_to(l, fd, WW_LAB_WEB_IP, 80) < 0 ||
	    send(fd, http_request, sizeof http_request - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof http_request - 1)) {
		close(fd);
		return -1;
	}
	for (ssize_t r; n < sizeof resp - 1 && (r = recv(fd, resp + n, sizeof resp - 1 - n, 0)) > 0;)
		n += (size_t)r;
	close(fd);
	resp[n] = '\0';
	int code = http_status(resp, n, &body);
	if (code != 200 || body != WW_LAB_4000_SIZE)
		return lab_fail(l, WW_LAB_WEB_IP ":80: GET /4000.html gave %d with %zu body bytes", code, body);
	snprintf(out, len, "GET /4000.html: 200, %zu bytes, %.1f ms", body, ms_since(&t0));
	return 0;
}

static int tls_fail(struct lab *l, SSL *ssl, const char *what)
{
	char buf[256] = "";
	long v = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
	unsigned long e = ERR_get_error();
	if (v != X509_V_OK)
		snprintf(buf, sizeof buf, "certificate: %s", X509_verify_cert_error_string(v));
	else if (e)
		ERR_error_string_n(e, buf, sizeof buf);
	ERR_clear_error();
	return lab_fail(l, WW_LAB_WEB_IP ":443: %s failed%s%s", what, *buf ? ": " : "", buf);
}

/* A TLS handshake for www.example.com that must verify against the lab
 * CA, then GET /4000.html. */
static int https_probe(struct lab *l, char *out, size_t len)
{
	char ca[LAB_PATH_MAX], resp[8192];
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx)
		return tls_fail(l, NULL, "SSL_CTX_new");
	SSL *ssl = NULL;
	int fd = -1, r = -1;
	if (SSL_CTX_load_verify_locations(ctx, lab_path(l, ca, "pki/ca.pem"), NULL) != 1) {
		r = tls_fail(l, NULL, "loading the lab CA");
		goto done;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if ((fd = peer_socket(l, SOCK_STREAM)) < 0 || connect_to(l, fd, WW_LAB_WEB_IP, 443) < 0)
		goto done;
	ssl = SSL_new(ctx);
	if (!ssl || !SSL_set_tlsext_host_name(ssl, WW_LAB_HOST_WWW) || !SSL_set1_host(ssl, WW_LAB_HOST_WWW) ||
	    !SSL_set_fd(ssl, fd)) {
		r = tls_fail(l, ssl, "TLS setup");
		goto done;
	}
	if (SSL_connect(ssl) != 1) {
		r = tls_fail(l, ssl, "TLS handshake");
		goto done;
	}
	if (SSL_write(ssl, http_request, sizeof http_request - 1) <= 0) {
		r = tls_fail(l, ssl, "TLS write");
		goto done;
	}
	size_t n = 0, body = 0;
	for (int got; n < sizeof resp - 1 && (got = SSL_read(ssl, resp + n, (int)(sizeof resp - 1 - n))) > 0;)
		n += (size_t)got;
	resp[n] = '\0';
	int code = http_status(resp, n, &body);
	if (code != 200 || body != WW_LAB_4000_SIZE) {
		r = lab_fail(l, WW_LAB_WEB_IP ":443: GET /4000.html gave %d with %zu body bytes", code, body);
		goto done;
	}
	snprintf(out, len, "%s, certificate verified, GET: 200, %.1f ms", SSL_get_version(ssl), ms_since(&t0));
	r = 0;
done:
	ERR_clear_error();
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	if (fd >= 0)
		close(fd);
	return r;
}

static int probe_one(struct lab *l, int id, char *out, size_t len)
{
	switch (id) {
	case LAB_NSD_ROOT:
		return dns_probe(l, WW_LAB_ROOT_NS_IP, ".", 6, false, true, out, len);
	case LAB_NSD_TLD:
		return dns_probe(l, WW_LAB_TLD_NS_IP, "com", 6, false, true, out, len);
	case LAB_NSD_EXAMPLE:
		return dns_probe(l, WW_LAB_AUTH_NS_IP, "example.com", 6, false, true, out, len);
	case LAB_UNBOUND:
		return dns_probe(l, WW_LAB_RESOLVER_IP, WW_LAB_HOST_WWW, 1, true, false, out, len);
	case LAB_NGINX:
		return http_probe(l, out, len);
	case LAB_NGINX_TLS:
		return https_probe(l, out, len);
	}
	return lab_fail(l, "no probe for server %d", id);
}

int lab_probe(struct lab *l, int id, char *out, size_t len)
{
	/* SSL_write to a server that just closed would raise SIGPIPE, and by
	 * default that ends wirewalk: ignore it for the probe's duration. */
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	out[0] = '\0';
	int r = probe_one(l, id, out, len);
	sigaction(SIGPIPE, &old, NULL);
	return r;
}
