/* A grade: judging an exercise's tasks over the evidence (the lesson
 * evaluator decides each check; a task scores its points when all pass),
 * and the evidence itself: the frames of the packet list, less our own
 * datagrams that a router sent back to us. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ww/grade.h"
#include "ww/lesson.h"
#include "ww/session.h"

unsigned ww_grade_score(const struct ww_grade_result *r)
{
	unsigned n = 0;
	for (size_t i = 0; i < r->ntasks; i++)
		n += r->tasks[i].score;
	return n;
}

unsigned ww_grade_max(const struct ww_grade_result *r)
{
	unsigned n = 0;
	for (size_t i = 0; i < r->ntasks; i++)
		n += r->tasks[i].points;
	return n;
}

void ww_grade_result_free(struct ww_grade_result *r)
{
	for (size_t i = 0; i < r->ntasks; i++) {
		struct ww_grade_task *t = &r->tasks[i];
		for (size_t j = 0; j < t->nchecks; j++) {
			free(t->checks[j].check);
			free(t->checks[j].detail);
			free(t->checks[j].feedback);
		}
		free(t->checks);
		free(t->id);
		free(t->title);
	}
	free(r->tasks);
	free(r->title);
	free(r->exercise);
	free(r->notes);
	memset(r, 0, sizeof *r);
}

void ww_grade_note(struct ww_grade_result *r, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	size_t had = r->notes ? strlen(r->notes) : 0, add = strlen(line);
	char *n = realloc(r->notes, had + add + 2);
	if (!n)
		return;
	memcpy(n + had, line, add);
	n[had + add] = '\n';
	n[had + add + 1] = '\0';
	r->notes = n;
}

/* ---- evidence ------------------------------------------------------------ */

/* Where the IPv4 header starts in an Ethernet frame (802.1Q tags skipped),
 * and its total length; false when it is not an IPv4 datagram. */
static bool ipv4_at(const uint8_t *f, size_t len, size_t *off, size_t *tot)
{
	size_t o = 12;
	while (o + 2 <= len && f[o] == 0x81 && f[o + 1] == 0x00)
		o += 4;
	if (o + 2 > len || f[o] != 0x08 || f[o + 1] != 0x00)
		return false;
	o += 2;
	if (o + 20 > len || (f[o] >> 4) != 4)
		return false;
	size_t t = (size_t)f[o + 2] << 8 | f[o + 3];
	if (t < 20 || o + t > len)
		return false;
	*off = o;
	*tot = t;
	return true;
}

bool ww_grade_is_reflection(const uint8_t *tx, size_t txlen, const uint8_t *rx, size_t rxlen)
{
	size_t to, tt, ro, rt;
	if (!ipv4_at(tx, txlen, &to, &tt) || !ipv4_at(rx, rxlen, &ro, &rt) || tt != rt)
		return false;
	const uint8_t *a = tx + to, *b = rx + ro;
	if (b[8] >= a[8]) /* a router only takes from the TTL */
		return false;
	for (size_t i = 0; i < tt; i++) {
		if (i == 8 || i == 10 || i == 11) /* TTL, header checksum */
			continue;
		if (a[i] != b[i])
			return false;
	}
	return true;
}

/* A hash of the parts of a datagram a router leaves alone: its addresses,
 * identification, length and the first bytes after the header. */
static uint32_t datagram_key(const uint8_t *f, size_t len)
{
	size_t o, t;
	if (!ipv4_at(f, len, &o, &t))
		return 0;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < t && i < 64; i++) {
		if (i == 8 || i == 10 || i == 11)
			continue;
		h = (h ^ f[o + i]) * 16777619u;
	}
	return h | 1; /* 0 stands for "not IPv4" */
}

struct key_table {
	uint32_t *key;   /* 0: empty */
	size_t *idx;     /* the sent frame's index in the list */
	size_t cap;
};

static int table_init(struct key_table *t, size_t n)
{
	t->cap = 64;
	while (t->cap < n * 2)
		t->cap *= 2;
	t->key = calloc(t->cap, sizeof *t->key);
	t->idx = calloc(t->cap, sizeof *t->idx);
	return t->key && t->idx ? 0 : -1;
}

static void table_free(struct key_table *t)
{
	free(t->key);
	free(t->idx);
}

static void table_put(struct key_table *t, uint32_t key, size_t idx)
{
	size_t i = key & (t->cap - 1);
	while (t->key[i])
		i = (i + 1) & (t->cap - 1);
	t->key[i] = key;
	t->idx[i] = idx;
}

