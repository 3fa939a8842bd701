/* pst.h - calendar items of an Outlook data file (PST or OST, [MS-PST]),
 * read through libpff, as the same cck_msg tree the .msg reader builds.
 *
 * cck_pst_open() opens the file read-only and walks the folder hierarchy
 * once: every folder whose container class (PidTagContainerClass) starts with
 * "IPF.Appointment" is a calendar; the one the IPM appointment entry id
 * (PidTagIpmAppointmentEntryId on the root, IPM subtree or Inbox) names is
 * the default calendar. cck_pst_next() then yields every message of every
 * calendar, in folder order, built with the msg.h builder: all properties of
 * the message, its recipients and attachments, and embedded messages (the
 * exceptions of a recurring series) as attachments carrying a cck_msg.
 * Named properties (ids >= 0x8000) carry their (GUID, LID) or (GUID, name)
 * from the file's name-to-id map in cck_prop.key.
 *
 * Ownership: a cck_pst owns the libpff handles and the mailbox facts and
 * calendar list (valid until cck_pst_close). Each message, its `where` and
 * `why` texts live in the arena given to cck_pst_next and die with it.
 *
 * Damage: a property, recipient or attachment libpff cannot read becomes a
 * problem on the message (codes "pst.*") or a damage reason; a message that
 * cannot be read at all makes cck_pst_next return -1 with the reason, and the
 * next call goes on with the next message. Only a file that is not a PST/OST
 * or cannot be opened fails.
 *
 * Threads: libpff builds a CRC table lazily; open files on one thread, and
 * use one cck_pst from one thread at a time.
 */
#ifndef CCK_PST_H
#define CCK_PST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/item.h"
#include "../msg/msg.h"
#include "../util/arena.h"
#include "../util/problems.h"

/* Named limits; exceeding one is a problem on the message, never a crash. */
#define CCK_PST_MAX_FOLDER_DEPTH 64         /* folder nesting walked */
#define CCK_PST_MAX_FOLDERS      100000     /* folders walked */
#define CCK_PST_MAX_PROPS        65536      /* entries of one record set */
#define CCK_PST_MAX_ATTACH_DATA  (1u << 20) /* attachment bytes loaded (PidTagAttachDataBinary) */
#define CCK_PST_MAX_ADDRESSES    16         /* owner addresses collected */
#define CCK_PST_SENT_SCAN        64         /* sent items looked at for owner addresses */

typedef struct cck_pst cck_pst;

/* One calendar folder. */
typedef struct cck_pst_calendar {
    const char *path;            /* folder names from below the root, '/'-separated:
                                    "Top of Personal Folders/Calendar" */
    const char *container_class; /* "IPF.Appointment", ... */
    uint32_t nid;                /* node id of the folder */
    size_t n_items;              /* messages in the folder, as libpff counts them */
    bool is_default;             /* named by PidTagIpmAppointmentEntryId */
} cck_pst_calendar;

/* Mailbox-level facts, where the file has them; strings are UTF-8 or NULL. */
typedef struct cck_pst_mailbox {
    const char *kind;       /* "PST", "OST" or "PAB" */
    const char *format;     /* "32-bit (ANSI)", "64-bit (Unicode)", "64-bit with 4K pages" */
    const char *store_name; /* the message store's PidTagDisplayName */
    const char *owner;      /* PidTagMailboxOwnerName, else the sender name of sent items */
    const char *const *owner_addresses; /* distinct addresses the owner sent as */
    size_t n_owner_addresses;
    bool default_known;       /* the IPM appointment entry id named one of the calendars */
    size_t n_folders;         /* folders walked */
    size_t n_items;           /* messages in all calendars */
    const char *walk_problem; /* the first folder that could not be read, or NULL */
    /* The local free/busy message: the first message of class
     * IPM.Microsoft.ScheduleData.FreeBusy in a folder named "Freebusy Data"
     * near the root (OST, Exchange), else the one the second entry id of
     * PidTagFreeBusyEntryIds (0x36E4, root or Inbox; [MS-OXOSFLD] 2.2.6)
     * names, when that is a PST entry id. freebusy.found is false without
     * one. Folder permissions are not read: files rarely keep them. */
    cck_freebusy freebusy;
} cck_pst_mailbox;

