/* test-message.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hail-sip-error.h"
#include "hail-sip-message.h"

#define INVITE_HEAD \
  "INVITE sip:bob@example.org SIP/2.0\r\n" \
  "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1\r\n" \
  "From: \"Alice\" <sip:alice@example.com>;tag=a1\r\n" \
  "To: <sip:bob@example.org>\r\n" \
  "Call-ID: c1@192.0.2.10\r\n" \
  "CSeq: 1 INVITE\r\n" \
  "Max-Forwards: 70\r\n"

static HailSipMessage *
parse_mode (const char       *text,
            HailSipParseMode  mode)
{
  g_autoptr(GError) error = NULL;
  HailSipMessage *msg = hail_sip_message_parse_data (text, strlen (text), mode, &error);

  g_assert_no_error (error);
  g_assert_nonnull (msg);
  return msg;
}

static HailSipMessage *
parse_ok (const char *text)
{
  return parse_mode (text, HAIL_SIP_PARSE_DATAGRAM);
}

static void
parse_fails (const char       *text,
             HailSipParseMode  mode,
             gint              code,
             const char       *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipMessage) msg = hail_sip_message_parse_data (text, strlen (text), mode, &error);

  g_assert_null (msg);
  g_assert_error (error, HAIL_SIP_ERROR, code);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

static void
test_message_request_fields (void)
{
  g_autoptr(HailSipMessage) msg = parse_ok (INVITE_HEAD "Content-Length: 0\r\n\r\n");
  const HailSipNameAddr *from = hail_sip_message_get_from (msg);
  const HailSipNameAddr *to = hail_sip_message_get_to (msg);
  const HailSipCSeq *cseq = hail_sip_message_get_cseq (msg);
  gsize cl = 99;

  g_assert_true (hail_sip_message_is_request (msg));
  g_assert_true (hail_sip_message_is_method (msg, "INVITE"));
  g_assert_false (hail_sip_message_is_method (msg, "invite"));
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_request_uri (msg),
                                          "sip:bob@example.org"));
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_request_uri_view (msg)->host,
                                          "example.org"));
  g_assert_true (hail_sip_span_equal_str (from->tag, "a1"));
  g_assert_false (hail_sip_span_present (to->tag));
  g_assert_cmpuint (cseq->number, ==, 1);
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_call_id (msg), "c1@192.0.2.10"));
  g_assert_cmpint (hail_sip_message_get_max_forwards (msg), ==, 70);
  g_assert_true (hail_sip_message_get_content_length (msg, &cl));
  g_assert_cmpuint (cl, ==, 0);
  g_assert_cmpuint (hail_sip_message_get_body (msg).len, ==, 0);
  g_assert_cmpuint (hail_sip_message_get_n_headers (msg), ==, 7);
  g_assert_cmpuint (hail_sip_message_get_status (msg), ==, 0);
}

static void
test_message_response_fields (void)
{
  g_autoptr(HailSipMessage) msg = parse_ok (
    "SIP/2.0 180 Ringing\r\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;received=203.0.113.7;rport=5062;branch=z9hG4bK1\r\n"
    "From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.org>;tag=b2\r\n"
    "Call-ID: c1\r\nCSeq: 7 INVITE\r\nContent-Length: 0\r\n\r\n");
  HailSipVia via;

  g_assert_false (hail_sip_message_is_request (msg));
  g_assert_cmpuint (hail_sip_message_get_status (msg), ==, 180);
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_reason (msg), "Ringing"));
  g_assert_true (hail_sip_message_is_method (msg, "INVITE"));
  g_assert_false (hail_sip_span_present (hail_sip_message_get_method (msg)));
  g_assert_null (hail_sip_message_get_request_uri_view (msg));
  g_assert_true (hail_sip_message_get_via (msg, 0, &via));
  g_assert_cmpuint (via.rport, ==, 5062);
  g_assert_true (hail_sip_span_equal_str (via.received, "203.0.113.7"));
}

static void
test_message_compact_forms (void)
{
  g_autoptr(HailSipMessage) msg = parse_ok (
    "MESSAGE sip:bob@example.org SIP/2.0\r\n"
    "v: SIP/2.0/TCP h;branch=z9hG4bK1\r\nf: <sip:a@example.com>;tag=1\r\nt: sip:bob@example.org\r\n"
    "i: abc\r\nCSeq: 2 MESSAGE\r\nm: <sip:a@192.0.2.1>\r\nk: 100rel, timer\r\n"
    "c: text/plain\r\ne: identity\r\ns: hello\r\no: presence\r\nu: refer\r\n"
    "r: <sip:carol@example.com>\r\nb: <sip:a@example.com>\r\nx: 1800\r\nl: 2\r\n\r\nhi");
  HailSipContentType ctype;
  HailSipSpan value;

  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_call_id (msg), "abc"));
  g_assert_nonnull (hail_sip_message_get_from (msg));
  g_assert_nonnull (hail_sip_message_get_to (msg));
  g_assert_cmpuint (hail_sip_message_get_n_contacts (msg), ==, 1);
  g_assert_true (hail_sip_message_has_option (msg, HAIL_SIP_HEADER_SUPPORTED, "timer"));
  g_assert_true (hail_sip_message_get_content_type (msg, &ctype));
  g_assert_true (hail_sip_content_type_is (&ctype, "text", "plain"));
  g_assert_true (hail_sip_message_get_header (msg, "Subject", &value));
  g_assert_true (hail_sip_span_equal_str (value, "hello"));
  g_assert_true (hail_sip_message_get_header (msg, "Event", &value));
  g_assert_true (hail_sip_message_get_header (msg, "Refer-To", &value));
  g_assert_true (hail_sip_message_get_header (msg, "Referred-By", &value));
  g_assert_true (hail_sip_message_get_header (msg, "Session-Expires", &value));
  g_assert_true (hail_sip_message_get_header (msg, "Allow-Events", &value));
  g_assert_true (hail_sip_message_get_header (msg, "Content-Encoding", &value));
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_body (msg), "hi"));
}

static void
test_message_folding (void)
{
  g_autoptr(HailSipMessage) msg = parse_ok (
    INVITE_HEAD "Subject: Folded headers,\r\n because RFC 3261\r\n\tstill allows them\r\n"
    "Allow: INVITE,\r\n    ACK\r\nl: 0\r\n\r\n");
  g_autofree char *subject = hail_sip_message_dup_header (msg, "subject");

  g_assert_cmpstr (subject, ==, "Folded headers, because RFC 3261 still allows them");
  g_assert_true (hail_sip_message_has_option (msg, HAIL_SIP_HEADER_ALLOW, "ACK"));
}

static void
test_message_via_list (void)
{
  g_autoptr(HailSipMessage) msg = parse_ok (
    "OPTIONS sip:u@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/TCP b.example.com:5070"
    ";branch=z9hG4bK2\r\n"
    "v: SIP/2.0/TLS [2001:db8::1]:5061;branch=z9hG4bK3;rport\r\n"
    "From: <sip:a@example.com>;tag=1\r\nTo: <sip:u@example.com>\r\nCall-ID: x\r\n"
    "CSeq: 1 OPTIONS\r\nl: 0\r\n\r\n");
  HailSipVia via;

  g_assert_cmpuint (hail_sip_message_get_n_vias (msg), ==, 3);
  g_assert_true (hail_sip_message_get_via (msg, 0, &via));
  g_assert_true (hail_sip_span_equal_str (via.host, "a.example.com"));
  g_assert_true (hail_sip_message_get_via (msg, 1, &via));
  g_assert_true (hail_sip_span_equal_str (via.transport, "TCP"));
  g_assert_cmpuint (via.port, ==, 5070);
  g_assert_true (hail_sip_message_get_via (msg, 2, &via));
  g_assert_true (via.host_is_ipv6);
  g_assert_true (via.has_rport);
  g_assert_cmpuint (via.rport, ==, 0);
  g_assert_false (hail_sip_message_get_via (msg, 3, &via));
}

static void
test_message_contact_list_quoted_comma (void)
{
  g_autoptr(HailSipMessage) msg = parse_ok (
    INVITE_HEAD
    "Contact: \"Doe, John\" <sip:j@192.0.2.1>;methods=\"INVITE, BYE\", <sip:j,k@192.0.2.2;x=1>"
    ";q=0.5\r\nContact: sip:j@192.0.2.3;expires=60\r\nl: 0\r\n\r\n");
  HailSipNameAddr contact;
  g_autofree char *name = NULL;
  guint32 expires = 0;
  guint q = 0;

  g_assert_cmpuint (hail_sip_message_get_n_contacts (msg), ==, 3);
  g_assert_true (hail_sip_message_get_contact (msg, 0, &contact));
  name = hail_sip_name_addr_dup_display_name (&contact, NULL);
  g_assert_cmpstr (name, ==, "Doe, John");
  g_assert_true (hail_sip_message_get_contact (msg, 1, &contact));
  g_assert_true (hail_sip_span_equal_str (contact.uri, "sip:j,k@192.0.2.2;x=1"));
  g_assert_true (hail_sip_name_addr_get_q (&contact, &q));
  g_assert_cmpuint (q, ==, 500);
  g_assert_true (hail_sip_message_get_contact (msg, 2, &contact));
  g_assert_true (hail_sip_name_addr_get_expires (&contact, &expires));
  g_assert_cmpuint (expires, ==, 60);
  g_assert_false (hail_sip_message_get_contact (msg, 3, &contact));
}

static void
test_message_contact_wildcard (void)
{
  g_autoptr(HailSipMessage) msg = parse_ok (
    "REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
    "From: <sip:a@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\nCall-ID: x\r\n"
    "CSeq: 3 REGISTER\r\nContact: *\r\nExpires: 0\r\nl: 0\r\n\r\n");
  HailSipNameAddr contact;
  guint32 expires = 1;

  g_assert_true (hail_sip_message_get_contact (msg, 0, &contact));
  g_assert_true (contact.wildcard);
  g_assert_true (hail_sip_message_get_expires (msg, &expires));
  g_assert_cmpuint (expires, ==, 0);
  parse_fails ("REGISTER sip:example.com SIP/2.0\r\nContact: *, <sip:a@h>\r\nl: 0\r\n\r\n",
               HAIL_SIP_PARSE_DATAGRAM, HAIL_SIP_ERROR_MALFORMED,
               "line 2: Contact: '*' must be the only Contact");
}

static void
test_message_route_set (void)
{
  g_autoptr(HailSipMessage) msg = parse_ok (
    INVITE_HEAD "Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n"
    "Record-Route: <sip:p3.example.com;lr>\r\nRoute: <sip:r.example.com;lr>\r\nl: 0\r\n\r\n");
  HailSipNameAddr routes[2];

  g_assert_cmpuint (hail_sip_message_get_route_set (msg, HAIL_SIP_HEADER_RECORD_ROUTE,
                                                    routes, 2), ==, 3);
  g_assert_true (hail_sip_span_equal_str (routes[0].uri, "sip:p1.example.com;lr"));
  g_assert_true (hail_sip_span_equal_str (routes[1].uri, "sip:p2.example.com;lr"));
  g_assert_cmpuint (hail_sip_message_get_route_set (msg, HAIL_SIP_HEADER_ROUTE, routes, 2), ==, 1);
  parse_fails (INVITE_HEAD "Route: sip:r.example.com\r\nl: 0\r\n\r\n", HAIL_SIP_PARSE_DATAGRAM,
               HAIL_SIP_ERROR_MALFORMED, "line 8: Route: route must be in <>");
}

static void
test_message_other_headers (void)
{
  g_autoptr(HailSipMessage) msg = parse_ok (
    INVITE_HEAD "X-Custom: one\r\nx-custom: two\r\n"
    "WWW-Authenticate: Digest realm=\"a\", nonce=\"b\", opaque=\"\", stale=FALSE\r\n"
    "WWW-Authenticate: Digest realm=\"c\"\r\nl: 0\r\n\r\n");
  HailSipHeaderIter iter;
  HailSipSpan value;
  guint n = 0;

  g_assert_cmpuint (hail_sip_message_count_headers (msg, "X-CUSTOM"), ==, 2);
  g_assert_true (hail_sip_message_get_header (msg, "x-Custom", &value));
  g_assert_true (hail_sip_span_equal_str (value, "one"));
  g_assert_false (hail_sip_message_get_header (msg, "X-Missing", &value));
  hail_sip_message_iter_init (msg, &iter, "WWW-Authenticate");
  while (hail_sip_header_iter_next (&iter, &value))
    n++;
  /* Challenges come whole: their commas do not split. */
  g_assert_cmpuint (n, ==, 2);
  hail_sip_message_iter_init (msg, &iter, "WWW-Authenticate");
  g_assert_true (hail_sip_header_iter_next (&iter, &value));
  g_assert_true (hail_sip_span_equal_str (
    value, "Digest realm=\"a\", nonce=\"b\", opaque=\"\", stale=FALSE"));
}

