#!/bin/sh
# t0410-icsout-libical.sh - the -F writer for iCalendar input (src/ics/icsout.c), checked by
# another parser: a generated calendar (VTIMEZONEs, one unused, one defined after the events
# using it; VEVENTs with VALARMs, folded lines and RRULEs; a VTODO; a VJOURNAL), with CRLF
# and with LF line endings, is split by a small driver over the reader and the writer, and
# libical (Debian libical-dev) must read each output as one VCALENDAR with no X-LIC-ERROR
# after icalrestriction_check, every TZID defined by a VTIMEZONE of the same file, no unused
# VTIMEZONE in the flagged file, and every UID of the input in exactly one of the two files.
# Skipped when libical is not installed.
set -u
BUILD=${BUILD:-build}
LIB=$BUILD/libcalcheck.a
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; }

if ! pkg-config --exists libical 2>/dev/null; then
    ok "icsout libical re-parse # skip libical not installed"
    exit 0
fi
if [ ! -f "$LIB" ]; then
    notok "icsout libical: $LIB missing"
    exit 1
fi

# split IN FLAGGED CLEAN: what -F does with the reader: a component whose SUMMARY holds
# "FLAG" is flagged; VTIMEZONEs are offered by TZID; each component names its TZIDs.
cat >"$tmp/split.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ics/icsout.h"
static void tzids(const cck_ics_comp *c, const char **tz, size_t *lens, size_t *n)
{
    for (const cck_ics_prop *p = c->props; p; p = p->next) {
        const cck_ics_param *q = cck_ics_param_get(p, "TZID");
        if (q && q->nvalues && *n < 64) {
            tz[*n] = q->values[0];
            lens[(*n)++] = strlen(q->values[0]);
        }
    }
    for (const cck_ics_comp *k = c->children; k; k = k->next)
        tzids(k, tz, lens, n);
}
int main(int argc, char **argv)
{
    if (argc != 4)
        return 2;
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return 2;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    unsigned char *d = malloc((size_t)len + 1);
    if (fread(d, 1, (size_t)len, f) != (size_t)len)
        return 2;
    fclose(f);
    cck_arena *ca = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT), *a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    cck_problems cp, pr;
    cck_problems_init(&cp, ca);
    cck_ics_reader *r = cck_ics_open(d, (size_t)len, &cp);
    const char *why = "?";
    cck_icsout *w = cck_icsout_open(argv[2], argv[3], d, (size_t)len, cck_ics_calendar(r), &why);
    if (!w) {
        fprintf(stderr, "open: %s\n", why);
        return 1;
    }
    const cck_ics_comp *c;
    cck_problems_init(&pr, a);
    while (cck_ics_next(r, a, &c, &pr) == 1) {
        if (!strcmp(c->name, "VTIMEZONE")) {
            const cck_ics_prop *t = cck_ics_get(c, "TZID");
            if (t && cck_icsout_zone(w, t->value, t->value_len, c->off, c->end) != 0) {
                fprintf(stderr, "zone failed\n");
                return 1;
            }
        } else {
            const char *tz[64];
            size_t lens[64], n = 0;
            tzids(c, tz, lens, &n);
            const cck_ics_prop *s = cck_ics_get(c, "SUMMARY");
            if (cck_icsout_put(w, s && strstr(s->value, "FLAG"), c->off, c->end, tz, lens, n, &why)) {
                fprintf(stderr, "put: %s\n", why);
                return 1;
            }
        }
        cck_arena_reset(a);
        cck_problems_init(&pr, a);
    }
    size_t nf, nc;
    if (cck_icsout_close(w, &nf, &nc, &why) != 0) {
        fprintf(stderr, "close: %s\n", why);
        return 1;
    }
    printf("flagged %zu clean %zu\n", nf, nc);
    cck_ics_close(r);
    cck_arena_free(a);
    cck_arena_free(ca);
    free(d);
    return 0;
}
C