/* Opens a PST or OST read-only (libpff, LIBPFF_OPEN_READ) and finds its
 * calendars. NULL with *why (when why is non-NULL) set when it is not a
 * PST/OST or cannot be read; *why stays valid until the next open. libpff
 * is loaded by the first open (util/lazylib.h); when it cannot be, *why is
 * "cannot load libpff (...)". */
cck_pst *cck_pst_open(const char *path, const char **why);
/* The same over bytes in memory (fuzzing, data from elsewhere): they are
 * written to an unlinked temporary file in $TMPDIR or /tmp, because
 * libbfio's memory range reads past its end on hostile input. data may be
 * released when the call returns. */
cck_pst *cck_pst_open_mem(const void *data, size_t len, const char **why);
void cck_pst_close(cck_pst *p);

/* The next calendar item: 1 and *m (built in arena a with the msg.h
 * builder) and *where (folder path and node id, "Top of Personal
 * Folders/Calendar #2097188", in a); 0 when every calendar is done; -1 when
 * this item could not be read (*why says why, *where says which; the next
 * call goes on). m, where and why may not be NULL. */
int cck_pst_next(cck_pst *p, cck_arena *a, cck_msg **m, const char **where, const char **why);

/* Any message by node id (the number after '#' in `where`), built like
 * cck_pst_next's; for `dump` of one item. 0, or -1 with *why. */
int cck_pst_read_nid(cck_pst *p, cck_arena *a, uint32_t nid, cck_msg **m, const char **why);

const cck_pst_mailbox *cck_pst_mailbox_info(const cck_pst *p);
size_t cck_pst_ncalendars(const cck_pst *p);
const cck_pst_calendar *cck_pst_calendar_at(const cck_pst *p, size_t i);
/* The calendar of the item cck_pst_next returned last (also after -1), or NULL. */
const cck_pst_calendar *cck_pst_current(const cck_pst *p);
/* Node id of the item cck_pst_next returned last (also after -1). */
uint32_t cck_pst_current_nid(const cck_pst *p);

/* Building blocks, exposed for tests. */

/* Whether cls is the local free/busy message's class
 * ("IPM.Microsoft.ScheduleData.FreeBusy", case ignored). */
bool cck_freebusy_class(const char *cls);
/* Fills fb from the properties v[0..n) of a local free/busy message (a PST
 * record set or a .msg's list, in any order): months, booking settings and
 * delegates with their presence; strings and lists are copied into a. Sets
 * fb->found; fb->where is left alone. Returns 0, or -1 when a is exhausted
 * (fb then holds what was copied so far). */
int cck_freebusy_read(const cck_prop *v, size_t n, cck_arena *a, cck_freebusy *fb);

/* Decodes one PST property value ([MS-PST] 2.3.3.4: fixed-size values,
 * strings, binary, multi-valued arrays with their offset tables) from raw
 * bytes into p (id, key and flags are left alone). Strings are converted
 * with code page `cp` (PT_STRING8) or from UTF-16LE; p->bin keeps the raw
 * bytes, which must live in `a`. Damage becomes problems in pr. Returns 0,
 * or -1 when the arena is exhausted. */
int cck_pst_decode_value(cck_arena *a, uint16_t type, const uint8_t *b, size_t n, unsigned cp,
                         cck_prop *p, cck_problems *pr);
/* Whether an entry id (PidTagIpm*EntryId) names a folder with node id nid
 * (24-byte PST entry id: flags, provider UID, NID) or, for a 46-byte folder
 * entry id (OST: flags, provider UID, folder type, database GUID, global
 * counter, pad), a folder whose sk is its 22-byte PidTagSourceKey (database
 * GUID + global counter) or its 8-byte LTID (0x67F4: replica id + global
 * counter). */
bool cck_pst_entryid_names(const uint8_t *eid, size_t n, uint32_t nid, const uint8_t *sk,
                           size_t sklen);

#endif