static void
test_message_empty_params_tolerated (void)
{
  g_autoptr(HailSipMessage) msg = parse_ok (
    "OPTIONS sip:u@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h:5060;;branch=z9hG4bK9\r\n"
    "From: <sip:a@example.com>;;tag=77\r\nTo: <sip:u@example.com>\r\nCall-ID: x\r\n"
    "CSeq: 1 OPTIONS\r\nl: 0\r\n\r\n");
  HailSipVia via;

  g_assert_true (hail_sip_message_get_via (msg, 0, &via));
  g_assert_true (hail_sip_span_equal_str (via.branch, "z9hG4bK9"));
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_from (msg)->tag, "77"));
}

static void
test_message_datagram_missing_content_length (void)
{
  g_autoptr(HailSipMessage) msg = parse_ok (INVITE_HEAD "\r\nbody bytes");
  gsize cl = 0;

  g_assert_false (hail_sip_message_get_content_length (msg, &cl));
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_body (msg), "body bytes"));
  parse_fails (INVITE_HEAD "\r\nbody bytes", HAIL_SIP_PARSE_STREAM, HAIL_SIP_ERROR_MALFORMED,
               "no Content-Length in a message from a stream");
}

static void
test_message_content_length_short (void)
{
  parse_fails (INVITE_HEAD "Content-Length: 20\r\n\r\nshort", HAIL_SIP_PARSE_DATAGRAM,
               HAIL_SIP_ERROR_MALFORMED,
               "Content-Length 20 is more than the 5 body bytes received");
  parse_fails (INVITE_HEAD "Content-Length: 20\r\n\r\nshort", HAIL_SIP_PARSE_STREAM,
               HAIL_SIP_ERROR_INCOMPLETE, NULL);
}

