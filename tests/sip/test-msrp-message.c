/* test-msrp-message.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The MSRP URI, parser, stream framing and writer: RFC 4975 examples, every
 * end-line case, bounds, and round trips.
 */
#include "config.h"

#include <string.h>

#include "hail-msrp-builder.h"
#include "hail-msrp-limits.h"
#include "hail-msrp-message.h"
#include "hail-msrp-parser.h"
#include "hail-msrp-uri.h"
#include "hail-sip-error.h"

/* RFC 4975 §4, the first SEND of the example session. */
#define RFC_SEND \
  "MSRP a786hjs2 SEND\r\n" \
  "To-Path: msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp\r\n" \
  "From-Path: msrp://atlanta.example.com:7654/jshA7weztas;tcp\r\n" \
  "Message-ID: 87652491\r\n" \
  "Byte-Range: 1-25/25\r\n" \
  "Content-Type: text/plain\r\n" \
  "\r\n" \
  "Hey Bob, are you there?\r\n" \
  "-------a786hjs2$\r\n"

#define RFC_200 \
  "MSRP a786hjs2 200 OK\r\n" \
  "To-Path: msrp://atlanta.example.com:7654/jshA7weztas;tcp\r\n" \
  "From-Path: msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp\r\n" \
  "-------a786hjs2$\r\n"

/* RFC 4975 §7.1.2 style REPORT. */
#define RFC_REPORT \
  "MSRP dkei38sd REPORT\r\n" \
  "To-Path: msrp://alice.example.com:7777/iau39soe2843z;tcp\r\n" \
  "From-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp\r\n" \
  "Message-ID: 12339sdqwer\r\n" \
  "Byte-Range: 1-106/106\r\n" \
  "Status: 000 200 OK\r\n" \
  "-------dkei38sd$\r\n"

#define PATHS \
  "To-Path: msrp://b.example.com:2855/s1;tcp\r\n" \
  "From-Path: msrp://a.example.com:2855/s2;tcp\r\n"

static HailMsrpMessage *
parse_str (const char  *text,
           GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return hail_msrp_message_parse (bytes, error);
}

static void
assert_round_trip (HailMsrpMessage *message)
{
  g_autoptr(GBytes) written = hail_msrp_message_to_bytes (message);

  g_assert_true (g_bytes_equal (written, hail_msrp_message_get_bytes (message)));
}

static void
test_uri_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpUri) uri = hail_msrp_uri_parse (
    "msrps://alice@[2001:db8::1]:9000/a+b=c/d;tcp;x=1", -1, &error);
  g_autoptr(HailMsrpUri) bare = NULL;

  g_assert_no_error (error);
  g_assert_true (hail_msrp_uri_is_secure (uri));
  g_assert_cmpstr (hail_msrp_uri_get_host (uri), ==, "2001:db8::1");
  g_assert_cmpuint (hail_msrp_uri_get_port (uri), ==, 9000);
  g_assert_cmpstr (hail_msrp_uri_get_session_id (uri), ==, "a+b=c/d");
  g_assert_cmpstr (hail_msrp_uri_get_transport (uri), ==, "tcp");

  bare = hail_msrp_uri_parse ("msrp://relay.example.com;tcp", -1, &error);
  g_assert_no_error (error);
  g_assert_null (hail_msrp_uri_get_session_id (bare));
  g_assert_cmpuint (hail_msrp_uri_get_port (bare), ==, HAIL_MSRP_DEFAULT_PORT);
}

static void
test_uri_invalid (void)
{
  const char *bad[] = {
    "sip:alice@example.com", "msrp://host:2855/sid", "msrp://host:0/sid;tcp",
    "msrp://host:65536/sid;tcp", "msrp://:2855/sid;tcp", "msrp://[::1/sid;tcp",
    "msrp://host/;tcp", "msrp://host/s d;tcp", "msrp://host/sid;", "msrp://[zz::1]/s;tcp",
    "msrp://host/sid;tcp;", "msrp://a@b@host/s;tcp",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HailMsrpUri) uri = hail_msrp_uri_parse (bad[i], -1, &error);

      g_assert_null (uri);
      g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
    }
}

