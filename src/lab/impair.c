/* `lab impair`: a lossy path through the router, to watch TCP recover.
 *
 * With netem (tc-netem(8)), a qdisc on each of the router's two sides
 * (wan towards the internet, br0 towards the LAN) loses, duplicates,
 * delays and reorders what leaves by it. A kernel built without netem
 * (CONFIG_NET_SCH_NETEM unset) is found by trying; then nftables does
 * what it can on the router's forward path — `numgen random` picks the
 * packets to drop, and `dup to` sends a copy on to the same next hop —
 * and delay and reordering, which it cannot do, are refused. Either way
 * only the router's forwarding is touched: traffic between the LAN hosts
 * is bridged, ARP answers are the router's own. Unlike our own fault
 * injector this is not seeded: the kernel draws the chances.
 *
 * What is in force is written to the lab dir ("impair"), so `lab status`
 * can show it and check the kernel still has it; `lab down` removes the
 * namespaces, and with them the rules and qdiscs. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab_int.h"

#define NFT_TABLE "wirewalk_impair"
#define STATE_FILE "impair"
#define NFT_FILE "impair.nft"
/* numgen draws from 0 to this - 1: chances to a millionth. */
#define NUMGEN_MOD 1000000

static const char *const router_sides[] = { WW_LAB_WAN_IF, WW_LAB_GW_IF };

/* ---- the words ----------------------------------------------------------- */

static int parse_chance(const char *s, double *p)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno || !isfinite(v))
		return -1;
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (*end || v < 0 || v > 1)
		return -1;
	*p = v;
	return 0;
}

static int parse_ms(const char *s, unsigned *ms)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (end == s || errno || *s == '-' || (strcmp(end, "") && strcmp(end, "ms")) || v > 60000)
		return -1;
	*ms = (unsigned)v;
	return 0;
}

static int parse_word(const char *word, struct ww_lab_impair *im)
{
	const char *eq = strchr(word, '=');
	if (!eq)
		return -1;
	size_t k = (size_t)(eq - word);
	const char *v = eq + 1;
	if (k == 4 && !strncmp(word, "loss", 4))
		return parse_chance(v, &im->loss);
	if (k == 3 && !strncmp(word, "dup", 3))
		return parse_chance(v, &im->dup);
	if (k == 7 && !strncmp(word, "reorder", 7))
		return parse_chance(v, &im->reorder);
	if (k == 5 && !strncmp(word, "delay", 5))
		return parse_ms(v, &im->delay_ms);
	return -1;
}

int ww_lab_impair_parse(int argc, char **argv, struct ww_lab_impair *im, char *err, size_t errlen)
{
	memset(im, 0, sizeof *im);
	if (argc == 1 && !strcmp(argv[0], "off"))
		return 0;
	if (argc == 0) {
		snprintf(err, errlen, "lab impair: say what: loss=P dup=P [delay=MS reorder=P], or off");
		return -1;
	}
	for (int i = 0; i < argc; i++) {
		if (parse_word(argv[i], im) < 0) {
			snprintf(err, errlen, "lab impair: '%.40s': expected loss=P, dup=P, reorder=P (P from "
				 "0 to 1, or a percentage), delay=MS (0 to 60000), or off alone", argv[i]);
			return -1;
		}
	}
	return 0;
}

bool ww_lab_impair_none(const struct ww_lab_impair *im)
{
	return im->loss == 0 && im->dup == 0 && im->reorder == 0 && im->delay_ms == 0;
}

/* "loss=0.05 dup=0.02 delay=10ms reorder=0.1", only what is set. */
static void spec_text(const struct ww_lab_impair *im, char *out, size_t len)
{
	size_t n = 0;
	out[0] = '\0';
	if (im->loss > 0)
		n += (size_t)snprintf(out + n, len - n, "loss=%g ", im->loss);
	if (im->dup > 0 && n < len)
		n += (size_t)snprintf(out + n, len - n, "dup=%g ", im->dup);
	if (im->delay_ms > 0 && n < len)
		n += (size_t)snprintf(out + n, len - n, "delay=%ums ", im->delay_ms);
	if (im->reorder > 0 && n < len)
		n += (size_t)snprintf(out + n, len - n, "reorder=%g ", im->reorder);
	if (n > 0 && n < len)
		out[n - 1] = '\0';
}

