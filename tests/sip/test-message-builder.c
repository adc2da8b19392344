/* test-message-builder.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hail-sip-error.h"
#include "hail-sip-message-builder.h"

static HailSipMessage *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  HailSipMessage *msg = hail_sip_message_parse_data (text, strlen (text),
                                                     HAIL_SIP_PARSE_DATAGRAM, &error);

  g_assert_no_error (error);
  return msg;
}

static void
test_builder_request_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipUri) ruri = hail_sip_uri_parse ("sip:bob@example.org;transport=tcp", -1,
                                                   &error);
  g_autoptr(HailSipMessageBuilder) builder = hail_sip_message_builder_new_request ("MESSAGE",
                                                                                   ruri);
  g_autoptr(GBytes) body = g_bytes_new_static ("Hello\0Bob", 9);
  g_autoptr(HailSipMessage) msg = NULL;
  const HailSipNameAddr *from;
  HailSipVia via;
  HailSipContentType ctype;
  gsize cl = 0;

  hail_sip_message_builder_add_header (builder, "Via",
                                       "SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bKb1;rport");
  hail_sip_message_builder_add_header (builder, "Max-Forwards", "70");
  hail_sip_message_builder_add_header (builder, "From", "\"Al \\\"x\\\"\" <sip:al@example.com>"
                                       ";tag=t1");
  hail_sip_message_builder_add_header (builder, "To", "<sip:bob@example.org>");
  hail_sip_message_builder_add_header (builder, "Call-ID", "cid-1@192.0.2.10");
  hail_sip_message_builder_add_header (builder, "CSeq", "42 MESSAGE");
  hail_sip_message_builder_set_body (builder, "text/plain;charset=UTF-8", body);
  msg = hail_sip_message_builder_finish (builder, &error);
  g_assert_no_error (error);

  g_assert_true (hail_sip_message_is_method (msg, "MESSAGE"));
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_request_uri (msg),
                                          "sip:bob@example.org;transport=tcp"));
  g_assert_true (hail_sip_message_get_via (msg, 0, &via));
  g_assert_true (via.has_rport);
  from = hail_sip_message_get_from (msg);
  g_assert_true (hail_sip_span_equal_str (from->tag, "t1"));
  g_assert_cmpuint (hail_sip_message_get_cseq (msg)->number, ==, 42);
  g_assert_true (hail_sip_message_get_content_type (msg, &ctype));
  g_assert_true (hail_sip_content_type_is (&ctype, "text", "plain"));
  g_assert_true (hail_sip_message_get_content_length (msg, &cl));
  g_assert_cmpuint (cl, ==, 9);
  g_assert_cmpmem (hail_sip_message_get_body (msg).ptr, 9, "Hello\0Bob", 9);
}

static void
test_builder_response_default_reason (void)
{
  g_autoptr(HailSipMessageBuilder) builder = hail_sip_message_builder_new_response (486, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = hail_sip_message_builder_to_bytes (builder, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   "SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n\r\n", 44);
  g_assert_cmpstr (hail_sip_status_get_reason_phrase (299), ==, "Success");
}

static void
test_builder_rejects_bad_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipMessageBuilder) a = hail_sip_message_builder_new_response (200, NULL);
  g_autoptr(HailSipMessageBuilder) b = hail_sip_message_builder_new_response (200, NULL);
  g_autoptr(HailSipMessageBuilder) c = hail_sip_message_builder_new_response (200, "OK\r\nX: y");
  g_autoptr(HailSipMessage) msg = NULL;

  /* Header injection through a value is refused, and the first error sticks. */
  hail_sip_message_builder_add_header (a, "Subject", "hi\r\nVia: evil");
  hail_sip_message_builder_add_header (a, "Bad Name", "x");
  msg = hail_sip_message_builder_finish (a, &error);
  g_assert_null (msg);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  g_assert_cmpstr (error->message, ==, "line break in a header value");
  g_clear_error (&error);
  hail_sip_message_builder_add_header (b, "Content-Length", "5");
  msg = hail_sip_message_builder_finish (b, &error);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  g_clear_error (&error);
  msg = hail_sip_message_builder_finish (c, &error);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
}