/* Keep P in OUT unless it is a received copy of a frame sent before it. */
static void keep_or_drop(struct ww_grade_frames *out, struct key_table *t,
			 const struct ww_packet *all, size_t i)
{
	const struct ww_packet *p = &all[i];
	uint32_t key = datagram_key(p->data, p->len);
	if (p->sent) {
		if (key)
			table_put(t, key, i);
	} else if (key) {
		for (size_t j = key & (t->cap - 1); t->key[j]; j = (j + 1) & (t->cap - 1)) {
			const struct ww_packet *tx = &all[t->idx[j]];
			if (t->key[j] == key && ww_grade_is_reflection(tx->data, tx->len, p->data, p->len)) {
				out->reflected++;
				return;
			}
		}
	}
	out->frames[out->n++] = *p;
}

int ww_grade_frames_filter(const struct ww_packet *frames, size_t n, struct ww_grade_frames *out)
{
	memset(out, 0, sizeof *out);
	struct key_table t;
	out->frames = malloc((n ? n : 1) * sizeof *out->frames);
	if (!out->frames || table_init(&t, n) < 0) {
		if (out->frames)
			table_free(&t);
		free(out->frames);
		out->frames = NULL;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		keep_or_drop(out, &t, frames, i);
	table_free(&t);
	return 0;
}

int ww_grade_frames_gather(struct ww_session *s, unsigned since, struct ww_grade_frames *out)
{
	memset(out, 0, sizeof *out);
	unsigned last = ww_session_npackets(s), first = ww_session_first_packet(s);
	if (since == 0)
		since = 1;
	bool cut = first > since;
	if (first > since)
		since = first;
	size_t n = last >= since ? last - since + 1 : 0;
	struct ww_packet *all = malloc((n ? n : 1) * sizeof *all);
	if (!all)
		return -1;
	size_t k = 0;
	for (unsigned no = since; no <= last && no != 0; no++) {
		const struct ww_packet *p = ww_session_packet(s, no);
		if (p)
			all[k++] = *p;
		else
			cut = true;
	}
	int rc = ww_grade_frames_filter(all, k, out);
	free(all);
	out->cut = cut;
	return rc;
}

void ww_grade_frames_free(struct ww_grade_frames *f)
{
	free(f->frames);
	memset(f, 0, sizeof *f);
}

/* ---- judging ------------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int judge_task(const struct ww_lesson_task *lt, const struct ww_lesson_evidence *ev,
		      const struct ww_grade_frames *frames, struct ww_grade_task *t)
{
	t->id = strdup(lt->id);
	t->title = strdup(lt->do_text ? lt->do_text : "");
	t->points = lt->points;
	t->checks = calloc(lt->nchecks ? lt->nchecks : 1, sizeof *t->checks);
	if (!t->id || !t->title || !t->checks)
		return -1;
	/* Frames are judged over the gathered list (no session: the evaluator
	 * then looks at FRAMES only); state over the live session. */
	struct ww_lesson_evidence on_frames = *ev;
	on_frames.session = NULL;
	on_frames.frames = frames->frames;
	on_frames.nframes = frames->n;
	bool all = true;
	for (size_t i = 0; i < lt->nchecks; i++) {
		const struct ww_lesson_check *c = &lt->checks[i];
		struct ww_lesson_result res;
		memset(&res, 0, sizeof res);
		ww_lesson_check_one(c, c->kind == WW_LESSON_STATE ? ev : &on_frames, &res);
		char text[1024];
		ww_lesson_check_text(c, text, sizeof text);
		struct ww_grade_check *g = &t->checks[t->nchecks++];
		g->pass = res.pass;
		g->check = strdup(text);
		g->detail = strdup(res.detail);
		g->feedback = dup_or_null(c->feedback);
		if (!g->check || !g->detail || (c->feedback && !g->feedback))
			return -1;
		all = all && res.pass;
	}
	t->score = all && lt->nchecks ? t->points : 0;
	return 0;
}

int ww_grade_evaluate(const struct ww_lesson *l, const struct ww_lesson_evidence *ev,
		      const struct ww_grade_frames *frames, struct ww_grade_result *r)
{
	if (!r->title && !(r->title = strdup(l->title ? l->title : "")))
		return -1;
	if (!r->exercise && !(r->exercise = strdup(l->path ? l->path : "")))
		return -1;
	r->time_limit_s = l->time_limit_s;
	r->tasks = calloc(l->ntasks ? l->ntasks : 1, sizeof *r->tasks);
	if (!r->tasks)
		return -1;
	for (size_t i = 0; i < l->ntasks; i++) {
		r->ntasks++;
		if (judge_task(&l->tasks[i], ev, frames, &r->tasks[i]) < 0)
			return -1;
	}
	r->evidence_cut = frames->cut;
	return 0;
}