static void
test_message_extra_bytes (void)
{
  const char *text = INVITE_HEAD "Content-Length: 4\r\n\r\nbodyNEXT MESSAGE";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(HailSipMessage) msg = NULL;
  g_autoptr(GBytes) own = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;

  /* Datagram (RFC 4475 dblreq): ignored. Stream: the next message. */
  msg = hail_sip_message_parse (bytes, HAIL_SIP_PARSE_STREAM, NULL, &consumed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, strlen (text) - strlen ("NEXT MESSAGE"));
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_body (msg), "body"));
  own = hail_sip_message_get_bytes (msg);
  g_assert_cmpuint (g_bytes_get_size (own), ==, consumed);
}

static void
test_message_keepalive_crlf (void)
{
  const char *text = "\r\n\r\n" INVITE_HEAD "l: 0\r\n\r\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(HailSipMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;

  msg = hail_sip_message_parse (bytes, HAIL_SIP_PARSE_STREAM, NULL, &consumed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, strlen (text));
  parse_fails ("\r\n\r\n", HAIL_SIP_PARSE_STREAM, HAIL_SIP_ERROR_INCOMPLETE, NULL);
  parse_fails ("\r\n", HAIL_SIP_PARSE_DATAGRAM, HAIL_SIP_ERROR_MALFORMED, NULL);
  /* An empty GBytes has no data pointer. */
  parse_fails ("", HAIL_SIP_PARSE_STREAM, HAIL_SIP_ERROR_INCOMPLETE, "no message");
  parse_fails ("", HAIL_SIP_PARSE_DATAGRAM, HAIL_SIP_ERROR_MALFORMED, "no message");
}

