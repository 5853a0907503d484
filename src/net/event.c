#include "ww/event.h"

const char *ww_event_type_name(enum ww_event_type t)
{
	switch (t) {
	case WW_EV_FRAME_SENT: return "sent";
	case WW_EV_FRAME_RECEIVED: return "received";
	case WW_EV_FRAME_DROPPED: return "dropped";
	case WW_EV_FAULT: return "fault";
	case WW_EV_STATE: return "state";
	case WW_EV_INFO: return "info";
	case WW_EV_ERROR: return "error";
	}
	return "?";
}
