/* mail.h - the report mail of -R (DESIGN §6, §7): a MIME message built here
 * byte for byte (RFC 5322 headers, RFC 2045/2046 multipart/mixed, RFC 2047
 * encoded subject, base64 attachments) and sent with libcurl's SMTP client
 * (RFC 5321, STARTTLS per RFC 3207).
 *
 * Nothing here prints or keeps global state: every failure comes back as a
 * reason written into the caller's buffer (`why`, CCK_MAIL_WHY_MAX bytes is
 * always enough). The password is never copied into a reason.
 *
 * Ownership: every pointer passed in is borrowed for the call; the message
 * bytes from cck_mail_build belong to the caller (free()).
 */
#ifndef CCK_MAIL_H
#define CCK_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for any reason this module writes. */
#define CCK_MAIL_WHY_MAX 512
/* RFC 5321 §4.5.3.1: local part 64 octets, path 256 with the brackets. */
#define CCK_MAIL_LOCAL_MAX 64
#define CCK_MAIL_ADDR_MAX  254
/* A display name, a subject, a mailbox name: longer ones are refused (or,
 * for the mailbox name in cck_mail_report, cut on a character boundary). */
#define CCK_MAIL_TEXT_MAX 400
/* Attachments per message, and bytes per attachment cck_mail_report reads
 * (a larger file is named in the body instead of attached). */
#define CCK_MAIL_MAX_ATTACH   8
#define CCK_MAIL_ATTACH_BYTES (20u << 20)
/* Host names in smtp:// URLs. */
#define CCK_MAIL_HOST_MAX 253
/* Timeouts when the configuration leaves them 0. */
#define CCK_MAIL_CONNECT_TIMEOUT_MS 15000L
#define CCK_MAIL_TIMEOUT_MS         120000L

typedef enum cck_starttls {
    CCK_STARTTLS_OFF,     /* plain SMTP, STARTTLS never tried */
    CCK_STARTTLS_TRY,     /* STARTTLS when the server offers it, else plain */
    CCK_STARTTLS_REQUIRED /* no STARTTLS, no mail */
} cck_starttls;

/* Where and how to send. Start from cck_mail_cfg_init(): it turns TLS
 * certificate checks on and sets the defaults; a zeroed struct does not. */
typedef struct cck_mail_cfg {
    const char *host;        /* name, IPv4 or IPv6 address (no brackets) */
    unsigned port;           /* 0: 25, or 465 with smtps */
    bool smtps;              /* TLS from the first byte (smtps://); starttls then unused */
    cck_starttls starttls;   /* for smtp:// */
    const char *user;        /* NULL or "": no AUTH */
    const char *password;    /* the secret itself, already resolved; never logged */
    const char *from;        /* "addr@example.org" or "Name <addr@example.org>" */
    long connect_timeout_ms; /* 0: CCK_MAIL_CONNECT_TIMEOUT_MS */
    long timeout_ms;         /* whole transfer; 0: CCK_MAIL_TIMEOUT_MS */
    bool tls_verify;         /* check the server's certificate and name (default true) */
} cck_mail_cfg;

void cck_mail_cfg_init(cck_mail_cfg *c);
/* Sets host, port and smtps from "smtp://HOST[:PORT][/]" or "smtps://...".
 * HOST is copied into host_buf (CCK_MAIL_HOST_MAX + 1 bytes suffice). A URL
 * with a user or password in it is refused: secrets never go in a URL. */
int cck_mail_cfg_url(cck_mail_cfg *c, const char *url, char *host_buf, size_t host_size, char *why,
                     size_t why_size);
/* "smtp://host:port" of the configuration, for messages. */
void cck_mail_cfg_name(const cck_mail_cfg *c, char *buf, size_t size);

/* Whether s is "local@domain" or "Display Name <local@domain>" with a
 * dot-atom local part and a host-name domain (ASCII; no quoted local parts,
 * no domain literals). On success the bare address is copied to addr
 * (CCK_MAIL_ADDR_MAX + 1 bytes) when addr is not NULL. */