static void
test_uri_compare (void)
{
  g_autoptr(HailMsrpUri) a = hail_msrp_uri_parse ("msrp://Host.Example:2855/AbC;TCP", -1, NULL);
  g_autoptr(HailMsrpUri) b = hail_msrp_uri_parse ("MSRP://user@host.example/AbC;tcp", -1, NULL);
  g_autoptr(HailMsrpUri) c = hail_msrp_uri_parse ("msrp://host.example/abc;tcp", -1, NULL);
  g_autoptr(HailMsrpUri) d = hail_msrp_uri_parse ("msrps://host.example/AbC;tcp", -1, NULL);

  /* RFC 4975 §6.1: the default port, host case and user info do not
   * matter; the session-id's case and the scheme do. */
  g_assert_true (hail_msrp_uri_equal (a, b));
  g_assert_false (hail_msrp_uri_equal (a, c));
  g_assert_false (hail_msrp_uri_equal (a, d));
}

static void
test_uri_session_id (void)
{
  g_autofree char *one = hail_msrp_uri_new_session_id (NULL);
  g_autofree char *two = hail_msrp_uri_new_session_id (NULL);
  g_autoptr(HailMsrpUri) uri = hail_msrp_uri_new (FALSE, "::1", 4000, one);

  g_assert_cmpuint (strlen (one), ==, 20);
  g_assert_cmpstr (one, !=, two);
  g_assert_cmpstr (hail_msrp_uri_get_host (uri), ==, "::1");
  g_assert_cmpstr (hail_msrp_uri_get_session_id (uri), ==, one);
  g_assert_true (g_str_has_prefix (hail_msrp_uri_to_string (uri), "msrp://[::1]:4000/"));
}

static void
test_rfc_send (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpMessage) m = parse_str (RFC_SEND, &error);
  HailMsrpByteRange range;
  gsize len = 0;
  const guint8 *body;

  g_assert_no_error (error);
  g_assert_cmpint (hail_msrp_message_get_kind (m), ==, HAIL_MSRP_MESSAGE_KIND_REQUEST);
  g_assert_cmpint (hail_msrp_message_get_method (m), ==, HAIL_MSRP_METHOD_SEND);
  g_assert_true (hail_sip_span_equal_str (hail_msrp_message_get_transaction_id (m), "a786hjs2"));
  g_assert_true (hail_sip_span_equal_str (hail_msrp_message_get_message_id (m), "87652491"));
  g_assert_cmpstr (hail_msrp_uri_get_session_id (hail_msrp_message_get_to_path (m)->pdata[0]),
                   ==, "kjhd37s2s20w2a");
  g_assert_cmpstr (hail_msrp_uri_get_host (hail_msrp_message_get_from_path (m)->pdata[0]),
                   ==, "atlanta.example.com");
  g_assert_true (hail_msrp_message_get_byte_range (m, &range));
  g_assert_cmpuint (range.start, ==, 1);
  g_assert_cmpint (range.end, ==, 25);
  g_assert_cmpint (range.total, ==, 25);
  g_assert_true (hail_sip_span_equal_str (hail_msrp_message_get_content_type (m), "text/plain"));
  body = hail_msrp_message_get_body (m, &len);
  g_assert_cmpmem (body, len, "Hey Bob, are you there?", 23);
  g_assert_cmpint (hail_msrp_message_get_continuation (m), ==, HAIL_MSRP_CONTINUATION_COMPLETE);
  /* RFC 4975 §7.1.1 defaults. */
  g_assert_cmpint (hail_msrp_message_get_success_report (m), ==, HAIL_MSRP_REPORT_NO);
  g_assert_cmpint (hail_msrp_message_get_failure_report (m), ==, HAIL_MSRP_REPORT_YES);
  assert_round_trip (m);
}

static void
test_rfc_response (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpMessage) m = parse_str (RFC_200, &error);

  g_assert_no_error (error);
  g_assert_cmpint (hail_msrp_message_get_kind (m), ==, HAIL_MSRP_MESSAGE_KIND_RESPONSE);
  g_assert_cmpuint (hail_msrp_message_get_status_code (m), ==, 200);
  g_assert_true (hail_sip_span_equal_str (hail_msrp_message_get_comment (m), "OK"));
  g_assert_false (hail_msrp_message_has_body (m));
  assert_round_trip (m);
}

static void
test_rfc_report (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpMessage) m = parse_str (RFC_REPORT, &error);
  HailMsrpStatus status;

  g_assert_no_error (error);
  g_assert_cmpint (hail_msrp_message_get_method (m), ==, HAIL_MSRP_METHOD_REPORT);
  g_assert_true (hail_msrp_message_get_status (m, &status));
  g_assert_cmpuint (status.name_space, ==, 0);
  g_assert_cmpuint (status.code, ==, 200);
  g_assert_true (hail_sip_span_equal_str (status.comment, "OK"));
  assert_round_trip (m);
}