# lic FILE: libical's view: "UID <kind> <uid>" per component, then the counts.
cat >"$tmp/lic.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libical/ical.h>
static const char *def[256], *use[4096];
static int ndef, nuse;
static void uses(icalcomponent *c)
{
    for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
        icalparameter *q = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
        if (q && nuse < 4096)
            use[nuse++] = icalparameter_get_tzid(q);
    }
    for (icalcomponent *k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); k;
         k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
        uses(k);
}
int main(int argc, char **argv)
{
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return 2;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    char *d = malloc((size_t)len + 1);
    if (fread(d, 1, (size_t)len, f) != (size_t)len)
        return 2;
    d[len] = 0;
    fclose(f);
    icalcomponent *root = icalparser_parse_string(d);
    if (!root || icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT) {
        printf("NOTCAL\n");
        return 0;
    }
    icalrestriction_check(root);
    for (icalcomponent *c = icalcomponent_get_first_component(root, ICAL_ANY_COMPONENT); c;
         c = icalcomponent_get_next_component(root, ICAL_ANY_COMPONENT)) {
        if (icalcomponent_isa(c) == ICAL_VTIMEZONE_COMPONENT) {
            icalproperty *t = icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY);
            if (t && ndef < 256)
                def[ndef++] = icalproperty_get_tzid(t);
            continue;
        }
        printf("UID %s %s\n", icalcomponent_kind_to_string(icalcomponent_isa(c)),
               icalcomponent_get_uid(c) ? icalcomponent_get_uid(c) : "-");
        uses(c);
    }
    int missing = 0, unused = 0;
    for (int i = 0; i < nuse; i++) {
        int k = 0;
        while (k < ndef && strcmp(use[i], def[k]))
            k++;
        missing += k == ndef;
    }
    for (int k = 0; k < ndef; k++) {
        int i = 0;
        while (i < nuse && strcmp(use[i], def[k]))
            i++;
        unused += i == nuse;
    }
    printf("ERRORS %d\nMISSING %d\nUNUSED %d\nZONES %d\n", icalcomponent_count_errors(root),
           missing, unused, ndef);
    printf("HEADER %s %s\n", icalcomponent_get_first_property(root, ICAL_VERSION_PROPERTY) ? "version" : "-",
           icalcomponent_get_first_property(root, ICAL_PRODID_PROPERTY) ? "prodid" : "-");
    return 0;
}
C

# A library built with `make SAN=1` needs the sanitizer runtimes in the driver too.
san=
if nm "$LIB" 2>/dev/null | grep -q __asan_init; then
    san="-fsanitize=address,undefined"
fi
# shellcheck disable=SC2086
if ! cc -std=c11 -D_POSIX_C_SOURCE=200809L $san -Isrc -o "$tmp/split" "$tmp/split.c" "$LIB" -lm 2>"$tmp/cc.err"; then
    notok "icsout libical: driver does not build"
    head -n 20 "$tmp/cc.err" | sed 's/^/# /'
    exit 1
fi
# shellcheck disable=SC2046
if ! cc -o "$tmp/lic" "$tmp/lic.c" $(pkg-config --cflags --libs libical) 2>"$tmp/cc.err"; then
    notok "icsout libical: libical checker does not build"
    head -n 20 "$tmp/cc.err" | sed 's/^/# /'
    exit 1
fi