/* ---- netem ------------------------------------------------------------- */

static void netem_remove(struct lab *l)
{
	char keep[LAB_ERR_MAX];
	memcpy(keep, l->err, sizeof keep);
	for (size_t i = 0; i < sizeof router_sides / sizeof router_sides[0]; i++) {
		const char *argv[] = { "tc", "qdisc", "del", "dev", router_sides[i], "root", NULL };
		lab_run(l, WW_LAB_ROUTER, argv); /* fails when there is none: fine */
	}
	memcpy(l->err, keep, sizeof keep);
}

/* The qdisc on both sides: 0; -1 with l->err when the first side
 * refused it (the kernel's words when it has no netem), nothing changed;
 * -2 when the second did, and no netem is left on either side. */
static int netem_apply(struct lab *l, const struct ww_lab_impair *im)
{
	char loss[32], dup[32], delay[32], reorder[32];
	snprintf(loss, sizeof loss, "%g%%", im->loss * 100);
	snprintf(dup, sizeof dup, "%g%%", im->dup * 100);
	snprintf(delay, sizeof delay, "%ums", im->delay_ms);
	snprintf(reorder, sizeof reorder, "%g%%", im->reorder * 100);
	for (size_t i = 0; i < sizeof router_sides / sizeof router_sides[0]; i++) {
		const char *argv[16] = { "tc", "qdisc", "replace", "dev", router_sides[i], "root", "netem" };
		int n = 7;
		argv[n++] = "loss", argv[n++] = loss;
		argv[n++] = "duplicate", argv[n++] = dup;
		if (im->delay_ms)
			argv[n++] = "delay", argv[n++] = delay;
		if (im->reorder > 0)
			argv[n++] = "reorder", argv[n++] = reorder;
		argv[n] = NULL;
		if (lab_run(l, WW_LAB_ROUTER, argv) < 0) {
			if (i == 0)
				return -1;
			netem_remove(l);
			return -2;
		}
	}
	return 0;
}

/* ---- nftables ---------------------------------------------------------- */

static void nft_remove(struct lab *l)
{
	char keep[LAB_ERR_MAX];
	memcpy(keep, l->err, sizeof keep);
	const char *argv[] = { "nft", "delete", "table", "ip", NFT_TABLE, NULL };
	lab_run(l, WW_LAB_ROUTER, argv);
	memcpy(l->err, keep, sizeof keep);
}

/* "numgen random mod 1000000 < 50000 " for a chance of 0.05; nothing for
 * a chance of 1 (every packet: nft takes no bound past the range). */
static void chance_expr(double p, char *out, size_t len)
{
	long below = llround(p * NUMGEN_MOD);
	if (below >= NUMGEN_MOD)
		out[0] = '\0';
	else
		snprintf(out, len, "numgen random mod %d < %ld ", NUMGEN_MOD, below);
}

/* The forward chain: drop first, then a copy of what is left. Each rule
 * counts what it did, for `lab status`. The copy goes to the next hop the
 * original takes: the net host for the internet, the destination itself
 * on the LAN. The file replaces the table in one transaction: declared
 * (a no-op if it is there), deleted, made anew — or nothing changes. */
static int nft_ruleset(const struct ww_lab_impair *im, char *out, size_t len)
{
	int n = snprintf(out, len,
			 "table ip " NFT_TABLE "\n"
			 "delete table ip " NFT_TABLE "\n"
			 "table ip " NFT_TABLE " {\n"
			 "\tchain forward {\n"
			 "\t\ttype filter hook forward priority -10; policy accept;\n");
	char loss[64], dup[64];
	chance_expr(im->loss, loss, sizeof loss);
	chance_expr(im->dup, dup, sizeof dup);
	if (im->loss > 0)
		n += snprintf(out + n, len - (size_t)n, "\t\t%scounter drop comment \"loss\"\n", loss);
	if (im->dup > 0)
		n += snprintf(out + n, len - (size_t)n,
			      "\t\tiifname \"%s\" oifname \"%s\" %scounter dup to %s device \"%s\" "
			      "comment \"dup\"\n"
			      "\t\tiifname \"%s\" oifname \"%s\" %scounter dup to ip daddr device \"%s\" "
			      "comment \"dup\"\n",
			      WW_LAB_GW_IF, WW_LAB_WAN_IF, dup, WW_LAB_RESOLVER_IP, WW_LAB_WAN_IF,
			      WW_LAB_WAN_IF, WW_LAB_GW_IF, dup, WW_LAB_GW_IF);
	n += snprintf(out + n, len - (size_t)n, "\t}\n}\n");
	return n > 0 && (size_t)n < len ? 0 : -1;
}