static void
test_chunk_flags (void)
{
  const char flags[] = { '+', '#' };

  for (gsize i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = g_strdup_printf (
        "MSRP dkei38sd SEND\r\n" PATHS "Message-ID: 456s9wlk3\r\nByte-Range: 1-*/*\r\n"
        "Success-Report: yes\r\nFailure-Report: partial\r\n"
        "Content-Type: text/html\r\n\r\n<p>part</p>\r\n-------dkei38sd%c\r\n", flags[i]);
      g_autoptr(HailMsrpMessage) m = parse_str (text, &error);
      HailMsrpByteRange range;

      g_assert_no_error (error);
      g_assert_cmpint (hail_msrp_message_get_continuation (m), ==, flags[i]);
      g_assert_true (hail_msrp_message_get_byte_range (m, &range));
      g_assert_cmpint (range.end, ==, -1);
      g_assert_cmpint (range.total, ==, -1);
      g_assert_cmpint (hail_msrp_message_get_success_report (m), ==, HAIL_MSRP_REPORT_YES);
      g_assert_cmpint (hail_msrp_message_get_failure_report (m), ==, HAIL_MSRP_REPORT_PARTIAL);
      assert_round_trip (m);
    }
}

static void
test_unknown_method_and_header (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpMessage) m = parse_str (
    "MSRP x9kk2mmq NICKNAME\r\n" PATHS "Use-Nickname: \"Alice\" \xc3\xa9\r\nX-Thing_2: \r\n"
    "-------x9kk2mmq$\r\n", &error);
  HailSipSpan name;

  g_assert_no_error (error);
  g_assert_cmpint (hail_msrp_message_get_method (m), ==, HAIL_MSRP_METHOD_OTHER);
  g_assert_true (hail_sip_span_equal_str (hail_msrp_message_get_method_name (m), "NICKNAME"));
  g_assert_cmpuint (hail_msrp_message_get_n_headers (m), ==, 4);
  g_assert_true (hail_sip_span_equal_str (hail_msrp_message_get_header_value (m, "use-nickname"),
                                          "\"Alice\" \xc3\xa9"));
  hail_msrp_message_get_header (m, 3, &name, NULL);
  g_assert_true (hail_sip_span_equal_str (name, "X-Thing_2"));
  assert_round_trip (m);
}

static void
test_body_with_hyphens (void)
{
  /* Seven hyphens, another transaction's end-line, ours without a flag and
   * ours as a longer id: none ends the body. */
  const char *body = "-------\r\n-------other12$\r\n-------abcd1234\r\n-------abcd12345$\r\nend";
  g_autofree char *text = g_strdup_printf ("MSRP abcd1234 SEND\r\n" PATHS "Message-ID: m123\r\n"
                                           "Content-Type: text/plain\r\n\r\n%s\r\n"
                                           "-------abcd1234$\r\n", body);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpMessage) m = parse_str (text, &error);
  gsize len = 0;
  const guint8 *got;

  g_assert_no_error (error);
  got = hail_msrp_message_get_body (m, &len);
  g_assert_cmpmem (got, len, body, strlen (body));
  assert_round_trip (m);
}

static void
test_empty_body (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpMessage) m = parse_str (
    "MSRP abcd1234 SEND\r\n" PATHS "Message-ID: m123\r\nByte-Range: 1-0/0\r\n"
    "Content-Type: text/plain\r\n\r\n\r\n-------abcd1234$\r\n", &error);
  gsize len = 1;

  g_assert_no_error (error);
  g_assert_true (hail_msrp_message_has_body (m));
  hail_msrp_message_get_body (m, &len);
  g_assert_cmpuint (len, ==, 0);
  assert_round_trip (m);
}

typedef struct {
  const char *text;
  int         code;
  const char *words;
} Bad;

