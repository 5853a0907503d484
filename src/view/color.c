/* Colour: only on a terminal that wants it, and the same colour for the
 * same kind of layer in every view. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "view_int.h"

bool ww_color_wanted(enum ww_color_mode mode, int fd)
{
	if (mode == WW_COLOR_ON)
		return true;
	if (mode == WW_COLOR_OFF)
		return false;
	/* https://no-color.org: present and not empty means no colour. */
	const char *no = getenv("NO_COLOR");
	if (no && *no)
		return false;
	/* A terminal that says it is dumb cannot show escape codes either. */
	const char *term = getenv("TERM");
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return isatty(fd) == 1;
}

/* The 16 basic ANSI colours: every terminal has them, and the user's
 * theme decides how they look. */
const char *vw_kind_color(enum vw_kind kind)
{
	switch (kind) {
	case VW_K_LINK:
		return "\033[36m"; /* cyan */
	case VW_K_NET:
		return "\033[32m"; /* green */
	case VW_K_TRANSPORT:
		return "\033[33m"; /* yellow */
	case VW_K_APP:
		return "\033[35m"; /* magenta */
	case VW_K_DATA:
		return "\033[94m"; /* bright blue */
	case VW_K_PAD:
		return "\033[90m"; /* grey */
	default:
		return "\033[31m"; /* red: bytes nothing could read */
	}
}

void vw_color_on(FILE *out, bool on, const char *sgr)
{
	if (on)
		fputs(sgr, out);
}

void vw_color_off(FILE *out, bool on)
{
	if (on)
		fputs(VW_RESET, out);
}
