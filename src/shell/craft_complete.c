/* Tab completion inside crafting expressions, filters and frame names:
 * the candidates come from the field tables (craft.c, filter.c); here the
 * line is cut into the command and the expression being typed. */
#include <string.h>

#include "cmd_craft_int.h"
#include "ww/filter.h"

#define MAX_CANDIDATES 1024

/* Which kind completes argument ARGI of C: an expression or a filter runs
 * to the end of the line, so it completes every word from where it starts. */
static enum ww_complete kind_at(const struct ww_command *c, int argi)
{
	for (int i = 0; i < WW_CMD_MAX_COMPLETE && i <= argi; i++)
		if (c->complete[i] == WW_COMPLETE_CRAFT || c->complete[i] == WW_COMPLETE_FILTER)
			return c->complete[i];
	return argi < WW_CMD_MAX_COMPLETE ? c->complete[argi] : WW_COMPLETE_NONE;
}

/* The command word of LINE and the index of the argument at POINT. */
static const struct ww_command *command_at(const char *line, int point, int *argi,
					   const char **args)
{
	char name[32];
	const char *p = line + strspn(line, " \t");
	size_t n = strcspn(p, " \t");
	if (n == 0 || n >= sizeof name || p + n >= line + point)
		return NULL;
	memcpy(name, p, n);
	name[n] = '\0';
	*args = p + n + strspn(p + n, " \t");
	int words = 0;
	for (const char *q = *args; q < line + point;) {
		q += strcspn(q, " \t");
		if (q < line + point)
			words++;
		q += strspn(q, " \t");
	}
	*argi = words;
	return ww_command_find(name);
}

const char *ww_complete_word_breaks(const char *line, int point)
{
	int argi;
	const char *args;
	const struct ww_command *c = command_at(line, point, &argi, &args);
	if (!c)
		return NULL;
	enum ww_complete k = kind_at(c, argi);
	if (k == WW_COMPLETE_CRAFT)
		return " \t\n\"'(),/=+*";
	if (k == WW_COMPLETE_FILTER)
		return " \t\n\"'()=!<>&|+*";
	return NULL;
}

const char *const *ww_complete_expression(const struct ww_command *c, const char *line, int start)
{
	static const char *cand[MAX_CANDIDATES + 1];
	int argi;
	const char *args;
	if (!c || command_at(line, start, &argi, &args) != c)
		return NULL;
	enum ww_complete k = kind_at(c, argi);
	size_t n = 0;
	char before[1024];
	size_t blen = (size_t)(line + start - args);
	if (blen >= sizeof before)
		return NULL;
	memcpy(before, args, blen);
	before[blen] = '\0';
	switch (k) {
	case WW_COMPLETE_CRAFT:
		n = ww_craft_complete(before, cand, MAX_CANDIDATES);
		break;
	case WW_COMPLETE_FILTER:
		n = ww_filter_complete(before, cand, MAX_CANDIDATES);
		break;
	case WW_COMPLETE_PACKET:
		cand[n++] = "$last";
		cand[n++] = "$reply";
		break;
	default:
		return NULL;
	}
	cand[n] = NULL;
	return cand;
}
