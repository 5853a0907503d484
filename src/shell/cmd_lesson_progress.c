/* Where lessons are found, and the progress a person made in them, kept
 * per user under the XDG data directory so `lesson start` resumes. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd_lesson_int.h"

/* ---- the progress file ------------------------------------------------- */

static int data_dir(char *out, size_t n)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && xdg[0] == '/') /* the spec: a relative path is to be ignored */
		return snprintf(out, n, "%s/wirewalk", xdg) < (int)n ? 0 : -1;
	const char *home = getenv("HOME");
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : NULL;
	}
	if (!home)
		return -1;
	return snprintf(out, n, "%s/.local/share/wirewalk", home) < (int)n ? 0 : -1;
}

static int progress_path(char *out, size_t n)
{
	char dir[PATH_MAX];
	if (data_dir(dir, sizeof dir) < 0)
		return -1;
	return snprintf(out, n, "%s/progress", dir) < (int)n ? 0 : -1;
}

/* "NAME\tSTEP\tDONE" into its parts; 0, or -1 for a line that is not one. */
static int split_line(char *line, char **name, size_t *step, char **done)
{
	line[strcspn(line, "\r\n")] = '\0';
	char *t1 = strchr(line, '\t');
	if (!t1)
		return -1;
	*t1 = '\0';
	char *t2 = strchr(t1 + 1, '\t');
	if (t2)
		*t2 = '\0';
	char *end;
	unsigned long s = strtoul(t1 + 1, &end, 10);
	if (*end || s > 100000)
		return -1;
	*name = line;
	*step = s;
	*done = t2 ? t2 + 1 : (char *)"";
	return 0;
}

int lesson_progress_load(const char *name, struct lesson_progress *p)
{
	memset(p, 0, sizeof *p);
	char path[PATH_MAX];
	if (progress_path(path, sizeof path) < 0)
		return 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char *line = NULL;
	size_t cap = 0;
	int found = 0;
	while (getline(&line, &cap, f) >= 0) {
		char *n, *done;
		size_t step;
		if (split_line(line, &n, &step, &done) < 0 || strcmp(n, name) != 0)
			continue;
		p->step = step;
		snprintf(p->done, sizeof p->done, "%s", done);
		found = 1;
	}
	free(line);
	fclose(f);
	return found;
}

