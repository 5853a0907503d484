/* Where exercises are: a file named as such, or a name looked up in the
 * exercise directories ("handshake", "06-handshake" and "06" all name
 * 06-handshake.md). */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ww/grade.h"

#ifndef WW_SHARE_DIR
#define WW_SHARE_DIR "/usr/local/share/wirewalk"
#endif

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The I-th directory to look in (0, 1, ...) into BUF; false past the last. */
static bool candidate_dir(unsigned i, char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n;
	switch (i) {
	case 0: {
		const char *env = getenv("WIREWALK_EXERCISES");
		snprintf(buf, len, "%s", env ? env : "");
		return true;
	}
	case 1: /* beside the program: a build in the source tree */
	case 2: /* one up: a build directory inside it */
		n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		buf[0] = '\0';
		if (n > 0) {
			exe[n] = '\0';
			char *slash = strrchr(exe, '/');
			if (slash)
				*slash = '\0';
			snprintf(buf, len, "%s%s/lessons/exercises", exe, i == 2 ? "/.." : "");
		}
		return true;
	case 3:
		snprintf(buf, len, "lessons/exercises");
		return true;
	case 4:
		snprintf(buf, len, "%s/lessons/exercises", WW_SHARE_DIR);
		return true;
	default:
		return false;
	}
}

const char *ww_grade_exercise_dir(char *buf, size_t len)
{
	for (unsigned i = 0; candidate_dir(i, buf, len); i++)
		if (buf[0] && is_dir(buf))
			return buf;
	return NULL;
}

/* FILE (an entry of an exercise directory) is what NAME names. */
static bool names(const char *file, const char *name)
{
	size_t n = strlen(file);
	if (n < 4 || strcmp(file + n - 3, ".md") != 0)
		return false;
	n -= 3;
	size_t digits = strspn(file, "0123456789");
	if (strlen(name) == n && strncmp(file, name, n) == 0)
		return true; /* 06-handshake */
	if (digits && digits < n && file[digits] == '-' && strlen(name) == n - digits - 1 &&
	    strncmp(file + digits + 1, name, n - digits - 1) == 0)
		return true; /* handshake */
	return digits && strlen(name) == digits && strncmp(file, name, digits) == 0; /* 06 */
}

static bool find_in(const char *dir, const char *name, char *path, size_t len)
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort);
	if (n < 0)
		return false;
	bool found = false;
	for (int i = 0; i < n; i++) {
		if (!found && names(list[i]->d_name, name)) {
			snprintf(path, len, "%s/%s", dir, list[i]->d_name);
			found = true;
		}
		free(list[i]);
	}
	free(list);
	return found;
}

int ww_grade_find_exercise(const char *name, char *path, size_t len, char *err, size_t errlen)
{
	size_t n = strlen(name);
	if (strchr(name, '/') || (n > 3 && strcmp(name + n - 3, ".md") == 0)) {
		if (access(name, R_OK) != 0) {
			snprintf(err, errlen, "%s: no such exercise file", name);
			return -1;
		}
		snprintf(path, len, "%s", name);
		return 0;
	}
	char dir[PATH_MAX];
	bool any = false;
	for (unsigned i = 0; candidate_dir(i, dir, sizeof dir); i++) {
		if (!dir[0] || !is_dir(dir))
			continue;
		any = true;
		if (find_in(dir, name, path, len))
			return 0;
	}
	if (!any)
		snprintf(err, errlen, "%s: no exercise directory found (set WIREWALK_EXERCISES)", name);
	else
		snprintf(err, errlen, "no exercise '%s' ('exercise list' lists them)", name);
	return -1;
}