static void
test_builder_reply_copies_headers (void)
{
  g_autoptr(HailSipMessage) request = parse_ok (
    "INVITE sip:bob@example.org SIP/2.0\r\n"
    "Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1,\r\n SIP/2.0/UDP p2.example.com"
    ";branch=z9hG4bK2\r\n"
    "v: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK3;received=203.0.113.7\r\n"
    "f: \"Alice\" <sip:alice@example.com>;tag=a1\r\nt: <sip:bob@example.org>\r\n"
    "i: c1@192.0.2.10\r\nCSeq: 5 INVITE\r\nTimestamp: 54\r\nMax-Forwards: 70\r\n"
    "Record-Route: <sip:p1.example.com;lr>\r\nl: 0\r\n\r\n");
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autoptr(HailSipMessage) reply = NULL;
  g_autoptr(HailSipMessage) trying = NULL;
  g_autoptr(GError) error = NULL;
  HailSipVia via;
  HailSipSpan value;

  builder = hail_sip_message_builder_new_reply (request, 180, NULL, "b9");
  reply = hail_sip_message_builder_finish (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hail_sip_message_get_status (reply), ==, 180);
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_reason (reply), "Ringing"));
  g_assert_cmpuint (hail_sip_message_get_n_vias (reply), ==, 3);
  g_assert_true (hail_sip_message_get_via (reply, 2, &via));
  g_assert_true (hail_sip_span_equal_str (via.received, "203.0.113.7"));
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_to (reply)->tag, "b9"));
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_from (reply)->tag, "a1"));
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_call_id (reply), "c1@192.0.2.10"));
  g_assert_true (hail_sip_message_is_method (reply, "INVITE"));
  g_assert_cmpuint (hail_sip_message_get_cseq (reply)->number, ==, 5);
  g_assert_false (hail_sip_message_get_header (reply, "Timestamp", NULL));
  g_assert_false (hail_sip_message_get_header (reply, "Record-Route", NULL));
  g_assert_false (hail_sip_message_get_header (reply, "Max-Forwards", NULL));
  g_clear_pointer (&builder, hail_sip_message_builder_free);

  /* 100 Trying: no To tag, Timestamp echoed (RFC 3261 §8.2.6.1). */
  builder = hail_sip_message_builder_new_reply (request, 100, NULL, "b9");
  trying = hail_sip_message_builder_finish (builder, &error);
  g_assert_no_error (error);
  g_assert_false (hail_sip_span_present (hail_sip_message_get_to (trying)->tag));
  g_assert_true (hail_sip_message_get_header (trying, "Timestamp", &value));
  g_assert_true (hail_sip_span_equal_str (value, "54"));
}

static void
test_builder_reply_keeps_existing_tag (void)
{
  g_autoptr(HailSipMessage) request = parse_ok (
    "BYE sip:bob@example.org SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
    "From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.org>;tag=old\r\n"
    "Call-ID: c1\r\nCSeq: 6 BYE\r\nl: 0\r\n\r\n");
  g_autoptr(HailSipMessageBuilder) builder = hail_sip_message_builder_new_reply (request, 200,
                                                                                 NULL, "new");
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipMessage) reply = hail_sip_message_builder_finish (builder, &error);

  g_assert_no_error (error);
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_to (reply)->tag, "old"));
  g_assert_cmpuint (hail_sip_message_count_headers (reply, "To"), ==, 1);
}

