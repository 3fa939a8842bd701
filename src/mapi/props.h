/* props.h - MAPI property types, property-set GUIDs and friendly names.
 *
 * Facts from [MS-OXCDATA] 2.11.1 (property types) and [MS-OXPROPS] (ids,
 * names, property sets). Named properties are identified by (GUID, LID) or
 * (GUID, name) - never by LID alone: LIDs of different sets collide.
 * GUIDs are kept in their on-disk byte order ([MS-DTYP] GUID: Data1..3 little-endian).
 */
#ifndef CCK_PROPS_H
#define CCK_PROPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CCK_PT_UNSPECIFIED 0x0000
#define CCK_PT_NULL        0x0001
#define CCK_PT_I2          0x0002
#define CCK_PT_LONG        0x0003
#define CCK_PT_R4          0x0004
#define CCK_PT_DOUBLE      0x0005
#define CCK_PT_CURRENCY    0x0006
#define CCK_PT_APPTIME     0x0007
#define CCK_PT_ERROR       0x000A
#define CCK_PT_BOOLEAN     0x000B
#define CCK_PT_OBJECT      0x000D
#define CCK_PT_I8          0x0014
#define CCK_PT_STRING8     0x001E
#define CCK_PT_UNICODE     0x001F
#define CCK_PT_SYSTIME     0x0040
#define CCK_PT_CLSID       0x0048
#define CCK_PT_SVREID      0x00FB
#define CCK_PT_SRESTRICT   0x00FD
#define CCK_PT_ACTIONS     0x00FE
#define CCK_PT_BINARY      0x0102
#define CCK_PT_MV          0x1000

/* Tag = id << 16 | type. */
#define CCK_TAG(id, type) (((uint32_t)(id) << 16) | (uint32_t)(type))

typedef struct cck_guid {
    uint8_t b[16]; /* on-disk order */
} cck_guid;

/* The identity of a named property ([MS-OXMSG] 2.2.3). */
typedef struct cck_propkey {
    cck_guid guid;
    bool is_name; /* true: identified by `name`; false: by `lid` */
    uint32_t lid;
    const char *name; /* UTF-8, when is_name */
} cck_propkey;

/* Property sets named in [MS-OXPROPS] 1.3.2. */
extern const cck_guid CCK_PSETID_APPOINTMENT;        /* {00062002-0000-0000-C000-000000000046} */
extern const cck_guid CCK_PSETID_MEETING;            /* {6ED8DA90-450B-101B-98DA-00AA003F1305} */
extern const cck_guid CCK_PSETID_COMMON;             /* {00062008-0000-0000-C000-000000000046} */
extern const cck_guid CCK_PSETID_ADDRESS;            /* {00062004-0000-0000-C000-000000000046} */
extern const cck_guid CCK_PSETID_TASK;               /* {00062003-0000-0000-C000-000000000046} */
extern const cck_guid CCK_PSETID_LOG;                /* {0006200A-0000-0000-C000-000000000046} */
extern const cck_guid CCK_PSETID_NOTE;               /* {0006200E-0000-0000-C000-000000000046} */
extern const cck_guid CCK_PS_PUBLIC_STRINGS;         /* {00020329-0000-0000-C000-000000000046} */
extern const cck_guid CCK_PS_MAPI;                   /* {00020328-0000-0000-C000-000000000046} */
extern const cck_guid CCK_PS_INTERNET_HEADERS;       /* {00020386-0000-0000-C000-000000000046} */
extern const cck_guid CCK_PSETID_CALENDAR_ASSISTANT; /* {11000E07-B51B-40D6-AF21-CAA85EDAB1D0} */

bool cck_guid_eq(const cck_guid *a, const cck_guid *b);
/* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" into buf (>= CCK_GUID_BUF bytes). */
#define CCK_GUID_BUF 40
char *cck_guid_fmt(const cck_guid *g, char *buf);
/* "PSETID_Appointment" for a known set, else NULL. */
const char *cck_guid_set_name(const cck_guid *g);

/* "PT_UNICODE", "PT_MV_LONG", ... or NULL for an unknown type. */
const char *cck_pt_name(uint16_t type);
/* Size of a fixed-size property value in bytes (0 for variable-size types
 * and for types calcheck does not know). */
size_t cck_pt_fixed_size(uint16_t type);

/* Element size of a fixed-size multi-valued type ([MS-OXCDATA] 2.11.1:
 * PT_MV_I2 ... PT_MV_CLSID; pass the element type), 0 for other types. */
size_t cck_pt_mv_elem_size(uint16_t elem);

/* Whether a message class (n bytes) is "IPM.Appointment" or
 * "IPM.Appointment.<anything>", case ignored ([MS-OXOCAL] 2.2.1). */
bool cck_is_appointment_class(const char *s, size_t n);

/* Canonical name of a tagged property ("PidTagSubject") by its id, or NULL. */
const char *cck_tag_name(uint16_t id);
/* Canonical name of a named property by (set, LID), or NULL. */
const char *cck_lid_name(const cck_guid *set, uint32_t lid);

