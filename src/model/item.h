/* item.h - the neutral calendar item and calendar that every check reads.
 *
 * Sources (the .msg reader today; PST/OST, iCalendar and CalDAV later) fill a
 * cck_item per calendar object; checks never see a source's own types. Every
 * field records its presence as well as its value, because "missing" and
 * "zero" are different findings (CalCheck 0020 vs 0016). Binary calendar
 * structures are kept raw and decoded, each with its own problem list.
 *
 * Ownership: an item and everything it points to live in the arena the source
 * was given for that item; the runner resets the arena after the item was
 * checked and reported. Nothing in an item outlives that reset, so cross-item
 * state (duplicate detection) must copy what it keeps.
 */
#ifndef CCK_ITEM_H
#define CCK_ITEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mapi/goid.h"
#include "mapi/pds.h"
#include "mapi/recur.h"
#include "mapi/tz.h"
#include "util/problems.h"

typedef enum {
    CCK_ABSENT = 0,  /* the property is not there */
    CCK_PRESENT = 1, /* there, with the expected type */
    CCK_BADTYPE = 2  /* there, but with a type the value cannot be read from */
} cck_presence;

typedef struct cck_fint {
    cck_presence has;
    int64_t v;
} cck_fint;
typedef struct cck_fbool {
    cck_presence has;
    bool v;
} cck_fbool;
typedef struct cck_ftime {
    cck_presence has;
    uint64_t ft; /* FILETIME, UTC */
} cck_ftime;
typedef struct cck_fstr {
    cck_presence has;
    const char *s; /* UTF-8, NUL-terminated when present */
    size_t len;
} cck_fstr;
typedef struct cck_fbin {
    cck_presence has;
    const uint8_t *p;
    size_t n;
} cck_fbin;

/* A decoded binary structure: raw bytes, the decoded form (NULL when absent
 * or not decodable) and the structural problems found while decoding. */
typedef struct cck_fapptrecur {
    cck_fbin raw;
    const cck_apptrecur *v;
    cck_problems problems;
} cck_fapptrecur;
typedef struct cck_ftzdef {
    cck_fbin raw;
    const cck_tzdef *v;
    cck_problems problems;
} cck_ftzdef;
typedef struct cck_ftzreg {
    cck_fbin raw;
    const cck_tzreg *v;
    cck_problems problems;
} cck_ftzreg;
typedef struct cck_fgoid {
    cck_fbin raw;
    const cck_goid *v;
    cck_problems problems;
} cck_fgoid;
typedef struct cck_fpds {
    cck_fbin raw;
    const cck_pds *v;
    cck_problems problems;
} cck_fpds;

/* PidTagRecipientFlags (0x5FFD) bits, [MS-OXOCAL] 2.2.4.10.1. */
#define CCK_RECIP_SENDABLE  0x0001
#define CCK_RECIP_ORGANIZER 0x0002
/* PidTagRecipientType (0x0C15). */
#define CCK_RECIP_TO  1
#define CCK_RECIP_CC  2
#define CCK_RECIP_BCC 3

typedef struct cck_recip {
    cck_fstr display_name; /* PidTagDisplayName */
    cck_fstr addrtype;     /* PidTagAddressType: "EX", "SMTP", ... */
    cck_fstr email;        /* PidTagEmailAddress */
    cck_fstr smtp;         /* PidTagSmtpAddress */
    cck_fint type;         /* PidTagRecipientType */
    cck_fint flags;        /* PidTagRecipientFlags */
    cck_fint track_status; /* PidTagRecipientTrackStatus */
} cck_recip;

/* PidLidAppointmentStateFlags bits ([MS-OXOCAL] 2.2.1.10). */
#define CCK_ASF_MEETING  0x1
#define CCK_ASF_RECEIVED 0x2
#define CCK_ASF_CANCELED 0x4
#define CCK_ASF_FORWARD  0x8
/* PidLidAppointmentAuxiliaryFlags bit: the item is a copy (2.2.1.3). */
#define CCK_AUX_COPIED 0x1
/* PidTagMessageStatus bit for a conflict item (MSGSTATUS_IN_CONFLICT). */
#define CCK_MSGSTATUS_IN_CONFLICT 0x800

typedef struct cck_icsinfo cck_icsinfo; /* model/icsinfo.h */

typedef struct cck_item cck_item;
struct cck_item {
    /* Provenance: where the item is, so an administrator can find it. */
    const char *source;  /* file path or URL of the container */
    const char *locator; /* within the container: "" for a lone .msg, "attachment 2" ... */
    size_t index;        /* 0-based position in its calendar, in reading order */
    bool is_exception;   /* an embedded exception of a recurring series */

    /* Identity and housekeeping. */
    cck_fstr message_class; /* PidTagMessageClass */
    cck_fstr subject;       /* PidTagSubject */
    cck_fstr location;      /* PidLidLocation */
    cck_fstr last_modifier; /* PidTagLastModifierName */
    cck_ftime creation, last_modification,
        delivery;                /* PidTagCreationTime, ..., PidTagMessageDeliveryTime */
    cck_fint message_size;       /* PidTagMessageSize */
    cck_fint message_status;     /* PidTagMessageStatus */
    cck_fint message_flags;      /* PidTagMessageFlags */
    const char *const *keywords; /* PS_PUBLIC_STRINGS "Keywords" (categories) */
    size_t n_keywords;