static void
test_invalid (void)
{
  const Bad bad[] = {
    { "MSRQ abcd1234 SEND\r\n", HAIL_SIP_ERROR_MALFORMED, "no \"MSRP \"" },
    { "MSRP ab SEND\r\n" PATHS "-------ab$\r\n", HAIL_SIP_ERROR_MALFORMED, "transaction id" },
    { "MSRP abcd1234 send\r\n" PATHS "Message-ID: m1234\r\n-------abcd1234$\r\n",
      HAIL_SIP_ERROR_MALFORMED, "method" },
    /* The end-line must carry our transaction id and a flag. */
    { "MSRP abcd1234 SEND\r\n" PATHS "Message-ID: m1234\r\n-------abcd9999$\r\n",
      HAIL_SIP_ERROR_MALFORMED, "end-line" },
    { "MSRP abcd1234 SEND\r\n" PATHS "Message-ID: m1234\r\n-------abcd1234!\r\n",
      HAIL_SIP_ERROR_MALFORMED, "end-line" },
    { "MSRP abcd1234 SEND\r\n" PATHS "Message-ID: m1234\r\nContent-Type: text/plain\r\n\r\n"
      "x\r\n-------abcd1234$ junk\r\n", HAIL_SIP_ERROR_MALFORMED, "CRLF" },
    { "MSRP abcd1234 SEND\n" PATHS "-------abcd1234$\r\n", HAIL_SIP_ERROR_MALFORMED, "CRLF" },
    { "MSRP abcd1234 SEND\r\nFrom-Path: msrp://a.example.com/s2;tcp\r\n"
      "To-Path: msrp://b.example.com/s1;tcp\r\nMessage-ID: m1234\r\n-------abcd1234$\r\n",
      HAIL_SIP_ERROR_MALFORMED, "first two" },
    { "MSRP abcd1234 SEND\r\n" PATHS "-------abcd1234$\r\n", HAIL_SIP_ERROR_MALFORMED,
      "Message-ID" },
    { "MSRP abcd1234 SEND\r\n" PATHS "Message-ID: m1234\r\nContent-Type: text/plain\r\n"
      "-------abcd1234$\r\n", HAIL_SIP_ERROR_MALFORMED, "without a body" },
    { "MSRP abcd1234 SEND\r\n" PATHS "Content-Type: text/plain\r\nMessage-ID: m1234\r\n\r\n"
      "x\r\n-------abcd1234$\r\n", HAIL_SIP_ERROR_MALFORMED, "last header" },
    { "MSRP abcd1234 SEND\r\n" PATHS "Message-ID: m1234\r\nByte-Range: 0-1/1\r\n"
      "-------abcd1234$\r\n", HAIL_SIP_ERROR_MALFORMED, "Byte-Range" },
    { "MSRP abcd1234 SEND\r\n" PATHS "Message-ID: m1234\r\nByte-Range: 1-9/5\r\n"
      "-------abcd1234$\r\n", HAIL_SIP_ERROR_MALFORMED, "Byte-Range" },
    { "MSRP abcd1234 SEND\r\n" PATHS "Message-ID: m1234\r\nByte-Range: 1-99999999999999999999/*"
      "\r\n-------abcd1234$\r\n", HAIL_SIP_ERROR_MALFORMED, "Byte-Range" },
    { "MSRP abcd1234 SEND\r\n" PATHS "Message-ID: m1234\r\nSuccess-Report: partial\r\n"
      "-------abcd1234$\r\n", HAIL_SIP_ERROR_MALFORMED, "Success-Report" },
    { "MSRP abcd1234 SEND\r\n" PATHS "Message-ID: m1234\r\nMessage-ID: m1235\r\n"
      "-------abcd1234$\r\n", HAIL_SIP_ERROR_MALFORMED, "Repeated" },
    { "MSRP abcd1234 SEND\r\n" PATHS "Message-ID:m1234\r\n-------abcd1234$\r\n",
      HAIL_SIP_ERROR_MALFORMED, "\": \"" },
    { "MSRP abcd1234 SEND\r\n" PATHS "Message-ID: m1234\r\nX: a\x01\r\n-------abcd1234$\r\n",
      HAIL_SIP_ERROR_MALFORMED, "Invalid characters" },
    { "MSRP abcd1234 SEND\r\n" PATHS "Message-ID: m1234\r\nX: \xff\r\n-------abcd1234$\r\n",
      HAIL_SIP_ERROR_MALFORMED, "Invalid characters" },
    { "MSRP abcd1234 REPORT\r\n" PATHS "Message-ID: m1234\r\n-------abcd1234$\r\n",
      HAIL_SIP_ERROR_MALFORMED, "Status" },
    { "MSRP abcd1234 200 OK\r\n" PATHS "Content-Type: text/plain\r\n\r\nx\r\n"
      "-------abcd1234$\r\n", HAIL_SIP_ERROR_MALFORMED, "response with a body" },
    { "MSRP abcd1234 200 OK\r\n" PATHS "-------abcd1234+\r\n", HAIL_SIP_ERROR_MALFORMED,
      "not ended by $" },
    { "MSRP abcd1234 200 OK\r\nTo-Path: sip:a@b\r\nFrom-Path: msrp://a/s;tcp\r\n"
      "-------abcd1234$\r\n", HAIL_SIP_ERROR_MALFORMED, "To-Path" },
    { "MSRP abcd1234 SEND\r\n" PATHS "Message-ID: m1234\r\n-------abcd1234$\r\nextra",
      HAIL_SIP_ERROR_MALFORMED, "after the MSRP end-line" },
    { "MSRP abcd1234 SEND\r\n" PATHS "Message-ID: m1234\r\nContent-Type: text/plain\r\n\r\n"
      "no end-line", HAIL_SIP_ERROR_INCOMPLETE, "incomplete" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HailMsrpMessage) m = parse_str (bad[i].text, &error);

      if (m != NULL || error == NULL || error->code != bad[i].code ||
          strstr (error->message, bad[i].words) == NULL)
        g_error ("case %" G_GSIZE_FORMAT ": expected \"%s\", got %s", i, bad[i].words,
                 error != NULL ? error->message : "success");
    }
}