/* Tagged properties calcheck reads ([MS-OXPROPS]). */
#define CCK_PID_MESSAGE_CLASS              0x001A
#define CCK_PID_SUBJECT                    0x0037
#define CCK_PID_CLIENT_SUBMIT_TIME         0x0039
#define CCK_PID_SENT_REPRESENTING_NAME     0x0042
#define CCK_PID_SENT_REPRESENTING_ADDRTYPE 0x0064
#define CCK_PID_SENT_REPRESENTING_EMAIL    0x0065
#define CCK_PID_MESSAGE_DELIVERY_TIME      0x0E06
#define CCK_PID_MESSAGE_FLAGS              0x0E07
#define CCK_PID_MESSAGE_SIZE               0x0E08
#define CCK_PID_MESSAGE_STATUS             0x0E17
#define CCK_PID_HASATTACH                  0x0E1B
#define CCK_PID_RECIPIENT_TYPE             0x0C15
#define CCK_PID_SENDER_NAME                0x0C1A
#define CCK_PID_SENDER_ADDRTYPE            0x0C1E
#define CCK_PID_SENDER_EMAIL               0x0C1F
#define CCK_PID_DISPLAY_NAME               0x3001
#define CCK_PID_ADDRTYPE                   0x3002
#define CCK_PID_EMAIL_ADDRESS              0x3003
#define CCK_PID_CREATION_TIME              0x3007
#define CCK_PID_LAST_MODIFICATION_TIME     0x3008
#define CCK_PID_MESSAGE_CODEPAGE           0x3FFD
#define CCK_PID_INTERNET_CODEPAGE          0x3FDE
#define CCK_PID_LAST_MODIFIER_NAME         0x3FFA
#define CCK_PID_SMTP_ADDRESS               0x39FE
#define CCK_PID_RECIPIENT_FLAGS            0x5FFD
#define CCK_PID_RECIPIENT_TRACK_STATUS     0x5FFF
#define CCK_PID_ATTACH_DATA                0x3701
#define CCK_PID_ATTACH_FILENAME            0x3704
#define CCK_PID_ATTACH_METHOD              0x3705
#define CCK_PID_ATTACH_LONG_FILENAME       0x3707
#define CCK_PID_ATTACH_FLAGS               0x3714
#define CCK_PID_ATTACHMENT_HIDDEN          0x7FFE
#define CCK_PID_EXCEPTION_REPLACE_TIME     0x7FF9
#define CCK_PID_EXCEPTION_START_TIME       0x7FFB
#define CCK_PID_EXCEPTION_END_TIME         0x7FFC
#define CCK_PID_ATTACH_DISPLAY_NAME        0x3001

/* Named properties calcheck reads: LIDs within their set. */
#define CCK_LID_APPT_SEQUENCE              0x8201 /* Appointment */
#define CCK_LID_BUSY_STATUS                0x8205 /* Appointment */
#define CCK_LID_APPT_AUX_FLAGS             0x8207 /* Appointment */
#define CCK_LID_LOCATION                   0x8208 /* Appointment */
#define CCK_LID_APPT_START_WHOLE           0x820D /* Appointment */
#define CCK_LID_APPT_END_WHOLE             0x820E /* Appointment */
#define CCK_LID_APPT_DURATION              0x8213 /* Appointment */
#define CCK_LID_APPT_SUB_TYPE              0x8215 /* Appointment */
#define CCK_LID_APPT_RECUR                 0x8216 /* Appointment */
#define CCK_LID_APPT_STATE_FLAGS           0x8217 /* Appointment */
#define CCK_LID_RESPONSE_STATUS            0x8218 /* Appointment */
#define CCK_LID_RECURRING                  0x8223 /* Appointment */
#define CCK_LID_RECURRENCE_TYPE            0x8231 /* Appointment */
#define CCK_LID_RECURRENCE_PATTERN         0x8232 /* Appointment */
#define CCK_LID_TIME_ZONE_STRUCT           0x8233 /* Appointment */
#define CCK_LID_TIME_ZONE_DESCRIPTION      0x8234 /* Appointment */
#define CCK_LID_CLIP_START                 0x8235 /* Appointment */
#define CCK_LID_CLIP_END                   0x8236 /* Appointment */
#define CCK_LID_APPT_TZDEF_START_DISPLAY   0x825E /* Appointment */
#define CCK_LID_APPT_TZDEF_END_DISPLAY     0x825F /* Appointment */
#define CCK_LID_APPT_TZDEF_RECUR           0x8260 /* Appointment */
#define CCK_LID_GLOBAL_OBJECT_ID           0x0003 /* Meeting */
#define CCK_LID_IS_RECURRING               0x0005 /* Meeting */
#define CCK_LID_IS_EXCEPTION               0x000A /* Meeting */
#define CCK_LID_CLEAN_GLOBAL_OBJECT_ID     0x0023 /* Meeting */
#define CCK_LID_COMMON_START               0x8516 /* Common */
#define CCK_LID_COMMON_END                 0x8517 /* Common */
#define CCK_LID_PROPERTY_DEFINITION_STREAM 0x8540 /* Common */

#endif
