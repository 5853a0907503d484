/* What the crafting commands (cmd_craft.c, cmd_frames.c) share with the
 * variables and frame access of vars.c. */
#ifndef WW_CMD_CRAFT_INT_H
#define WW_CMD_CRAFT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "ww/craft.h"
#include "ww/expr.h"
#include "ww/shell.h"

struct ww_session;

/* A frame of the live packet list, or (offline) of the capture read last. */
struct frame_ref {
	unsigned no;
	const uint8_t *data;
	uint32_t len, origlen;
	bool live, sent;
	double t; /* seconds since the session began, or since the capture's first frame */
};

/* How many frames there are to name: the live list's, else the capture's. */
unsigned frames_count(const struct ww_shell *sh);
/* Frame NO (1-based): 0, or -1 if there is none. */
int frame_get(const struct ww_shell *sh, unsigned no, struct frame_ref *r);
/* The frame a variable names ("last", "reply", "12"): its number, or 0
 * with a reason for a person in ERR. */
unsigned frame_by_name(const struct ww_shell *sh, const char *name, size_t len, char *err,
		       size_t errlen);
/* $last, $reply and $N for expressions and filters, over SH. */
void shell_vars(struct ww_shell *sh, struct ww_vars *v);

/* The command's arguments as typed (after the command's name), quotes and
 * blanks intact; "" if there are none. */
const char *command_args(const struct ww_shell *sh, int argc, char **argv);
/* Report ERR about TEXT for the command NAME: the message, then TEXT with
 * the token at fault underlined. Returns STATUS. */
int expr_error(struct ww_shell *sh, int status, const char *name, const char *text,
	       const struct ww_expr_error *err);

/* What the stack knows, for crafting: our MAC and address, the next hop's
 * MAC through routing and ARP (waiting for the answer), the identification
 * and source port a stack would choose for C. */
void craft_env(struct ww_shell *sh, struct ww_session *s, const struct ww_craft *c,
	       struct ww_craft_env *env);

/* The frame commands (cmd_frames.c). */
int cmd_packets(struct ww_shell *sh, int argc, char **argv);
int cmd_frame_view(struct ww_shell *sh, int argc, char **argv); /* hex, layers, bits */
int cmd_capture(struct ww_shell *sh, int argc, char **argv);

#endif