static void
test_builder_copy_round_trip (void)
{
  g_autoptr(HailSipMessage) msg = parse_ok (
    "SUBSCRIBE sip:bob@example.org SIP/2.0\r\nv: SIP/2.0/UDP h;rport;\r\n branch=z9hG4bK1\r\n"
    "From: \"Alice\r\n Liddell\" <sip:alice@example.com>;tag=f1\r\nTo: <sip:bob@example.org>\r\n"
    "i: c1\r\nCSeq: 1 SUBSCRIBE\r\nX-Odd: a\r\n\tb\r\nX-Cr: c\rd\r\nc: text/plain\r\n\r\nbody");
  g_autoptr(HailSipMessageBuilder) builder = hail_sip_message_builder_new_copy (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = hail_sip_message_builder_to_bytes (builder, &error);
  g_autoptr(HailSipMessage) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  HailSipVia via;
  HailSipSpan value;

  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  /* Long names, no folding, a computed Content-Length. */
  g_assert_null (strstr (text, "\r\n "));
  g_assert_null (strstr (text, "\r\n\t"));
  g_assert_nonnull (strstr (text, "\r\nVia: SIP/2.0/UDP h;rport; branch=z9hG4bK1\r\n"));
  g_assert_nonnull (strstr (text, "\r\nContent-Length: 4\r\n\r\nbody"));
  again = hail_sip_message_parse (bytes, HAIL_SIP_PARSE_STREAM, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hail_sip_message_get_via (again, 0, &via));
  g_assert_true (hail_sip_span_equal_str (via.branch, "z9hG4bK1"));
  name = hail_sip_name_addr_dup_display_name (hail_sip_message_get_from (again), NULL);
  g_assert_cmpstr (name, ==, "Alice Liddell");
  g_assert_true (hail_sip_message_get_header (again, "x-odd", &value));
  g_assert_true (hail_sip_span_equal_str (value, "a b"));
  /* A stray CR is whitespace; the writer never re-emits it. */
  g_assert_true (hail_sip_message_get_header (again, "X-Cr", &value));
  g_assert_true (hail_sip_span_equal_str (value, "c d"));
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_body (again), "body"));
}

/* The answer the builder makes to @bytes, which the parser refuses with
 * @code (and @parse_message, unless NULL). */
static HailSipMessage *
error_reply (GBytes     *bytes,
             gint        code,
             const char *parse_message,
             const char *to_tag)
{
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipMessage) msg = NULL;
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  HailSipMessage *reply;

  msg = hail_sip_message_parse (bytes, HAIL_SIP_PARSE_DATAGRAM, NULL, NULL, &parse_error);
  g_assert_null (msg);
  g_assert_error (parse_error, HAIL_SIP_ERROR, code);
  if (parse_message != NULL)
    g_assert_cmpstr (parse_error->message, ==, parse_message);
  builder = hail_sip_message_builder_new_error_reply (bytes, parse_error, to_tag, &error);
  g_assert_no_error (error);
  reply = hail_sip_message_builder_finish (builder, &error);
  g_assert_no_error (error);
  return reply;
}

static void
test_builder_error_reply (void)
{
  const char *text = "INVITE sip:bob@example.org SIP/2.0\r\n"
                     "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\r\n"
                     "From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.org>\r\n"
                     "Call-ID: c1\r\nCSeq: 1 INVITE\r\nMax-Forwards: lots\r\n"
                     "Contact: <broken\r\nContent-Length: 0\r\n\r\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(HailSipMessage) reply = error_reply (bytes, HAIL_SIP_ERROR_MALFORMED, NULL, "z1");

  g_assert_cmpuint (hail_sip_message_get_status (reply), ==, 400);
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_reason (reply),
                                          "Bad Request (line 7: Max-Forwards: not a number)"));
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_to (reply)->tag, "z1"));
  g_assert_cmpuint (hail_sip_message_get_cseq (reply)->number, ==, 1);
}

