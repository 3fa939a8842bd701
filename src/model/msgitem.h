/* msgitem.h - fills the neutral item (item.h) from a decoded .msg (msg.h):
 * the property-to-field mapping of DESIGN §3, the calendar structures decoded
 * with their problems, and embedded exception messages as child items. */
#ifndef CCK_MSGITEM_H
#define CCK_MSGITEM_H

#include "model/item.h"
#include "msg/msg.h"
#include "util/arena.h"

/* Fills *out from message m. Everything the item points to is allocated in
 * `a` (the message itself must also stay alive until the item is done with).
 * `source` and `locator` are copied. `file_size` stands in for
 * PidTagMessageSize when the message does not carry it (0: unknown).
 * Returns 0, or -1 when the arena is exhausted. */
int cck_item_from_msg(const cck_msg *m, const char *source, const char *locator, uint64_t file_size,
                      cck_arena *a, cck_item *out);

#endif