static void
test_too_large (void)
{
  g_autoptr(GString) text = g_string_new ("MSRP abcd1234 SEND\r\n" PATHS "Message-ID: m1234\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpMessage) m = NULL;
  gsize consumed = 0;

  /* A header section that never ends. */
  while (text->len <= HAIL_MSRP_MAX_HEADER_SIZE)
    g_string_append (text, "X-Padding: 0123456789012345678901234567890123456789\r\n");
  m = hail_msrp_message_parse_prefix ((const guint8 *) text->str, text->len, &consumed, &error);
  g_assert_null (m);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* A body that passes the chunk limit without its end-line. */
  g_string_assign (text, "MSRP abcd1234 SEND\r\n" PATHS "Message-ID: m1234\r\n"
                         "Content-Type: application/octet-stream\r\n\r\n");
  while (text->len <= HAIL_MSRP_MAX_CHUNK_SIZE + 1024)
    g_string_append (text, "-------abcd123-------\r\n");
  m = hail_msrp_message_parse_prefix ((const guint8 *) text->str, text->len, &consumed, &error);
  g_assert_null (m);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "without the end-line"));
}

static void
test_report_body_limit (void)
{
  g_autoptr(GString) text = g_string_new ("MSRP abcd1234 REPORT\r\n" PATHS "Message-ID: m1234\r\n"
                                          "Status: 000 200 OK\r\nContent-Type: text/plain\r\n\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpMessage) m = NULL;

  for (int i = 0; i <= HAIL_MSRP_MAX_NON_SEND_BODY; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "\r\n-------abcd1234$\r\n");
  m = parse_str (text->str, &error);
  g_assert_null (m);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
}

static void
test_stream_prefixes (void)
{
  const char *texts[] = { RFC_SEND, RFC_200, RFC_REPORT };

  /* Every proper prefix is incomplete, never malformed; the whole parses. */
  for (gsize t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      gsize len = strlen (texts[t]);

      for (gsize n = 0; n < len; n++)
        {
          g_autoptr(GError) error = NULL;
          gsize consumed = 99;
          g_autoptr(HailMsrpMessage) m =
            hail_msrp_message_parse_prefix ((const guint8 *) texts[t], n, &consumed, &error);

          g_assert_null (m);
          g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE);
          g_assert_cmpuint (consumed, ==, 0);
        }
    }
}