static void
test_message_incomplete_headers (void)
{
  const char *full = INVITE_HEAD "Content-Length: 3\r\n\r\nabc";
  gsize len = strlen (full);

  /* Every proper prefix is INCOMPLETE in a stream, never MALFORMED. */
  for (gsize cut = 1; cut < len; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HailSipMessage) msg = hail_sip_message_parse_data (full, cut,
                                                                   HAIL_SIP_PARSE_STREAM, &error);

      g_assert_null (msg);
      g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE);
    }
  parse_fails (INVITE_HEAD, HAIL_SIP_PARSE_DATAGRAM, HAIL_SIP_ERROR_MALFORMED,
               "no empty line ends the header section");
}

static void
test_message_bare_lf (void)
{
  g_autoptr(HailSipMessage) msg = parse_ok (
    "OPTIONS sip:u@example.com SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n"
    "From: <sip:a@example.com>;tag=1\nTo: <sip:u@example.com>\nCall-ID: x\n"
    "CSeq: 1 OPTIONS\nl: 2\n\nok");

  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_body (msg), "ok"));
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_call_id (msg), "x"));
}

static void
test_message_limits (void)
{
  g_autoptr(GString) text = g_string_new (INVITE_HEAD);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipMessage) msg = NULL;
  HailSipLimits limits;

  for (guint i = 0; i < 20; i++)
    g_string_append_printf (text, "X-H%u: v\r\n", i);
  g_string_append (text, "l: 0\r\n\r\n");
  bytes = g_bytes_new (text->str, text->len);
  hail_sip_limits_init (&limits);
  limits.max_headers = 10;
  msg = hail_sip_message_parse (bytes, HAIL_SIP_PARSE_DATAGRAM, &limits, NULL, &error);
  g_assert_null (msg);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "line 12: more than 10 headers");
  g_clear_error (&error);

  hail_sip_limits_init (&limits);
  limits.max_message_size = 100;
  msg = hail_sip_message_parse (bytes, HAIL_SIP_PARSE_STREAM, &limits, NULL, &error);
  g_assert_null (msg);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
  g_clear_error (&error);

  hail_sip_limits_init (&limits);
  msg = hail_sip_message_parse (bytes, HAIL_SIP_PARSE_DATAGRAM, &limits, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hail_sip_message_get_n_headers (msg), ==, 27);
}