int cck_mail_addr_parse(const char *s, char *addr, size_t addr_size, char *why, size_t why_size);

typedef struct cck_mail_attachment {
    const char *filename;     /* printable ASCII without '"' or '\\' (e.g. "CalCheck.log") */
    const char *content_type; /* e.g. "text/plain; charset=utf-8" or "text/csv; charset=utf-8" */
    const void *data;
    size_t len;
} cck_mail_attachment;

/* Everything the message is made of; the same input gives the same bytes. */
typedef struct cck_mail_msg {
    const char *from, *to; /* see cck_mail_addr_parse */
    const char *subject;   /* UTF-8; no control characters */
    const char *body;      /* UTF-8 text, LF or CRLF line ends; sent quoted-printable */
    const cck_mail_attachment *att;
    size_t natt;            /* at most CCK_MAIL_MAX_ATTACH */
    int64_t date;           /* seconds since 1970-01-01 UTC, written in UTC */
    const char *message_id; /* "<unique@domain>" */
    const char *boundary;   /* "=_" then 1..60 of [A-Za-z0-9._-]: "=_" never occurs in
                             * base64 or quoted-printable text, so no part can contain it */
} cck_mail_msg;

/* Builds the message (CRLF line ends, 7-bit, every line at most 78 octets
 * but a From or To line whose address alone is longer: an address cannot be
 * folded, and stays within RFC 5322's 998).
 * A header value with a CR, LF or other control character, an invalid
 * address or a bad attachment name is refused with a reason naming it.
 * Returns 0 and a malloc'd buffer in *out (NUL-terminated, *len bytes), or
 * -1 with the reason in why. */
int cck_mail_build(const cck_mail_msg *m, char **out, size_t *len, char *why, size_t why_size);

/* RFC 4648 base64 of n bytes, CRLF after every 76 characters and at the end;
 * writes into out, which must hold cck_mail_b64_size(n) bytes (NUL included).
 * Returns the length written. */
size_t cck_mail_b64_size(size_t n);
size_t cck_mail_b64(const void *data, size_t n, char *out);

/* Sends msg (built by cck_mail_build) from cfg->from to `to` over SMTP.
 * Returns 0 when the server accepted it, else -1 with the reason ("cannot
 * load libcurl (...)" when libcurl, loaded on first use, is missing). */
int cck_mail_send(const cck_mail_cfg *cfg, const char *to, const char *msg, size_t len, char *why,
                  size_t why_size);

/* What the mail says about one checked mailbox. */
typedef struct cck_mail_summary {
    const char *mailbox; /* its name as the reports show it (any bytes: made safe here) */
    const char *version; /* calcheck's version, for the signature */
    size_t items, problem_items, errors, warnings;
} cck_mail_summary;

/* The subject and body of the report mail, without sending: subject into
 * subj (CCK_MAIL_TEXT_MAX + 1 bytes), body malloc'd. The mailbox name has its
 * control characters replaced by spaces and invalid UTF-8 by U+FFFD, so no
 * name can add a header. `names` lists the attachments; `missing` (NULL or
 * text) says what could not be attached. Returns NULL when out of memory. */
char *cck_mail_report_text(const cck_mail_summary *s, const char *const *names, size_t n,
                           const char *missing, char *subj, size_t subj_size);

/* The report mail of one mailbox, built and sent: the report files at
 * attach_paths (at most CCK_MAIL_MAX_ATTACH; CalCheck.log first) are read and
 * attached under their base names; one over CCK_MAIL_ATTACH_BYTES is named in
 * the body instead. Server mode calls this once per mailbox with problems.
 * Returns 0 when sent, else -1 with the reason (an unreadable file names it). */
int cck_mail_report(const cck_mail_cfg *cfg, const char *to, const cck_mail_summary *sum,
                    const char *const *attach_paths, size_t n, char *why, size_t why_size);

#endif