zone() { # zone TZID OFFSET
    printf 'BEGIN:VTIMEZONE\r\nTZID:%s\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n' "$1"
    printf 'TZOFFSETFROM:%s\r\nTZOFFSETTO:%s\r\nTZNAME:STD\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n' "$2" "$2"
}
{
    printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calcheck//t0410//EN\r\nCALSCALE:GREGORIAN\r\n'
    printf 'X-WR-CALNAME:Team\r\n'
    zone Europe/Paris +0100
    zone Unused/Zone +0300
    zone America/New_York -0500
    awk 'BEGIN {
        split("Europe/Paris America/New_York Asia/Tokyo", z, " ")
        for (i = 0; i < 60; i++) {
            tz = z[i % 3 + 1]
            printf "BEGIN:VEVENT\r\nUID:ev-%02d@t0410\r\nDTSTAMP:20260101T000000Z\r\n", i
            printf "SUMMARY:%s %d\r\n", (i % 4 == 1 ? "FLAG meeting" : "Meeting"), i
            printf "DTSTART;TZID=%s:202603%02dT090000\r\n", tz, i % 28 + 1
            printf "DTEND;TZID=%s:202603%02dT100000\r\n", (i % 7 == 0 ? "Europe/Paris" : tz), i % 28 + 1
            printf "DESCRIPTION:a description long enough to be folded at seventy-five octe\r\n"
            printf " ts as RFC 5545 section 3.1 says\r\n"
            if (i % 5 == 0) printf "RRULE:FREQ=WEEKLY;COUNT=4;BYDAY=MO\r\n"
            if (i % 3 == 0) printf "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n"
            printf "END:VEVENT\r\n"
        }
        printf "BEGIN:VTODO\r\nUID:todo@t0410\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:FLAG todo\r\n"
        printf "DUE;TZID=Asia/Tokyo:20260401T090000\r\nEND:VTODO\r\n"
        printf "BEGIN:VJOURNAL\r\nUID:journal@t0410\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:notes\r\n"
        printf "DTSTART;VALUE=DATE:20260402\r\nEND:VJOURNAL\r\n"
    }'
    zone Asia/Tokyo +0900 # defined after the components using it
    printf 'END:VCALENDAR\r\n'
} >"$tmp/in-crlf.ics"
tr -d '\r' <"$tmp/in-crlf.ics" >"$tmp/in-lf.ics"

"$tmp/lic" "$tmp/in-crlf.ics" >"$tmp/in.lic"
if grep -qx 'ERRORS 0' "$tmp/in.lic" && grep -qx 'MISSING 0' "$tmp/in.lic"; then
    ok "icsout libical: the generated input itself passes libical"
else
    notok "icsout libical: the generated input itself passes libical"
    sed 's/^/# /' "$tmp/in.lic"
fi
grep '^UID ' "$tmp/in.lic" | sort >"$tmp/in.uids"

for kind in crlf lf; do
    in=$tmp/in-$kind.ics
    f=$tmp/$kind-flagged.ics
    c=$tmp/$kind-clean.ics
    if ! "$tmp/split" "$in" "$f" "$c" >"$tmp/$kind.out" 2>&1; then
        notok "icsout libical ($kind): split"
        sed 's/^/# /' "$tmp/$kind.out"
        continue
    fi
    if grep -qx 'flagged 16 clean 46' "$tmp/$kind.out"; then
        ok "icsout libical ($kind): 16 flagged, 46 clean"
    else
        notok "icsout libical ($kind): 16 flagged, 46 clean"
        sed 's/^/# /' "$tmp/$kind.out"
    fi
    for which in flagged clean; do
        o=$tmp/$kind-$which.ics
        "$tmp/lic" "$o" >"$o.lic" 2>&1
        unused=0
        [ "$which" = clean ] && unused=1
        if grep -qx 'ERRORS 0' "$o.lic" && grep -qx 'MISSING 0' "$o.lic" &&
            grep -qx "UNUSED $unused" "$o.lic" && grep -qx 'HEADER version prodid' "$o.lic" &&
            [ "$(tail -n 1 "$o" | tr -d '\r')" = 'END:VCALENDAR' ]; then
            ok "icsout libical ($kind): $which.ics re-parses clean, every TZID defined"
        else
            notok "icsout libical ($kind): $which.ics re-parses clean, every TZID defined"
            sed 's/^/# /' "$o.lic"
        fi
    done
    grep -h '^UID ' "$f.lic" "$c.lic" | sort >"$tmp/$kind.uids"
    if cmp -s "$tmp/in.uids" "$tmp/$kind.uids" && [ "$(wc -l <"$tmp/in.uids")" -eq 62 ]; then
        ok "icsout libical ($kind): every component in exactly one file"
    else
        notok "icsout libical ($kind): every component in exactly one file"
        diff "$tmp/in.uids" "$tmp/$kind.uids" | sed 's/^/# /'
    fi
done
