/* The lab CA and the web server's certificates, made with libcrypto at lab
 * start (EC P-256: milliseconds). Some are wrong on purpose, for the
 * browser lessons: one expired, one signed by a CA no client is given,
 * one issued for another name. RFC 5280 for the fields. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "lab_int.h"

#define DAY (24L * 60 * 60)

struct pki_cert {
	const char *file;     /* pki/FILE.pem and pki/FILE.key */
	const char *cn;
	const char *sans;     /* "DNS:a,DNS:b" */
	bool rogue;           /* signed by the CA clients do not trust */
	long not_before, not_after; /* seconds from now */
};

/* Validity a little in the past, so a clock a minute behind still accepts. */
static const struct pki_cert certs[] = {
	{ "example", WW_LAB_HOST, "DNS:" WW_LAB_HOST ",DNS:" WW_LAB_HOST_WWW ",DNS:" WW_LAB_HOST_REDIRECT, false,
	  -DAY, 365 * DAY },
	{ "expired", WW_LAB_HOST_EXPIRED, "DNS:" WW_LAB_HOST_EXPIRED, false, -400 * DAY, -30 * DAY },
	{ "untrusted", WW_LAB_HOST_UNTRUSTED, "DNS:" WW_LAB_HOST_UNTRUSTED, true, -DAY, 365 * DAY },
	{ "wrong", "example.net", "DNS:example.net,DNS:www.example.net", false, -DAY, 365 * DAY },
};

static int ssl_fail(struct lab *l, const char *what)
{
	char buf[256] = "";
	unsigned long e = ERR_get_error();
	if (e)
		ERR_error_string_n(e, buf, sizeof buf);
	ERR_clear_error();
	return lab_fail(l, "lab CA: %s failed%s%s", what, *buf ? ": " : "", buf);
}

static int write_pem(struct lab *l, const char *rel, EVP_PKEY *key, X509 *cert)
{
	char path[LAB_PATH_MAX];
	lab_path(l, path, rel);
	FILE *f = fopen(path, "w");
	if (!f)
		return lab_fail(l, "cannot create %s: %s", path, strerror(errno));
	if (key)
		chmod(path, 0600);
	int ok = key ? PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) : PEM_write_X509(f, cert);
	if (fclose(f) != 0)
		ok = 0;
	return ok ? 0 : ssl_fail(l, path);
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return -1;
	int ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -1;
}

static int random_serial(X509 *cert)
{
	BIGNUM *bn = BN_new();
	/* 63 bits, positive: RFC 5280 §4.1.2.2 wants a positive serial. */
	int ok = bn && BN_rand(bn, 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) &&
		 BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
	BN_free(bn);
	return ok ? 0 : -1;
}

/* A certificate for KEY named CN, signed by ISSUER/ISSUER_KEY (itself when
 * ISSUER is NULL: a CA's own certificate). */
static X509 *make_cert(EVP_PKEY *key, const char *cn, const char *sans, X509 *issuer, EVP_PKEY *issuer_key,
		       long not_before, long not_after)
{
	X509 *c = X509_new();
	if (!c)
		return NULL;
	X509_NAME *name = X509_get_subject_name(c);
	bool ca = issuer == NULL;
	int ok = X509_set_version(c, 2) && random_serial(c) == 0 &&
		 X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"wirewalk lab", -1, -1, 0) &&
		 X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0) &&
		 X509_set_issuer_name(c, ca ? name : X509_get_subject_name(issuer)) &&
		 X509_gmtime_adj(X509_getm_notBefore(c), not_before) &&
		 X509_gmtime_adj(X509_getm_notAfter(c), not_after) && X509_set_pubkey(c, key);
	X509 *signer = ca ? c : issuer;
	if (ok && ca)
		ok = add_ext(c, signer, NID_basic_constraints, "critical,CA:TRUE") == 0 &&
		     add_ext(c, signer, NID_key_usage, "critical,keyCertSign,cRLSign") == 0 &&
		     add_ext(c, signer, NID_subject_key_identifier, "hash") == 0;
	else if (ok)
		ok = add_ext(c, signer, NID_basic_constraints, "critical,CA:FALSE") == 0 &&
		     add_ext(c, signer, NID_key_usage, "critical,digitalSignature") == 0 &&
		     add_ext(c, signer, NID_ext_key_usage, "serverAuth") == 0 &&
		     add_ext(c, signer, NID_subject_alt_name, sans) == 0 &&
		     add_ext(c, signer, NID_subject_key_identifier, "hash") == 0 &&
		     add_ext(c, signer, NID_authority_key_identifier, "keyid:always") == 0;
	if (ok)
		ok = X509_sign(c, ca ? key : issuer_key, EVP_sha256()) > 0;
	if (!ok) {
		X509_free(c);
		return NULL;
	}
	return c;
}

