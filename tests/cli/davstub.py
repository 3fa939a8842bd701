# tests/cli/davstub.py PORT - a small CalDAV server of our own for the failure tests (not a test
# itself): principals /ok1/ /ok2/ /err500/ /badxml/ /broken/ /slow/ /nodata/ below /, each its
# own calendar home holding one calendar cal/, behind Basic admin:adminpw. The calendar-query
# REPORT of each answers as its name says: two good events; HTTP 500; a body that is not XML;
# a multistatus whose object is not iCalendar at all; an answer after 30 s (longer than the
# client's timeout); a 200 response without calendar-data. Listens on 127.0.0.1 only.
import base64
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import time

USERS = ["ok1", "ok2", "err500", "badxml", "broken", "slow", "nodata"]
NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"'
GOOD = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//stub//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n"
        "DTSTAMP:20261101T120000Z\r\nDTSTART:20261201T{h}0000Z\r\nDTEND:20261201T{h}3000Z\r\n"
        "SUMMARY:Event {uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def resp(href, props, status="200 OK"):
    return ("<D:response><D:href>%s</D:href><D:propstat><D:prop>%s</D:prop>"
            "<D:status>HTTP/1.1 %s</D:status></D:propstat></D:response>" % (href, props, status))


def ms(*responses):
    return '<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus %s>%s</D:multistatus>' % (
        NS, "".join(responses))


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.command, self.path))

    def send(self, code, body, ctype="application/xml; charset=utf-8"):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def authorized(self):
        want = "Basic " + base64.b64encode(b"admin:adminpw").decode()
        if self.headers.get("Authorization") == want:
            return True
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="stub"')
        self.send_header("Content-Length", "0")
        self.end_headers()
        return False

    def do_PROPFIND(self):
        n = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(n)
        if not self.authorized():
            return
        depth = self.headers.get("Depth", "0")
        parts = [p for p in self.path.split("/") if p]
        if not parts:
            rs = [resp("/", "<D:resourcetype><D:collection/></D:resourcetype>")]
            if depth == "1":
                rs += [resp("/%s/" % u, "<D:resourcetype><D:collection/><D:principal/>"
                            "</D:resourcetype>") for u in USERS]
            return self.send(207, ms(*rs))
        u = parts[0]
        if u not in USERS:
            return self.send(404, "")
        if len(parts) == 1:
            rs = [resp("/%s/" % u, "<D:resourcetype><D:collection/><D:principal/></D:resourcetype>"
                       "<C:calendar-home-set><D:href>/%s/</D:href></C:calendar-home-set>" % u)]
            if depth == "1":
                rs.append(resp("/%s/cal/" % u, "<D:resourcetype><D:collection/><C:calendar/>"
                               "</D:resourcetype>"))
            return self.send(207, ms(*rs))
        return self.send(207, ms(resp(self.path, "<D:resourcetype><D:collection/><C:calendar/>"
                                      "</D:resourcetype>")))

    def do_REPORT(self):
        n = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(n)
        if not self.authorized():
            return
        u = [p for p in self.path.split("/") if p][0]
        if u == "err500":
            return self.send(500, "<html>Internal Server Error</html>", "text/html")
        if u == "badxml":
            return self.send(207, "<D:multistatus xmlns:D='DAV:'><D:response><D:href>/x")
        if u == "slow":
            time.sleep(30)
        if u == "broken":
            return self.send(207, ms(resp("/broken/cal/junk.ics",
                                          "<D:getetag>\"1\"</D:getetag><C:calendar-data>"
                                          "this is not iCalendar\r\n</C:calendar-data>"),
                                     resp("/broken/cal/good.ics",
                                          "<D:getetag>\"2\"</D:getetag><C:calendar-data>%s"
                                          "</C:calendar-data>" % GOOD.format(uid="g@broken", h=10))))
        if u == "nodata":
            return self.send(207, ms(resp("/nodata/cal/a.ics", "<D:getetag>\"1\"</D:getetag>")))
        return self.send(207, ms(*[resp("/%s/cal/%d.ics" % (u, i),
                                        "<D:getetag>\"%d\"</D:getetag><C:calendar-data>%s"
                                        "</C:calendar-data>" % (i, GOOD.format(uid="%d@%s" % (i, u), h=10 + i)))
                                   for i in range(2)]))


class S(ThreadingHTTPServer):
    daemon_threads = True


S(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
