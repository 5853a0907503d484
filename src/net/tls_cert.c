/* A certificate for a person: subject, issuer, validity, the names it
 * holds (subjectAltName, RFC 5280 §4.2.1.6) and its key, read with
 * libcrypto. Used by the Certificate message's description and by
 * `tls status`. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "tls_int.h"
#include "ww/tls.h"

static void name_text(X509_NAME *n, char *out, size_t len)
{
	out[0] = '\0';
	BIO *b = BIO_new(BIO_s_mem());
	if (!b)
		return;
	/* "CN = www.example.com, O = ...", as `openssl x509 -subject` prints it. */
	X509_NAME_print_ex(b, n, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
	char *p;
	long k = BIO_get_mem_data(b, &p);
	if (k > 0)
		snprintf(out, len, "%.*s", (int)k, p);
	BIO_free(b);
}

static void time_text(const ASN1_TIME *t, char *out, size_t len)
{
	struct tm tm;
	if (t && ASN1_TIME_to_tm(t, &tm))
		strftime(out, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
	else
		snprintf(out, len, "?");
}

static void sans_text(X509 *x, char *out, size_t len)
{
	out[0] = '\0';
	GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	size_t n = 0;
	for (int i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
		char one[128] = "";
		if (g->type == GEN_DNS) {
			const unsigned char *s = ASN1_STRING_get0_data(g->d.dNSName);
			snprintf(one, sizeof one, "%.*s", ASN1_STRING_length(g->d.dNSName),
				 (const char *)s);
		} else if (g->type == GEN_IPADD && ASN1_STRING_length(g->d.iPAddress) == 4) {
			const unsigned char *a = ASN1_STRING_get0_data(g->d.iPAddress);
			snprintf(one, sizeof one, "IP %u.%u.%u.%u", a[0], a[1], a[2], a[3]);
		} else {
			continue;
		}
		int w = snprintf(out + n, len - n, "%s%s", n ? ", " : "", one);
		if (w < 0 || (size_t)w >= len - n)
			break;
		n += (size_t)w;
	}
	GENERAL_NAMES_free(names);
}

static void key_text(X509 *x, char *out, size_t len)
{
	EVP_PKEY *k = X509_get0_pubkey(x);
	snprintf(out, len, "?");
	if (!k)
		return;
	int bits = EVP_PKEY_get_bits(k);
	if (EVP_PKEY_is_a(k, "EC")) {
		char curve[28] = "";
		size_t cl = 0;
		if (EVP_PKEY_get_utf8_string_param(k, "group", curve, sizeof curve, &cl) &&
		    strcmp(curve, "prime256v1") == 0)
			snprintf(curve, sizeof curve, "P-256");
		else if (strcmp(curve, "secp384r1") == 0)
			snprintf(curve, sizeof curve, "P-384");
		snprintf(out, len, "EC %s", curve[0] ? curve : "?");
	} else if (EVP_PKEY_is_a(k, "RSA")) {
		snprintf(out, len, "RSA %d bits", bits);
	} else {
		snprintf(out, len, "%s", EVP_PKEY_get0_type_name(k) ? EVP_PKEY_get0_type_name(k) : "?");
	}
}

void tls_cert_from_x509(X509 *x, struct ww_tls_cert *c)
{
	memset(c, 0, sizeof *c);
	name_text(X509_get_subject_name(x), c->subject, sizeof c->subject);
	name_text(X509_get_issuer_name(x), c->issuer, sizeof c->issuer);
	time_text(X509_get0_notBefore(x), c->not_before, sizeof c->not_before);
	time_text(X509_get0_notAfter(x), c->not_after, sizeof c->not_after);
	sans_text(x, c->sans, sizeof c->sans);
	key_text(x, c->key, sizeof c->key);
}

int ww_tls_cert_from_der(const uint8_t *der, size_t n, struct ww_tls_cert *c)
{
	const unsigned char *p = der;
	if (n > LONG_MAX)
		return -1;
	X509 *x = d2i_X509(NULL, &p, (long)n);
	/* The whole of the bytes, nothing after the certificate. */
	if (!x || p != der + n) {
		X509_free(x);
		return -1;
	}
	tls_cert_from_x509(x, c);
	X509_free(x);
	return 0;
}
