/* How far apart two words are, for "did you mean ...?" everywhere: shell
 * commands, crafting layers and fields, filter names. */
#include "ww/nearest.h"

#include <string.h>

unsigned ww_edit_distance(const char *a, const char *b)
{
	/* Three rows of the dynamic-programming table suffice: the
	 * transposition looks two rows back. Names longer than 63 bytes are
	 * compared on their first 63. */
	enum { MAX = 64 };
	size_t la = strnlen(a, MAX - 1), lb = strnlen(b, MAX - 1);
	unsigned rows[3][MAX];
	unsigned *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned best = prev[j] + 1;               /* deletion */
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;             /* insertion */
			if (prev[j - 1] + cost < best)
				best = prev[j - 1] + cost;         /* substitution */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;           /* transposition */
			cur[j] = best;
		}
		unsigned *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}