static int mkdirs(char *dir)
{
	for (char *s = dir + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		int rc = mkdir(dir, 0700);
		*s = '/';
		if (rc < 0 && errno != EEXIST)
			return -1;
	}
	return mkdir(dir, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

int lesson_progress_save(const char *name, const struct lesson_progress *p, char *err,
			 size_t errlen)
{
	char dir[PATH_MAX], path[PATH_MAX], tmp[PATH_MAX + 8];
	if (data_dir(dir, sizeof dir) < 0 || progress_path(path, sizeof path) < 0) {
		snprintf(err, errlen, "no home directory to keep progress in");
		return -1;
	}
	snprintf(tmp, sizeof tmp, "%s.new", path);
	if (mkdirs(dir) < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	FILE *out = fopen(tmp, "w");
	if (!out) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	/* Every other lesson's line as it was, then this one's. */
	FILE *in = fopen(path, "r");
	if (in) {
		char *line = NULL;
		size_t cap = 0;
		while (getline(&line, &cap, in) >= 0) {
			char *copy = strdup(line), *n, *done;
			size_t step;
			if (copy && split_line(copy, &n, &step, &done) == 0 && strcmp(n, name) != 0)
				fputs(line, out);
			free(copy);
		}
		free(line);
		fclose(in);
	}
	if (p)
		fprintf(out, "%s\t%zu\t%s\n", name, p->step, p->done);
	if (fclose(out) != 0 || rename(tmp, path) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

bool lesson_progress_has(const char *done, const char *id)
{
	size_t n = strlen(id);
	for (const char *s = done; *s;) {
		size_t w = strcspn(s, ",");
		if (w == n && !strncmp(s, id, n))
			return true;
		s += w + (s[w] == ',');
	}
	return false;
}

/* ---- finding lessons ---------------------------------------------------- */

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int lesson_dir(char *out, size_t n)
{
	const char *env = getenv("WIREWALK_LESSONS");
	if (env && *env) {
		snprintf(out, n, "%s", env);
		return is_dir(out) ? 0 : -1;
	}
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = '\0';
		/* BIN/lessons, BIN/../lessons (a build directory in the
		 * source tree), BIN/../share/wirewalk/lessons (installed under
		 * any PREFIX). */
		for (int up = 0; up < 2; up++) {
			char *slash = strrchr(exe, '/');
			if (!slash)
				break;
			*slash = '\0';
			if (snprintf(out, n, "%s/lessons", exe) < (int)n && is_dir(out))
				return 0;
			if (up == 1 && snprintf(out, n, "%s/share/wirewalk/lessons", exe) < (int)n &&
			    is_dir(out))
				return 0;
		}
	}
	static const char *const shared[] = { "/usr/local/share/wirewalk/lessons",
					      "/usr/share/wirewalk/lessons" };
	for (size_t i = 0; i < 2; i++) {
		snprintf(out, n, "%s", shared[i]);
		if (is_dir(out))
			return 0;
	}
	return -1;
}

void lesson_key(const char *path, char *key, size_t n)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	if (len > 3 && !strcmp(base + len - 3, ".md"))
		len -= 3;
	snprintf(key, n, "%.*s", (int)len, base);
}

static bool ends_md(const char *s)
{
	size_t n = strlen(s);
	return n > 3 && !strcmp(s + n - 3, ".md");
}

int lesson_resolve(const char *name, char *path, size_t n, char *err, size_t errlen)
{
	if (strchr(name, '/') || ends_md(name)) {
		snprintf(path, n, "%s", name);
		return 0;
	}
	char dir[PATH_MAX];
	if (lesson_dir(dir, sizeof dir) < 0) {
		snprintf(err, errlen, "no lessons directory found (set WIREWALK_LESSONS to one)");
		return -1;
	}
	struct dirent **ents;
	int ne = scandir(dir, &ents, NULL, alphasort);
	if (ne < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	bool digits = name[0] && strspn(name, "0123456789") == strlen(name);
	/* Exact names first ("03", "03-arp", "arp"), then a beginning
	 * ("tcp-h"): either must name one lesson. */
	int exact = -1, nexact = 0, prefix = -1, nprefix = 0;
	for (int i = 0; i < ne; i++) {
		const char *f = ents[i]->d_name;
		if (!ends_md(f) || f[0] < '0' || f[0] > '9')
			continue;
		char key[256];
		lesson_key(f, key, sizeof key);
		const char *dash = strchr(key, '-');
		if (digits ? strtoul(key, NULL, 10) == strtoul(name, NULL, 10)
			   : !strcmp(key, name) || (dash && !strcmp(dash + 1, name))) {
			exact = i;
			nexact++;
		} else if (!digits && dash && !strncmp(dash + 1, name, strlen(name))) {
			prefix = i;
			nprefix++;
		}
	}
	int pick = nexact ? (nexact == 1 ? exact : -2) : (nprefix == 1 ? prefix : nprefix ? -2 : -1);
	int rc = -1;
	if (pick >= 0) {
		snprintf(path, n, "%s/%s", dir, ents[pick]->d_name);
		rc = 0;
	} else if (pick == -2) {
		snprintf(err, errlen, "'%s' names more than one lesson: 'lesson list' shows them",
			 name);
	} else {
		snprintf(err, errlen, "no lesson '%s': 'lesson list' shows them", name);
	}
	for (int i = 0; i < ne; i++)
		free(ents[i]);
	free(ents);
	return rc;
}
