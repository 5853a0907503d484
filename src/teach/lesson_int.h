/* What the lesson file parser's two halves share: the lines and blocks
 * (lesson_parse.c) and the Check: lines (lesson_parse_check.c). */
#ifndef WW_LESSON_INT_H
#define WW_LESSON_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "ww/filter.h"
#include "ww/lesson.h"

enum lesson_where { W_START, W_META, W_PROSE, W_FENCE, W_COMMANDS, W_TASK };

struct lesson_parser {
	const char *name;
	struct ww_lesson *l;
	char *err;
	size_t errlen;
	unsigned line;
	enum lesson_where where;
	unsigned block_line;        /* where the open ``` block began */
	/* The prose being gathered for the current step. */
	char *prose;
	size_t prose_len, prose_cap;
	unsigned prose_line;
	char *cmds;                 /* the ```wirewalk block being read */
	size_t cmds_len, cmds_cap;
	unsigned cmds_line;
	struct ww_filter *filter;   /* scratch for validating filters */
	char **cont;                /* the text a continuation line joins, or NULL */
};

/* "NAME:LINE: reason" into the parser's ERR; returns -1. */
int lesson_fail(struct lesson_parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "NAME: out of memory"; returns -1. */
int lesson_oom(struct lesson_parser *p);
/* Grow *ARR (of SIZE-byte elements, *N used) by one zeroed element. */
void *lesson_grow(void **arr, size_t *n, size_t size);
/* N bytes of S as a string; the same without blanks at either end. */
char *lesson_dup_n(const char *s, size_t n);
char *lesson_dup_trim(const char *s, size_t n);

/* A Check: line's text after "Check:" into a new check of T: the kind,
 * `no`, and the filter parsed (or the state name, key, operator and
 * value), so a bad one is refused with its line. 0, or -1 (P's ERR set). */
int lesson_parse_check(struct lesson_parser *p, struct ww_lesson_task *t, const char *s);

#endif