static void
test_stream_parser (void)
{
  g_autoptr(HailMsrpParser) parser = hail_msrp_parser_new ();
  g_autofree char *stream = g_strconcat (RFC_SEND, RFC_200, RFC_REPORT, NULL);
  gsize len = strlen (stream);
  g_autoptr(GPtrArray) got =
    g_ptr_array_new_with_free_func ((GDestroyNotify) hail_msrp_message_unref);

  /* One byte at a time: the worst case for the incremental scan. */
  for (gsize i = 0; i < len; i++)
    {
      g_autoptr(GError) error = NULL;
      HailMsrpMessage *m;

      g_assert_true (hail_msrp_parser_push (parser, (const guint8 *) stream + i, 1, &error));
      g_assert_no_error (error);
      while ((m = hail_msrp_parser_next (parser, NULL, &error)) != NULL)
        g_ptr_array_add (got, m);
      g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE);
    }
  g_assert_cmpuint (got->len, ==, 3);
  g_assert_cmpuint (hail_msrp_parser_get_buffered (parser), ==, 0);
  g_assert_cmpint (hail_msrp_message_get_method (got->pdata[0]), ==, HAIL_MSRP_METHOD_SEND);
  g_assert_cmpint (hail_msrp_message_get_kind (got->pdata[1]), ==,
                   HAIL_MSRP_MESSAGE_KIND_RESPONSE);
  g_assert_cmpint (hail_msrp_message_get_method (got->pdata[2]), ==, HAIL_MSRP_METHOD_REPORT);
}

static void
test_stream_bad_frame (void)
{
  g_autoptr(HailMsrpParser) parser = hail_msrp_parser_new ();
  g_autofree char *stream = g_strconcat (
    RFC_SEND, "MSRP bad12345 SEND\r\n" PATHS "Message-ID:nospace\r\n-------bad12345$\r\n",
    RFC_200, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bad = NULL;
  g_autoptr(HailMsrpMessage) first = NULL;
  g_autoptr(HailMsrpMessage) lost = NULL;
  g_autoptr(HailMsrpMessage) last = NULL;

  g_assert_true (hail_msrp_parser_push (parser, (const guint8 *) stream, strlen (stream), NULL));
  first = hail_msrp_parser_next (parser, &bad, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  /* A frame cut at its own end-line that does not parse costs only itself. */
  lost = hail_msrp_parser_next (parser, &bad, &error);
  g_assert_null (lost);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  g_assert_nonnull (bad);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (bad, NULL), "MSRP bad12345 SEND"));
  g_assert_false (hail_msrp_parser_is_broken (parser));
  g_clear_error (&error);
  last = hail_msrp_parser_next (parser, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hail_msrp_message_get_kind (last), ==, HAIL_MSRP_MESSAGE_KIND_RESPONSE);
}

static void
test_stream_broken (void)
{
  g_autoptr(HailMsrpParser) parser = hail_msrp_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpMessage) m = NULL;
  const char *junk = "GET / HTTP/1.1\r\n\r\n";

  g_assert_true (hail_msrp_parser_push (parser, (const guint8 *) junk, strlen (junk), NULL));
  m = hail_msrp_parser_next (parser, NULL, &error);
  g_assert_null (m);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  g_assert_true (hail_msrp_parser_is_broken (parser));
  g_clear_error (&error);
  /* Once broken it stays broken and takes nothing more. */
  g_assert_cmpuint (hail_msrp_parser_get_space (parser), ==, 0);
  g_assert_false (hail_msrp_parser_push (parser, (const guint8 *) RFC_SEND, 10, &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
}

static GPtrArray *
path_of (const char *uri)
{
  GPtrArray *path = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_msrp_uri_unref);

  g_ptr_array_add (path, hail_msrp_uri_parse (uri, -1, NULL));
  return path;
}