    /* Time. */
    cck_ftime start, end;                           /* PidLidAppointmentStartWhole / EndWhole */
    cck_ftime common_start, common_end;             /* PidLidCommonStart / CommonEnd */
    cck_fint duration;                              /* PidLidAppointmentDuration, minutes */
    cck_fbool all_day;                              /* PidLidAppointmentSubType */
    cck_fstr tz_description;                        /* PidLidTimeZoneDescription */
    cck_ftzreg tzreg;                               /* PidLidTimeZoneStruct */
    cck_ftzdef tzdef_start, tzdef_end, tzdef_recur; /* 0x825E, 0x825F, 0x8260 */

    /* Recurrence. */
    cck_fbool recurring;      /* PidLidRecurring */
    cck_fint recurrence_type; /* PidLidRecurrenceType */
    cck_fapptrecur recur;     /* PidLidAppointmentRecur */

    /* Meeting. */
    cck_fint state_flags;       /* PidLidAppointmentStateFlags (CCK_ASF_*) */
    cck_fint aux_flags;         /* PidLidAppointmentAuxiliaryFlags */
    cck_fint response_status;   /* PidLidResponseStatus */
    cck_fint busy_status;       /* PidLidBusyStatus */
    cck_fgoid goid, clean_goid; /* PidLidGlobalObjectId / PidLidCleanGlobalObjectId */
    cck_fstr sent_rep_name, sent_rep_addrtype, sent_rep_email, sent_rep_smtp; /* organizer */
    cck_fstr sender_name, sender_addrtype, sender_email, sender_smtp;
    const cck_recip *recips;
    size_t n_recips;
    bool recips_unreadable; /* the recipient table could not be read */

    /* Attachments and exceptions. */
    size_t n_attachs;
    bool attachs_unreadable;    /* the attachment table could not be read */
    const char *attachs_why;    /* the reason, when unreadable */
    const cck_item *exceptions; /* embedded exception items */
    size_t n_exceptions;

    /* Other structures. */
    cck_fpds pds; /* PidLidPropertyDefinitionStream */

    /* Damage in the container itself (streams, property entries). */
    const cck_problems *container_problems;

    /* The iCalendar side of an item read from iCalendar (its component, raw
     * lines with line:column, parsed times and ids); NULL for MAPI items. The
     * MAPI-era fields above are filled from it where iCalendar has the same
     * meaning (subject, start/end, organizer, attendees, recurring...). */
    const cck_icsinfo *ics;
};

/* PidTagDelegateFlags (0x686B) bit: the delegate sees private items ([MS-OXODLGT] 2.2.2.2.6). */
#define CCK_DELEGATE_SEES_PRIVATE 0x1

/* The local free/busy message (class IPM.Microsoft.ScheduleData.FreeBusy;
 * [MS-OXOSFLD] 2.2.6 calls it the Delegate Information object, [MS-OXODLGT]
 * 2.2.2.2 and [MS-OXOCAL] give its properties): free/busy publishing, the
 * booking settings and the delegates. Multi-valued properties keep their
 * presence: "no delegate flags at all" differs from "an empty list". */
typedef struct cck_freebusy {
    bool found;                  /* a local free/busy message was read */
    const char *where;           /* which: "Freebusy Data #4130" or a .msg path */
    cck_fint months;             /* PidTagFreeBusyCountMonths 0x6869 */
    cck_fbool auto_accept;       /* PidTagScheduleInfoAutoAcceptAppointments 0x686D */
    cck_fbool decline_recurring; /* PidTagScheduleInfoDisallowRecurringAppts 0x686E */
    cck_fbool decline_conflicts; /* PidTagScheduleInfoDisallowOverlappingAppts 0x686F */
    cck_presence has_names;      /* PidTagScheduleInfoDelegateNames 0x6844 */
    const char *const *delegate_names;
    size_t n_names;
    cck_presence has_entryids; /* PidTagScheduleInfoDelegateEntryIds 0x6845 */
    size_t n_entryids;
    cck_presence has_flags; /* PidTagDelegateFlags 0x686B */
    const int64_t *delegate_flags;
    size_t n_flags;
} cck_freebusy;

/* Mailbox-level facts, where the source knows them (PST/OST, servers). */
typedef struct cck_calendar {
    const char *name;                   /* folder or mailbox name for the log */
    const char *owner;                  /* display name of the mailbox owner, or NULL */
    const char *const *owner_addresses; /* legacyExchangeDN, SMTP and proxy addresses */
    size_t n_owner_addresses;
    bool mailbox_file;     /* the source is one PST/OST, which can hold a local free/busy message */
    cck_freebusy freebusy; /* from the PST/OST, or from such a message among the .msg files */
} cck_calendar;

/* True when a string field is present and non-empty. */
static inline bool cck_fstr_set(const cck_fstr *f)
{
    return f->has == CCK_PRESENT && f->len > 0;
}

#endif