static void
test_builder_error_reply_version (void)
{
  const char *text = "OPTIONS sip:t.watson@example.org SIP/7.0\r\n"
                     "Via: SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw\r\n"
                     "From: A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe\r\n"
                     "To: T. Watson <sip:t.watson@example.org>\r\n"
                     "Call-ID: badvers.31417@c.example.com\r\nCSeq: 1 OPTIONS\r\nl: 0\r\n\r\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(HailSipMessage) reply = error_reply (bytes, HAIL_SIP_ERROR_VERSION, NULL, NULL);

  g_assert_cmpuint (hail_sip_message_get_status (reply), ==, 505);
}

static void
test_builder_error_reply_unanswerable (void)
{
  const char *text = "INVITE sip:bob@example.org SIP/2.0\r\nCSeq: x INVITE\r\n"
                     "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n\r\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipMessage) msg = NULL;
  g_autoptr(HailSipMessageBuilder) builder = NULL;

  msg = hail_sip_message_parse (bytes, HAIL_SIP_PARSE_DATAGRAM, NULL, NULL, &parse_error);
  g_assert_null (msg);
  builder = hail_sip_message_builder_new_error_reply (bytes, parse_error, NULL, &error);
  g_assert_null (builder);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  g_assert_cmpstr (error->message, ==, "cannot answer: line 2: CSeq: number missing");
}

static void
test_builder_error_reply_skips_broken_lines (void)
{
  const char *text = "INVITE sip:alan@jasomi.com SIP/2.0\r\n"
                     "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:r@example.com>;tag=1\r\n"
                     "To: <sip:alan@jasomi.com>\r\nFoobar roobar\r\nCall-ID: t1\r\n"
                     "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(HailSipMessage) reply =
    error_reply (bytes, HAIL_SIP_ERROR_MALFORMED, "line 5: header line without ':'", NULL);

  g_assert_cmpuint (hail_sip_message_get_status (reply), ==, 400);
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_call_id (reply), "t1"));
}

static void
test_builder_error_reply_too_large (void)
{
  g_autoptr(GString) text = g_string_new ("MESSAGE sip:b@example.org SIP/2.0\r\n"
                                          "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                                          "From: <sip:a@example.com>;tag=1\r\n"
                                          "To: <sip:b@example.org>\r\nCall-ID: big\r\n"
                                          "CSeq: 1 MESSAGE\r\nX-Big: ");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(HailSipMessage) reply = NULL;

  for (guint i = 0; i < 70000; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "\r\nContent-Length: 0\r\n\r\n");
  bytes = g_bytes_new (text->str, text->len);
  reply = error_reply (bytes, HAIL_SIP_ERROR_TOO_LARGE, NULL, NULL);
  g_assert_cmpuint (hail_sip_message_get_status (reply), ==, 513);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/message-builder/request-round-trip", test_builder_request_round_trip);
  g_test_add_func ("/sip/message-builder/response-default-reason",
                   test_builder_response_default_reason);
  g_test_add_func ("/sip/message-builder/rejects-bad-input", test_builder_rejects_bad_input);
  g_test_add_func ("/sip/message-builder/reply-copies-headers", test_builder_reply_copies_headers);
  g_test_add_func ("/sip/message-builder/reply-keeps-existing-tag",
                   test_builder_reply_keeps_existing_tag);
  g_test_add_func ("/sip/message-builder/copy-round-trip", test_builder_copy_round_trip);
  g_test_add_func ("/sip/message-builder/error-reply", test_builder_error_reply);
  g_test_add_func ("/sip/message-builder/error-reply-version", test_builder_error_reply_version);
  g_test_add_func ("/sip/message-builder/error-reply-unanswerable",
                   test_builder_error_reply_unanswerable);
  g_test_add_func ("/sip/message-builder/error-reply-skips-broken-lines",
                   test_builder_error_reply_skips_broken_lines);
  g_test_add_func ("/sip/message-builder/error-reply-too-large",
                   test_builder_error_reply_too_large);
  return g_test_run ();
}