static void
test_message_content_length_too_large (void)
{
  parse_fails (INVITE_HEAD "Content-Length: 70000\r\n\r\n", HAIL_SIP_PARSE_STREAM,
               HAIL_SIP_ERROR_TOO_LARGE, NULL);
  parse_fails (INVITE_HEAD "Content-Length: 99999999999\r\n\r\n", HAIL_SIP_PARSE_STREAM,
               HAIL_SIP_ERROR_MALFORMED, "line 8: Content-Length: not a valid length");
}

static void
test_message_errors_name_line (void)
{
  static const struct { const char *text; gint code; const char *message; } cases[] = {
    { "INVITE sip:a@b SIP/2.0\r\nCSeq: 99999999999 INVITE\r\n\r\n", HAIL_SIP_ERROR_MALFORMED,
      "line 2: CSeq: number out of range" },
    { "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nFoobar roobar\r\n\r\n",
      HAIL_SIP_ERROR_MALFORMED, "line 3: header line without ':'" },
    { "INVITE sip:a@b SIP/2.0\r\n continued\r\n\r\n", HAIL_SIP_ERROR_MALFORMED,
      "line 2: continuation line before any header" },
    { "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\rx\r\n\r\n", HAIL_SIP_ERROR_MALFORMED,
      "line 2: Via: unexpected text after the sent-by" },
    { "INVITE sip:a@b SIP/3.0\r\n\r\n", HAIL_SIP_ERROR_VERSION,
      "line 1: SIP version SIP/3.0 is not supported" },
    { "SIP/2.1 200 OK\r\n\r\n", HAIL_SIP_ERROR_VERSION,
      "line 1: SIP version SIP/2.1 is not supported" },
    { "SIP/2.0 99 Low\r\n\r\n", HAIL_SIP_ERROR_MALFORMED,
      "line 1: status code is not three digits" },
    { "SIP/2.0 700 High\r\n\r\n", HAIL_SIP_ERROR_MALFORMED, "line 1: status code out of range" },
    { "INVITE <sip:a@b> SIP/2.0\r\n\r\n", HAIL_SIP_ERROR_MALFORMED,
      "line 1: Request-URI must not be in <>" },
    { "INVITE sip:a@b?h=v SIP/2.0\r\n\r\n", HAIL_SIP_ERROR_MALFORMED,
      "line 1: Request-URI must not carry headers" },
    { "INVITE sip:a@ SIP/2.0\r\n\r\n", HAIL_SIP_ERROR_MALFORMED,
      "line 1: Request-URI: invalid URI: bad host or port" },
    { "INVITE sip:a@b SIP/2.0\r\nMax-Forwards: ten\r\n\r\n", HAIL_SIP_ERROR_MALFORMED,
      "line 2: Max-Forwards: not a number" },
    { "INVITE sip:a@b SIP/2.0\r\nCall-ID: a b\r\n\r\n", HAIL_SIP_ERROR_MALFORMED,
      "line 2: Call-ID: bad Call-ID" },
    { "INVITE sip:a@b SIP/2.0\r\nc: text\r\n\r\n", HAIL_SIP_ERROR_MALFORMED,
      "line 2: Content-Type: media type without '/'" },
    { "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=1,,SIP/2.0/UDP g\r\n\r\n",
      HAIL_SIP_ERROR_MALFORMED, "line 2: Via: empty list element" },
    { "INVITE sip:a@b SIP/2.0\r\nl: 1\r\nl: 2\r\n\r\n", HAIL_SIP_ERROR_MALFORMED,
      "line 3: Content-Length: two different lengths" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    parse_fails (cases[i].text, HAIL_SIP_PARSE_DATAGRAM, cases[i].code, cases[i].message);
}

static void
test_message_overlarge_values_absent (void)
{
  g_autoptr(HailSipMessage) msg = parse_ok (
    INVITE_HEAD "Expires: 10000000000000000000\r\nRetry-After: 949302838503028349304023988\r\n"
    "Min-Expires: 60\r\nl: 0\r\n\r\n");
  g_autoptr(HailSipMessage) mf = parse_ok ("OPTIONS sip:a@b SIP/2.0\r\nMax-Forwards: 300\r\n"
                                           "l: 0\r\n\r\n");
  guint32 v = 5;

  g_assert_false (hail_sip_message_get_expires (msg, &v));
  g_assert_false (hail_sip_message_get_retry_after (msg, &v));
  g_assert_true (hail_sip_message_get_min_expires (msg, &v));
  g_assert_cmpuint (v, ==, 60);
  g_assert_cmpint (hail_sip_message_get_max_forwards (mf), ==, -1);
}

static gboolean
check (const char                 *text,
       const HailSipRequestPolicy *policy,
       guint                      *status,
       char                      **unsupported)
{
  g_autoptr(HailSipMessage) msg = parse_ok (text);
  g_autoptr(GError) error = NULL;
  gboolean ok = hail_sip_message_check_request (msg, policy, unsupported, &error);

  *status = 0;
  if (!ok)
    {
      g_assert_true (error->domain == HAIL_SIP_STATUS_ERROR);
      *status = (guint) error->code;
    }
  return ok;
}

static void
test_message_check_request (void)
{
  static const char * const extensions[] = { "timer", NULL };
  HailSipRequestPolicy policy = { NULL, extensions, NULL };
  g_autofree char *unsupported = NULL;
  guint status = 0;

  g_assert_true (check (INVITE_HEAD "l: 0\r\n\r\n", NULL, &status, NULL));
  g_assert_false (check ("INVITE sip:a@b SIP/2.0\r\nl: 0\r\n\r\n", NULL, &status, NULL));
  g_assert_cmpuint (status, ==, 400);
  g_assert_false (check (INVITE_HEAD "Call-ID: again\r\nl: 0\r\n\r\n", NULL, &status, NULL));
  g_assert_cmpuint (status, ==, 400);
  g_assert_false (check (INVITE_HEAD "Require: timer, foo\r\nl: 0\r\n\r\n", &policy, &status,
                         &unsupported));
  g_assert_cmpuint (status, ==, 420);
  g_assert_cmpstr (unsupported, ==, "foo");
  g_assert_true (check (INVITE_HEAD "Require: timer\r\nl: 0\r\n\r\n", &policy, &status, NULL));
  g_assert_false (check (INVITE_HEAD "c: application/x-foo\r\nl: 1\r\n\r\nx", NULL, &status,
                         NULL));
  g_assert_cmpuint (status, ==, 415);
  g_assert_false (check (INVITE_HEAD "l: 1\r\n\r\nx", NULL, &status, NULL));
  g_assert_cmpuint (status, ==, 400);
  g_assert_false (check (INVITE_HEAD "Accept: text/plain\r\nl: 0\r\n\r\n", NULL, &status, NULL));
  g_assert_cmpuint (status, ==, 406);
  g_assert_true (check (INVITE_HEAD "Accept: application/*\r\nl: 0\r\n\r\n", NULL, &status,
                        NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/message/request-fields", test_message_request_fields);
  g_test_add_func ("/sip/message/response-fields", test_message_response_fields);
  g_test_add_func ("/sip/message/compact-forms", test_message_compact_forms);
  g_test_add_func ("/sip/message/folding", test_message_folding);
  g_test_add_func ("/sip/message/via-list", test_message_via_list);
  g_test_add_func ("/sip/message/contact-list-quoted-comma",
                   test_message_contact_list_quoted_comma);
  g_test_add_func ("/sip/message/contact-wildcard", test_message_contact_wildcard);
  g_test_add_func ("/sip/message/route-set", test_message_route_set);
  g_test_add_func ("/sip/message/other-headers", test_message_other_headers);
  g_test_add_func ("/sip/message/empty-params-tolerated", test_message_empty_params_tolerated);
  g_test_add_func ("/sip/message/datagram-missing-content-length",
                   test_message_datagram_missing_content_length);
  g_test_add_func ("/sip/message/content-length-short", test_message_content_length_short);
  g_test_add_func ("/sip/message/extra-bytes", test_message_extra_bytes);
  g_test_add_func ("/sip/message/keepalive-crlf", test_message_keepalive_crlf);
  g_test_add_func ("/sip/message/incomplete-headers", test_message_incomplete_headers);
  g_test_add_func ("/sip/message/bare-lf", test_message_bare_lf);
  g_test_add_func ("/sip/message/limits", test_message_limits);
  g_test_add_func ("/sip/message/content-length-too-large",
                   test_message_content_length_too_large);
  g_test_add_func ("/sip/message/errors-name-line", test_message_errors_name_line);
  g_test_add_func ("/sip/message/overlarge-values-absent", test_message_overlarge_values_absent);
  g_test_add_func ("/sip/message/check-request", test_message_check_request);
  return g_test_run ();
}
