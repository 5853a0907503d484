/* The promises every protocol's field table makes (include/ww/field.h),
 * checked the same way for each: its rows sit where its enum says, it
 * ends with a row whose name is NULL, and its fixed rows come first, as
 * one run. And the fast path for a whole fixed header
 * (ww_dissect_fixed_rows) gives exactly the items of the general walk
 * (ww_dissect_fixed), whole or cut at every length, on real bytes.
 * Include after <cmocka.h>. */
#ifndef WW_TEST_FIELD_ROWS_H
#define WW_TEST_FIELD_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/dissect.h"

/* A row of a table by its enum, and the name it must have. */
struct row_name {
	unsigned row;
	const char *name;
};

/* NAMES lists rows 0..END-1 in order; rows 0..NFIXED-1, and no others,
 * are fixed. */
static inline void check_rows(const struct ww_field *table, const struct row_name *names,
			      size_t n, unsigned end, unsigned nfixed)
{
	assert_int_equal(n, end);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(names[i].row, i);
		assert_non_null(table[i].name);
		assert_string_equal(table[i].name, names[i].name);
		/* No two rows share a name: the lookup finds this one. */
		assert_ptr_equal(ww_field_find(table, names[i].name), &table[i]);
		assert_non_null(table[i].label);
		assert_non_null(table[i].help);
	}
	assert_null(table[end].name);
	for (unsigned r = 0; r < end; r++) {
		bool fixed = table[r].bit_off >= 0;
		assert_int_equal(fixed, r < nfixed);
		if (fixed) {
			assert_int_not_equal(table[r].type, WW_FT_NONE);
			assert_true(table[r].bit_width > 0);
		}
	}
}

static inline void check_same_items(const struct ww_dissection *a, const struct ww_dissection *b)
{
	assert_int_equal(a->nitems, b->nitems);
	for (unsigned i = 0; i < a->nitems; i++) {
		const struct ww_item *x = &a->items[i], *y = &b->items[i];
		assert_ptr_equal(x->f, y->f);
		assert_int_equal(x->off, y->off);
		assert_int_equal(x->len, y->len);
		assert_int_equal(x->u, y->u);
		assert_ptr_equal(x->p, y->p);
		assert_int_equal(x->plen, y->plen);
		assert_int_equal(x->layer, y->layer);
		assert_int_equal(x->depth, y->depth);
		assert_int_equal(x->check, y->check);
		assert_int_equal(x->expect, y->expect);
	}
}

/* The header at frame offset OFF of FRAME (LEN bytes, the whole fixed
 * part there) gives the same items both ways, and so does every cut. */
static inline void check_fixed_paths(const struct ww_field *table, unsigned nfixed,
				     const uint8_t *frame, size_t len, uint32_t off)
{
	static struct ww_dissection fast, general; /* large: kept off the stack */
	uint32_t avail = (uint32_t)(len - off);
	for (uint32_t cut = 0; cut <= avail; cut++) {
		ww_dissect_reset(&fast, frame, len);
		ww_dissect_reset(&general, frame, len);
		ww_layer_add(&fast, WW_P_DATA, "test", "Test", table, off);
		ww_layer_add(&general, WW_P_DATA, "test", "Test", table, off);
		struct ww_item *items = ww_dissect_fixed_rows(&fast, table, nfixed, off, cut);
		ww_dissect_fixed(&general, table, off, cut);
		check_same_items(&fast, &general);
		if (cut == avail)
			assert_non_null(items); /* the whole header: the fast path */
		if (items) { /* all N rows, in row order */
			assert_int_equal(fast.nitems, nfixed);
			for (unsigned r = 0; r < nfixed; r++)
				assert_ptr_equal(items[r].f, &table[r]);
		}
	}
}

#endif