/* A CA: key and certificate, written as pki/FILE.{key,pem}. */
static int make_ca(struct lab *l, const char *file, const char *cn, EVP_PKEY **key, X509 **cert)
{
	char rel[64];
	*key = EVP_EC_gen("P-256");
	if (!*key)
		return ssl_fail(l, "EC key generation");
	*cert = make_cert(*key, cn, NULL, NULL, NULL, -DAY, 3650 * DAY);
	if (!*cert)
		return ssl_fail(l, cn);
	snprintf(rel, sizeof rel, "pki/%s.pem", file);
	if (write_pem(l, rel, NULL, *cert) < 0)
		return -1;
	snprintf(rel, sizeof rel, "pki/%s.key", file);
	return write_pem(l, rel, *key, NULL);
}

static int make_leaf(struct lab *l, const struct pki_cert *pc, X509 *ca, EVP_PKEY *ca_key)
{
	char rel[64];
	EVP_PKEY *key = EVP_EC_gen("P-256");
	if (!key)
		return ssl_fail(l, "EC key generation");
	X509 *c = make_cert(key, pc->cn, pc->sans, ca, ca_key, pc->not_before, pc->not_after);
	int r = c ? 0 : ssl_fail(l, pc->cn);
	snprintf(rel, sizeof rel, "pki/%s.pem", pc->file);
	if (r == 0)
		r = write_pem(l, rel, NULL, c);
	snprintf(rel, sizeof rel, "pki/%s.key", pc->file);
	if (r == 0)
		r = write_pem(l, rel, key, NULL);
	X509_free(c);
	EVP_PKEY_free(key);
	return r;
}

int lab_pki_create(struct lab *l)
{
	char cn[64], dir[LAB_PATH_MAX];
	if (mkdir(lab_path(l, dir, "pki"), 0700) < 0 && errno != EEXIST)
		return lab_fail(l, "cannot create %s: %s", dir, strerror(errno));
	EVP_PKEY *ca_key = NULL, *rogue_key = NULL;
	X509 *ca = NULL, *rogue = NULL;
	snprintf(cn, sizeof cn, "wirewalk lab CA (%s)", l->name);
	int r = make_ca(l, "ca", cn, &ca_key, &ca);
	/* The untrusted certificate's issuer: kept on disk for lessons that
	 * show it, never handed to a client. */
	if (r == 0)
		r = make_ca(l, "rogue-ca", "Rogue CA (not trusted by anyone)", &rogue_key, &rogue);
	for (size_t i = 0; r == 0 && i < sizeof certs / sizeof certs[0]; i++)
		r = make_leaf(l, &certs[i], certs[i].rogue ? rogue : ca, certs[i].rogue ? rogue_key : ca_key);
	X509_free(ca);
	X509_free(rogue);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(rogue_key);
	return r;
}

bool lab_pki_present(const struct lab *l)
{
	char path[LAB_PATH_MAX], rel[64];
	struct stat st;
	if (stat(lab_path(l, path, "pki/ca.pem"), &st) < 0)
		return false;
	for (size_t i = 0; i < sizeof certs / sizeof certs[0]; i++) {
		snprintf(rel, sizeof rel, "pki/%s.key", certs[i].file);
		if (stat(lab_path(l, path, rel), &st) < 0)
			return false;
	}
	return true;
}