static void
test_builder_round_trip (void)
{
  g_autoptr(GPtrArray) to = path_of ("msrp://127.0.0.1:4000/abc;tcp");
  g_autoptr(GPtrArray) from = path_of ("msrps://[::1]:4001/def;tcp");
  HailMsrpBuilder *b = hail_msrp_builder_new_request ("tid12345", "SEND");
  HailMsrpByteRange range = { 11, 13, 20 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(HailMsrpMessage) m = NULL;
  HailMsrpByteRange got;
  gsize len = 0;
  const guint8 *body;

  hail_msrp_builder_set_from_path (b, from);
  hail_msrp_builder_set_to_path (b, to);
  hail_msrp_builder_add_header (b, "Message-ID", "msg1");
  hail_msrp_builder_add_byte_range (b, &range);
  hail_msrp_builder_add_header (b, "Success-Report", "yes");
  bytes = hail_msrp_builder_finish (b, "text/plain;charset=UTF-8", (const guint8 *) "a\0b", 3,
                                    HAIL_MSRP_CONTINUATION_MORE, &error);
  g_assert_no_error (error);
  m = hail_msrp_message_parse (bytes, &error);
  g_assert_no_error (error);
  g_assert_true (hail_msrp_uri_equal (hail_msrp_message_get_to_path (m)->pdata[0], to->pdata[0]));
  g_assert_true (hail_msrp_message_get_byte_range (m, &got));
  g_assert_cmpuint (got.start, ==, 11);
  g_assert_cmpint (got.end, ==, 13);
  g_assert_cmpint (got.total, ==, 20);
  body = hail_msrp_message_get_body (m, &len);
  g_assert_cmpmem (body, len, "a\0b", 3);
  g_assert_cmpint (hail_msrp_message_get_continuation (m), ==, HAIL_MSRP_CONTINUATION_MORE);
  assert_round_trip (m);
}

static void
test_builder_end_line_in_body (void)
{
  g_autoptr(GPtrArray) path = path_of ("msrp://127.0.0.1:4000/abc;tcp");
  HailMsrpBuilder *b = hail_msrp_builder_new_request ("fixed123", "SEND");
  const char *body = "text\r\n-------fixed123$\r\nmore";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *tid = NULL;

  /* A fixed id cannot change: the caller learns why. */
  hail_msrp_builder_set_to_path (b, path);
  hail_msrp_builder_set_from_path (b, path);
  bytes = hail_msrp_builder_finish (b, "text/plain", (const guint8 *) body, strlen (body),
                                    HAIL_MSRP_CONTINUATION_COMPLETE, &error);
  g_assert_null (bytes);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  g_clear_error (&error);

  /* A drawn id is drawn again when the body holds its end-line. */
  b = hail_msrp_builder_new_request (NULL, "SEND");
  tid = g_strdup (hail_msrp_builder_get_transaction_id (b));
  hail_msrp_builder_set_to_path (b, path);
  hail_msrp_builder_set_from_path (b, path);
  hail_msrp_builder_add_header (b, "Message-ID", "msg1");
  {
    g_autofree char *trap = g_strdup_printf ("x\r\n-------%s+\r\ny", tid);
    g_autoptr(HailMsrpMessage) m = NULL;
    gsize len = 0;
    const guint8 *got;

    bytes = hail_msrp_builder_finish (b, "text/plain", (const guint8 *) trap, strlen (trap),
                                      HAIL_MSRP_CONTINUATION_COMPLETE, &error);
    g_assert_no_error (error);
    m = hail_msrp_message_parse (bytes, &error);
    g_assert_no_error (error);
    g_assert_false (hail_sip_span_equal_str (hail_msrp_message_get_transaction_id (m), tid));
    got = hail_msrp_message_get_body (m, &len);
    g_assert_cmpmem (got, len, trap, strlen (trap));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sip/msrp/uri/parse", test_uri_parse);
  g_test_add_func ("/sip/msrp/uri/invalid", test_uri_invalid);
  g_test_add_func ("/sip/msrp/uri/compare", test_uri_compare);
  g_test_add_func ("/sip/msrp/uri/session-id", test_uri_session_id);
  g_test_add_func ("/sip/msrp/message/rfc4975-send", test_rfc_send);
  g_test_add_func ("/sip/msrp/message/rfc4975-response", test_rfc_response);
  g_test_add_func ("/sip/msrp/message/rfc4975-report", test_rfc_report);
  g_test_add_func ("/sip/msrp/message/chunk-flags", test_chunk_flags);
  g_test_add_func ("/sip/msrp/message/unknown-method-and-header", test_unknown_method_and_header);
  g_test_add_func ("/sip/msrp/message/body-with-hyphens", test_body_with_hyphens);
  g_test_add_func ("/sip/msrp/message/empty-body", test_empty_body);
  g_test_add_func ("/sip/msrp/message/invalid", test_invalid);
  g_test_add_func ("/sip/msrp/message/too-large", test_too_large);
  g_test_add_func ("/sip/msrp/message/report-body-limit", test_report_body_limit);
  g_test_add_func ("/sip/msrp/message/stream-prefixes", test_stream_prefixes);
  g_test_add_func ("/sip/msrp/parser/byte-by-byte", test_stream_parser);
  g_test_add_func ("/sip/msrp/parser/bad-frame-skipped", test_stream_bad_frame);
  g_test_add_func ("/sip/msrp/parser/broken-stays-broken", test_stream_broken);
  g_test_add_func ("/sip/msrp/builder/round-trip", test_builder_round_trip);
  g_test_add_func ("/sip/msrp/builder/end-line-in-body", test_builder_end_line_in_body);

  return g_test_run ();
}
