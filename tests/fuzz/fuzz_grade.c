/* The grade as the grader's parent reads it from its child: whatever the
 * bytes, reading either refuses them or gives a grade that every report
 * (table, results.json, TAP) can be written from, and that writes back to
 * a stream which reads again to the same score. Nothing may crash or
 * overrun. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ww/grade.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	if (!sink && !(sink = fopen("/dev/null", "w")))
		abort();
	if (size == 0)
		return 0;
	FILE *in = fmemopen((void *)data, size, "r");
	if (!in)
		return 0;
	struct ww_grade_result r, again;
	char err[128];
	int rc = ww_grade_result_read(in, &r, err, sizeof err);
	fclose(in);
	if (rc != 0)
		return 0;
	ww_grade_print_table(sink, &r, true);
	ww_grade_write_json(sink, &r);
	ww_grade_write_tap(sink, &r);
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	if (!m || ww_grade_result_write(m, &r) != 0)
		abort();
	fclose(m);
	in = fmemopen(buf, n, "r");
	if (!in || ww_grade_result_read(in, &again, err, sizeof err) != 0 ||
	    ww_grade_score(&again) != ww_grade_score(&r) || ww_grade_max(&again) != ww_grade_max(&r) ||
	    again.ntasks != r.ntasks)
		abort();
	fclose(in);
	free(buf);
	ww_grade_result_free(&again);
	ww_grade_result_free(&r);
	return 0;
}