static int nft_apply(struct lab *l, const struct ww_lab_impair *im)
{
	char rules[2048], path[LAB_PATH_MAX];
	if (nft_ruleset(im, rules, sizeof rules) < 0)
		return lab_fail(l, "the nftables rules do not fit");
	if (lab_write_file(l, NFT_FILE, rules, 0644) < 0)
		return -1;
	const char *argv[] = { "nft", "-f", lab_path(l, path, NFT_FILE), NULL };
	return lab_run(l, WW_LAB_ROUTER, argv);
}

/* ---- what is in force ------------------------------------------------- */

static int state_write(struct lab *l, const struct ww_lab_impair *im, const char *via)
{
	char spec[128], text[256];
	spec_text(im, spec, sizeof spec);
	snprintf(text, sizeof text, "spec=%s\nvia=%s\n", spec, via);
	return lab_write_file(l, STATE_FILE, text, 0644);
}

/* Copies as much of SRC as fits in DST (LEN bytes). */
static void copy_cut(char *dst, const char *src, size_t len)
{
	size_t n = strnlen(src, len - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* SPEC and VIA are LEN bytes each. */
static void state_read(const struct lab *l, char *spec, char *via, size_t len)
{
	char path[LAB_PATH_MAX], line[256];
	spec[0] = via[0] = '\0';
	FILE *f = fopen(lab_path(l, path, STATE_FILE), "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "spec=", 5))
			copy_cut(spec, line + 5, len);
		else if (!strncmp(line, "via=", 4))
			copy_cut(via, line + 4, len);
	}
	fclose(f);
}

/* "1234 dropped, 56 duplicated" from the counters of the nft rules. */
static int nft_counts(struct lab *l, char *out, size_t len)
{
	char text[4096];
	const char *argv[] = { "nft", "list", "table", "ip", NFT_TABLE, NULL };
	if (lab_run_output(l, WW_LAB_ROUTER, argv, text, sizeof text) < 0)
		return -1;
	unsigned long long dropped = 0, copied = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		const char *c = strstr(line, "counter packets ");
		if (!c)
			continue;
		unsigned long long v = strtoull(c + 16, NULL, 10);
		if (strstr(line, "comment \"loss\""))
			dropped += v;
		else if (strstr(line, "comment \"dup\""))
			copied += v;
	}
	snprintf(out, len, "%llu dropped, %llu duplicated so far", dropped, copied);
	return 0;
}

/* Does the router's kernel still have the netem qdisc? */
static bool netem_present(struct lab *l)
{
	char text[2048];
	const char *argv[] = { "tc", "qdisc", "show", "dev", WW_LAB_WAN_IF, NULL };
	return lab_run_output(l, WW_LAB_ROUTER, argv, text, sizeof text) == 0 && strstr(text, "netem");
}

void lab_impair_show(struct lab *l, char *out, size_t len)
{
	char spec[128], via[128], counts[128];
	char keep[LAB_ERR_MAX];
	memcpy(keep, l->err, sizeof keep);
	state_read(l, spec, via, sizeof spec);
	if (!spec[0]) {
		snprintf(out, len, "none");
	} else if (!strcmp(via, "nftables")) {
		if (nft_counts(l, counts, sizeof counts) == 0)
			snprintf(out, len, "%s on the router's forwarding, by nftables (table ip %s): %s",
				 spec, NFT_TABLE, counts);
		else
			snprintf(out, len, "%s  !! the router's nftables table %s is gone (lab impair "
				 "again)", spec, NFT_TABLE);
	} else if (netem_present(l)) {
		snprintf(out, len, "%s on the router's %s and %s, by netem", spec, WW_LAB_WAN_IF,
			 WW_LAB_GW_IF);
	} else {
		snprintf(out, len, "%s  !! the router's netem qdisc is gone (lab impair again)", spec);
	}
	memcpy(l->err, keep, sizeof keep);
}

/* ---- putting it in force ------------------------------------------------- */

/* A failed request leaves what was in force as it was, where it can. */
static int impair_locked(struct lab *l, const struct ww_lab_impair *im, char *msg, size_t len)
{
	char spec[128], path[LAB_PATH_MAX];
	if (ww_lab_impair_none(im)) {
		netem_remove(l);
		nft_remove(l);
		unlink(lab_path(l, path, STATE_FILE));
		unlink(lab_path(l, path, NFT_FILE));
		snprintf(msg, len, "lab %s: no impairment on the router", l->name);
		return 0;
	}
	spec_text(im, spec, sizeof spec);
	if (im->reorder > 0 && im->delay_ms == 0)
		return lab_fail(l, "reorder=P needs delay=MS too: netem reorders by sending some "
				"packets at once while the others wait out the delay");
	/* netem where the kernel has it: trying is the test. */
	int netem = netem_apply(l, im);
	if (netem == 0) {
		nft_remove(l);
		if (state_write(l, im, "netem") < 0) {
			netem_remove(l);
			return -1;
		}
		snprintf(msg, len, "lab %s: router impaired, %s, by netem on %s and %s", l->name, spec,
			 WW_LAB_WAN_IF, WW_LAB_GW_IF);
		return 0;
	}
	if (netem == -2)
		unlink(lab_path(l, path, STATE_FILE));
	char why[LAB_ERR_MAX];
	memcpy(why, l->err, sizeof why);
	if (im->delay_ms || im->reorder > 0)
		return lab_fail(l, "delay and reorder need netem, and this kernel has none "
				"(CONFIG_NET_SCH_NETEM is not set; tc said: %.200s); nftables can only "
				"drop and duplicate: lab impair loss=P dup=P", why);
	if (nft_apply(l, im) < 0)
		return lab_fail(l, "neither netem nor nftables works on the router: %.300s; %.300s",
				why, l->err);
	if (state_write(l, im, "nftables") < 0) {
		nft_remove(l);
		return -1;
	}
	snprintf(msg, len, "lab %s: router impaired, %s, by nftables on its forwarding between %s and "
		 "%s (no netem in this kernel)", l->name, spec, WW_LAB_GW_IF, WW_LAB_WAN_IF);
	return 0;
}

int ww_lab_impair(const char *name, const struct ww_lab_impair *im, char *msg, size_t len)
{
	struct lab l;
	char err[512];
	if (ww_lab_check_caps(err, sizeof err) < 0) {
		snprintf(msg, len, "%s", err);
		return -1;
	}
	if (lab_init(&l, name) < 0) {
		snprintf(msg, len, "%s", l.err);
		return -1;
	}
	if (!ww_lab_exists(name)) {
		snprintf(msg, len, "lab %s is not up: wirewalk lab up --lab %s", name, name);
		return -1;
	}
	int lock = lab_lock(&l);
	if (lock < 0) {
		snprintf(msg, len, "lab %s: %s", name, l.err);
		return -1;
	}
	int r = impair_locked(&l, im, msg, len);
	lab_unlock(lock);
	if (r < 0)
		snprintf(msg, len, "lab %s: %s", name, l.err);
	return r;
}

int ww_lab_impair_describe(const char *name, char *out, size_t len)
{
	struct lab l;
	if (ww_lab_check_caps(out, len) < 0)
		return -1;
	if (lab_init(&l, name) < 0) {
		snprintf(out, len, "%s", l.err);
		return -1;
	}
	if (!ww_lab_exists(name)) {
		snprintf(out, len, "lab %s is not up", name);
		return -1;
	}
	lab_impair_show(&l, out, len);
	return 0;
}
